/**
 * Bayesian ridge regression by evidence maximization (MacKay 1992), following scikit-learn 1.2's
 * BayesianRidge.fit step for step — no JavaScript library implements it. Model:
 *   y = X·w + b + ε,  ε ~ N(0, 1/α),  w ~ N(0, I/λ),  α ~ Γ(α₁, α₂),  λ ~ Γ(λ₁, λ₂).
 * Each iteration: posterior mean w = (X'X + λ/α·I)⁻¹X'y via the SVD X = U·diag(s)·V',
 * then γ = Σ α s²/(λ + α s²),  λ ← (γ + 2λ₁)/(|w|² + 2λ₂),  α ← (n − γ + 2α₁)/(|y − Xw|² + 2α₂);
 * stop when Σ|w − w_old| < tol; finally w is recomputed with the last α, λ (as sklearn does).
 */
import { Matrix, SVD } from "ml-matrix";
import type { Regressor } from "./regressor";
import { checkBooleanOption, checkIntegerOption, checkNumberOption, checkPredictInput, checkTrainingData } from "./checks";

export interface BayesianRidgeOptions {
  maxIterations?: number;
  tol?: number;
  alpha1?: number;
  alpha2?: number;
  lambda1?: number;
  lambda2?: number;
  fitIntercept?: boolean;
}

const DEFAULTS: Required<BayesianRidgeOptions> = {
  maxIterations: 300, tol: 1e-3, alpha1: 1e-6, alpha2: 1e-6, lambda1: 1e-6, lambda2: 1e-6, fitIntercept: true,
};

export class BayesianRidge implements Regressor {
  readonly options: Required<BayesianRidgeOptions>;
  coefficients: number[] = [];
  intercept = 0;
  /** Estimated noise precision α and weight precision λ. */
  alpha = NaN;
  lambda = NaN;
  iterations = 0;

  constructor(options: BayesianRidgeOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    const o = this.options;
    checkIntegerOption("BayesianRidge", "maxIterations", o.maxIterations, 1);
    for (const name of ["tol", "alpha1", "alpha2", "lambda1", "lambda2"] as const) checkNumberOption("BayesianRidge", name, o[name], 0);
    checkBooleanOption("BayesianRidge", "fitIntercept", o.fitIntercept);
  }

  train(X: readonly (readonly number[])[], y: readonly number[]): void {
    const p = checkTrainingData("BayesianRidge.train", X, y);
    const n = X.length;
    const { alpha1, alpha2, lambda1, lambda2, tol, maxIterations, fitIntercept } = this.options;
    // Centre X and y so the intercept drops out (sklearn _preprocess_data).
    const xOffset = new Array(p).fill(0);
    let yOffset = 0;
    if (fitIntercept) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < p; j++) xOffset[j] += X[i][j] / n;
        yOffset += y[i] / n;
      }
    }
    const Xc = new Matrix(X.map((row) => row.map((v, j) => v - xOffset[j])));
    const yc = y.map((v) => v - yOffset);

    // U is only needed when n ≤ p (sklearn's second branch); skipping it saves a third of the SVD's time.
    const svd = new SVD(Xc, { autoTranspose: true, computeLeftSingularVectors: n <= p });
    const s = svd.diagonal;
    const eigen = s.map((v) => v * v);
    const k = eigen.length;
    // Both of sklearn's branches solve the same system; projecting X'y (n > p) or y (n ≤ p) once
    // onto the singular vectors makes each iteration O(k·p + n·p).
    const V = svd.rightSingularVectors.to2DArray(); // p × k
    const rows = Xc.to2DArray();
    const Xty = new Array(p).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xty[j] += rows[i][j] * yc[i];
    const proj = new Array(k).fill(0); // V'X'y  (= s ∘ U'y)
    if (n > p) {
      for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) proj[c] += V[j][c] * Xty[j];
    } else {
      const U = svd.leftSingularVectors; // n × k
      for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) proj[c] += U.get(i, c) * yc[i] * s[c];
    }
    const coef = new Float64Array(p);
    const solve = (alpha: number, lambda: number): { coef: number[]; rss: number } => {
      coef.fill(0);
      for (let c = 0; c < k; c++) {
        const f = proj[c] / (eigen[c] + lambda / alpha);
        for (let j = 0; j < p; j++) coef[j] += V[j][c] * f;
      }
      let rss = 0;
      for (let i = 0; i < n; i++) {
        const row = rows[i];
        let fit = 0;
        for (let j = 0; j < p; j++) fit += row[j] * coef[j];
        rss += (yc[i] - fit) ** 2;
      }
      return { coef: Array.from(coef), rss };
    };

    let variance = 0;
    for (const v of yc) variance += v * v / n; // np.var of centred y
    let alpha = 1 / (variance + Number.EPSILON);
    let lambda = 1;
    let previous: number[] | null = null;
    let iteration = 0;
    for (; iteration < maxIterations; iteration++) {
      const { coef, rss } = solve(alpha, lambda);
      let gamma = 0;
      for (const e of eigen) gamma += (alpha * e) / (lambda + alpha * e);
      const norm2 = coef.reduce((a, w) => a + w * w, 0);
      lambda = (gamma + 2 * lambda1) / (norm2 + 2 * lambda2);
      alpha = (n - gamma + 2 * alpha1) / (rss + 2 * alpha2);
      if (previous !== null && coef.reduce((a, w, j) => a + Math.abs(previous![j] - w), 0) < tol) break;
      previous = coef;
    }
    this.iterations = Math.min(iteration + 1, maxIterations);
    this.alpha = alpha;
    this.lambda = lambda;
    this.coefficients = solve(alpha, lambda).coef;
    this.intercept = fitIntercept ? yOffset - this.coefficients.reduce((a, w, j) => a + w * xOffset[j], 0) : 0;
  }

  predict(X: readonly (readonly number[])[]): number[] {
    checkPredictInput("BayesianRidge.predict", X, this.coefficients.length || undefined);
    return X.map((row) => row.reduce((a, v, j) => a + v * this.coefficients[j], this.intercept));
  }

  /** The posterior mean coefficients (meaningful as importances on min–max scaled features). */
  featureImportances(): number[] {
    return this.coefficients.slice();
  }

  toJSON() {
    return {
      name: "BayesianRidge", options: this.options, coefficients: this.coefficients, intercept: this.intercept,
      alpha: this.alpha, lambda: this.lambda, iterations: this.iterations,
    };
  }

  static load(model: ReturnType<BayesianRidge["toJSON"]>): BayesianRidge {
    if (model.name !== "BayesianRidge") throw new Error(`BayesianRidge.load: not a BayesianRidge model (name "${model.name}")`);
    const m = new BayesianRidge(model.options);
    Object.assign(m, { coefficients: model.coefficients.slice(), intercept: model.intercept, alpha: model.alpha, lambda: model.lambda, iterations: model.iterations });
    return m;
  }
}
