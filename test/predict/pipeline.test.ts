import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FEATURE_SETS, PROPERTY_COLUMNS, REQUIRED_COLUMNS, BayesianRidge, RandomForestRegressor, correlationTable, crossValidateR2,
  crossValidationTable, cvCacheIdentity, cvCacheStoreFile, evaluateSplit, loadR2Table, loadResultsFiles, parseResultsCsv, permutationImportance, regressorFactory,
  featuresOf, repeatedKFold, REGRESSOR_NAMES, trainTestSplit, variantsWithAtLeast, type RegressorName,
} from "../../src/predict";
import { Random } from "../../src/core/random";
import { thesisStructureTableFiles } from "../../src/thesis";
import { ResultStore } from "../../src/core/result-store";
import { shortHash } from "../../src/core/hash";
import { editStoreTask, syntheticCsv } from "./synthetic-results";

test("the loader ignores unknown columns and names file, line and column on bad input", () => {
  const table = parseResultsCsv(syntheticCsv(20), "own.csv");
  assert.deepEqual(table.variants, ["LSTM", "GRU"]);
  assert.equal(table.rows.length, 20);
  assert.equal(table.origins[3], "own.csv:5");
  const noAcc = syntheticCsv(3).replace("test_acc", "accuracy");
  assert.throws(() => parseResultsCsv(noAcc, "x.csv"), /x\.csv:1: missing required column\(s\) test_acc/);
  const lines = syntheticCsv(3, false).split("\n");
  const cells = lines[2].split(",");
  cells[REQUIRED_COLUMNS.indexOf("density")] = "n/a";
  lines[2] = cells.join(",");
  assert.throws(() => parseResultsCsv(lines.join("\n"), "y.csv"), /y\.csv:3: column "density" must be a finite number, got "n\/a"/);
  const { table: kept, dropped } = variantsWithAtLeast(parseResultsCsv(syntheticCsv(21), "z.csv"), 11);
  assert.deepEqual(kept.variants, ["LSTM"]);
  assert.deepEqual(dropped, [{ variant: "GRU", rows: 10 }]);
  assert.equal(kept.rows.length, 11);
  assert.deepEqual(kept.origins, kept.rows.map((_, i) => `z.csv:${2 * i + 2}`), "origins stay beside their rows");
});

test("feature sets are the thesis's four and name only known properties", () => {
  assert.deepEqual(FEATURE_SETS.map((s) => s.name), ["all", "nodes_edges", "without_nodes_edges", "variances"]);
  for (const s of FEATURE_SETS) for (const f of s.features) assert.ok((PROPERTY_COLUMNS as readonly string[]).includes(f), f);
  assert.equal(FEATURE_SETS[3].features.length, 5);
  assert.ok(!FEATURE_SETS[2].features.includes("nodes") && !FEATURE_SETS[2].features.includes("edges"));
});

test("train/test split and repeated k-fold partition the rows, reproducibly per seed", () => {
  const s = trainTestSplit(200, 0.1, 3);
  assert.equal(s.test.length, 20);
  assert.deepEqual([...s.train, ...s.test].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i));
  assert.deepEqual(trainTestSplit(200, 0.1, 3).test, s.test);
  assert.notDeepEqual(trainTestSplit(200, 0.1, 4).test, s.test);
  const folds = repeatedKFold(23, 5, 2, 1);
  assert.equal(folds.length, 10);
  for (const r of [0, 1]) {
    const tests = folds.filter((f) => f.repeat === r).flatMap((f) => [...f.test]);
    assert.deepEqual(tests.sort((a, b) => a - b), Array.from({ length: 23 }, (_, i) => i));
  }
  assert.deepEqual(folds.filter((f) => f.repeat === 0).map((f) => f.test.length), [5, 5, 5, 4, 4]);
  for (const f of folds) assert.equal(f.train.length + f.test.length, 23);
  assert.throws(() => repeatedKFold(10, 1, 1, 0), /folds must be an integer in \[2, 10\], got 1/);
});

test("correlations, split R², permutation importance and CV find the planted signal", () => {
  const table = parseResultsCsv(syntheticCsv(200), "synthetic.csv");
  const corr = correlationTable(table).filter((c) => c.variant === "GRU");
  const nodes = corr.find((c) => c.property === "nodes")!;
  assert.ok(nodes.r > 0.6 && nodes.pValue < 1e-6 && nodes.ci[0] < nodes.r && nodes.r < nodes.ci[1]);
  const split = evaluateSplit(table, "GRU", "BayesianRidge");
  assert.ok(split.r2 > 0.8, `Bayesian ridge split R² ${split.r2}`);
  const top = split.permutation.mean.indexOf(Math.max(...split.permutation.mean));
  assert.equal(split.features[top], "nodes");
  const cv = crossValidateR2(regressorFactory("RandomForestRegressor", { RandomForestRegressor: { nEstimators: 20 } }), ...xy(table), { folds: 5, repeats: 2, seed: 1 });
  assert.equal(cv.scores.length, 10);
  assert.ok(cv.mean > 0.5, `forest CV R² ${cv.mean}`);
  const rows = crossValidationTable(table, { repeats: 1, folds: 3, regressors: ["BayesianRidge"], featureSets: FEATURE_SETS.slice(0, 2) });
  assert.equal(rows.length, 2 * 2);
});

