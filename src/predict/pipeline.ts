/**
 * The prediction experiment end to end: the three regressors by name, the thesis's single 90/10
 * split per variant, and the repeated k-fold table over variants × regressors × feature sets.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ResultStore, type Row } from "../core/result-store";
import { shortHash } from "../core/hash";
import { parseCsv } from "../core/csv";
import { thesisRSquaredFile } from "../thesis";
import { AdaBoostRegressor, type AdaBoostOptions } from "./adaboost";
import { BayesianRidge, type BayesianRidgeOptions } from "./bayesian-ridge";
import { crossValidateR2, fitAndPredict, repeatedKFold, type ModelFactory } from "./cross-validation";
import { FEATURE_SETS, type FeatureSet } from "./feature-sets";
import { permutationImportance } from "./permutation-importance";
import { r2Score, take, trainTestSplit } from "./preprocess";
import { RandomForestRegressor, type RandomForestOptions } from "./random-forest";
import type { Regressor } from "./regressor";
import { PROPERTY_COLUMNS, variantData, type Property, type ResultsTable } from "./results-table";
import { pearson, type Correlation } from "./stats";
import { parseDecimal } from "./checks";
import { parseJson } from "../core/json";

export const REGRESSOR_NAMES = ["BayesianRidge", "RandomForestRegressor", "AdaBoostRegressor"] as const;
export type RegressorName = (typeof REGRESSOR_NAMES)[number];

export interface RegressorSettings {
  BayesianRidge?: BayesianRidgeOptions;
  RandomForestRegressor?: Omit<RandomForestOptions, "seed">;
  AdaBoostRegressor?: Omit<AdaBoostOptions, "seed">;
}

export function regressorFactory(name: RegressorName, settings: RegressorSettings = {}): ModelFactory {
  switch (name) {
    case "BayesianRidge": return () => new BayesianRidge(settings.BayesianRidge);
    case "RandomForestRegressor": return (seed) => new RandomForestRegressor({ ...settings.RandomForestRegressor, seed });
    case "AdaBoostRegressor": return (seed) => new AdaBoostRegressor({ ...settings.AdaBoostRegressor, seed });
    default: throw new Error(`Unknown regressor "${name as string}"; expected one of: ${REGRESSOR_NAMES.join(", ")}`);
  }
}

export interface PropertyCorrelation extends Correlation {
  variant: string;
  property: Property;
}

/** Pearson r of every property with test accuracy, per variant. */
export function correlationTable(table: ResultsTable): PropertyCorrelation[] {
  return table.variants.flatMap((variant) => {
    const { X, y } = variantData(table, variant, PROPERTY_COLUMNS);
    return PROPERTY_COLUMNS.map((property, j) => ({ variant, property, ...pearson(X.map((r) => r[j]), y) }));
  });
}

export interface SplitResult {
  variant: string;
  regressor: RegressorName;
  featureSet: string;
  r2: number;
  yTest: number[];
  yPred: number[];
  model: Regressor;
  /** Model importances (coefficients / impurity / weighted impurity), one per feature. */
  importances: number[];
  /** Permutation importance on the test rows: mean drop in R². */
  permutation: { mean: number[]; std: number[] };
  features: readonly Property[];
}

export interface SplitOptions {
  testFraction?: number;
  splitSeed?: number;
  modelSeed?: number;
  permutationRepeats?: number;
  settings?: RegressorSettings;
}

/** The thesis's protocol: one seeded 90/10 split, min–max scaling fitted on the training rows, R² on the test rows. */
export function evaluateSplit(
  table: ResultsTable, variant: string, regressor: RegressorName, featureSet: FeatureSet = FEATURE_SETS[0], options: SplitOptions = {},
): SplitResult {
  const { testFraction = 0.1, splitSeed = 0, modelSeed = 0, permutationRepeats = 10, settings = {} } = options;
  const { X, y } = variantData(table, variant, featureSet.features);
  const split = trainTestSplit(X.length, testFraction, splitSeed);
  const { model, scaler, predictions } = fitAndPredict(regressorFactory(regressor, settings), X, y, split.train, split.test, modelSeed);
  const yTest = take(y, split.test);
  const perm = permutationImportance(model, scaler.transform(take(X, split.test)), yTest, { nRepeats: permutationRepeats, seed: modelSeed });
  return {
    variant, regressor, featureSet: featureSet.name, r2: r2Score(yTest, predictions), yTest, yPred: predictions, model,
    importances: model.featureImportances(), permutation: { mean: perm.mean, std: perm.std }, features: featureSet.features,
  };
}

