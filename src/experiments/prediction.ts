/**
 * The performance-prediction experiment (thesis §5.4 / §6.4, notebook 05) as a typed protocol:
 * from a results table in the structure schema (one row per random-structure model: its graph's
 * properties and its test accuracy), per RNN variant
 *
 * - the Pearson correlation of every property with test accuracy;
 * - the thesis's single split: one seeded 90/10 split, Bayesian ridge / random forest / AdaBoost on all
 *   properties, R² on the held-out models, model and permutation importances;
 * - the same split under other seeds (0 … splitSeeds − 1), to show how much one split's R² moves;
 * - repeated k-fold cross-validated R² for every regressor × feature set.
 *
 * Settings are checked whole before any work (`checkPredictionSettings`). The cross-validation, by far
 * the longest part, keeps its finished cells in a result store under `cacheDir` named by the identity of
 * the CV settings (see `crossValidationTable` in src/predict/pipeline.ts), so a rerun refits nothing.
 *
 * `writePredictionTables` writes the results as plain CSV (the tables of record, one folder per input
 * table), `readPredictionTables` reads them back with every value checked, and `recordPredictionTables`
 * runs the thesis profile on this project's own sweep and on the thesis's published tables.
 */
import * as fs from "fs";
import * as path from "path";
import { formatCsv, parseCsv } from "../core/csv";
import { ResultStore, writeAtomically } from "../core/result-store";
import { parseJson } from "../core/json";
import { checkSettings, integer, list, number, object, oneOf, optional, type Rule } from "../core/settings";
import {
  FEATURE_SETS, PROPERTY_COLUMNS, REGRESSOR_NAMES, correlationTable, crossValidationTable, cvCacheStoreFile, evaluateSplit, featureSet,
  loadR2Table, loadResultsFiles, variantsWithAtLeast, meanOf, stdOf,
  type AdaBoostOptions, type BayesianRidgeOptions, type CvRow, type Property, type PropertyCorrelation, type RandomForestOptions,
  type RegressorName, type ResultsTable, type SplitResult,
} from "../predict";
import { parseDecimal } from "../predict/checks";
import { thesisStructureTableFiles } from "../thesis";
import { byProfile, type ProfileName } from "./profile";

/** Every regressor's settings (scikit-learn 1.2's defaults in both profiles). */
export interface PredictionRegressorSettings {
  BayesianRidge: BayesianRidgeOptions;
  RandomForestRegressor: Omit<RandomForestOptions, "seed">;
  AdaBoostRegressor: Omit<AdaBoostOptions, "seed">;
}

export interface PredictionSettings {
  /** fraction of a variant's models held out in the single split (thesis 0.1: a 90/10 split) */
  testFraction: number;
  /** seed of the single split */
  splitSeed: number;
  /** seed of the regressors (forest bootstraps, AdaBoost resampling) and of the permutation importances */
  modelSeed: number;
  /** how many split seeds (0, 1, …, splitSeeds − 1) the spread of the single split's R² is measured over */
  splitSeeds: number;
  /** k of the repeated k-fold cross-validation */
  folds: number;
  /** repeats of the k-fold cross-validation (each reshuffles) */
  repeats: number;
  /** seed of the cross-validation's shuffles */
  cvSeed: number;
  /** shuffles per feature of the permutation importance (single split) */
  permutationRepeats: number;
  regressors: PredictionRegressorSettings;
  /** variants with fewer models are left out (a split and k-fold CV need enough rows) */
  minModelsPerVariant: number;
  /** the cross-validation's feature sets, by name (FEATURE_SETS); the single split uses all properties, as the thesis */
  featureSets: string[];
}

/** scikit-learn 1.2's defaults, as the thesis used them (notebook 05's `regressorSettings`). */
const SKLEARN_REGRESSORS: PredictionRegressorSettings = {
  BayesianRidge: { maxIterations: 300, tol: 1e-3, alpha1: 1e-6, alpha2: 1e-6, lambda1: 1e-6, lambda2: 1e-6 },
  RandomForestRegressor: { nEstimators: 100, maxDepth: Infinity, minSamplesSplit: 2 },
  AdaBoostRegressor: { nEstimators: 50, learningRate: 1, loss: "linear", maxDepth: 3 },
};

