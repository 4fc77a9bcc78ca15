/**
 * Is there structure beyond size? Three nested questions asked of one prediction table with the same
 * cross-validation folds:
 *
 * - `size`: model size alone (nodes, edges, trainable parameters);
 * - `clustering_path`: You et al. (2020)'s two numbers alone (average clustering C, average shortest path L);
 * - `all`: every property (the thesis's 23, plus parameters and C where the table has them).
 *
 * Each is scored by repeated k-fold cross-validated R² (crossValidateR2, the same folds and model seeds for
 * every model, so scores are paired fold by fold). "Structure beyond size" is the gain of `all` over `size`,
 * fold by fold: its mean, its spread, and the Nadeau–Bengio (2003) corrected standard error — folds of a
 * repeated k-fold share most training rows, so the naive σ/√J understates the uncertainty; the correction
 * uses (1/J + n_test/n_train)·s² — with a normal 95% interval.
 *
 * A feature a table lacks (the thesis's tables have no edge lists, hence no parameters and no C) is left
 * out of the models that name it; `features` says what each model used.
 */
import { crossValidateR2 } from "./cross-validation";
import { regressorFactory, type RegressorName, type RegressorSettings } from "./pipeline";
import { PROPERTY_COLUMNS } from "./results-table";
import { meanOf, normalQuantile, stdOf } from "./stats";

export interface BaselineModel {
  name: "size" | "clustering_path" | "all";
  label: string;
  /** the features wanted; those a table has are used */
  features: readonly string[];
}

export const BASELINE_MODELS: readonly BaselineModel[] = [
  { name: "size", label: "size only (nodes, edges, parameters)", features: ["nodes", "edges", "parameters"] },
  { name: "clustering_path", label: "C and L only", features: ["average_clustering", "average_shortest_path_length"] },
  { name: "all", label: "all properties", features: [...PROPERTY_COLUMNS, "parameters", "average_clustering"] },
];

/** A row of a prediction table: properties by name and the target test accuracy. */
export type FeatureRow = Readonly<Record<string, unknown>> & { readonly test_acc: number };

export interface BaselineGroup {
  /** e.g. a variant ("GRU"), or a variant and mapping ("GRU · recurrent") */
  group: string;
  rows: readonly FeatureRow[];
}

export interface BaselineOptions {
  regressor: RegressorName;
  settings?: RegressorSettings;
  folds: number;
  repeats: number;
  seed: number;
}

export interface BaselineScore {
  group: string;
  model: BaselineModel["name"];
  /** the features the model used (those of BASELINE_MODELS the table has) */
  features: string[];
  mean: number;
  std: number;
  /** Nadeau–Bengio corrected standard error of the mean R² */
  se: number;
  scores: number[];
}

export interface BaselineGain {
  group: string;
  /** mean over folds of R²(all) − R²(size) */
  mean: number;
  /** spread of the fold-wise gain */
  std: number;
  /** Nadeau–Bengio corrected standard error of the mean gain */
  se: number;
  /** normal 95% interval, mean ± 1.96·se */
  low: number;
  high: number;
  /** share of folds where all properties beat size alone */
  positiveShare: number;
}

export interface BaselineResult {
  scores: BaselineScore[];
  gains: BaselineGain[];
}

/**
 * The Nadeau–Bengio corrected standard error of the mean of repeated k-fold scores (or paired differences):
 * √((1/J + n_test/n_train)·s²), J = folds × repeats, n_test/n_train = 1/(k − 1), s² the sample variance.
 */
export function correctedStandardError(scores: readonly number[], folds: number): number {
  const J = scores.length, mean = meanOf(scores);
  const sampleVariance = scores.reduce((a, d) => a + (d - mean) ** 2, 0) / (J - 1);
  return Math.sqrt((1 / J + 1 / (folds - 1)) * sampleVariance);
}

/** The rows grouped by a key (e.g. the variant), groups in order of first appearance. */
export function groupRows<R extends FeatureRow>(rows: readonly R[], key: (row: R) => string): Array<{ group: string; rows: R[] }> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return [...groups].map(([group, mine]) => ({ group, rows: mine }));
}

/** The features of `wanted` that every row holds as a finite number. */
export function availableFeatures(rows: readonly FeatureRow[], wanted: readonly string[]): string[] {
  return wanted.filter((f) => rows.length > 0 && rows.every((r) => typeof r[f] === "number" && Number.isFinite(r[f] as number)));
}

/** Size-only, (C, L)-only and all-property models per group, and the gain of all over size, on the same folds. */
export function baselineComparison(groups: readonly BaselineGroup[], options: BaselineOptions): BaselineResult {
  const { regressor, settings = {}, folds, repeats, seed } = options;
  const factory = regressorFactory(regressor, settings);
  if (groups.length === 0) throw new Error("baselineComparison: no groups");
  // every model's features are settled before the first fit
  const plan = groups.map(({ group, rows }) => {
    if (rows.length < 2 * folds) throw new Error(`baselineComparison: group ${group} has ${rows.length} rows; ${folds}-fold cross-validation needs at least ${2 * folds}`);
    return {
      group, rows,
      models: BASELINE_MODELS.map((model) => {
        const features = availableFeatures(rows, model.features);
        if (features.length === 0) throw new Error(`baselineComparison: group ${group} has none of the features of model "${model.name}" (${model.features.join(", ")})`);
        return { model, features };
      }),
    };
  });
  const scores: BaselineScore[] = [];
  const gains: BaselineGain[] = [];
  const q = normalQuantile(0.975);
  for (const { group, rows, models } of plan) {
    const y = rows.map((r) => r.test_acc);
    const byModel = new Map<string, number[]>();
    for (const { model, features } of models) {
      const X = rows.map((r) => features.map((f) => r[f] as number));
      const cv = crossValidateR2(factory, X, y, { folds, repeats, seed });
      byModel.set(model.name, cv.scores);
      scores.push({ group, model: model.name, features, mean: cv.mean, std: cv.std, se: correctedStandardError(cv.scores, folds), scores: cv.scores });
    }
    const all = byModel.get("all")!, size = byModel.get("size")!;
    const diff = all.map((s, i) => s - size[i]);
    const mean = meanOf(diff), se = correctedStandardError(diff, folds);
    gains.push({ group, mean, std: stdOf(diff), se, low: mean - q * se, high: mean + q * se, positiveShare: diff.filter((d) => d > 0).length / diff.length });
  }
  return { scores, gains };
}
