// Parity with scikit-learn 1.2 / scipy on fixtures written by test/fixtures/make_sklearn_fixtures.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import fixtures from "../fixtures/sklearn_predict.json";
import {
  AdaBoostRegressor, BayesianRidge, MinMaxScaler, RandomForestRegressor, RegressionTree, meanOf, pearson, r2Score, take,
} from "../../src/predict";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected} (tol ${tol})`);

test("pearson r, p-value and Fisher-z interval equal scipy.stats.pearsonr", () => {
  assert.ok(fixtures.pearson.length >= 5, `${fixtures.pearson.length} cases`);
  for (const c of fixtures.pearson) {
    const got = pearson(c.x, c.y);
    close(got.r, c.r, 1e-12, `r (n=${c.x.length})`);
    close(got.pValue, c.p, 1e-9, `p (n=${c.x.length})`);
    close(got.ci[0], c.ci[0], 1e-9, "ci low");
    close(got.ci[1], c.ci[1], 1e-9, "ci high");
  }
});

test("BayesianRidge coefficients, intercept, alpha, lambda and predictions equal sklearn's within 1e-6", () => {
  assert.ok(fixtures.bayesian_ridge.length >= 3, `${fixtures.bayesian_ridge.length} cases`);
  for (const c of fixtures.bayesian_ridge) {
    const m = new BayesianRidge();
    m.train(c.X, c.y);
    c.coef.forEach((w, j) => close(m.coefficients[j], w, 1e-6, `${c.name} coef[${j}]`));
    close(m.intercept, c.intercept, 1e-6, `${c.name} intercept`);
    close(m.alpha, c.alpha, 1e-6, `${c.name} alpha`);
    close(m.lambda, c.lambda, 1e-6, `${c.name} lambda`);
    assert.equal(m.iterations, c.n_iter, `${c.name} iterations`);
    m.predict(c.Xtest).forEach((v, i) => close(v, c.predictions[i], 1e-6, `${c.name} prediction[${i}]`));
    const reloaded = BayesianRidge.load(JSON.parse(JSON.stringify(m.toJSON())));
    assert.deepEqual(reloaded.predict(c.Xtest), m.predict(c.Xtest));
  }
});

test("r2Score follows sklearn r2_score, including constant targets", () => {
  assert.ok(fixtures.r2.length >= 4, `${fixtures.r2.length} cases`);
  for (const c of fixtures.r2) close(r2Score(c.y_true, c.y_pred), c.r2, 1e-12, `r2 ${JSON.stringify(c.y_true)}`);
});

test("MinMaxScaler equals sklearn's, constant columns map to 0", () => {
  const s = new MinMaxScaler().train(fixtures.min_max.X);
  s.transform(fixtures.min_max.Xnew).forEach((row, i) => row.forEach((v, j) => close(v, fixtures.min_max.scaled[i][j], 1e-12, `scaled[${i}][${j}]`)));
});

const tree = fixtures.tree;
const Xtrain = take(tree.X, tree.train), ytrain = take(tree.y, tree.train), Xtest = take(tree.X, tree.test);

test("RegressionTree reproduces sklearn DecisionTreeRegressor (node count; depth-3 predictions and importances exactly)", () => {
  assert.ok(tree.cases.length >= 4, `${tree.cases.length} cases`);
  for (const c of tree.cases) {
    const t = new RegressionTree({ maxDepth: c.max_depth ?? Infinity });
    t.train(Xtrain, ytrain, c.weighted ? tree.counts : undefined);
    const what = `depth ${c.max_depth}, weighted ${c.weighted}`;
    assert.equal(t.nodeCount, c.node_count, `${what}: node count`);
    if (c.max_depth === null) {
      // Deep nodes with 2–3 samples have many equally good splits; sklearn breaks those ties by its
      // random feature order, so a full tree is compared on the training rows, which it fits exactly.
      const seen = Xtrain.filter((_, i) => !c.weighted || tree.counts[i] > 0);
      const targets = ytrain.filter((_, i) => !c.weighted || tree.counts[i] > 0);
      t.predict(seen).forEach((v, i) => close(v, targets[i], 1e-9, `${what}: training prediction[${i}]`));
      continue;
    }
    t.predict(Xtest).forEach((v, i) => close(v, c.predictions[i], 1e-9, `${what}: prediction[${i}]`));
    t.featureImportances().forEach((v, j) => close(v, c.importances[j], 1e-9, `${what}: importance[${j}]`));
  }
});

// Band for the random ensembles: |mean_ours − mean_sklearn| over 20 seeds each must stay below
// 0.03 R² (about 3× sklearn's seed-to-seed spread for the forest, 1.5× for AdaBoost).
const BAND = 0.03;
const SEEDS = Array.from({ length: 20 }, (_, s) => s);

test(`RandomForestRegressor test R² within ${BAND} of sklearn's (mean over 20 seeds)`, () => {
  const ours = SEEDS.map((seed) => {
    const f = new RandomForestRegressor({ seed });
    f.train(Xtrain, ytrain);
    return r2Score(take(tree.y, tree.test), f.predict(Xtest));
  });
  const diff = meanOf(ours) - meanOf(fixtures.ensembles.forest_r2);
  assert.ok(Math.abs(diff) < BAND, `forest mean R² ${meanOf(ours)} vs sklearn ${meanOf(fixtures.ensembles.forest_r2)}`);
  const f = new RandomForestRegressor({ seed: 1 });
  f.train(Xtrain, ytrain);
  const imp = f.featureImportances();
  close(imp.reduce((a, v) => a + v, 0), 1, 1e-12, "forest importances sum");
  imp.forEach((v, j) => assert.ok(Math.abs(v - fixtures.ensembles.forest_importances[j]) < 0.03, `forest importance[${j}] ${v} vs ${fixtures.ensembles.forest_importances[j]}`));
  const reloaded = RandomForestRegressor.load(JSON.parse(JSON.stringify(f.toJSON())));
  assert.deepEqual(reloaded.predict(Xtest), f.predict(Xtest));
});

test(`AdaBoostRegressor test R² within ${BAND} of sklearn's (mean over 20 seeds)`, () => {
  const ours = SEEDS.map((seed) => {
    const a = new AdaBoostRegressor({ seed });
    a.train(Xtrain, ytrain);
    assert.ok(a.estimators.length <= 50 && a.estimators.length === a.estimatorWeights.length);
    return r2Score(take(tree.y, tree.test), a.predict(Xtest));
  });
  const diff = meanOf(ours) - meanOf(fixtures.ensembles.adaboost_r2);
  assert.ok(Math.abs(diff) < BAND, `AdaBoost mean R² ${meanOf(ours)} vs sklearn ${meanOf(fixtures.ensembles.adaboost_r2)}`);
  const a = new AdaBoostRegressor({ seed: 2 });
  a.train(Xtrain, ytrain);
  a.featureImportances().forEach((v, j) => assert.ok(Math.abs(v - fixtures.ensembles.adaboost_importances[j]) < 0.05, `AdaBoost importance[${j}] ${v} vs ${fixtures.ensembles.adaboost_importances[j]}`));
  const reloaded = AdaBoostRegressor.load(JSON.parse(JSON.stringify(a.toJSON())));
  assert.deepEqual(reloaded.predict(Xtest), a.predict(Xtest));
});