export interface CvRow {
  variant: string;
  regressor: RegressorName;
  featureSet: string;
  mean: number;
  std: number;
  scores: number[];
}

export interface CvOptions {
  folds?: number;
  repeats?: number;
  seed?: number;
  settings?: RegressorSettings;
  featureSets?: readonly FeatureSet[];
  regressors?: readonly RegressorName[];
  /** Called after each cell (for progress bars); `cached` tells a cell read from the cache from one fitted now. */
  onCell?: (row: CvRow, info: { cached: boolean }) => void;
  /**
   * Names the cache of finished cells, so a rerun (e.g. after an interruption) refits only the cells whose
   * data changed. The cells go to a result store (src/core/result-store.ts) beside this path, named by the
   * run's identity (folds, repeats, seed, regressor settings): see `cvCacheStoreFile` — e.g. `cv-r2.csv`
   * → `cv-r2.<identity hash>.jsonl`. Runs with other settings get their own file and never touch this one's.
   */
  cacheFile?: string;
}

/** The columns of a CV cache cell (one row per cell; scores as a JSON array). */
const CACHE_COLUMNS = ["variant", "regressor", "featureSet", "mean", "std", "scores"];
/** Part of the CV cache's identity: bump it when a change to the regressors or the folds changes the numbers. */
export const CV_CACHE_VERSION = 2;

/**
 * Everything that determines a CV cell's numbers apart from the cell itself (its variant, feature set,
 * regressor and data are in its key): the cache version, folds, repeats, seed and every regressor's settings.
 */
export function cvCacheIdentity(options: Pick<CvOptions, "folds" | "repeats" | "seed" | "settings"> = {}): Record<string, unknown> {
  const { folds = 5, repeats = 10, seed = 0, settings = {} } = options;
  return {
    cache: "cross-validation", version: CV_CACHE_VERSION, folds, repeats, seed,
    settings: Object.fromEntries(REGRESSOR_NAMES.map((name) => [name, settings[name] ?? {}])),
  };
}

/** The result-store file a CV cache named `cacheFile` uses for these options: `<cacheFile minus extension>.<identity hash>.jsonl`. */
export function cvCacheStoreFile(cacheFile: string, options: Pick<CvOptions, "folds" | "repeats" | "seed" | "settings"> = {}): string {
  if (typeof cacheFile !== "string" || cacheFile === "") throw new Error(`crossValidationTable: cacheFile must be a non-empty path, got ${JSON.stringify(cacheFile)}`);
  const parsed = path.parse(cacheFile);
  return path.join(parsed.dir, `${parsed.name}.${shortHash(cvCacheIdentity(options))}.jsonl`);
}

/** A CV cell's key in the cache: variant, feature set, regressor and a content hash of the cell's data (features named). */
export function cvCellKey(variant: string, set: FeatureSet, regressor: RegressorName, X: readonly (readonly number[])[], y: readonly number[]): string {
  return [variant, set.name, regressor, shortHash({ features: set.features, X, y })].join("|");
}

