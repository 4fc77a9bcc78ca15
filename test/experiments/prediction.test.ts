/** The prediction protocol (src/experiments/prediction.ts): settings, all parts, the tables of record, the CV cache, parity with src/predict. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  PREDICTION_PROFILES, PREDICTION_TABLE_FILES, checkPredictionSettings, predictionSettings, predictionTables, readPredictionTables,
  recordPredictionTables, runPrediction, writePredictionTables, type PredictionSettings,
} from "../../src/experiments/prediction";
import {
  FEATURE_SETS, PROPERTY_COLUMNS, REGRESSOR_NAMES, correlationTable, crossValidationTable, evaluateSplit, parseResultsCsv, type ResultsTable,
} from "../../src/predict";
import { syntheticCsv } from "../predict/synthetic-results";

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `prediction-${name}-`));

/** Small but complete: every part runs, forests and boosting kept tiny. */
function small(overrides: Partial<PredictionSettings> = {}): PredictionSettings {
  return {
    ...predictionSettings("quick"),
    splitSeeds: 3, folds: 3, repeats: 2, permutationRepeats: 2, minModelsPerVariant: 12,
    regressors: {
      BayesianRidge: {},
      RandomForestRegressor: { nEstimators: 8, maxDepth: Infinity },
      AdaBoostRegressor: { nEstimators: 6, loss: "linear", maxDepth: 3 },
    },
    ...overrides,
  };
}

/** 30 LSTM and 30 GRU models with a planted signal, and 10 RNN_TANH models (too few: left out). */
function syntheticTable(): ResultsTable {
  const table = parseResultsCsv(syntheticCsv(70), "synthetic.csv");
  const rows = table.rows.map((r, i) => (i >= 60 ? { ...r, mode: "RNN_TANH" } : r));
  return { ...table, rows, variants: ["LSTM", "GRU", "RNN_TANH"] };
}

test("profiles: quick as notebook 05's quick values, thesis the thesis's; both valid; copies are independent", () => {
  const quick = predictionSettings("quick"), thesis = predictionSettings("thesis");
  assert.deepEqual([quick.splitSeeds, quick.repeats, quick.minModelsPerVariant], [5, 2, 12]);
  assert.deepEqual([thesis.splitSeeds, thesis.repeats, thesis.minModelsPerVariant], [20, 10, 20]);
  for (const s of [quick, thesis]) {
    checkPredictionSettings(s);
    assert.deepEqual([s.testFraction, s.splitSeed, s.modelSeed, s.folds, s.cvSeed, s.permutationRepeats], [0.1, 0, 0, 5, 0, 10]);
    assert.deepEqual(s.featureSets, FEATURE_SETS.map((f) => f.name));
    assert.deepEqual(s.regressors.RandomForestRegressor, { nEstimators: 100, maxDepth: Infinity, minSamplesSplit: 2 });
    assert.deepEqual(s.regressors.AdaBoostRegressor, { nEstimators: 50, learningRate: 1, loss: "linear", maxDepth: 3 });
  }
  quick.regressors.BayesianRidge.tol = 5;
  quick.featureSets.push("x");
  assert.equal(PREDICTION_PROFILES.quick.regressors.BayesianRidge.tol, 1e-3);
  assert.equal(PREDICTION_PROFILES.quick.featureSets.length, 4);
});

