import { test } from "node:test";
import assert from "node:assert/strict";
import { BASELINE_MODELS, availableFeatures, baselineComparison, correctedStandardError, groupRows, type FeatureRow } from "../../src/predict/baselines";
import { crossValidateR2, regressorFactory } from "../../src/predict";
import { Random } from "../../src/core/random";

/** Rows whose accuracy follows `signal` (of nodes and degree_var) plus a little noise; parameters and C present. */
function table(signal: (r: Record<string, number>) => number, n = 60, seed = 3): FeatureRow[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    const r: Record<string, number> = {
      nodes: 10 + rng.nextInt(41), degree_var: rng.nextFloat(), average_shortest_path_length: 1 + rng.nextFloat(),
      average_clustering: rng.nextFloat(), density: rng.nextFloat(),
    };
    r.edges = 2 * r.nodes + rng.nextInt(5);
    r.parameters = 30 * r.edges + 7 * r.nodes;
    return { ...r, mode: "GRU", test_acc: signal(r) + 0.002 * rng.normal() };
  });
}

const options = { regressor: "BayesianRidge" as const, folds: 5, repeats: 3, seed: 0 };

test("accuracy set by a non-size property: all properties beat size alone, the interval above 0", () => {
  const rows = table((r) => 0.9 - 0.1 * r.degree_var);
  const { scores, gains } = baselineComparison([{ group: "GRU", rows }], options);
  assert.deepEqual(scores.map((s) => s.model), ["size", "clustering_path", "all"]);
  const r2 = Object.fromEntries(scores.map((s) => [s.model, s.mean]));
  assert.ok(r2.all > 0.95 && r2.size < 0.2, JSON.stringify(r2));
  assert.equal(gains.length, 1);
  assert.ok(gains[0].low > 0.5, `gain interval [${gains[0].low}, ${gains[0].high}]`);
  assert.equal(gains[0].positiveShare, 1);
});

test("accuracy set by size alone: no structure beyond size (the gain's interval covers 0 or lies below)", () => {
  const rows = table((r) => 0.5 + 0.008 * r.nodes);
  const { scores, gains } = baselineComparison([{ group: "GRU", rows }], options);
  const r2 = Object.fromEntries(scores.map((s) => [s.model, s.mean]));
  assert.ok(r2.size > 0.95, JSON.stringify(r2));
  assert.ok(gains[0].low < 0 && Math.abs(gains[0].mean) < 0.05, JSON.stringify(gains[0]));
});

test("the models are scored on the same folds: each equals crossValidateR2 on its features, and the gain is their fold-wise difference", () => {
  const rows = table((r) => 0.9 - 0.05 * r.degree_var + 0.002 * r.nodes);
  const { scores, gains } = baselineComparison([{ group: "GRU", rows }], options);
  const y = rows.map((r) => r.test_acc);
  let checked = 0;
  for (const s of scores) {
    const direct = crossValidateR2(regressorFactory("BayesianRidge"), rows.map((r) => s.features.map((f) => r[f] as number)), y, options);
    assert.deepEqual(s.scores, direct.scores);
    assert.equal(s.se, correctedStandardError(s.scores, 5));
    checked++;
  }
  assert.equal(checked, 3);
  const all = scores.find((s) => s.model === "all")!.scores, size = scores.find((s) => s.model === "size")!.scores;
  const diff = all.map((v, i) => v - size[i]);
  assert.equal(gains[0].mean, diff.reduce((a, d) => a + d, 0) / diff.length);
  // Nadeau–Bengio: (1/J + 1/(k−1)) · sample variance, J = 15 folds, k = 5
  const m = gains[0].mean, s2 = diff.reduce((a, d) => a + (d - m) ** 2, 0) / 14;
  assert.ok(Math.abs(gains[0].se - Math.sqrt((1 / 15 + 1 / 4) * s2)) < 1e-15);
});

test("a table without edge lists (the thesis's) uses what it has: size = nodes, edges; (C, L) = L; the features are reported", () => {
  const rows = table((r) => 0.9 - 0.1 * r.degree_var).map(({ parameters: _p, average_clustering: _c, ...rest }) => rest as FeatureRow);
  const { scores } = baselineComparison([{ group: "GRU", rows }], options);
  assert.deepEqual(scores.map((s) => s.features), [["nodes", "edges"], ["average_shortest_path_length"],
    ["nodes", "edges", "density", "average_shortest_path_length", "degree_var"]]);
  assert.deepEqual(availableFeatures(rows, BASELINE_MODELS[0].features), ["nodes", "edges"]);
});

test("groups, seeds and refusals: groupRows keeps first-appearance order; same seed → same numbers; too few rows and missing features named", () => {
  const rows: FeatureRow[] = [...table((r) => r.degree_var, 20, 1).map((r) => ({ ...r, mode: "LSTM" })), ...table((r) => r.degree_var, 20, 2)];
  assert.deepEqual(groupRows(rows, (r) => String(r.mode)).map((g) => [g.group, g.rows.length]), [["LSTM", 20], ["GRU", 20]]);
  const groups = groupRows(rows, (r) => String(r.mode));
  assert.deepEqual(baselineComparison(groups, options), baselineComparison(groups, options));
  assert.throws(() => baselineComparison([{ group: "GRU", rows: rows.slice(0, 9) }], options), /group GRU has 9 rows; 5-fold cross-validation needs at least 10/);
  const bare = rows.map((r) => ({ mode: r.mode, test_acc: r.test_acc, degree_var: r.degree_var }));
  assert.throws(() => baselineComparison([{ group: "GRU", rows: bare }], options), /none of the features of model "size"/);
});
