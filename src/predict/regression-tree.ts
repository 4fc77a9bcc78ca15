/**
 * CART regression tree with scikit-learn 1.2 DecisionTreeRegressor semantics (squared error,
 * best split, all features, min_samples_split, max_depth, sample weights), shared by the random forest
 * and AdaBoost. Written here rather than using ml-cart because ml-cart's regression tree differs from
 * sklearn where the forest needs it: it refuses a split whose children are pure (gain must be > 0) and
 * stops when a child's error equals its parent's, so a full-depth tree does not grow out (on the test
 * fixture its training R² is 0.996 where sklearn's is 1; its depth-3 trees do match sklearn). It also has
 * no sample weights and no impurity importances (both ensembles report those) and re-sorts rows at every
 * node. One tree for both ensembles keeps a single CART implementation.
 *
 * Speed: features are sorted once per data set (TreeData); a tree keeps, per feature, the sorted
 * indices of its samples and partitions them stably at each split, so growing costs O(features · n)
 * per tree level with no allocation in the split loops.
 */
import { Random } from "../core/random";
import { checkDepthOption, checkIntegerOption, checkPredictInput, checkSeedOption, checkTrainingData, checkVector } from "./checks";

/** Column-major features, targets and per-feature sort orders, computed once and reused by many trees. */
export interface TreeData {
  n: number;
  p: number;
  columns: Float64Array[];
  y: Float64Array;
  /** order[f·n + k] = index of the k-th smallest sample of feature f. */
  order: Int32Array;
}

export function prepareTreeData(X: readonly (readonly number[])[], y: readonly number[]): TreeData {
  const n = X.length, p = n > 0 ? X[0].length : 0;
  const columns = Array.from({ length: p }, (_, f) => Float64Array.from(X, (row) => row[f]));
  const order = new Int32Array(p * n);
  for (let f = 0; f < p; f++) {
    const col = columns[f];
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a] - col[b] || a - b);
    order.set(idx, f * n);
  }
  return { n, p, columns, y: Float64Array.from(y), order };
}

export interface RegressionTreeOptions {
  maxDepth?: number;
  minSamplesSplit?: number;
  /** Seeds the feature visiting order, which decides between equally good splits (as sklearn's random_state). */
  seed?: number;
}

/** sklearn's FEATURE_THRESHOLD: values closer than this are treated as equal. */
const FEATURE_THRESHOLD = 1e-7;

export class RegressionTree {
  readonly options: Required<RegressionTreeOptions>;
  /** Flat node arrays; feature −1 marks a leaf. */
  feature: Int32Array = new Int32Array(0);
  threshold: Float64Array = new Float64Array(0);
  left: Int32Array = new Int32Array(0);
  right: Int32Array = new Int32Array(0);
  value: Float64Array = new Float64Array(0);
  /** Normalized impurity decrease per feature (sums to 1 unless the tree is a single leaf). */
  importances: number[] = [];

  constructor(options: RegressionTreeOptions = {}) {
    this.options = { maxDepth: Infinity, minSamplesSplit: 2, seed: 0, ...options };
    checkTreeOptions("RegressionTree", this.options);
  }

  train(X: readonly (readonly number[])[], y: readonly number[], sampleWeight?: ArrayLike<number>): void {
    checkTrainingData("RegressionTree.train", X, y);
    if (sampleWeight !== undefined) {
      checkVector("RegressionTree.train", sampleWeight, "sampleWeight");
      if (sampleWeight.length !== X.length) throw new Error(`RegressionTree.train: X has ${X.length} rows but sampleWeight has ${sampleWeight.length} values`);
      for (let i = 0; i < sampleWeight.length; i++) {
        if (sampleWeight[i] < 0) throw new Error(`RegressionTree.train: sampleWeight[${i}] is ${sampleWeight[i]}; weights must be ≥ 0`);
      }
    }
    this.trainOn(prepareTreeData(X, y), sampleWeight ?? new Float64Array(X.length).fill(1));
  }

