/** Results tables, regressors, scalers, scores and the CV pipeline refuse bad values, naming where they are. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdaBoostRegressor, BayesianRidge, MinMaxScaler, RandomForestRegressor, RegressionTree, REQUIRED_COLUMNS, crossValidateR2,
  crossValidationTable, cvCacheStoreFile, loadR2Table, loadResultsFiles, meanOf, parseResultsCsv, pearson, permutationImportance, r2Score,
  regressorFactory, stdOf, trainTestSplit, type Regressor, type RegressorName,
} from "../../src/predict";
import { parseDecimal } from "../../src/predict/checks";
import { Random } from "../../src/core/random";
import { editStoreTask, syntheticCsv } from "./synthetic-results";

const dir = mkdtempSync(join(tmpdir(), "predict-strict-"));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** syntheticCsv(3) without extras, with one cell replaced (line is 1-based as in an editor). */
function withCell(line: number, column: string, value: string, prefix = ""): string {
  const lines = syntheticCsv(3, false).split("\n");
  const cells = lines[line - 1].split(",");
  cells[REQUIRED_COLUMNS.indexOf(column)] = value;
  lines[line - 1] = cells.join(",");
  return prefix + lines.join("\n");
}

test("parseDecimal accepts decimals only", () => {
  const good: Array<[string, number]> = [["0.91", 0.91], ["-3", -3], ["+0.25", 0.25], [".5", 0.5], ["5.", 5], ["1e-3", 0.001], ["2.5E+3", 2500], [" 0.5\t", 0.5], ["-0", -0]];
  for (const [raw, value] of good) assert.equal(parseDecimal(raw), value, raw);
  for (const raw of ["", "   ", "0x1", "0b1", "0o7", "1e", "e5", "1.2.3", "1_000", "1,5", "NaN", "Infinity", "-Infinity", "1e999", "--1", "½", "1 2"]) {
    assert.equal(parseDecimal(raw), undefined, JSON.stringify(raw));
  }
});

test("results tables refuse accuracies outside [0, 1] and non-decimal numbers, naming file, line and column", () => {
  const bad: Array<[string, RegExp]> = [
    [withCell(3, "test_acc", "2"), /own\.csv:3: column "test_acc" is an accuracy and must be in \[0, 1\], got "2"/],
    [withCell(2, "test_acc", "-3"), /own\.csv:2: column "test_acc" is an accuracy and must be in \[0, 1\], got "-3"/],
    [withCell(4, "test_acc", "1.0001"), /own\.csv:4: column "test_acc" is an accuracy and must be in \[0, 1\], got "1\.0001"/],
    [withCell(3, "test_acc", "0x1"), /own\.csv:3: column "test_acc" must be a finite number, got "0x1"/],
    [withCell(3, "density", ""), /own\.csv:3: column "density" must be a finite number, got ""/],
    [withCell(3, "density", "   "), /own\.csv:3: column "density" must be a finite number, got "   "/],
    [withCell(2, "nodes", "1e"), /own\.csv:2: column "nodes" must be a finite number, got "1e"/],
    [withCell(2, "degree_var", "NaN"), /own\.csv:2: column "degree_var" must be a finite number, got "NaN"/],
    [withCell(4, "diameter", "Infinity"), /own\.csv:4: column "diameter" must be a finite number, got "Infinity"/],
    [withCell(4, "diameter", "-Infinity"), /own\.csv:4: column "diameter" must be a finite number, got "-Infinity"/],
    [withCell(3, "edges", "1e999"), /own\.csv:3: column "edges" must be a finite number, got "1e999"/],
    [withCell(3, "edges", "1_000"), /own\.csv:3: column "edges" must be a finite number, got "1_000"/],
    [withCell(3, "closeness_mean", "\"0,5\""), /own\.csv:3: column "closeness_mean" must be a finite number, got "0,5"/],
    // blank lines count: the line is the one an editor shows
    [withCell(3, "test_acc", "7", "\n\n"), /own\.csv:5: column "test_acc" is an accuracy/],
    [withCell(3, "mode", " "), /own\.csv:3: column "mode" is empty/],
    ["mode,nodes\nGRU,1\n", /own\.csv:1: missing required column\(s\)/],
    [syntheticCsv(2, false).replace(/\n([^\n]*)\n$/, "\n$1,extra\n"), /own\.csv: not a valid CSV table: Invalid Record Length.*line 3/],
    ["", /own\.csv: empty results file/],
  ];
  for (const [text, message] of bad) assert.throws(() => parseResultsCsv(text, "own.csv"), message);
  const file = join(dir, "table.csv");
  writeFileSync(file, withCell(3, "test_acc", "1.5"));
  assert.throws(() => loadResultsFiles([file]), new RegExp(`${escape(file)}:3: column "test_acc" is an accuracy`));
  assert.throws(() => loadResultsFiles([join(dir, "none.csv")]), /results file .*none\.csv: cannot read: ENOENT/);
});