/** The profiles: `quick` as notebook 05's quick run, `thesis` the thesis's protocol with 20 split seeds and 10 × 5-fold CV. */
export const PREDICTION_PROFILES: Readonly<Record<ProfileName, PredictionSettings>> = {
  quick: {
    testFraction: 0.1, splitSeed: 0, modelSeed: 0, splitSeeds: 5, folds: 5, repeats: 2, cvSeed: 0, permutationRepeats: 10,
    regressors: SKLEARN_REGRESSORS, minModelsPerVariant: 12, featureSets: FEATURE_SETS.map((s) => s.name),
  },
  thesis: {
    testFraction: 0.1, splitSeed: 0, modelSeed: 0, splitSeeds: 20, folds: 5, repeats: 10, cvSeed: 0, permutationRepeats: 10,
    regressors: SKLEARN_REGRESSORS, minModelsPerVariant: 20, featureSets: FEATURE_SETS.map((s) => s.name),
  },
};

/** A profile's settings (a deep copy: editing it leaves the table alone). */
export function predictionSettings(profile: ProfileName): PredictionSettings {
  const s = byProfile(PREDICTION_PROFILES, profile);
  if (!s) throw new Error(`predictionSettings: unknown profile ${JSON.stringify(profile)}; expected one of ${Object.keys(PREDICTION_PROFILES).join(", ")}`);
  return {
    ...s, featureSets: [...s.featureSets],
    regressors: {
      BayesianRidge: { ...s.regressors.BayesianRidge },
      RandomForestRegressor: { ...s.regressors.RandomForestRegressor },
      AdaBoostRegressor: { ...s.regressors.AdaBoostRegressor },
    },
  };
}

const boolean = oneOf([true, false]);
/** A tree depth limit: a positive integer, or Infinity for none. */
const depth: Rule = {
  check: (value, at) => (value === Infinity || (typeof value === "number" && Number.isInteger(value) && value >= 1)
    ? undefined : `${at} must be a positive integer or Infinity (no limit), got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`),
};
const seed = integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const SETTINGS_SCHEMA = {
  testFraction: number({ above: 0, below: 1 }),
  splitSeed: seed,
  modelSeed: seed,
  splitSeeds: integer({ min: 1, max: 10_000 }),
  folds: integer({ min: 2, max: 10_000 }),
  repeats: integer({ min: 1, max: 10_000 }),
  cvSeed: seed,
  permutationRepeats: integer({ min: 1, max: 10_000 }),
  regressors: object({
    BayesianRidge: object({
      maxIterations: optional(integer({ min: 1, max: 1_000_000 })),
      tol: optional(number({ min: 0 })),
      alpha1: optional(number({ min: 0 })),
      alpha2: optional(number({ min: 0 })),
      lambda1: optional(number({ min: 0 })),
      lambda2: optional(number({ min: 0 })),
      fitIntercept: optional(boolean),
    }),
    RandomForestRegressor: object({
      nEstimators: optional(integer({ min: 1, max: 100_000 })),
      bootstrap: optional(boolean),
      maxDepth: optional(depth),
      minSamplesSplit: optional(integer({ min: 2 })),
    }),
    AdaBoostRegressor: object({
      nEstimators: optional(integer({ min: 1, max: 100_000 })),
      learningRate: optional(number({ above: 0 })),
      loss: optional(oneOf(["linear", "square", "exponential"] as const)),
      maxDepth: optional(depth),
    }),
  }),
  minModelsPerVariant: integer({ min: 4, max: 10_000_000 }),
  featureSets: list(oneOf(FEATURE_SETS.map((s) => s.name)), { minLength: 1, unique: true }),
};

