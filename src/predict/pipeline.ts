/**
 * The prediction experiment end to end: the three regressors by name, the thesis's single 90/10
 * split per variant, and the repeated k-fold table over variants × regressors × feature sets.
 */
import { readFileSync } from "node:fs";
import { ResultStore } from "../experiments/result-store";
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
  /** Called after each cell (for progress bars). */
  onCell?: (row: CvRow) => void;
  /**
   * CSV file that stores each finished cell; a rerun (e.g. after an interruption) reuses the cells whose
   * data, feature set, regressor settings, folds, repeats and seed are unchanged.
   */
  cacheFile?: string;
}

const CACHE_COLUMNS = ["key", "variant", "regressor", "featureSet", "mean", "std", "scores"];
/** Part of every cache key: bump it when a change to the regressors or the folds changes the numbers. */
const CV_CACHE_VERSION = 2;

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
  for (const variant of table.variants) repeatedKFold(table.rows.filter((r) => r.variant === variant).length, folds, repeats, seed);
  const store = cacheFile ? new ResultStore(cacheFile, CACHE_COLUMNS, (r) => String(r.key)) : null;
  const cached = new Map((store?.rows() ?? []).map((r) => [String(r.key), r]));
  const rows: CvRow[] = [];
  for (const variant of table.variants) {
    for (const set of featureSets) {
      const { X, y } = variantData(table, variant, set.features);
      const data = fingerprint(JSON.stringify([X, y]));
      for (const regressor of regressors) {
        const key = [`v${CV_CACHE_VERSION}`, variant, set.name, regressor, data, folds, repeats, seed, JSON.stringify(settings[regressor] ?? {})].join("|");
        const hit = cached.get(key);
        let row: CvRow;
        if (hit) {
          row = cachedRow(hit, cacheFile!, { variant, regressor, featureSet: set.name }, folds * repeats);
        } else {
          const cv = crossValidateR2(regressorFactory(regressor, settings), X, y, { folds, repeats, seed });
          row = { variant, regressor, featureSet: set.name, mean: cv.mean, std: cv.std, scores: cv.scores };
          store?.append([{ key, variant, regressor, featureSet: set.name, mean: cv.mean, std: cv.std, scores: JSON.stringify(cv.scores) }]);
        }
        rows.push(row);
        onCell?.(row);
      }
    }
  }
  return rows;
}

/** A cell read back from the CV cache, every number checked; errors name the cache file and the cell. */
function cachedRow(hit: Record<string, unknown>, cacheFile: string, cell: Pick<CvRow, "variant" | "regressor" | "featureSet">, folds: number): CvRow {
  const where = `CV cache ${cacheFile}, cell ${cell.variant}/${cell.featureSet}/${cell.regressor}`;
  const fix = "(delete the file to recompute)";
  const number = (name: "mean" | "std"): number => {
    const value = parseDecimal(String(hit[name]));
    if (value === undefined) throw new Error(`${where}: column "${name}" must be a finite number, got ${JSON.stringify(hit[name])} ${fix}`);
    return value;
  };
  const scores = parseJson(String(hit.scores), `${where}, column "scores"`);
  if (!Array.isArray(scores) || scores.length !== folds || !scores.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new Error(`${where}: column "scores" must be a JSON array of ${folds} finite numbers ${fix}`);
  }
  return { ...cell, mean: number("mean"), std: number("std"), scores };
}

/** FNV-1a hash of a string, as 8 hex digits (identifies a cell's data in the CV cache). */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
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
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) throw new Error(`${path}: empty R² table (expected a header with mode, ${REGRESSOR_NAMES.join(", ")})`);
  const header = lines[first].split(",").map((h) => h.trim());
  const missing = ["mode", ...REGRESSOR_NAMES].filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`${path}:${first + 1}: missing column(s) ${missing.join(", ")}`);
  const table: Record<string, Record<RegressorName, number>> = {};
  for (let i = first + 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const line = i + 1;
    const cells = lines[i].split(",");
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