test("good tables still load: decimals in every accepted form, accuracies 0 and 1 included", () => {
  const table = parseResultsCsv(withCell(2, "test_acc", " 1 ").replace(/\n([^,\n]+),/, "\n$1,"), "ok.csv");
  assert.equal(table.rows[0].test_acc, 1);
  assert.equal(parseResultsCsv(withCell(3, "test_acc", "0"), "ok.csv").rows[1].test_acc, 0);
  assert.equal(parseResultsCsv(withCell(3, "density", ".5e-1"), "ok.csv").rows[1].density, 0.05);
  assert.equal(parseResultsCsv(withCell(2, "test_acc", "0.9", "\n"), "ok.csv").origins[0], "ok.csv:3");
  assert.deepEqual(parseResultsCsv(syntheticCsv(20), "own.csv").variants, ["LSTM", "GRU"]);
});

test("the thesis's R² table reader is as strict", () => {
  const file = (name: string, text: string) => { const f = join(dir, name); writeFileSync(f, text); return f; };
  const header = "mode,BayesianRidge,RandomForestRegressor,AdaBoostRegressor\n";
  const good = loadR2Table(file("r2.csv", `${header}GRU,0.67,0.88,0.78\n\nLSTM,0.37,-0.5,0.6\n`));
  assert.deepEqual(good.LSTM, { BayesianRidge: 0.37, RandomForestRegressor: -0.5, AdaBoostRegressor: 0.6 });
  const hex = file("hex.csv", `${header}GRU,0x1,0.88,0.78\n`);
  assert.throws(() => loadR2Table(hex), new RegExp(`${escape(hex)}:2: column "BayesianRidge" must be a finite number ≤ 1 \\(an R²\\), got "0x1"`));
  assert.throws(() => loadR2Table(file("big.csv", `${header}GRU,0.6,1.5,0.78\n`)), /big\.csv:2: column "RandomForestRegressor" must be a finite number ≤ 1/);
  assert.throws(() => loadR2Table(file("short.csv", `${header}GRU,0.6,0.7\n`)), /short\.csv:2: 3 cells, the header has 4/);
  assert.throws(() => loadR2Table(file("twice.csv", `${header}GRU,0.6,0.7,0.1\nGRU,0.6,0.7,0.1\n`)), /twice\.csv:3: mode GRU appears twice/);
  assert.throws(() => loadR2Table(join(dir, "none.csv")), /R² table .*none\.csv: cannot read/);
});

const rng = new Random(3);
const X = Array.from({ length: 30 }, () => Array.from({ length: 5 }, () => rng.nextFloat()));
const y = X.map((r) => r[0] + 0.5 * r[1]);
const clone = (m: number[][]) => m.map((r) => r.slice());
const models: Array<[string, () => Regressor]> = [
  ["BayesianRidge", () => new BayesianRidge()],
  ["RandomForestRegressor", () => new RandomForestRegressor({ nEstimators: 5, seed: 1 })],
  ["AdaBoostRegressor", () => new AdaBoostRegressor({ nEstimators: 5, seed: 1 })],
  ["RegressionTree", () => new RegressionTree()],
];