test("permutation importance is ~0 for a feature the model ignores", () => {
  const rng = new Random(9);
  const X = Array.from({ length: 100 }, () => [rng.nextFloat(), rng.nextFloat()]);
  const y = X.map((r) => 3 * r[0]);
  const f = new RandomForestRegressor({ nEstimators: 10, seed: 1 });
  f.train(X, y);
  const imp = permutationImportance(f, X, y, { nRepeats: 5, seed: 2 });
  assert.ok(imp.mean[0] > 0.5 && Math.abs(imp.mean[1]) < 0.02, JSON.stringify(imp.mean));
  const br = new BayesianRidge();
  br.train(X, y);
  assert.ok(Math.abs(br.coefficients[0] - 3) < 1e-3 && Math.abs(br.coefficients[1]) < 1e-3);
});

test("the CV table resumes from its cache (a result store named by the run's identity) and recomputes only changed cells", () => {
  const table = parseResultsCsv(syntheticCsv(60), "synthetic.csv");
  const dir = mkdtempSync(join(tmpdir(), "cv-cache-"));
  const cacheFile = join(dir, "cv.csv");
  const options = { repeats: 1, folds: 3, regressors: ["BayesianRidge"] as const, featureSets: FEATURE_SETS.slice(0, 2), cacheFile };
  const cachedFlags: boolean[] = [];
  const first = crossValidationTable(table, { ...options, onCell: (_row, info) => cachedFlags.push(info.cached) });
  assert.deepEqual(cachedFlags, [false, false, false, false]);
  const store = cvCacheStoreFile(cacheFile, options);
  assert.match(store, /cv\.[0-9a-f]{16}\.jsonl$/);
  assert.equal(store, join(dir, `cv.${shortHash(cvCacheIdentity(options))}.jsonl`));
  assert.deepEqual(readdirSync(dir), [`cv.${shortHash(cvCacheIdentity(options))}.jsonl`], "one store file, no CSV");
  assert.equal(ResultStore.read(store).keys().length, first.length);
  // Tamper with one stored mean (keeping the line's checksum valid): a resumed run must return the stored value, proving it did not refit.
  editStoreTask(store, 1, (rows) => { rows[0].mean = 0.123; });
  cachedFlags.length = 0;
  const resumed = crossValidationTable(table, { ...options, onCell: (_row, info) => cachedFlags.push(info.cached) });
  assert.deepEqual(cachedFlags, [true, true, true, true]);
  assert.equal(resumed[0].mean, 0.123);
  assert.deepEqual(resumed.slice(1), first.slice(1));
  // Changed data for one variant: only its cells are refitted.
  const changed = { ...table, rows: table.rows.map((r, i) => (i === 0 ? { ...r, test_acc: r.test_acc / 2 } : r)) };
  cachedFlags.length = 0;
  crossValidationTable(changed, { ...options, onCell: (row, info) => cachedFlags.push(info.cached === (row.variant !== table.rows[0].mode)) });
  assert.deepEqual(cachedFlags, [true, true, true, true], "cells of the changed variant refitted, the others read");
  // Another seed is another identity: its own file, this one untouched.
  crossValidationTable(table, { ...options, seed: 9 });
  assert.equal(readdirSync(dir).filter((f) => f.endsWith(".jsonl")).length, 2);
  assert.equal(ResultStore.read(store).keys().length, first.length + 2);
});

function xy(table: ReturnType<typeof parseResultsCsv>): [number[][], number[]] {
  const rows = table.rows.filter((r) => r.mode === "GRU");
  return [rows.map((r) => featuresOf(r, PROPERTY_COLUMNS)), rows.map((r) => r.test_acc)];
}

test("the thesis's four tables load and run through the split protocol", () => {
  const table = loadResultsFiles(thesisStructureTableFiles(["RNN_TANH", "RNN_RELU", "LSTM", "GRU"]));
  assert.deepEqual(table.variants, ["RNN_TANH", "RNN_RELU", "LSTM", "GRU"]);
  assert.equal(table.rows.length, 800);
  const gru = evaluateSplit(table, "GRU", "BayesianRidge");
  assert.equal(gru.yTest.length, 20);
  assert.ok(gru.r2 > 0, `GRU Bayesian ridge R² ${gru.r2}`);
});

test("the thesis's r_squared.csv holds the R² its text states (results 6.4), to two decimals", () => {
  const text: Record<string, Record<RegressorName, number>> = {
    RNN_TANH: { BayesianRidge: 0.48, RandomForestRegressor: 0.43, AdaBoostRegressor: 0.36 },
    RNN_RELU: { BayesianRidge: 0.36, RandomForestRegressor: 0.62, AdaBoostRegressor: 0.53 },
    LSTM: { BayesianRidge: 0.37, RandomForestRegressor: 0.58, AdaBoostRegressor: 0.60 },
    GRU: { BayesianRidge: 0.67, RandomForestRegressor: 0.88, AdaBoostRegressor: 0.78 },
  };
  const table = loadR2Table();
  assert.deepEqual(Object.keys(table).sort(), Object.keys(text).sort());
  for (const [variant, row] of Object.entries(text)) {
    for (const name of REGRESSOR_NAMES) assert.ok(Math.abs(table[variant][name] - row[name]) <= 0.005, `${variant} ${name}: ${table[variant][name]}`);
  }
});