test("settings: unknown keys with a suggestion, types and ranges, consistency; all refused before any work", () => {
  const s = small();
  const bad = (change: Record<string, unknown>) => ({ ...s, ...change }) as unknown as PredictionSettings;
  assert.throws(() => checkPredictionSettings(bad({ fold: 5 }), "notebook 05 parameters"), /notebook 05 parameters: unknown setting "fold"; did you mean "folds"\?/);
  assert.throws(() => checkPredictionSettings(bad({ regressors: { ...s.regressors, RandomForestRegressor: { nEstimator: 10 } } })),
    /PredictionSettings\.regressors\.RandomForestRegressor: unknown setting "nEstimator"; did you mean "nEstimators"\?/);
  assert.throws(() => checkPredictionSettings(bad({ testFraction: 1 })), /PredictionSettings\.testFraction must be < 1, got 1/);
  assert.throws(() => checkPredictionSettings(bad({ testFraction: 0 })), /testFraction must be > 0, got 0/);
  assert.throws(() => checkPredictionSettings(bad({ folds: 1 })), /folds must be ≥ 2, got 1/);
  assert.throws(() => checkPredictionSettings(bad({ repeats: 0 })), /repeats must be ≥ 1, got 0/);
  assert.throws(() => checkPredictionSettings(bad({ splitSeeds: 2.5 })), /splitSeeds must be an integer, got 2\.5/);
  assert.throws(() => checkPredictionSettings(bad({ cvSeed: -1 })), /cvSeed must be ≥ 0, got -1/);
  assert.throws(() => checkPredictionSettings(bad({ featureSets: ["al"] })), /featureSets\[0\] must be one of .*got "al" \(did you mean "all"\?\)/);
  assert.throws(() => checkPredictionSettings(bad({ featureSets: [] })), /featureSets must hold at least 1 value/);
  assert.throws(() => checkPredictionSettings(bad({ regressors: { ...s.regressors, AdaBoostRegressor: { maxDepth: 0 } } })),
    /AdaBoostRegressor\.maxDepth must be a positive integer or Infinity \(no limit\), got 0/);
  assert.throws(() => checkPredictionSettings(bad({ regressors: { ...s.regressors, AdaBoostRegressor: { loss: "huber" } } })), /loss must be one of/);
  assert.throws(() => checkPredictionSettings(bad({ permutationRepeats: undefined })), /PredictionSettings\.permutationRepeats is missing/);
  assert.throws(() => checkPredictionSettings(bad({ folds: 1, repeats: 0 })), /2 problems in PredictionSettings:\n {2}.*folds[\s\S]*repeats/);
  assert.throws(() => checkPredictionSettings(bad({ folds: 7 })), /7-fold cross-validation needs at least 2 models per fold, so minModelsPerVariant must be ≥ 14, got 12/);
  assert.throws(() => checkPredictionSettings(bad({ testFraction: 0.05 })), /splits into 11 training and 1 test models; both need at least 2/);

  const cacheDir = join(tmp("refused"), "cache");
  const calls: string[] = [];
  const options = { cacheDir, onCell: () => calls.push("cell"), onSplitSeed: () => calls.push("seed"), where: "notebook 05 parameters" };
  assert.throws(() => runPrediction(syntheticTable(), bad({ folds: 1 }), options), /notebook 05 parameters\.folds must be ≥ 2/);
  assert.throws(() => runPrediction(syntheticTable(), bad({ minModelsPerVariant: 31 }), options), /no variant of synthetic\.csv has minModelsPerVariant = 31 or more models \(LSTM: 30, GRU: 30, RNN_TANH: 10\)/);
  assert.deepEqual(calls, [], "nothing computed");
  assert.ok(!existsSync(cacheDir), "no cache created");
});