test("every regressor refuses bad training data the same way, naming row and column or both lengths", () => {
  for (const [name, make] of models) {
    const nanX = clone(X); nanX[3][1] = NaN;
    const infX = clone(X); infX[7][4] = -Infinity;
    const strX = clone(X); (strX[2] as unknown[])[0] = "0.5";
    const ragged = clone(X); ragged[5].pop();
    const nanY = y.slice(); nanY[2] = NaN;
    const infY = y.slice(); infY[9] = Infinity;
    const bad: Array<[number[][], number[], RegExp]> = [
      [nanX, y, new RegExp(`${name}\\.train: X\\[3\\]\\[1\\] \\(row 3, column 1\\) is NaN; features must be finite numbers`)],
      [infX, y, /X\[7\]\[4\] \(row 7, column 4\) is -Infinity/],
      [strX, y, /X\[2\]\[0\] \(row 2, column 0\) is "0\.5"/],
      [ragged, y, /X row 5 has 4 features, row 0 has 5/],
      [X, nanY, new RegExp(`${name}\\.train: y\\[2\\] is NaN; values must be finite numbers`)],
      [X, infY, /y\[9\] is Infinity/],
      [X, y.slice(1), new RegExp(`${name}\\.train: X has 30 rows but y has 29 values`)],
      [X.slice(1), y, /X has 29 rows but y has 30 values/],
      [[], [], /X has no rows/],
      [X.map(() => []), y, /X rows have no features/],
    ];
    for (const [Xb, yb, message] of bad) assert.throws(() => make().train(Xb, yb), message, `${name}: ${message}`);
  }
});

test("predict refuses a wrong feature count (expected and actual named), non-finite inputs and an untrained model", () => {
  for (const [name, make] of models) {
    assert.throws(() => make().predict([X[0]]), new RegExp(`${name}\\.predict: model is not trained`));
    const m = make();
    m.train(X, y);
    assert.throws(() => m.predict([X[0].slice(0, 3)]), new RegExp(`${name}\\.predict: X row 0 has 3 features, expected 5 \\(the number the model was trained on\\)`));
    assert.throws(() => m.predict([X[0], [...X[1], 0]]), /X row 1 has 6 features, expected 5/);
    assert.throws(() => m.predict([[0.1, NaN, 0.2, 0.3, 0.4]]), new RegExp(`${name}\\.predict: X\\[0\\]\\[1\\] \\(row 0, column 1\\) is NaN`));
    assert.throws(() => m.predict([[0.1, 0.2, Infinity, 0.3, 0.4]]), /X\[0\]\[2\] \(row 0, column 2\) is Infinity/);
    // good input still works
    const p = m.predict(X);
    assert.equal(p.length, 30);
    assert.ok(p.every(Number.isFinite));
    assert.ok(r2Score(y, p) > 0.5, `${name}: R² ${r2Score(y, p)}`);
    assert.deepEqual(m.predict([]), []);
  }
});

