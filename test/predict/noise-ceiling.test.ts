import { test } from "node:test";
import assert from "node:assert/strict";
import { noiseCeiling, spearmanBrown, varianceComponents } from "../../src/predict/noise-ceiling";
import { Random } from "../../src/core/random";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (±${tol})`);

/** Draws of y_gi = a_g + e_gi with a_g ~ N(0, σb²), e_gi ~ N(0, σw²). */
function simulate(G: number, k: number, sigmaB: number, sigmaW: number, seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: G }, () => {
    const a = sigmaB * rng.normal();
    return Array.from({ length: k }, () => 0.9 + a + sigmaW * rng.normal());
  });
}

test("Shrout & Fleiss (1979), table 2: 6 targets × 4 judges give their published ICC(1,1) = .17 and ICC(1,4) = .44", () => {
  const ratings = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];
  const c = varianceComponents(ratings);
  close(c.msb, 11.24, 0.005, "BMS (their table 3)");
  close(c.msw, 6.26, 0.005, "WMS (their table 3)");
  assert.equal(c.icc1.toFixed(2), "0.17");
  assert.equal(c.icc1k.toFixed(2), "0.44");
});

test("against a reference computed another way: variance of the graph means minus MSW/k, and the pooled within-graph variance", () => {
  const groups = simulate(12, 5, 0.03, 0.02, 7);
  const k = 5, G = 12;
  const sampleVariance = (xs: number[]) => { const m = xs.reduce((a, v) => a + v, 0) / xs.length; return xs.reduce((a, v) => a + (v - m) ** 2, 0) / (xs.length - 1); };
  const within = groups.map(sampleVariance).reduce((a, v) => a + v, 0) / G;
  const between = sampleVariance(groups.map((g) => g.reduce((a, v) => a + v, 0) / k)) - within / k;
  const c = varianceComponents(groups);
  close(c.withinVariance, within, 1e-15, "σ²_w");
  close(c.betweenVariance, between, 1e-15, "σ²_b");
  close(c.icc1, between / (between + within), 1e-12, "ICC(1)");
  close(c.icc1k, between / (between + within / k), 1e-12, "ICC(1,k)");
  close(c.icc1k, spearmanBrown(c.icc1, k), 1e-12, "Spearman–Brown of ICC(1)");
});

test("a constructed case with known components: graph effects ±0.03, seed deviations ±0.01 → MSB, MSW and both ICCs exactly", () => {
  // 4 graphs, 2 seeds: means 0.87, 0.87, 0.93, 0.93 (effects ±0.03), each seed ±0.01 around its graph's mean
  const groups = [0.87, 0.87, 0.93, 0.93].map((m) => [m - 0.01, m + 0.01]);
  const c = varianceComponents(groups);
  const msb = (2 * 4 * 0.03 ** 2) / 3, msw = (4 * 2 * 0.01 ** 2) / 4; // k Σ a² / (G−1); Σ e² / (G(k−1))
  close(c.msb, msb, 1e-15, "MSB");
  close(c.msw, msw, 1e-15, "MSW");
  close(c.icc1, (msb - msw) / (msb + msw), 1e-12, "ICC(1)");
  close(c.icc1k, (msb - msw) / msb, 1e-12, "ICC(1,2)");
  close(c.grandMean, 0.9, 1e-15, "grand mean");
});

test("pure structure (every seed of a graph the same) → ceilings 1 with intervals [1, 1]", () => {
  const groups = [0.81, 0.9, 0.95, 0.7, 0.99].map((v) => [v, v, v]);
  const c = noiseCeiling(groups, { resamples: 200 });
  assert.equal(c.icc1, 1);
  assert.deepEqual([c.singleRun.estimate, c.singleRun.low, c.singleRun.high], [1, 1, 1]);
  assert.deepEqual([c.seedMean.estimate, c.seedMean.low, c.seedMean.high], [1, 1, 1]);
});

test("pure noise (graphs share one distribution) → ICC near 0, the interval covering 0 and far below 1", () => {
  const c = noiseCeiling(simulate(60, 5, 0, 0.05, 3), { resamples: 500, seed: 1 });
  close(c.icc1, 0, 0.1, "ICC(1)");
  assert.equal(c.singleRun.low, 0, "the clipped interval reaches 0");
  assert.ok(c.singleRun.high < 0.25, `upper bound ${c.singleRun.high}`);
  // the raw estimate may go negative; the ceiling never does
  assert.ok(c.singleRun.estimate >= 0 && c.singleRun.estimate === Math.max(0, c.icc1));
});

test("known components recovered: σb = 2σw gives ICC(1) ≈ 0.8 and ICC(1,5) ≈ 0.95, with narrow intervals around the estimates", () => {
  const c = noiseCeiling(simulate(400, 5, 0.02, 0.01, 11), { resamples: 400, seed: 2 });
  close(c.icc1, 0.8, 0.05, "ICC(1)");
  close(c.icc1k, spearmanBrown(0.8, 5), 0.02, "ICC(1,5)");
  for (const [name, ci] of [["single run", c.singleRun], ["seed mean", c.seedMean]] as const) {
    assert.ok(ci.low < ci.estimate && ci.estimate < ci.high && ci.high - ci.low < 0.1, `${name}: [${ci.low}, ${ci.high}] around ${ci.estimate}`);
  }
  assert.ok(c.seedMean.low > c.singleRun.high, "the k-seed mean is the more reliable target");
});

test("the bootstrap is seeded: same input and seed → the same bits; another seed moves the interval", () => {
  const groups = simulate(20, 4, 0.02, 0.02, 5);
  const a = noiseCeiling(groups, { seed: 9, resamples: 300 });
  const b = noiseCeiling(groups, { seed: 9, resamples: 300 });
  assert.deepEqual(a, b);
  const c = noiseCeiling(groups, { seed: 10, resamples: 300 });
  assert.notEqual(a.singleRun.low, c.singleRun.low);
  assert.equal(a.icc1, c.icc1, "the estimate itself does not depend on the bootstrap");
});

test("bad designs are refused before any work, naming the problem", () => {
  assert.throws(() => varianceComponents([[0.9, 0.8]]), /at least 2 graphs, got 1/);
  assert.throws(() => varianceComponents([[0.9], [0.8]]), /at least 2 seeds per graph.*graph 0 has 1/);
  assert.throws(() => varianceComponents([[0.9, 0.8], [0.8, 0.7, 0.6]]), /balanced.*graph 0 has 2 seeds, graph 1 has 3/);
  assert.throws(() => varianceComponents([[0.9, NaN], [0.8, 0.7]]), /graph 0's accuracies\[1\] is NaN/);
  assert.throws(() => noiseCeiling([[0.9, 0.8], [0.8, 0.7]], { resamples: 3 }), /resamples must be an integer ≥ 10, got 3/);
  assert.throws(() => noiseCeiling([[0.9, 0.8], [0.8, 0.7]], { confidence: 1 }), /confidence must be in \(0, 1\), got 1/);
  assert.throws(() => spearmanBrown(0.5, 0), /k must be a positive integer, got 0/);
});
