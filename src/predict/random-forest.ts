/**
 * Random forest regressor with scikit-learn 1.2 RandomForestRegressor defaults: 100 trees, each grown
 * on a bootstrap sample (n draws with replacement, passed as integer sample weights exactly as sklearn
 * does), every feature considered at each split, squared error, no depth limit, min_samples_split 2;
 * prediction = mean of the trees. ml-random-forest's RandomForestRegression could express the sampling
 * (useSampleBagging, and its per-tree feature bagging is a no-op when maxFeatures is all features), but its
 * trees are ml-cart's, which split differently from sklearn (see regression-tree.ts), and it has no impurity
 * importances; so the forest is assembled here on the shared CART tree.
 */
import { checkTreeOptions, prepareTreeData, RegressionTree, withDepthLimit } from "./regression-tree";
import { Random } from "../core/random";
import type { Regressor } from "./regressor";
import { checkBooleanOption, checkIntegerOption, checkPredictInput, checkTrainingData } from "./checks";

export interface RandomForestOptions {
  nEstimators?: number;
  bootstrap?: boolean;
  maxDepth?: number;
  minSamplesSplit?: number;
  seed?: number;
}

export class RandomForestRegressor implements Regressor {
  readonly options: Required<RandomForestOptions>;
  trees: RegressionTree[] = [];

  constructor(options: RandomForestOptions = {}) {
    this.options = { nEstimators: 100, bootstrap: true, maxDepth: Infinity, minSamplesSplit: 2, seed: 0, ...options };
    checkIntegerOption("RandomForestRegressor", "nEstimators", this.options.nEstimators, 1);
    checkBooleanOption("RandomForestRegressor", "bootstrap", this.options.bootstrap);
    checkTreeOptions("RandomForestRegressor", this.options);
  }

  train(X: readonly (readonly number[])[], y: readonly number[]): void {
    checkTrainingData("RandomForestRegressor.train", X, y);
    const data = prepareTreeData(X, y);
    const rng = new Random(this.options.seed);
    const counts = new Float64Array(data.n);
    this.trees = [];
    for (let t = 0; t < this.options.nEstimators; t++) {
      const treeSeed = rng.nextUint32();
      if (this.options.bootstrap) {
        counts.fill(0);
        const draw = new Random(treeSeed ^ 0x5bd1e995);
        for (let k = 0; k < data.n; k++) counts[draw.nextInt(data.n)] += 1;
      } else counts.fill(1);
      const tree = new RegressionTree({ maxDepth: this.options.maxDepth, minSamplesSplit: this.options.minSamplesSplit, seed: treeSeed });
      tree.trainOn(data, counts);
      this.trees.push(tree);
    }
  }

  predict(X: readonly (readonly number[])[]): number[] {
    checkPredictInput("RandomForestRegressor.predict", X, this.trees[0]?.featureCount);
    return X.map((row) => {
      let sum = 0;
      for (const tree of this.trees) sum += tree.predictRow(row);
      return sum / this.trees.length;
    });
  }

  /** Mean impurity importances of the trees that split at least once, renormalized (sklearn 1.2). */
  featureImportances(): number[] {
    const grown = this.trees.filter((t) => t.nodeCount > 1);
    if (grown.length === 0) return this.trees.length > 0 ? this.trees[0].importances.map(() => 0) : [];
    const mean = grown[0].importances.map((_, f) => grown.reduce((a, t) => a + t.importances[f], 0) / grown.length);
    const total = mean.reduce((a, v) => a + v, 0);
    return mean.map((v) => (total > 0 ? v / total : 0));
  }

  toJSON() {
    return { name: "RandomForestRegressor", options: this.options, trees: this.trees.map((t) => t.toJSON()) };
  }

  static load(model: ReturnType<RandomForestRegressor["toJSON"]>): RandomForestRegressor {
    if (model.name !== "RandomForestRegressor") throw new Error(`RandomForestRegressor.load: not a RandomForestRegressor model (name "${model.name}")`);
    const f = new RandomForestRegressor(withDepthLimit(model.options));
    f.trees = model.trees.map((t) => RegressionTree.load(t));
    return f;
  }
}