test("the protocol runs every part with the expected counts, equal to calling src/predict directly", () => {
  const table = syntheticTable();
  const settings = small();
  const seeds: string[] = [];
  const cells: Array<{ cached: boolean; done: number; total: number }> = [];
  const results = runPrediction(table, settings, {
    onSplitSeed: (row, info) => seeds.push(`${row.variant}/${row.splitSeed} ${info.done}/${info.total}`),
    onCell: (_row, info) => cells.push(info),
  });
  // Variants: RNN_TANH (10 models) left out, listed.
  assert.deepEqual(results.variants.map((v) => [v.variant, v.models, v.kept]), [["LSTM", 30, true], ["GRU", 30, true], ["RNN_TANH", 10, false]]);
  assert.deepEqual(results.table.variants, ["LSTM", "GRU"]);
  assert.equal(results.table.rows.length, 60);
  const gru = results.variants[1];
  const acc = table.rows.filter((r) => r.mode === "GRU").map((r) => r.test_acc);
  assert.equal(gru.accMin, Math.min(...acc));
  assert.equal(gru.accMax, Math.max(...acc));
  assert.ok(Math.abs(gru.accMean - acc.reduce((a, v) => a + v, 0) / 30) < 1e-15);
  // Counts.
  assert.equal(results.correlations.length, 2 * PROPERTY_COLUMNS.length);
  assert.deepEqual(results.split.map((s) => `${s.variant}/${s.regressor}/${s.featureSet}`),
    ["LSTM", "GRU"].flatMap((v) => REGRESSOR_NAMES.map((r) => `${v}/${r}/all`)));
  assert.equal(results.splitSeeds.length, 2 * 3);
  assert.deepEqual(seeds, ["LSTM/0 1/6", "LSTM/1 2/6", "LSTM/2 3/6", "GRU/0 4/6", "GRU/1 5/6", "GRU/2 6/6"]);
  assert.equal(results.cv.length, 2 * 4 * 3);
  assert.ok(results.cv.every((c) => c.scores.length === 3 * 2));
  assert.deepEqual(cells.map((c) => c.done), Array.from({ length: 24 }, (_, i) => i + 1));
  assert.ok(cells.every((c) => c.total === 24 && !c.cached));
  assert.equal(results.cache, undefined, "no cacheDir, no cache");
  assert.ok(results.seconds.total >= results.seconds.cv && results.seconds.cv > 0);
  // The planted signal: accuracy rises with nodes.
  assert.ok(results.correlations.find((c) => c.variant === "GRU" && c.property === "nodes")!.r > 0.6);

  // Parity with the functions notebook 05 called directly: moving the logic changed no number.
  const kept = results.table;
  assert.deepEqual(results.correlations, correlationTable(kept));
  const splitOptions = { testFraction: 0.1, splitSeed: 0, modelSeed: 0, permutationRepeats: 2, settings: settings.regressors };
  assert.deepEqual(results.split, kept.variants.flatMap((v) => REGRESSOR_NAMES.map((r) => evaluateSplit(kept, v, r, FEATURE_SETS[0], splitOptions))));
  for (const row of results.splitSeeds) {
    for (const r of REGRESSOR_NAMES) {
      assert.equal(row.r2[r], evaluateSplit(kept, row.variant, r, FEATURE_SETS[0], { ...splitOptions, splitSeed: row.splitSeed, permutationRepeats: 1 }).r2);
    }
  }
  assert.deepEqual(results.splitSeeds.filter((r) => r.splitSeed === 0).flatMap((r) => REGRESSOR_NAMES.map((n) => r.r2[n])), results.split.map((s) => s.r2),
    "split seed 0 is the single split");
  assert.deepEqual(results.cv, crossValidationTable(kept, { folds: 3, repeats: 2, seed: 0, settings: settings.regressors, featureSets: FEATURE_SETS }));
});

test("the CV cache is reused by a second run: no cell refitted, the same numbers", () => {
  const table = syntheticTable();
  const cacheDir = join(tmp("cache"), "cv");
  const settings = small({ featureSets: ["all", "variances"], splitSeeds: 1 });
  const first = runPrediction(table, settings, { cacheDir });
  assert.deepEqual(first.cache && { computed: first.cache.computed, reused: first.cache.reused }, { computed: 12, reused: 0 });
  assert.match(first.cache!.file, /cv\.[0-9a-f]{16}\.jsonl$/);
  assert.deepEqual(readdirSync(cacheDir), [first.cache!.file.split("/").pop()]);
  const cached: boolean[] = [];
  const second = runPrediction(table, settings, { cacheDir, onCell: (_row, info) => cached.push(info.cached) });
  assert.deepEqual(second.cache && { computed: second.cache.computed, reused: second.cache.reused }, { computed: 0, reused: 12 });
  assert.deepEqual(cached, new Array(12).fill(true));
  assert.deepEqual(second.cv, first.cv);
  assert.ok(second.seconds.cv < first.seconds.cv, `read ${second.seconds.cv} s, fitted ${first.seconds.cv} s`);
  // More repeats: another identity, another file; the first one untouched.
  const more = runPrediction(table, { ...settings, repeats: 3 }, { cacheDir });
  assert.equal(more.cache!.computed, 12);
  assert.notEqual(more.cache!.file, first.cache!.file);
  assert.equal(readdirSync(cacheDir).length, 2);
  // A damaged cache is refused before the splits are fitted, naming the file and line.
  const text = readFileSync(first.cache!.file, "utf8");
  writeFileSync(first.cache!.file, text.replace(/"mean":/, '"mean":1'));
  const seeds: number[] = [];
  assert.throws(() => runPrediction(table, settings, { cacheDir, onSplitSeed: (row) => seeds.push(row.splitSeed) }), /cv\.[0-9a-f]{16}\.jsonl: line 2 is damaged/);
  assert.deepEqual(seeds, []);
});