  /** Grow on prepared data; samples with weight 0 are left out (bootstrap counts are weights). */
  trainOn(data: TreeData, weight: ArrayLike<number>): void {
    const { n, p, columns, y, order } = data;
    let m = 0;
    for (let i = 0; i < n; i++) if (weight[i] > 0) m++;
    if (m === 0) throw new Error("RegressionTree.train: all sample weights are zero");
    // Per-feature sorted indices of the weighted-in samples.
    const sorted = new Int32Array(p * m);
    for (let f = 0; f < p; f++) {
      let k = f * m;
      for (let r = f * n, end = r + n; r < end; r++) if (weight[order[r]] > 0) sorted[k++] = order[r];
    }
    const goesLeft = new Uint8Array(n);
    const scratch = new Int32Array(m);
    const featureOrder = Int32Array.from({ length: p }, (_, f) => f);
    const rng = new Random(this.options.seed);
    const nodes = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[] };
    const decrease = new Float64Array(p);
    let rootWeight = 0;

    // Returns the node id; appends the subtree in depth-first order.
    const grow = (start: number, end: number, depth: number): { id: number; weightedImpurity: number } => {
      let w = 0, sum = 0;
      for (let k = start; k < end; k++) { const i = sorted[k]; w += weight[i]; sum += weight[i] * y[i]; }
      const mean = sum / w;
      let sse = 0;
      for (let k = start; k < end; k++) { const i = sorted[k]; sse += weight[i] * (y[i] - mean) ** 2; }
      if (depth === 0) rootWeight = w;
      const id = nodes.feature.length;
      nodes.feature.push(-1); nodes.threshold.push(0); nodes.left.push(-1); nodes.right.push(-1); nodes.value.push(mean);
      const count = end - start;
      if (depth >= this.options.maxDepth || count < this.options.minSamplesSplit || sse / w <= Number.EPSILON) {
        return { id, weightedImpurity: sse };
      }
      rng.shuffle(featureOrder);
      const best = bestSplit(columns, y, weight, sorted, m, featureOrder, start, end, w, sum);
      if (best.feature < 0) return { id, weightedImpurity: sse };

      // Stable partition of every feature's segment by the chosen split.
      const col = columns[best.feature];
      for (let k = start; k < end; k++) { const i = sorted[k]; goesLeft[i] = col[i] <= best.threshold ? 1 : 0; }
      let nLeft = 0;
      for (let f = 0; f < p; f++) {
        const base = f * m;
        let l = base + start, r = 0;
        for (let k = base + start; k < base + end; k++) {
          const i = sorted[k];
          if (goesLeft[i]) sorted[l++] = i; else scratch[r++] = i;
        }
        sorted.set(scratch.subarray(0, r), l);
        nLeft = l - base - start;
      }
      const leftChild = grow(start, start + nLeft, depth + 1);
      const rightChild = grow(start + nLeft, end, depth + 1);
      nodes.feature[id] = best.feature;
      nodes.threshold[id] = best.threshold;
      nodes.left[id] = leftChild.id;
      nodes.right[id] = rightChild.id;
      decrease[best.feature] += sse - leftChild.weightedImpurity - rightChild.weightedImpurity;
      return { id, weightedImpurity: sse };
    };
    grow(0, m, 0);

