import { test } from "node:test";
import assert from "node:assert/strict";
import { layerCounts, layerDensities, MatrixShape } from "../../src/sparsity";

// the thesis's 3×50 GRU, group "both": W_ih and W_hh of every layer are 150×50
const gru3x50: MatrixShape[] = Array.from({ length: 6 }, () => ({ rows: 150, cols: 50 }));
// a random-structure-like mix: small and large matrices
const mixed: MatrixShape[] = [{ rows: 3, cols: 50 }, { rows: 3, cols: 1 }, { rows: 200, cols: 50 }, { rows: 200, cols: 200 }, { rows: 12, cols: 4 }, { rows: 12, cols: 12 }];
const size = (s: MatrixShape) => s.rows * s.cols;

test("ERK densities add up to the target, are capped at 1 and favour small matrices", () => {
  for (const shapes of [gru3x50, mixed]) {
    const N = shapes.reduce((n, s) => n + size(s), 0);
    for (const density of [0.02, 0.1, 0.3, 0.5, 0.9, 1]) {
      const d = layerDensities(shapes, density, "erk");
      const kept = d.reduce((n, dl, l) => n + dl * size(shapes[l]), 0);
      assert.ok(Math.abs(kept - density * N) < 1e-9 * N, `density ${density}: kept ${kept} of ${N}`);
      d.forEach((dl) => assert.ok(dl >= 0 && dl <= 1, `density ${dl} within [0, 1]`));
    }
  }
  // equal shapes: ERK = uniform
  layerDensities(gru3x50, 0.2, "erk").forEach((d) => assert.ok(Math.abs(d - 0.2) < 1e-12));
  // (rows + cols)/(rows·cols) ordering: a larger score never gets a lower density; the tiny matrices are dense
  const score = (s: MatrixShape) => (s.rows + s.cols) / size(s);
  const d = layerDensities(mixed, 0.1, "erk");
  assert.deepEqual(d.map((x) => x === 1), [true, true, false, false, true, true]);
  mixed.forEach((a, i) => mixed.forEach((b, j) => { if (score(a) > score(b)) assert.ok(d[i] >= d[j], `ERK order ${d}`); }));
  assert.ok(d[2] > d[3], "the 200×50 matrix is denser than the 200×200 one");
  // an uncapped matrix keeps ε·(rows + cols)/(rows·cols), one ε for all of them
  assert.ok(Math.abs(d[2] / score(mixed[2]) - d[3] / score(mixed[3])) < 1e-12);
  assert.deepEqual(layerDensities(mixed, 0.3, "uniform"), mixed.map(() => 0.3));
});

test("whole counts add up to round(target·N) exactly and never exceed a matrix", () => {
  for (const rule of ["erk", "uniform"] as const) {
    for (const shapes of [gru3x50, mixed]) {
      const N = shapes.reduce((n, s) => n + size(s), 0);
      for (const density of [0, 0.013, 0.1, 0.25, 0.77, 1]) {
        const counts = layerCounts(shapes, density, rule);
        assert.equal(counts.reduce((a, b) => a + b, 0), Math.round(density * N), `${rule} ${density}`);
        const d = layerDensities(shapes, density, rule);
        counts.forEach((c, l) => {
          assert.ok(Number.isInteger(c) && c >= 0 && c <= size(shapes[l]));
          assert.ok(Math.abs(c - d[l] * size(shapes[l])) < 1 + 1e-9, `${rule} ${density} matrix ${l}: ${c} vs ${d[l] * size(shapes[l])}`);
        });
      }
    }
  }
  assert.throws(() => layerCounts(mixed, 1.5, "erk"), /density must be a fraction/);
  assert.throws(() => layerCounts(mixed, 0.5, "er" as never), /rule must be one of uniform, erk/);
});
