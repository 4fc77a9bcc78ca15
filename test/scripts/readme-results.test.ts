/**
 * The README's closing section is generated from results/ (scripts/readme-results.ts):
 * the README and the results of record cannot disagree. The generator's small functions are
 * checked on made-up tables: every number from a table, and a missing row or value is an
 * error naming its file, never a "NaN" or "—" in the README.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  generateResultsSection, f, meanOf, only, sweepTimeClause, predictionProtocol, keptVariants, r2Cell, r2Table, meanCvR2, leftOutText,
  splitSeedRange, testSetSize, splitSeedSentence, sparsityAccuracyTable, unitsText, ceilingTable, familyTable, recordsTable, type PredictionOfRecord,
} from "../../scripts/readme-results";
import type { AccuracyPoint } from "../../src/experiments/sparsity-findings";
import type { CeilingRow, FamilyAccuracy } from "../../src/experiments/structure-study-analysis";
import { predictionSettings, type PredictionTables } from "../../src/experiments/prediction";
import { REGRESSOR_NAMES, type RegressorName } from "../../src/predict";

const README = path.join(__dirname, "..", "..", "README.md");

test("README.md's results section is what results/ gives (run `npm run readme` after promoting a record)", () => {
  const readme = fs.readFileSync(README, "utf8");
  const section = generateResultsSection();
  assert.ok(section.length > 2000, "the generated section has content");
  assert.doesNotMatch(section, /NaN|undefined|Infinity|—/, "the generated section prints only numbers");
  for (const part of ["**Performance prediction**", "**Sparse training beyond pruning**", "**Structure beyond the thesis**"]) {
    assert.ok(section.includes(part), `the generated section holds ${part}`);
  }
  assert.ok(readme.includes(section), "README.md's results section differs from results/: run `npm run readme`");
});

test("README.md: speed is a hand-written section before the generated one, not a result of record", () => {
  const readme = fs.readFileSync(README, "utf8");
  const speed = readme.indexOf("\n## Speed\n"), begin = readme.indexOf("<!-- results:begin"), end = readme.indexOf("<!-- results:end -->");
  assert.ok(speed >= 0 && begin > speed && end > begin, "## Speed precedes the results markers");
  const generated = readme.slice(begin, end);
  for (const part of ["**Engine speed**", "**Sparse execution**"]) {
    assert.ok(readme.slice(speed, begin).includes(part), `${part} is in ## Speed`);
    assert.ok(!generated.includes(part), `${part} is not between the markers`);
  }
});

test("f and meanOf fail instead of printing NaN", () => {
  assert.equal(f(0.12345), "0.123");
  assert.equal(f(-0.5, 2), "-0.50");
  assert.throws(() => f(NaN, 3, "results/x.csv: mean"), /results\/x\.csv: mean is NaN/);
  assert.throws(() => f(Infinity), /not a finite number/);
  assert.equal(meanOf([1, 2, 3], "x"), 2);
  assert.throws(() => meanOf([], "results/structure/sweep.csv: test_acc of GRU"), /results\/structure\/sweep\.csv: test_acc of GRU: no values/);
  assert.equal(only([7], "a.csv", "k"), 7);
  assert.throws(() => only([], "a.csv", "GRU"), /a\.csv: no row for GRU/);
  assert.throws(() => only([1, 2], "a.csv", "GRU"), /a\.csv: 2 rows for GRU/);
});

test("the sweep's time clause is left out when PROVENANCE.jobSeconds has no sweep", () => {
  assert.equal(sweepTimeClause({}), "");
  assert.equal(sweepTimeClause({ pruning: 60 }), "");
  assert.equal(sweepTimeClause({ sweep: 5580 }), ", 93 min of the record's two lanes");
});

/** Made-up tables: RNN_TANH (30 models) and GRU (200) kept, LSTM (5) left out. */
function made(): PredictionOfRecord {
  const settings = predictionSettings("thesis");
  const variants = [
    { variant: "GRU", models: 200, kept: true, accMean: 0.9, accStd: 0.1, accMin: 0.5, accMax: 1 },
    { variant: "LSTM", models: 5, kept: false, accMean: 0.9, accStd: 0.1, accMin: 0.5, accMax: 1 },
    { variant: "RNN_TANH", models: 30, kept: true, accMean: 0.8, accStd: 0.1, accMin: 0.5, accMax: 1 },
  ];
  const kept = ["RNN_TANH", "GRU"];
  const value = (v: string, r: RegressorName, k: number) => (kept.indexOf(v) + 1) / 10 + REGRESSOR_NAMES.indexOf(r) / 100 + k / 1000;
  const tables: PredictionTables = {
    settings, variants, correlations: [],
    split: kept.flatMap((v) => REGRESSOR_NAMES.map((r) => ({ variant: v, regressor: r, featureSet: "all", r2: value(v, r, 1), thesisR2: value(v, r, 2) }))),
    splitSeeds: kept.flatMap((v) => [0, 1, 2].map((seed) => ({
      variant: v, splitSeed: seed, r2: Object.fromEntries(REGRESSOR_NAMES.map((r) => [r, seed === 1 ? -0.25 : value(v, r, seed)])) as Record<RegressorName, number>,
    }))),
    cv: kept.flatMap((v) => REGRESSOR_NAMES.flatMap((r) => ["all", "nodes_edges"].map((fs) => ({
      variant: v, regressor: r, featureSet: fs, mean: fs === "all" ? value(v, r, 3) : 9, std: 0.05, scores: [], folds: settings.folds, repeats: settings.repeats,
    })))),
  };
  return { where: "results/prediction/made", tables };
}