test("tables of record: write → read round trip equal; the thesis's R² beside ours; damaged tables named", () => {
  const results = runPrediction(syntheticTable(), small({ featureSets: ["all", "nodes_edges"] }));
  const dir = join(tmp("tables"), "ours");
  const thesisR2 = { GRU: { BayesianRidge: 0.67, RandomForestRegressor: 0.88, AdaBoostRegressor: 0.78 } };
  const files = writePredictionTables(results, dir, thesisR2);
  assert.deepEqual(files, PREDICTION_TABLE_FILES.map((f) => join(dir, f)));
  assert.deepEqual(readdirSync(dir).sort(), [...PREDICTION_TABLE_FILES].sort(), "no temporary files left");
  const tables = predictionTables(results, thesisR2);
  assert.deepEqual(readPredictionTables(dir), tables);
  assert.equal(tables.split.find((s) => s.variant === "GRU" && s.regressor === "RandomForestRegressor")!.thesisR2, 0.88);
  assert.equal(tables.split.find((s) => s.variant === "LSTM")!.thesisR2, null);
  // Plain CSV a spreadsheet opens: the headers, one line per row.
  const lines = (name: string) => readFileSync(join(dir, name), "utf8").trimEnd().split("\n");
  assert.equal(lines("correlations.csv")[0], "variant,property,r,p,ci_low,ci_high,n");
  assert.equal(lines("split.csv")[0], "variant,regressor,feature_set,r2,thesis_r2");
  assert.match(lines("split.csv")[1], /^LSTM,BayesianRidge,all,-?[0-9.e-]+,$/, "no thesis R² for LSTM: an empty cell");
  assert.equal(lines("split-seeds.csv")[0], "variant,split_seed,BayesianRidge,RandomForestRegressor,AdaBoostRegressor");
  assert.equal(lines("cv.csv")[0], "variant,regressor,feature_set,mean,std,folds,repeats");
  assert.equal(lines("cv.csv")[1].split(",").slice(-2).join(","), "3,2");
  assert.equal(lines("correlations.csv").length, 1 + 46);
  assert.equal(lines("split-seeds.csv").length, 1 + 6);
  assert.equal(lines("cv.csv").length, 1 + 2 * 2 * 3);
  assert.equal(lines("cv-scores.csv").length, 1 + 2 * 2 * 3 * 6);
  // The default thesis R² comes from the thesis's r_squared.csv.
  const defaults = predictionTables(results);
  assert.ok(Math.abs(defaults.split.find((s) => s.variant === "GRU" && s.regressor === "RandomForestRegressor")!.thesisR2! - 0.876) < 1e-3);
  // A constant property has no correlation: written as empty cells, read back as NaN.
  const withNaN = { ...tables, correlations: tables.correlations.map((c, i) => (i === 0 ? { ...c, r: NaN, pValue: NaN, ci: [NaN, NaN] as [number, number] } : c)) };
  const nanDir = join(tmp("tables-nan"), "t");
  writePredictionTables(withNaN, nanDir);
  assert.match(readFileSync(join(nanDir, "correlations.csv"), "utf8").split("\n")[1], /^LSTM,layers,,,,,30$/);
  assert.deepEqual(readPredictionTables(nanDir), withNaN);

  const edit = (name: string, from: RegExp, to: string) => {
    const d = join(tmp("damaged"), "t");
    writePredictionTables(tables, d);
    writeFileSync(join(d, name), readFileSync(join(d, name), "utf8").replace(from, to));
    return d;
  };
  assert.throws(() => readPredictionTables(edit("cv.csv", /,3,2\n/, ",x,2\n")), /cv\.csv:2: column "folds" must be an integer, got "x"/);
  assert.throws(() => readPredictionTables(edit("split.csv", /^LSTM,BayesianRidge,all,[^,]+,/m, "LSTM,BayesianRidge,all,1.5,")), /split\.csv:2: column "r2" is an R² and must be ≤ 1, got 1\.5/);
  assert.throws(() => readPredictionTables(edit("split.csv", /^variant,regressor/, "mode,regressor")), /split\.csv:1: header must be variant,regressor,feature_set,r2,thesis_r2/);
  assert.throws(() => readPredictionTables(edit("correlations.csv", /^LSTM,layers,[^,]+,/m, "LSTM,layer,0.1,")), /correlations\.csv:2: column "property" must be one of/);
  assert.throws(() => readPredictionTables(edit("cv-scores.csv", /\nLSTM,BayesianRidge,all,1,2,[^\n]+/, "")), /cell LSTM\/BayesianRidge\/all has 5 scores, .*cv\.csv:2 says 2 repeats × 3 folds/);
  assert.throws(() => readPredictionTables(edit("settings.json", /"folds": 3/, '"fold": 3')), /settings\.json: unknown setting "fold"; did you mean "folds"\?/);
  assert.throws(() => readPredictionTables(join(tmp("empty"), "none")), /cannot read settings\.json/);
});