/**
 * Check a whole settings object before any work: unknown keys (with the nearest valid one), missing keys,
 * types and ranges; then that `minModelsPerVariant` models are enough for every part — a single split
 * with ≥ 2 test and ≥ 2 training models, and k folds of ≥ 2 models each (an R² needs two values).
 * `where` names the settings and their source (e.g. "notebook 05 parameters").
 */
export function checkPredictionSettings(settings: PredictionSettings, where = "PredictionSettings"): void {
  checkSettings(settings, SETTINGS_SCHEMA, where);
  const m = settings.minModelsPerVariant;
  const nTest = Math.ceil(settings.testFraction * m);
  if (nTest < 2 || m - nTest < 2) {
    throw new Error(`${where}: with testFraction ${settings.testFraction}, a variant of minModelsPerVariant = ${m} models splits into ${m - nTest} training and ${nTest} test models; ` +
      "both need at least 2 (raise minModelsPerVariant or change testFraction)");
  }
  if (m < 2 * settings.folds) {
    throw new Error(`${where}: ${settings.folds}-fold cross-validation needs at least 2 models per fold, so minModelsPerVariant must be ≥ ${2 * settings.folds}, got ${m}`);
  }
}

/** Test accuracy per variant of the input table (every variant, also the ones left out). */
export interface VariantSummary {
  variant: string;
  models: number;
  /** false: fewer than minModelsPerVariant models, left out of every analysis */
  kept: boolean;
  accMean: number;
  /** population standard deviation */
  accStd: number;
  accMin: number;
  accMax: number;
}

/** The single split's R² under one split seed, per regressor. */
export interface SplitSeedRow {
  variant: string;
  splitSeed: number;
  r2: Record<RegressorName, number>;
}

export interface PredictionResults {
  settings: PredictionSettings;
  /** the table the analyses ran on: the variants with ≥ minModelsPerVariant models */
  table: ResultsTable;
  variants: VariantSummary[];
  /** variant × property, in the table's variant order and PROPERTY_COLUMNS order */
  correlations: PropertyCorrelation[];
  /** the single split on all properties, variant × regressor (REGRESSOR_NAMES order) */
  split: SplitResult[];
  /** variant × split seed */
  splitSeeds: SplitSeedRow[];
  /** variant × feature set × regressor (crossValidationTable's order) */
  cv: CvRow[];
  /** the CV cache used (when cacheDir was given): its file, cells fitted now and cells read from it */
  cache?: { file: string; computed: number; reused: number };
  /** wall-clock seconds per part */
  seconds: { correlations: number; split: number; splitSeeds: number; cv: number; total: number };
}

export interface PredictionRunOptions {
  /** folder of the CV cache (a result store per CV identity, `cv.<hash>.jsonl`); omit to always refit */
  cacheDir?: string;
  /** a CV cell is done (`cached`: read from the cache); done counts from 1 to total */
  onCell?: (row: CvRow, info: { cached: boolean; done: number; total: number }) => void;
  /** a split seed of a variant is done (all regressors) */
  onSplitSeed?: (row: SplitSeedRow, info: { done: number; total: number }) => void;
  /** names the settings in errors (default "PredictionSettings") */
  where?: string;
}

/** Test accuracy per variant: models, mean, population std, min, max; `kept` against minModels. */
export function variantSummaries(table: ResultsTable, minModels: number): VariantSummary[] {
  return table.variants.map((variant) => {
    const acc = table.rows.filter((r) => r.mode === variant).map((r) => r.test_acc);
    return {
      variant, models: acc.length, kept: acc.length >= minModels,
      accMean: meanOf(acc), accStd: stdOf(acc), accMin: Math.min(...acc), accMax: Math.max(...acc),
    };
  });
}

function checkTable(table: ResultsTable, where: string): void {
  if (!table || typeof table !== "object" || !Array.isArray(table.rows) || !Array.isArray(table.variants)) {
    throw new Error(`${where}: expected a results table (loadResultsFiles / parseResultsCsv), got ${table === null ? "null" : typeof table}`);
  }
}