test("regressor options are checked when the model is made", () => {
  const bad: Array<[() => unknown, RegExp]> = [
    [() => new RandomForestRegressor({ nEstimators: Infinity }), /RandomForestRegressor: nEstimators must be a finite integer ≥ 1, got Infinity/],
    [() => new RandomForestRegressor({ nEstimators: 2.5 }), /nEstimators must be a finite integer ≥ 1, got 2\.5/],
    [() => new RandomForestRegressor({ maxDepth: 0 }), /RandomForestRegressor: maxDepth must be a positive integer or Infinity \(no limit\), got 0/],
    [() => new RandomForestRegressor({ seed: 0.5 }), /RandomForestRegressor: seed must be a safe integer, got 0\.5/],
    [() => new RandomForestRegressor({ bootstrap: "no" as unknown as boolean }), /bootstrap must be true or false, got "no"/],
    [() => new AdaBoostRegressor({ learningRate: 0 }), /AdaBoostRegressor: learningRate must be a finite number > 0, got 0/],
    [() => new AdaBoostRegressor({ learningRate: NaN }), /learningRate must be a finite number > 0, got NaN/],
    [() => new AdaBoostRegressor({ nEstimators: 0 }), /AdaBoostRegressor: nEstimators must be a finite integer ≥ 1, got 0/],
    [() => new BayesianRidge({ maxIterations: 0 }), /BayesianRidge: maxIterations must be a finite integer ≥ 1, got 0/],
    [() => new BayesianRidge({ tol: NaN }), /BayesianRidge: tol must be a finite number ≥ 0, got NaN/],
    [() => new BayesianRidge({ alpha1: -1 }), /BayesianRidge: alpha1 must be a finite number ≥ 0, got -1/],
    [() => new RegressionTree({ minSamplesSplit: 2.5 }), /RegressionTree: minSamplesSplit must be a finite integer ≥ 2, got 2\.5/],
    [() => new RegressionTree().train(X, y, new Float64Array(30).fill(-1)), /RegressionTree\.train: sampleWeight\[0\] is -1; weights must be ≥ 0/],
    [() => new RegressionTree().train(X, y, new Float64Array(29).fill(1)), /RegressionTree\.train: X has 30 rows but sampleWeight has 29 values/],
  ];
  for (const [fn, message] of bad) assert.throws(fn, message);
  // a reloaded forest keeps "no depth limit" (JSON writes Infinity as null)
  const f = new RandomForestRegressor({ nEstimators: 2, seed: 3 });
  f.train(X, y);
  const reloaded = RandomForestRegressor.load(JSON.parse(JSON.stringify(f.toJSON())));
  assert.equal(reloaded.options.maxDepth, Infinity);
  assert.deepEqual(reloaded.predict(X), f.predict(X));
});

test("scaler, scores and statistics refuse non-finite values and mismatched lengths", () => {
  const nanX = clone(X); nanX[4][2] = NaN;
  const bad: Array<[() => unknown, RegExp]> = [
    [() => new MinMaxScaler().train(nanX), /MinMaxScaler\.train: X\[4\]\[2\] \(row 4, column 2\) is NaN/],
    [() => new MinMaxScaler().train([]), /MinMaxScaler\.train: X has no rows/],
    [() => new MinMaxScaler().train(X).transform([[1, 2]]), /MinMaxScaler\.transform: X row 0 has 2 features, expected 5/],
    [() => new MinMaxScaler().train(X).transform(nanX), /MinMaxScaler\.transform: X\[4\]\[2\] \(row 4, column 2\) is NaN/],
    [() => new MinMaxScaler().transform(X), /MinMaxScaler\.transform: model is not trained/],
    [() => r2Score([1, 2, NaN], [1, 2, 3]), /r2Score: yTrue\[2\] is NaN/],
    [() => r2Score([1, 2, 3], [1, Infinity, 3]), /r2Score: yPred\[1\] is Infinity/],
    [() => r2Score([1, 2, 3], [1, 2]), /r2Score: 3 true values but 2 predictions/],
    [() => pearson([1, 2, NaN, 4], [1, 2, 3, 4]), /pearson: x\[2\] is NaN/],
    [() => pearson([1, 2, 3, 4], [1, 2, 3]), /pearson: x has 4 values but y has 3/],
    [() => pearson([1, 2, 3, 4], [1, 2, 3, 5], 1.5), /pearson: confidence must be in \(0, 1\), got 1\.5/],
    [() => meanOf([]), /meanOf: values is empty/],
    [() => stdOf([1, NaN]), /stdOf: values\[1\] is NaN/],
    [() => trainTestSplit(10.5, 0.1, 0), /trainTestSplit: n \(rows\) must be an integer ≥ 2, got 10\.5/],
    [() => trainTestSplit(10, 0.1, NaN), /trainTestSplit: seed must be a safe integer, got NaN/],
  ];
  for (const [fn, message] of bad) assert.throws(fn, message);
  assert.equal(meanOf([1, 2, 3]), 2);
  assert.equal(pearson([1, 2, 3, 4], [2, 4, 6, 8]).r, 1);
});