test("prediction: the protocol, the variants and every R² cell come from the tables", () => {
  const p = made();
  assert.equal(predictionProtocol(p.tables.settings),
    "R² with all properties: the thesis's published / ours on one seeded 90/10 split (split seed 0) / ours 10×5-fold cross-validated mean ± std");
  assert.deepEqual(keptVariants(p), ["RNN_TANH", "GRU"], "kept variants in CELL_MODES order");
  assert.equal(leftOutText(p), " (left out, fewer than 20 models: LSTM (5))");
  assert.equal(r2Cell(p, "GRU", "RandomForestRegressor"), "0.21 / 0.21 / 0.21 ± 0.05");
  const lines = r2Table(p).split("\n");
  assert.equal(lines[0], "|  | Bayesian ridge | random forest | AdaBoost |");
  assert.equal(lines.length, 4);
  assert.match(lines[2], /^\| RNN_TANH \| 0\.10 \/ 0\.10 \/ 0\.10 ± 0\.05 \|/);
  const cv = meanCvR2(p);
  assert.equal(cv.cells, 6, "feature set all only");
  assert.ok(Math.abs(cv.mean - 0.978 / 6) < 1e-12, "the mean of the six cells' CV means");
});

test("prediction: a missing row or published R² is an error naming the file", () => {
  const p = made();
  p.tables.cv = p.tables.cv.filter((c) => !(c.variant === "GRU" && c.regressor === "AdaBoostRegressor" && c.featureSet === "all"));
  assert.throws(() => r2Cell(p, "GRU", "AdaBoostRegressor"), /results\/prediction\/made\/cv\.csv: no row for GRU, AdaBoostRegressor, feature set all/);
  const q = made();
  q.tables.split[0].thesisR2 = null;
  assert.throws(() => r2Table(q), /results\/prediction\/made\/split\.csv: RNN_TANH, BayesianRidge, feature set all has no thesis_r2/);
  const r = made();
  r.tables.variants = r.tables.variants.map((v) => ({ ...v, kept: false }));
  assert.throws(() => keptVariants(r), /results\/prediction\/made\/variants\.csv: no variant/);
});

