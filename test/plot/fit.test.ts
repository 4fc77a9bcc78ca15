/** The scatter figures' least-squares lines (src/plot/fit.ts, ml-regression) against scipy and the correlation tables. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fitLinePoints, linearFit } from "../../src/plot/fit";
import { pearson } from "../../src/predict";

// scipy 1.10.1: scipy.stats.linregress(x, y) (slope, intercept, rvalue²) on 12 seeded points
const SCIPY = {
  x: [6.251, 8.972, 7.757, 2.252, 3.002, 8.736, 0.053, 8.212, 7.971, 4.679, 3.03, 2.784],
  y: [1.981, 1.761, 2.298, 1.371, -0.444, 2.163, -1.885, 1.174, 0.55, 1.169, -0.358, 1.106],
  slope: 0.297231408524434, intercept: -0.6706119576331605, r2: 0.524851661277795,
};

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("slope, intercept and R² equal scipy's linregress", () => {
  const fit = linearFit(SCIPY.x, SCIPY.y)!;
  close(fit.slope, SCIPY.slope, "slope");
  close(fit.intercept, SCIPY.intercept, "intercept");
  close(fit.r2, SCIPY.r2, "R²");
  assert.equal(fit.n, 12);
  assert.deepEqual(fit.x, [0.053, 8.972]);
  const line = fitLinePoints(fit);
  assert.deepEqual(line.x, [0.053, 8.972]);
  close(line.y[1], SCIPY.slope * 8.972 + SCIPY.intercept, "end point");
});

test("R² is the square of the Pearson r the correlation tables report", () => {
  const x = Array.from({ length: 40 }, (_, i) => Math.sin(i) * 3 + i / 10);
  const y = x.map((v, i) => 0.8 - 0.05 * v + 0.1 * Math.cos(3 * i));
  close(linearFit(x, y)!.r2, pearson(x, y).r ** 2, "R² vs r²");
});

test("no line where none exists; non-finite pairs are left out", () => {
  assert.equal(linearFit([], []), undefined);
  assert.equal(linearFit([1], [2]), undefined);
  assert.equal(linearFit([3, 3, 3], [0.5, 0.6, 0.7]), undefined, "a constant property");
  assert.deepEqual(linearFit([1, 2, 3], [0.9, 0.9, 0.9]), { slope: 0, intercept: 0.9, r2: 1, n: 3, x: [1, 3] });
  assert.equal(linearFit([1, NaN, 2, 4], [1, 5, 2, 4])!.n, 3);
  assert.throws(() => linearFit([1, 2], [1]), /2 x values but 1 y values/);
});
