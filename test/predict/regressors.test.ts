import { test } from "node:test";
import assert from "node:assert/strict";
import { AdaBoostRegressor, RandomForestRegressor, RegressionTree } from "../../src/predict";
import { Random } from "../../src/core/random";

const rng = new Random(11);
const X = Array.from({ length: 60 }, () => [rng.nextFloat(), rng.nextFloat(), rng.nextFloat()]);
const y = X.map((r) => (r[0] > 0.5 ? 1 : 0) + 0.1 * r[1]);

test("AdaBoost stops after a perfect first fit, keeping it with weight 1 (sklearn)", () => {
  const step = X.map((r) => (r[0] > 0.5 ? 2 : -1)); // a depth-3 tree fits this exactly
  const a = new AdaBoostRegressor({ seed: 3 });
  a.train(X, step);
  assert.equal(a.estimators.length, 1);
  assert.deepEqual(a.estimatorWeights, [1]);
  assert.deepEqual(a.predict(X), step);
});

test("AdaBoost estimator weights are ln(1/β) of their errors, and the weighted median is one of their predictions", () => {
  const a = new AdaBoostRegressor({ seed: 4, nEstimators: 10 });
  a.train(X, y);
  a.estimatorErrors.forEach((e, i) => {
    assert.ok(e > 0 && e < 0.5, `error ${e}`);
    assert.ok(Math.abs(a.estimatorWeights[i] - Math.log((1 - e) / e)) < 1e-12);
  });
  const row = [X[0]];
  const preds = a.estimators.map((t) => t.predict(row)[0]);
  assert.ok(preds.includes(a.predict(row)[0]), "weighted median is one of the estimators' predictions");
});

test("AdaBoost rejects an unknown loss by name", () => {
  assert.throws(() => new AdaBoostRegressor({ loss: "huber" as never }), /loss must be linear, square or exponential, got "huber"/);
});

test("a tree respects maxDepth and minSamplesSplit, and survives toJSON/load", () => {
  const t = new RegressionTree({ maxDepth: 2 });
  t.train(X, y);
  assert.ok(t.nodeCount <= 7);
  const depthOf = (node: number): number => (t.feature[node] < 0 ? 0 : 1 + Math.max(depthOf(t.left[node]), depthOf(t.right[node])));
  assert.equal(depthOf(0), 2);
  const big = new RegressionTree({ minSamplesSplit: 30 });
  big.train(X, y);
  const full = new RegressionTree();
  full.train(X, y);
  assert.ok(big.nodeCount < full.nodeCount);
  assert.deepEqual(full.predict(X), y, "a fully grown tree interpolates distinct training rows");
  assert.deepEqual(RegressionTree.load(JSON.parse(JSON.stringify(t.toJSON()))).predict(X), t.predict(X));
  assert.throws(() => new RegressionTree({ minSamplesSplit: 1 }), /minSamplesSplit must be a finite integer ≥ 2, got 1/);
});

test("forest seeds are reproducible and differ between seeds; no bootstrap + 1 tree = one full tree", () => {
  const a = new RandomForestRegressor({ seed: 5, nEstimators: 5 });
  const b = new RandomForestRegressor({ seed: 5, nEstimators: 5 });
  const c = new RandomForestRegressor({ seed: 6, nEstimators: 5 });
  [a, b, c].forEach((m) => m.train(X, y));
  assert.deepEqual(a.predict(X), b.predict(X));
  assert.notDeepEqual(a.predict(X), c.predict(X));
  const single = new RandomForestRegressor({ nEstimators: 1, bootstrap: false });
  single.train(X, y);
  assert.deepEqual(single.predict(X), y);
  assert.throws(() => a.train(X, y.slice(1)), /X has 60 rows but y has 59 values/);
});