/** Repeated k-fold R² for every variant × regressor × feature set (same folds for every regressor). */
export function crossValidationTable(table: ResultsTable, options: CvOptions = {}): CvRow[] {
  const { folds = 5, repeats = 10, seed = 0, settings = {}, featureSets = FEATURE_SETS, regressors = REGRESSOR_NAMES, onCell, cacheFile } = options;
  // Everything a later cell would trip over is checked before the first cell is fitted.
  if (regressors.length === 0) throw new Error("crossValidationTable: options.regressors is empty");
  for (const r of regressors) regressorFactory(r, settings);
  if (featureSets.length === 0) throw new Error("crossValidationTable: options.featureSets is empty");
  for (const set of featureSets) {
    const unknown = set.features.filter((f) => !(PROPERTY_COLUMNS as readonly string[]).includes(f));
    if (set.features.length === 0 || unknown.length > 0) {
      throw new Error(`crossValidationTable: feature set "${set.name}" ${unknown.length > 0 ? `names unknown properties ${unknown.join(", ")}` : "has no features"}`);
    }
  }
  for (const variant of table.variants) repeatedKFold(table.rows.filter((r) => r.mode === variant).length, folds, repeats, seed);
  const storeFile = cacheFile === undefined ? undefined : cvCacheStoreFile(cacheFile, { folds, repeats, seed, settings });
  const store = storeFile ? ResultStore.open(storeFile, { identity: cvCacheIdentity({ folds, repeats, seed, settings }), columns: CACHE_COLUMNS }) : null;
  const rows: CvRow[] = [];
  for (const variant of table.variants) {
    for (const set of featureSets) {
      const { X, y } = variantData(table, variant, set.features);
      for (const regressor of regressors) {
        const key = cvCellKey(variant, set, regressor, X, y);
        const hit = store?.get(key);
        let row: CvRow;
        if (hit) {
          row = cachedRow(hit, storeFile!, { variant, regressor, featureSet: set.name }, folds * repeats);
        } else {
          const cv = crossValidateR2(regressorFactory(regressor, settings), X, y, { folds, repeats, seed });
          row = { variant, regressor, featureSet: set.name, mean: cv.mean, std: cv.std, scores: cv.scores };
          store?.append(key, [{ variant, regressor, featureSet: set.name, mean: cv.mean, std: cv.std, scores: JSON.stringify(cv.scores) }]);
        }
        rows.push(row);
        onCell?.(row, { cached: hit !== undefined });
      }
    }
  }
  return rows;
}

/** A cell read back from the CV cache, every number checked; errors name the cache file and the cell. */
function cachedRow(hit: readonly Row[], storeFile: string, cell: Pick<CvRow, "variant" | "regressor" | "featureSet">, folds: number): CvRow {
  const where = `CV cache ${storeFile}, cell ${cell.variant}/${cell.featureSet}/${cell.regressor}`;
  const fix = "(delete the file to recompute)";
  if (hit.length !== 1) throw new Error(`${where}: holds ${hit.length} rows, a cell has one ${fix}`);
  const [stored] = hit;
  const number = (name: "mean" | "std"): number => {
    const value = stored[name];
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${where}: column "${name}" must be a finite number, got ${JSON.stringify(value)} ${fix}`);
    return value;
  };
  const scores = parseJson(String(stored.scores), `${where}, column "scores"`);
  if (!Array.isArray(scores) || scores.length !== folds || !scores.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new Error(`${where}: column "scores" must be a JSON array of ${folds} finite numbers ${fix}`);
  }
  return { ...cell, mean: number("mean"), std: number("std"), scores };
}

/**
 * Read an R² table like the thesis's r_squared.csv (columns mode, BayesianRidge, RandomForestRegressor,
 * AdaBoostRegressor); by default the thesis's. R² values must be decimals (as in results tables, see
 * parseDecimal) ≤ 1; errors name the file, the 1-based line and the column.
 */
export function loadR2Table(path: string = thesisRSquaredFile()): Record<string, Record<RegressorName, number>> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`R² table ${path}: cannot read: ${(e as Error).message}`);
  }
  const records = parseCsv(text, path, { widths: "any" });
  if (records.length === 0) throw new Error(`${path}: empty R² table (expected a header with mode, ${REGRESSOR_NAMES.join(", ")})`);
  const header = records[0].fields.map((h) => h.trim());
  const missing = ["mode", ...REGRESSOR_NAMES].filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`${path}:${records[0].line}: missing column(s) ${missing.join(", ")}`);
  const table: Record<string, Record<RegressorName, number>> = {};
  for (const { fields: cells, line } of records.slice(1)) {
    if (cells.length !== header.length) throw new Error(`${path}:${line}: ${cells.length} cells, the header has ${header.length}`);
    const row = {} as Record<RegressorName, number>;
    for (const name of REGRESSOR_NAMES) {
      const raw = cells[header.indexOf(name)];
      const value = parseDecimal(raw);
      if (value === undefined || value > 1) {
        throw new Error(`${path}:${line}: column "${name}" must be a finite number ≤ 1 (an R²), got ${JSON.stringify(raw)}`);
      }
      row[name] = value;
    }
    const mode = cells[header.indexOf("mode")].trim();
    if (mode === "") throw new Error(`${path}:${line}: column "mode" is empty`);
    if (mode in table) throw new Error(`${path}:${line}: mode ${mode} appears twice`);
    table[mode] = row;
  }
  return table;
}
