/**
 * AdaBoost.R2 (Drucker 1997) with scikit-learn 1.2 AdaBoostRegressor semantics: 50 rounds of a
 * depth-3 regression tree, each fitted on a bootstrap resample drawn with the current sample weights;
 * linear (or square / exponential) loss normalized by the largest error; β = ε/(1 − ε),
 * estimator weight = learning_rate · ln(1/β), sample weights × β^((1 − loss)·learning_rate).
 * Stops early when the weighted loss ε ≤ 0 (perfect fit, kept with weight 1) or ε ≥ 0.5 (discarded
 * unless it is the only estimator). Predicts the weighted median of the estimators' predictions.
 * No JavaScript package implements AdaBoost.R2, hence this file.
 */
import { checkTreeOptions, prepareTreeData, RegressionTree, withDepthLimit } from "./regression-tree";
import { Random } from "../core/random";
import type { Regressor } from "./regressor";
import { checkIntegerOption, checkNumberOption, checkPredictInput, checkTrainingData } from "./checks";

export type AdaBoostLoss = "linear" | "square" | "exponential";

export interface AdaBoostOptions {
  nEstimators?: number;
  learningRate?: number;
  loss?: AdaBoostLoss;
  /** Depth of the base regression trees. */
  maxDepth?: number;
  seed?: number;
}

export class AdaBoostRegressor implements Regressor {
  readonly options: Required<AdaBoostOptions>;
  estimators: RegressionTree[] = [];
  estimatorWeights: number[] = [];
  estimatorErrors: number[] = [];

  constructor(options: AdaBoostOptions = {}) {
    this.options = { nEstimators: 50, learningRate: 1, loss: "linear", maxDepth: 3, seed: 0, ...options };
    if (!["linear", "square", "exponential"].includes(this.options.loss)) {
      throw new Error(`AdaBoostRegressor: loss must be linear, square or exponential, got "${this.options.loss}"`);
    }
    checkIntegerOption("AdaBoostRegressor", "nEstimators", this.options.nEstimators, 1);
    checkNumberOption("AdaBoostRegressor", "learningRate", this.options.learningRate, 0, true);
    checkTreeOptions("AdaBoostRegressor", { ...this.options, minSamplesSplit: 2 });
  }

  train(X: readonly (readonly number[])[], y: readonly number[]): void {
    checkTrainingData("AdaBoostRegressor.train", X, y);
    const { nEstimators, learningRate, loss, maxDepth } = this.options;
    const data = prepareTreeData(X, y);
    const n = data.n;
    const rng = new Random(this.options.seed);
    let sampleWeight = new Float64Array(n).fill(1 / n);
    const counts = new Float64Array(n);
    const errors = new Float64Array(n);
    this.estimators = [];
    this.estimatorWeights = [];
    this.estimatorErrors = [];
    for (let round = 0; round < nEstimators; round++) {
      for (let i = 0; i < n; i++) if (sampleWeight[i] < Number.EPSILON) sampleWeight[i] = Number.EPSILON; // sklearn clips
      weightedBootstrap(sampleWeight, rng, counts);
      const tree = new RegressionTree({ maxDepth, seed: rng.nextUint32() });
      tree.trainOn(data, counts);
      this.estimators.push(tree);

      let errorMax = 0;
      for (let i = 0; i < n; i++) {
        errors[i] = Math.abs(tree.predictRow(X[i]) - data.y[i]);
        if (errors[i] > errorMax) errorMax = errors[i];
      }
      let estimatorError = 0;
      for (let i = 0; i < n; i++) {
        let e = errorMax !== 0 ? errors[i] / errorMax : errors[i];
        if (loss === "square") e = e * e;
        else if (loss === "exponential") e = 1 - Math.exp(-e);
        errors[i] = e;
        estimatorError += sampleWeight[i] * e;
      }
      if (estimatorError <= 0) { // perfect fit: keep it with weight 1 and stop
        this.estimatorWeights.push(1);
        this.estimatorErrors.push(0);
        break;
      }
      if (estimatorError >= 0.5) { // worse than chance: discard unless it is the only one, and stop
        if (this.estimators.length > 1) this.estimators.pop();
        else { this.estimatorWeights.push(0); this.estimatorErrors.push(1); }
        break;
      }
      const beta = estimatorError / (1 - estimatorError);
      this.estimatorWeights.push(learningRate * Math.log(1 / beta));
      this.estimatorErrors.push(estimatorError);
      if (round === nEstimators - 1) break;
      let total = 0;
      for (let i = 0; i < n; i++) { sampleWeight[i] *= Math.pow(beta, (1 - errors[i]) * learningRate); total += sampleWeight[i]; }
      if (!(total > 0) || !Number.isFinite(total)) break;
      for (let i = 0; i < n; i++) sampleWeight[i] /= total;
    }
  }

  /** Weighted median: the smallest prediction whose cumulative estimator weight reaches half the total. */
  predict(X: readonly (readonly number[])[]): number[] {
    const k = this.estimators.length;
    checkPredictInput("AdaBoostRegressor.predict", X, this.estimators[0]?.featureCount);
    const preds = new Float64Array(k);
    const idx = new Int32Array(k);
    return X.map((row) => {
      for (let e = 0; e < k; e++) { preds[e] = this.estimators[e].predictRow(row); idx[e] = e; }
      idx.sort((a, b) => preds[a] - preds[b] || a - b);
      let total = 0;
      for (let e = 0; e < k; e++) total += this.estimatorWeights[e];
      let cdf = 0;
      for (let q = 0; q < k; q++) {
        cdf += this.estimatorWeights[idx[q]];
        if (cdf >= 0.5 * total) return preds[idx[q]];
      }
      return preds[idx[k - 1]];
    });
  }

  /** Estimator-weighted mean of the trees' impurity importances (sklearn's feature_importances_). */
  featureImportances(): number[] {
    const norm = this.estimatorWeights.reduce((a, w) => a + w, 0);
    const p = this.estimators[0]?.importances.length ?? 0;
    return Array.from({ length: p }, (_, f) =>
      this.estimators.reduce((a, t, e) => a + this.estimatorWeights[e] * t.importances[f], 0) / norm);
  }

  toJSON() {
    return {
      name: "AdaBoostRegressor", options: this.options, estimators: this.estimators.map((t) => t.toJSON()),
      estimatorWeights: this.estimatorWeights, estimatorErrors: this.estimatorErrors,
    };
  }

  static load(model: ReturnType<AdaBoostRegressor["toJSON"]>): AdaBoostRegressor {
    if (model.name !== "AdaBoostRegressor") throw new Error(`AdaBoostRegressor.load: not an AdaBoostRegressor model (name "${model.name}")`);
    const a = new AdaBoostRegressor(withDepthLimit(model.options));
    a.estimators = model.estimators.map((t) => RegressionTree.load(t));
    a.estimatorWeights = model.estimatorWeights.slice();
    a.estimatorErrors = model.estimatorErrors.slice();
    return a;
  }
}

/** n draws with replacement, P(i) ∝ weight[i] (numpy's choice: cdf + uniform + right-side search), as counts. */
function weightedBootstrap(weight: Float64Array, rng: Random, counts: Float64Array): void {
  const n = weight.length;
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) { acc += weight[i]; cdf[i] = acc; }
  counts.fill(0);
  for (let k = 0; k < n; k++) {
    const u = rng.nextFloat() * acc;
    let lo = 0, hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] > u) hi = mid; else lo = mid + 1; }
    counts[lo] += 1;
  }
}