test("recordPredictionTables writes <dir>/ours and <dir>/thesis; refuses a sweep without enough models before any work", () => {
  const root = tmp("record");
  const sweepFile = join(root, "sweep.csv");
  writeFileSync(sweepFile, syntheticCsv(40));
  const settings = small({ testFraction: 0.2, minModelsPerVariant: 12, splitSeeds: 1, folds: 2, repeats: 1, permutationRepeats: 1, featureSets: ["all"] });
  const progress = new Set<string>();
  const record = recordPredictionTables({ sweepFiles: [sweepFile], dir: join(root, "tables"), cacheDir: join(root, "cache"), settings, onCell: (which) => progress.add(which) });
  assert.deepEqual([...progress], ["ours", "thesis"]);
  assert.deepEqual(record.ours.files, PREDICTION_TABLE_FILES.map((f) => join(root, "tables", "ours", f)));
  const ours = readPredictionTables(join(root, "tables", "ours"));
  const thesis = readPredictionTables(join(root, "tables", "thesis"));
  assert.deepEqual(ours.variants.map((v) => v.variant), ["LSTM", "GRU"]);
  assert.deepEqual(thesis.variants.map((v) => [v.variant, v.models]), [["RNN_TANH", 200], ["RNN_RELU", 200], ["LSTM", 200], ["GRU", 200]]);
  assert.ok(thesis.split.every((s) => typeof s.thesisR2 === "number"), "the thesis publishes R² for all four variants");
  assert.equal(thesis.cv.length, 4 * 3);
  assert.deepEqual(thesis.settings, settings);

  writeFileSync(sweepFile, syntheticCsv(20));
  const dir = join(root, "refused");
  assert.throws(() => recordPredictionTables({ sweepFiles: [sweepFile], dir, settings }), /recordPredictionTables: ours \(.*sweep\.csv\): no variant has 12 or more models/);
  assert.ok(!existsSync(dir));
  assert.throws(() => recordPredictionTables({ sweepFiles: [sweepFile], dir, settings: { ...settings, folds: 1 } }), /recordPredictionTables settings\.folds must be ≥ 2/);
});