/**
 * Run the whole protocol on `table`: every part notebook 05 shows. Settings and table are checked
 * before any model is fitted; variants with fewer than minModelsPerVariant models are left out (listed
 * in `variants` with kept = false), and none left is an error.
 */
export function runPrediction(table: ResultsTable, settings: PredictionSettings, options: PredictionRunOptions = {}): PredictionResults {
  const where = options.where ?? "PredictionSettings";
  checkPredictionSettings(settings, where);
  checkTable(table, "runPrediction");
  const variants = variantSummaries(table, settings.minModelsPerVariant);
  const kept = variantsWithAtLeast(table, settings.minModelsPerVariant).table;
  if (kept.variants.length === 0) {
    throw new Error(`runPrediction: no variant of ${table.sources.join(", ") || "the table"} has minModelsPerVariant = ${settings.minModelsPerVariant} or more models ` +
      `(${variants.map((v) => `${v.variant}: ${v.models}`).join(", ") || "no rows"})`);
  }
  const featureSets = settings.featureSets.map((name) => featureSet(name));
  const all = featureSet("all");
  const cvOptions = { folds: settings.folds, repeats: settings.repeats, seed: settings.cvSeed, settings: settings.regressors };
  const cacheFile = options.cacheDir === undefined ? undefined : path.join(options.cacheDir, "cv.jsonl");
  const storeFile = cacheFile === undefined ? undefined : cvCacheStoreFile(cacheFile, cvOptions);
  // a damaged cache is an error now, not after the splits
  if (storeFile !== undefined && fs.existsSync(storeFile)) ResultStore.read(storeFile);
  const start = Date.now();
  const seconds = { correlations: 0, split: 0, splitSeeds: 0, cv: 0, total: 0 };
  const timed = <T>(part: keyof typeof seconds, run: () => T): T => {
    const t0 = Date.now();
    try {
      return run();
    } finally {
      seconds[part] = (Date.now() - t0) / 1000;
    }
  };

  const correlations = timed("correlations", () => correlationTable(kept));
  const splitOptions = {
    testFraction: settings.testFraction, splitSeed: settings.splitSeed, modelSeed: settings.modelSeed,
    permutationRepeats: settings.permutationRepeats, settings: settings.regressors,
  };
  const split = timed("split", () => kept.variants.flatMap((variant) =>
    REGRESSOR_NAMES.map((regressor) => evaluateSplit(kept, variant, regressor, all, splitOptions))));

  const seedTotal = kept.variants.length * settings.splitSeeds;
  let seedsDone = 0;
  const splitSeeds = timed("splitSeeds", () => kept.variants.flatMap((variant) =>
    Array.from({ length: settings.splitSeeds }, (_, splitSeed): SplitSeedRow => {
      const r2 = {} as Record<RegressorName, number>;
      for (const regressor of REGRESSOR_NAMES) {
        r2[regressor] = evaluateSplit(kept, variant, regressor, all, { ...splitOptions, splitSeed, permutationRepeats: 1 }).r2;
      }
      const row = { variant, splitSeed, r2 };
      options.onSplitSeed?.(row, { done: ++seedsDone, total: seedTotal });
      return row;
    })));

  const cvTotal = kept.variants.length * featureSets.length * REGRESSOR_NAMES.length;
  let cellsDone = 0, reused = 0;
  const cv = timed("cv", () => crossValidationTable(kept, {
    ...cvOptions, featureSets, regressors: REGRESSOR_NAMES, cacheFile,
    onCell: (row, info) => {
      if (info.cached) reused++;
      options.onCell?.(row, { cached: info.cached, done: ++cellsDone, total: cvTotal });
    },
  }));
  seconds.total = (Date.now() - start) / 1000;
  return {
    settings: structuredClone(settings), table: kept, variants, correlations, split, splitSeeds, cv, seconds,
    ...(storeFile ? { cache: { file: storeFile, computed: cv.length - reused, reused } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Tables of record

/** The single split's R² of one variant × regressor, beside the thesis's published R² (null where it has none). */
export interface SplitTableRow {
  variant: string;
  regressor: RegressorName;
  featureSet: string;
  r2: number;
  thesisR2: number | null;
}

/** A CV cell as the tables hold it: CvRow plus the folds and repeats its scores come from. */
export interface CvTableRow extends CvRow {
  folds: number;
  repeats: number;
}

/** What the tables of record hold; `readPredictionTables` returns it, `predictionTables` makes it from results. */
export interface PredictionTables {
  settings: PredictionSettings;
  variants: VariantSummary[];
  correlations: PropertyCorrelation[];
  split: SplitTableRow[];
  splitSeeds: SplitSeedRow[];
  cv: CvTableRow[];
}

/** The files of a tables folder, in the order they are written. */
export const PREDICTION_TABLE_FILES = ["settings.json", "variants.csv", "correlations.csv", "split.csv", "split-seeds.csv", "cv.csv", "cv-scores.csv"] as const;

const COLUMNS = {
  "variants.csv": ["variant", "models", "kept", "acc_mean", "acc_std", "acc_min", "acc_max"],
  "correlations.csv": ["variant", "property", "r", "p", "ci_low", "ci_high", "n"],
  "split.csv": ["variant", "regressor", "feature_set", "r2", "thesis_r2"],
  "split-seeds.csv": ["variant", "split_seed", ...REGRESSOR_NAMES],
  "cv.csv": ["variant", "regressor", "feature_set", "mean", "std", "folds", "repeats"],
  "cv-scores.csv": ["variant", "regressor", "feature_set", "repeat", "fold", "r2"],
} as const;

type Thesis = Readonly<Record<string, Partial<Record<RegressorName, number>>>>;

/** The tables of record of a run: the results without the fitted models and predictions. */
export function predictionTables(results: PredictionResults, thesisR2: Thesis = loadR2Table()): PredictionTables {
  const { folds, repeats } = results.settings;
  return {
    settings: results.settings,
    variants: results.variants.map((v) => ({ ...v })),
    correlations: results.correlations.map(({ variant, property, r, pValue, ci, n }) => ({ variant, property, r, pValue, ci: [ci[0], ci[1]], n })),
    split: results.split.map((s) => ({ variant: s.variant, regressor: s.regressor, featureSet: s.featureSet, r2: s.r2, thesisR2: s.featureSet === "all" ? thesisR2[s.variant]?.[s.regressor] ?? null : null })),
    splitSeeds: results.splitSeeds.map((s) => ({ variant: s.variant, splitSeed: s.splitSeed, r2: { ...s.r2 } })),
    cv: results.cv.map((c) => ({ variant: c.variant, regressor: c.regressor, featureSet: c.featureSet, mean: c.mean, std: c.std, scores: [...c.scores], folds, repeats })),
  };
}

/** A number as the CSV holds it: shortest round-trip decimal; NaN as an empty cell; −0 kept. */
function cell(value: number): string {
  if (Number.isNaN(value)) return "";
  return Object.is(value, -0) ? "-0" : String(value);
}

function csvText(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return formatCsv([columns, ...rows.map((r) => r.map((v) => (typeof v === "number" ? cell(v) : v)))]);
}

/** settings.json: Infinity (a depth limit) is written as the string "Infinity". */
function settingsText(settings: PredictionSettings): string {
  return JSON.stringify(settings, (_key, value) => (value === Infinity ? "Infinity" : value), 2) + "\n";
}

/**
 * Write the tables of record of a run into `dir` (created), each file atomically (whole or not at all):
 * settings.json, variants.csv, correlations.csv (variant, property, r, p, ci_low, ci_high, n; empty cells
 * for a constant property), split.csv (variant, regressor, feature_set, r2, thesis_r2 — the thesis's
 * published R², empty where it has none), split-seeds.csv (variant, split_seed, R² per regressor),
 * cv.csv (variant, regressor, feature_set, mean, std, folds, repeats) and cv-scores.csv (every fold's R²:
 * variant, regressor, feature_set, repeat, fold, r2). Numbers are written in full (they read back equal).
 * Returns the files written.
 */
export function writePredictionTables(results: PredictionResults | PredictionTables, dir: string, thesisR2?: Thesis): string[] {
  const t = "table" in results ? predictionTables(results, thesisR2) : results;
  const texts: Record<(typeof PREDICTION_TABLE_FILES)[number], string> = {
    "settings.json": settingsText(t.settings),
    "variants.csv": csvText(COLUMNS["variants.csv"], t.variants.map((v) => [v.variant, v.models, String(v.kept), v.accMean, v.accStd, v.accMin, v.accMax])),
    "correlations.csv": csvText(COLUMNS["correlations.csv"], t.correlations.map((c) => [c.variant, c.property, c.r, c.pValue, c.ci[0], c.ci[1], c.n])),
    "split.csv": csvText(COLUMNS["split.csv"], t.split.map((s) => [s.variant, s.regressor, s.featureSet, s.r2, s.thesisR2 === null ? "" : s.thesisR2])),
    "split-seeds.csv": csvText(COLUMNS["split-seeds.csv"], t.splitSeeds.map((s) => [s.variant, s.splitSeed, ...REGRESSOR_NAMES.map((r) => s.r2[r])])),
    "cv.csv": csvText(COLUMNS["cv.csv"], t.cv.map((c) => [c.variant, c.regressor, c.featureSet, c.mean, c.std, c.folds, c.repeats])),
    "cv-scores.csv": csvText(COLUMNS["cv-scores.csv"], t.cv.flatMap((c) => c.scores.map((r2, i) => [c.variant, c.regressor, c.featureSet, Math.floor(i / c.folds), i % c.folds, r2]))),
  };
  fs.mkdirSync(dir, { recursive: true });
  return PREDICTION_TABLE_FILES.map((name) => {
    const file = path.join(dir, name);
    writeAtomically(file, texts[name]);
    return file;
  });
}

/** One CSV of a tables folder: header checked, cells by column with file:line in every error. */
function readCsv(dir: string, name: keyof typeof COLUMNS): Array<{ at: string; get: (column: string) => string; num: (column: string, options?: { int?: boolean; empty?: "NaN" | "null" }) => number | null }> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`prediction tables ${dir}: cannot read ${name}: ${(e as Error).message} (writePredictionTables writes it)`);
  }
  const records = parseCsv(text, file);
  const expected = COLUMNS[name] as readonly string[];
  const header = records[0]?.fields ?? [];
  if (header.join(",") !== expected.join(",")) throw new Error(`${file}:1: header must be ${expected.join(",")}, got ${header.join(",") || "nothing"}`);
  return records.slice(1).map(({ fields: record, line }) => {
    const at = `${file}:${line}`;
    const get = (column: string): string => record[expected.indexOf(column)];
    const num = (column: string, o: { int?: boolean; empty?: "NaN" | "null" } = {}): number | null => {
      const raw = get(column);
      if (raw === "" && o.empty) return o.empty === "NaN" ? NaN : null;
      const value = parseDecimal(raw);
      if (value === undefined || (o.int && !Number.isInteger(value))) {
        throw new Error(`${at}: column "${column}" must be ${o.int ? "an integer" : "a finite number"}${o.empty ? " or empty" : ""}, got ${JSON.stringify(raw)}`);
      }
      return value;
    };
    return { at, get, num };
  });
}

function oneOfColumn<T extends string>(at: string, column: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${at}: column "${column}" must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  return value as T;
}

function nonEmpty(at: string, column: string, value: string): string {
  if (value.trim() === "") throw new Error(`${at}: column "${column}" is empty`);
  return value;
}

/**
 * Read a folder written by `writePredictionTables` back: every value parsed and checked (names, numbers,
 * R² ≤ 1, correlations in [−1, 1], p in [0, 1], the settings against their schema, every CV cell's
 * folds × repeats scores present once); errors name the file, the line and the column.
 */
export function readPredictionTables(dir: string): PredictionTables {
  const settingsFile = path.join(dir, "settings.json");
  let settingsRaw: string;
  try {
    settingsRaw = fs.readFileSync(settingsFile, "utf8");
  } catch (e) {
    throw new Error(`prediction tables ${dir}: cannot read settings.json: ${(e as Error).message} (writePredictionTables writes it)`);
  }
  const settings = JSON.parse(JSON.stringify(parseJson(settingsRaw, settingsFile)), (_key, value) => (value === "Infinity" ? Infinity : value)) as PredictionSettings;
  checkPredictionSettings(settings, settingsFile);

  const r2 = (at: string, column: string, value: number | null): number => {
    if (value !== null && value > 1) throw new Error(`${at}: column "${column}" is an R² and must be ≤ 1, got ${value}`);
    return value as number;
  };
  const variants = readCsv(dir, "variants.csv").map(({ at, get, num }): VariantSummary => ({
    variant: nonEmpty(at, "variant", get("variant")), models: num("models", { int: true })!,
    kept: oneOfColumn(at, "kept", get("kept"), ["true", "false"]) === "true",
    accMean: num("acc_mean")!, accStd: num("acc_std")!, accMin: num("acc_min")!, accMax: num("acc_max")!,
  }));
  const correlations = readCsv(dir, "correlations.csv").map(({ at, get, num }): PropertyCorrelation => {
    const c = {
      variant: nonEmpty(at, "variant", get("variant")), property: oneOfColumn(at, "property", get("property"), PROPERTY_COLUMNS) as Property,
      r: num("r", { empty: "NaN" })!, pValue: num("p", { empty: "NaN" })!, ci: [num("ci_low", { empty: "NaN" })!, num("ci_high", { empty: "NaN" })!] as [number, number],
      n: num("n", { int: true })!,
    };
    for (const [column, value] of [["r", c.r], ["ci_low", c.ci[0]], ["ci_high", c.ci[1]]] as const) {
      if (Math.abs(value) > 1) throw new Error(`${at}: column "${column}" is a correlation and must be in [-1, 1], got ${value}`);
    }
    if (c.pValue < 0 || c.pValue > 1) throw new Error(`${at}: column "p" is a p-value and must be in [0, 1], got ${c.pValue}`);
    return c;
  });
  const split = readCsv(dir, "split.csv").map(({ at, get, num }): SplitTableRow => ({
    variant: nonEmpty(at, "variant", get("variant")), regressor: oneOfColumn(at, "regressor", get("regressor"), REGRESSOR_NAMES),
    featureSet: oneOfColumn(at, "feature_set", get("feature_set"), FEATURE_SETS.map((s) => s.name)),
    r2: r2(at, "r2", num("r2")), thesisR2: (() => { const v = num("thesis_r2", { empty: "null" }); r2(at, "thesis_r2", v); return v; })(),
  }));
  const splitSeeds = readCsv(dir, "split-seeds.csv").map(({ at, get, num }): SplitSeedRow => ({
    variant: nonEmpty(at, "variant", get("variant")), splitSeed: num("split_seed", { int: true })!,
    r2: Object.fromEntries(REGRESSOR_NAMES.map((name) => [name, r2(at, name, num(name))])) as Record<RegressorName, number>,
  }));
  const scores = new Map<string, Array<{ at: string; repeat: number; fold: number; r2: number }>>();
  for (const { at, get, num } of readCsv(dir, "cv-scores.csv")) {
    const key = [get("variant"), get("regressor"), get("feature_set")].join("|");
    const list = scores.get(key) ?? [];
    list.push({ at, repeat: num("repeat", { int: true })!, fold: num("fold", { int: true })!, r2: r2(at, "r2", num("r2")) });
    scores.set(key, list);
  }
  const cv = readCsv(dir, "cv.csv").map(({ at, get, num }): CvTableRow => {
    const row = {
      variant: nonEmpty(at, "variant", get("variant")), regressor: oneOfColumn(at, "regressor", get("regressor"), REGRESSOR_NAMES),
      featureSet: oneOfColumn(at, "feature_set", get("feature_set"), FEATURE_SETS.map((s) => s.name)),
      mean: r2(at, "mean", num("mean")), std: num("std")!, folds: num("folds", { int: true })!, repeats: num("repeats", { int: true })!,
    };
    const key = [row.variant, row.regressor, row.featureSet].join("|");
    const found = scores.get(key) ?? [];
    scores.delete(key);
    const n = row.folds * row.repeats;
    const ordered = new Array<number>(n);
    for (const s of found) {
      const i = s.repeat * row.folds + s.fold;
      if (s.fold < 0 || s.fold >= row.folds || s.repeat < 0 || s.repeat >= row.repeats || ordered[i] !== undefined) {
        throw new Error(`${s.at}: repeat ${s.repeat}, fold ${s.fold} of cell ${key.replace(/\|/g, "/")} is out of range or listed twice (${at}: ${row.repeats} repeats × ${row.folds} folds)`);
      }
      ordered[i] = s.r2;
    }
    if (found.length !== n) throw new Error(`${path.join(dir, "cv-scores.csv")}: cell ${key.replace(/\|/g, "/")} has ${found.length} scores, ${at} says ${row.repeats} repeats × ${row.folds} folds`);
    return { ...row, scores: ordered };
  });
  for (const [key, list] of scores) throw new Error(`${list[0].at}: scores of cell ${key.replace(/\|/g, "/")}, which cv.csv does not list`);
  return { settings, variants, correlations, split, splitSeeds, cv };
}

// ---------------------------------------------------------------------------------------------------
// The record

export interface PredictionRecordOptions {
  /** this project's own sweep as a results table in the structure schema (e.g. the record's structure/sweep.csv) */
  sweepFiles: readonly string[];
  /** where the tables go: `<dir>/ours/` and `<dir>/thesis/` */
  dir: string;
  /** the CV cache's folder (see runPrediction) */
  cacheDir?: string;
  /** default: the thesis profile */
  settings?: PredictionSettings;
  /** progress of each run: `which` is "ours" or "thesis" */
  onCell?: (which: "ours" | "thesis", row: CvRow, info: { cached: boolean; done: number; total: number }) => void;
}

export interface PredictionRecord {
  ours: { files: string[]; seconds: PredictionResults["seconds"] };
  thesis: { files: string[]; seconds: PredictionResults["seconds"] };
}

/**
 * The prediction tables of record: the protocol (thesis profile unless told) on this project's own sweep
 * and on the thesis's four published tables, written to `<dir>/ours/` and `<dir>/thesis/`. Both inputs are
 * loaded and the settings checked before any model is fitted.
 */
export function recordPredictionTables(options: PredictionRecordOptions): PredictionRecord {
  const settings = options.settings ?? predictionSettings("thesis");
  checkPredictionSettings(settings, options.settings ? "recordPredictionTables settings" : "PREDICTION_PROFILES.thesis");
  const inputs = {
    ours: loadResultsFiles(options.sweepFiles),
    thesis: loadResultsFiles(thesisStructureTableFiles(["RNN_TANH", "RNN_RELU", "LSTM", "GRU"])),
  };
  for (const [which, table] of Object.entries(inputs)) {
    if (variantsWithAtLeast(table, settings.minModelsPerVariant).table.variants.length === 0) {
      throw new Error(`recordPredictionTables: ${which} (${table.sources.join(", ")}): no variant has ${settings.minModelsPerVariant} or more models`);
    }
  }
  const thesisR2 = loadR2Table();
  const run = (which: "ours" | "thesis") => {
    const results = runPrediction(inputs[which], settings, { cacheDir: options.cacheDir, onCell: (row, info) => options.onCell?.(which, row, info) });
    return { files: writePredictionTables(results, path.join(options.dir, which), thesisR2), seconds: results.seconds };
  };
  return { ours: run("ours"), thesis: run("thesis") };
}