    this.feature = Int32Array.from(nodes.feature);
    this.threshold = Float64Array.from(nodes.threshold);
    this.left = Int32Array.from(nodes.left);
    this.right = Int32Array.from(nodes.right);
    this.value = Float64Array.from(nodes.value);
    let total = 0;
    for (let f = 0; f < p; f++) total += decrease[f] / rootWeight;
    this.importances = Array.from(decrease, (d) => (total > 0 ? d / rootWeight / total : 0));
  }

  get nodeCount(): number {
    return this.feature.length;
  }

  predictRow(row: ArrayLike<number>): number {
    let node = 0;
    while (this.feature[node] >= 0) node = row[this.feature[node]] <= this.threshold[node] ? this.left[node] : this.right[node];
    return this.value[node];
  }

  /** Number of features the tree was trained on (undefined before training). */
  get featureCount(): number | undefined {
    return this.nodeCount > 0 ? this.importances.length : undefined;
  }

  predict(X: readonly (readonly number[])[]): number[] {
    checkPredictInput("RegressionTree.predict", X, this.featureCount);
    return X.map((row) => this.predictRow(row));
  }

  featureImportances(): number[] {
    return this.importances.slice();
  }

  toJSON() {
    return {
      name: "RegressionTree", options: this.options, feature: Array.from(this.feature), threshold: Array.from(this.threshold),
      left: Array.from(this.left), right: Array.from(this.right), value: Array.from(this.value), importances: this.importances,
    };
  }

  static load(model: ReturnType<RegressionTree["toJSON"]>): RegressionTree {
    if (model.name !== "RegressionTree") throw new Error(`RegressionTree.load: not a RegressionTree model (name "${model.name}")`);
    const t = new RegressionTree(withDepthLimit(model.options));
    t.feature = Int32Array.from(model.feature);
    t.threshold = Float64Array.from(model.threshold);
    t.left = Int32Array.from(model.left);
    t.right = Int32Array.from(model.right);
    t.value = Float64Array.from(model.value);
    t.importances = model.importances.slice();
    return t;
  }
}

/** Options read back from JSON: JSON.stringify writes maxDepth Infinity (no limit) as null. */
export function withDepthLimit<T extends { maxDepth?: number | null }>(options: T): T & { maxDepth: number } {
  return { ...options, maxDepth: options.maxDepth ?? Infinity };
}

/** Options shared by the tree and the ensembles that grow it. */
export function checkTreeOptions(who: string, o: { maxDepth: number; minSamplesSplit: number; seed: number }): void {
  checkDepthOption(who, "maxDepth", o.maxDepth);
  checkIntegerOption(who, "minSamplesSplit", o.minSamplesSplit, 2);
  checkSeedOption(who, "seed", o.seed);
}

/**
 * Best squared-error split of the node's samples: maximizes sklearn's proxy
 * sumL²/wL + sumR²/wR (equivalent to minimizing the children's summed squared error);
 * thresholds sit midway between consecutive distinct values, samples with x ≤ threshold go left.
 */
function bestSplit(
  columns: Float64Array[], y: Float64Array, weight: ArrayLike<number>, sorted: Int32Array, m: number,
  featureOrder: Int32Array, start: number, end: number, wTotal: number, sumTotal: number,
): { feature: number; threshold: number } {
  let bestProxy = -Infinity, bestFeature = -1, bestThreshold = 0;
  for (let q = 0; q < featureOrder.length; q++) {
    const f = featureOrder[q];
    const col = columns[f];
    const base = f * m;
    if (col[sorted[base + end - 1]] <= col[sorted[base + start]] + FEATURE_THRESHOLD) continue; // constant here
    let wLeft = 0, sumLeft = 0;
    for (let k = base + start; k < base + end - 1; k++) {
      const i = sorted[k];
      wLeft += weight[i];
      sumLeft += weight[i] * y[i];
      const x = col[i], xNext = col[sorted[k + 1]];
      if (xNext <= x + FEATURE_THRESHOLD) continue;
      const wRight = wTotal - wLeft, sumRight = sumTotal - sumLeft;
      const proxy = (sumLeft * sumLeft) / wLeft + (sumRight * sumRight) / wRight;
      if (proxy > bestProxy) {
        bestProxy = proxy;
        bestFeature = f;
        let threshold = x / 2 + xNext / 2;
        if (threshold === xNext || !Number.isFinite(threshold)) threshold = x;
        bestThreshold = threshold;
      }
    }
  }
  return { feature: bestFeature, threshold: bestThreshold };
}