test("cross-validation, permutation importance and the CV table check their input before fitting anything", () => {
  let fitted = 0;
  const counting = (seed: number) => { fitted++; return new BayesianRidge(); };
  const nanY = y.slice(); nanY[11] = NaN;
  assert.throws(() => crossValidateR2(counting, X, y.slice(2)), /crossValidateR2: X has 30 rows but y has 28 values/);
  assert.throws(() => crossValidateR2(counting, X, nanY), /crossValidateR2: y\[11\] is NaN/);
  assert.throws(() => crossValidateR2(counting, X, y, { folds: 31 }), /repeatedKFold: folds must be an integer in \[2, 30\], got 31/);
  assert.equal(fitted, 0, "no model fitted");
  assert.ok(crossValidateR2(counting, X, y, { folds: 3, repeats: 1 }).mean > 0.9);
  assert.equal(fitted, 3);
  const model = new BayesianRidge();
  model.train(X, y);
  assert.throws(() => permutationImportance(model, X, y.slice(1)), /permutationImportance: X has 30 rows but y has 29 values/);
  assert.throws(() => permutationImportance(model, X, y, { nRepeats: 0 }), /permutationImportance: nRepeats must be a finite integer ≥ 1, got 0/);
  const table = parseResultsCsv(syntheticCsv(40), "own.csv");
  const cells: string[] = [];
  assert.throws(() => crossValidationTable(table, { regressors: ["BayesianRidge", "Lasso" as RegressorName], onCell: (r) => cells.push(r.regressor) }), /Unknown regressor "Lasso"/);
  assert.throws(() => crossValidationTable(table, { folds: 50, onCell: (r) => cells.push(r.regressor) }), /repeatedKFold: folds must be an integer in \[2, 20\], got 50/);
  assert.deepEqual(cells, [], "no cell computed before the error");
  assert.throws(() => regressorFactory("BayesianRidge", { BayesianRidge: { maxIterations: -1 } })(0), /BayesianRidge: maxIterations must be a finite integer ≥ 1, got -1/);
});

test("a corrupt CV cache cell is named, not a bare SyntaxError", () => {
  const table = parseResultsCsv(syntheticCsv(40), "own.csv");
  const cacheFile = join(dir, "cv.csv");
  const options = { folds: 2, repeats: 1, regressors: ["BayesianRidge"] as RegressorName[], featureSets: undefined, cacheFile };
  const first = crossValidationTable(table, options);
  assert.equal(first.length, 8);
  const store = cvCacheStoreFile(cacheFile, options);
  const text = readFileSync(store, "utf8");
  editStoreTask(store, 1, (rows) => { rows[0].scores = "[0.5,"; });
  assert.throws(() => crossValidationTable(table, options), new RegExp(`CV cache ${escape(store)}, cell LSTM/all/BayesianRidge, column "scores": invalid JSON`));
  writeFileSync(store, text);
  editStoreTask(store, 1, (rows) => { rows[0].scores = "[0.5]"; });
  assert.throws(() => crossValidationTable(table, options), /column "scores" must be a JSON array of 2 finite numbers \(delete the file to recompute\)/);
  writeFileSync(store, text);
  editStoreTask(store, 1, (rows) => { rows[0].mean = "0.5"; });
  assert.throws(() => crossValidationTable(table, options), /cell LSTM\/all\/BayesianRidge: column "mean" must be a finite number, got "0.5"/);
  // A line damaged by hand (checksum no longer matching) followed by good lines is corruption, named by the store.
  writeFileSync(store, text.replace(/"mean":(-?[0-9.e-]+)/, '"mean":0.5'));
  assert.throws(() => crossValidationTable(table, options), /line 2 is damaged/);
  writeFileSync(store, text);
  assert.deepEqual(crossValidationTable(table, options), first);
});