test("prediction: the split seeds' range and the test set size", () => {
  const p = made();
  const range = splitSeedRange(p.tables.splitSeeds, "GRU", "RandomForestRegressor", "s.csv");
  assert.equal(range.seeds, 3);
  assert.equal(range.min, -0.25);
  assert.ok(Math.abs(range.max - 0.212) < 1e-12);
  assert.throws(() => splitSeedRange(p.tables.splitSeeds, "LSTM", "RandomForestRegressor", "s.csv"), /s\.csv: no rows for LSTM/);
  assert.equal(testSetSize(p, "GRU"), 20);
  const sentence = splitSeedSentence(p, p);
  assert.match(sentence, /a 90\/10 split of GRU's 200 models tests on 20 of them: over 3 split seeds/);
  assert.match(sentence, /ranges from -0\.25 to 0\.21 on the thesis's tables/);
  assert.match(sentence, /a mean over 50 folds/);
});

/** Made-up accuracy points: GRU on both tasks, the dense reference and two methods at 10 % and 2 %. */
function points(): AccuracyPoint[] {
  const point = (task: "reber" | "embedded", method: AccuracyPoint["method"], density: number, mean: number): AccuracyPoint =>
    ({ variant: "GRU", task, method, role: method === "dense" ? "dense" : "method", density, keptFraction: density, mean, std: 0.01, n: 5 });
  return (["reber", "embedded"] as const).flatMap((task, t) => [
    point(task, "dense", 1, 0.99 - t / 10),
    ...(["set", "rigl"] as const).flatMap((method, m) => [0.5, 0.1, 0.02].map((d) => point(task, method, d, 0.9 - t / 10 - m / 100 - d / 1000))),
  ]);
}

test("sparse training: one row per method, a column per task and variant, the two densities from the points", () => {
  const lines = sparsityAccuracyTable(points(), [0.1, 0.02], "c.csv").split("\n");
  assert.equal(lines[0], "|  | Reber, GRU | embedded, GRU |");
  assert.equal(lines.length, 5, "header, rule, dense, set, rigl");
  assert.equal(lines[2], "| `dense` | 0.990 | 0.890 |");
  assert.equal(lines[4], "| `rigl` | 0.890 / 0.890 | 0.790 / 0.790 |");
  assert.equal(lines[3], "| `set` | 0.900 / 0.900 | 0.800 / 0.800 |");
  assert.throws(() => sparsityAccuracyTable(points(), [0.05], "results/sparsity/comparison.csv"),
    /results\/sparsity\/comparison\.csv: no row for GRU on reber, set at density 0\.05/);
  assert.equal(unitsText([32, 32]), "2 layers of 32 units");
  assert.equal(unitsText([8]), "1 layer of 8 units");
  assert.equal(unitsText([32, 16]), "layers of 32 + 16 units");
});

test("structure beyond: the ceilings and the family means as tables; none is an error naming the file", () => {
  const interval = (estimate: number) => ({ estimate, low: estimate - 0.05, high: estimate + 0.04 });
  const ceilings: CeilingRow[] = [{ part: "ceiling", mode: "GRU", mapping: "layered", graphs: 40, seeds: 5, singleRun: interval(0.6), seedMean: interval(0.88), betweenSd: 0.0412, withinSd: 0.0301 }];
  const lines = ceilingTable(ceilings, "s.csv").split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "| ceiling · GRU · layered | 40 × 5 | 0.60 [0.55, 0.64] | 0.88 [0.83, 0.92] | 0.041 | 0.030 |");
  assert.throws(() => ceilingTable([], "results/structure-beyond/study.csv"), /results\/structure-beyond\/study\.csv: no cell has two or more seeds/);
  const family = (mapping: string, name: string, p: number | null, mean: number): FamilyAccuracy => ({ mode: "GRU", mapping, family: name, p, graphs: 4, mean, se: 0.01 });
  const families = [family("layered", "WS p=0", 0, 0.9), family("layered", "BA", null, 0.8), family("recurrent", "WS p=0", 0, 0.7), family("recurrent", "BA", null, 0.6)];
  const rows = familyTable(families, "s.csv").split("\n");
  assert.deepEqual(rows, ["|  | WS p=0 | BA |", "| --- | --- | --- |", "| GRU · layered | 0.900 | 0.800 |", "| GRU · recurrent | 0.700 | 0.600 |"]);
  assert.throws(() => familyTable(families.slice(0, 3), "s.csv"), /s\.csv: no row for GRU · recurrent, BA/);
  assert.throws(() => familyTable([], "s.csv"), /s\.csv: no small-world rows/);
});

test("records as a table: the first record's keys as the header, numbers to 3 decimals (integers as they are)", () => {
  assert.deepEqual(recordsTable([{ cell: "GRU · layered", graphs: 32, mean: 0.91234 }, { cell: "GRU · recurrent", graphs: 30, mean: 0.5 }], "s.csv").split("\n"),
    ["| cell | graphs | mean |", "| --- | --- | --- |", "| GRU · layered | 32 | 0.912 |", "| GRU · recurrent | 30 | 0.500 |"]);
  assert.throws(() => recordsTable([{ mean: NaN }], "s.csv"), /s\.csv: mean is NaN/);
  assert.throws(() => recordsTable([], "s.csv"), /s\.csv: no rows/);
});
