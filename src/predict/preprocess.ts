/** Min–max scaling, a seeded train/test split and R², with scikit-learn's semantics. */
import { Random } from "../core/random";
import { checkMatrix, checkPredictInput, checkSeedOption, checkVector } from "./checks";

/** Scales each feature to [0, 1] using the training data's min and max (sklearn MinMaxScaler). */
export class MinMaxScaler {
  min: number[] = [];
  scale: number[] = [];

  train(X: readonly (readonly number[])[]): this {
    const p = checkMatrix("MinMaxScaler.train", X);
    this.min = new Array(p).fill(Infinity);
    const max = new Array(p).fill(-Infinity);
    for (const row of X) {
      for (let j = 0; j < p; j++) {
        if (row[j] < this.min[j]) this.min[j] = row[j];
        if (row[j] > max[j]) max[j] = row[j];
      }
    }
    // A constant feature gets range 1, as sklearn does, so it maps to 0 instead of NaN.
    this.scale = this.min.map((lo, j) => 1 / (max[j] - lo === 0 ? 1 : max[j] - lo));
    return this;
  }

  transform(X: readonly (readonly number[])[]): number[][] {
    checkPredictInput("MinMaxScaler.transform", X, this.min.length || undefined);
    return X.map((row) => {
      return row.map((v, j) => (v - this.min[j]) * this.scale[j]);
    });
  }

  toJSON() {
    return { name: "MinMaxScaler", min: this.min, scale: this.scale };
  }

  static load(model: { name: string; min: number[]; scale: number[] }): MinMaxScaler {
    if (model.name !== "MinMaxScaler") throw new Error(`MinMaxScaler.load: not a MinMaxScaler model (name "${model.name}")`);
    const s = new MinMaxScaler();
    s.min = model.min.slice();
    s.scale = model.scale.slice();
    return s;
  }
}

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** Seeded shuffle split; the test part has ceil(testFraction · n) rows, as sklearn's train_test_split. */
export function trainTestSplit(n: number, testFraction: number, seed: number): Split {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 2) throw new Error(`trainTestSplit: n (rows) must be an integer ≥ 2, got ${n}`);
  if (typeof testFraction !== "number" || !(testFraction > 0 && testFraction < 1)) throw new Error(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  checkSeedOption("trainTestSplit", "seed", seed);
  const nTest = Math.ceil(testFraction * n);
  if (nTest >= n) throw new Error(`trainTestSplit: ${n} rows leave no training rows with testFraction ${testFraction}`);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  new Random(seed).shuffle(order);
  return { test: order.slice(0, nTest), train: order.slice(nTest) };
}

/** Rows of X (or entries of y) at `indices`. */
export function take<T>(values: readonly T[], indices: ArrayLike<number>): T[] {
  return Array.from(indices as ArrayLike<number>, (i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= values.length) throw new Error(`take: index ${k} is ${i}, not a row in 0…${values.length - 1}`);
    return values[i];
  });
}

/**
 * Coefficient of determination, sklearn r2_score semantics: 1 − SS_res / SS_tot; for a constant
 * y_true it returns 1 when the prediction is perfect and 0 otherwise (force_finite=True).
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = yTrue.length;
  if (n !== yPred.length) throw new Error(`r2Score: ${n} true values but ${yPred.length} predictions`);
  if (n < 2) throw new Error(`r2Score: needs at least 2 samples, got ${n}`);
  checkVector("r2Score", yTrue, "yTrue");
  checkVector("r2Score", yPred, "yPred");
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
