/**
 * Repeated k-fold cross-validated R² (sklearn RepeatedKFold + cross_val_score): each repeat shuffles
 * the rows with its own seed and cuts k folds (the first n mod k folds one row larger); each fold's
 * scaler is fitted on its training rows only, so no test information leaks into the features.
 */
import { MinMaxScaler, r2Score, take } from "./preprocess";
import { meanOf, stdOf } from "./stats";
import { Random } from "../core/random";
import type { Regressor } from "./regressor";
import { checkSeedOption, checkTrainingData } from "./checks";

export interface Fold {
  repeat: number;
  fold: number;
  train: Int32Array;
  test: Int32Array;
}

export function repeatedKFold(n: number, k: number, repeats: number, seed: number): Fold[] {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 2) throw new Error(`repeatedKFold: n (rows) must be an integer ≥ 2, got ${n}`);
  checkSeedOption("repeatedKFold", "seed", seed);
  if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new Error(`repeatedKFold: folds must be an integer in [2, ${n}], got ${k}`);
  if (!(Number.isSafeInteger(repeats) && repeats >= 1)) throw new Error(`repeatedKFold: repeats must be a positive integer, got ${repeats}`);
  const rng = new Random(seed);
  const folds: Fold[] = [];
  for (let r = 0; r < repeats; r++) {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    new Random(rng.nextUint32()).shuffle(order);
    let start = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
      const test = order.slice(start, start + size);
      const train = new Int32Array(n - size);
      train.set(order.subarray(0, start));
      train.set(order.subarray(start + size), start);
      folds.push({ repeat: r, fold: f, train, test });
      start += size;
    }
  }
  return folds;
}

/** Build a fresh model for one fit; `seed` differs per fold so random models vary as in sklearn. */
export type ModelFactory = (seed: number) => Regressor;

export interface CrossValidation {
  scores: number[];
  mean: number;
  std: number;
}

/** Scale on the training part (fitted there), train, predict the held-out part. */
export function fitAndPredict(
  makeModel: ModelFactory, X: readonly (readonly number[])[], y: readonly number[],
  train: ArrayLike<number>, test: ArrayLike<number>, seed: number,
): { model: Regressor; scaler: MinMaxScaler; predictions: number[] } {
  checkTrainingData("fitAndPredict", X, y);
  if (typeof makeModel !== "function") throw new Error(`fitAndPredict: makeModel must be a function (seed) => Regressor, got ${typeof makeModel}`);
  const scaler = new MinMaxScaler().train(take(X, train));
  const model = makeModel(seed);
  model.train(scaler.transform(take(X, train)), take(y, train));
  return { model, scaler, predictions: model.predict(scaler.transform(take(X, test))) };
}

export function crossValidateR2(
  makeModel: ModelFactory, X: readonly (readonly number[])[], y: readonly number[],
  options: { folds?: number; repeats?: number; seed?: number } = {},
): CrossValidation {
  const { folds = 5, repeats = 10, seed = 0 } = options;
  checkTrainingData("crossValidateR2", X, y); // before any fold is fitted
  const scores = repeatedKFold(X.length, folds, repeats, seed).map((fold, i) => {
    const { predictions } = fitAndPredict(makeModel, X, y, fold.train, fold.test, seed + 7919 * (i + 1));
    return r2Score(take(y, fold.test), predictions);
  });
  return { scores, mean: meanOf(scores), std: stdOf(scores) };
}
