/**
 * Permutation importance (sklearn.inspection.permutation_importance semantics): the drop in R² on
 * (X, y) when one feature's column is shuffled, repeated nRepeats times.
 */
import { r2Score } from "./preprocess";
import { Random } from "../core/random";
import type { Regressor } from "./regressor";
import { meanOf, stdOf } from "./stats";
import { checkIntegerOption, checkSeedOption, checkTrainingData } from "./checks";

export interface PermutationImportance {
  mean: number[];
  std: number[];
  /** importances[feature][repeat] */
  importances: number[][];
}

export function permutationImportance(
  model: Regressor, X: readonly (readonly number[])[], y: readonly number[], options: { nRepeats?: number; seed?: number } = {},
): PermutationImportance {
  const { nRepeats = 5, seed = 0 } = options;
  checkTrainingData("permutationImportance", X, y);
  checkIntegerOption("permutationImportance", "nRepeats", nRepeats, 1);
  checkSeedOption("permutationImportance", "seed", seed);
  const rng = new Random(seed);
  const baseline = r2Score(y, model.predict(X));
  const p = X[0].length;
  const shuffled = X.map((row) => row.slice());
  const order = Int32Array.from({ length: X.length }, (_, i) => i);
  const importances = Array.from({ length: p }, (_, f) => {
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      rng.shuffle(order);
      for (let i = 0; i < X.length; i++) shuffled[i][f] = X[order[i]][f];
      drops.push(baseline - r2Score(y, model.predict(shuffled)));
    }
    for (let i = 0; i < X.length; i++) shuffled[i][f] = X[i][f];
    return drops;
  });
  return { mean: importances.map(meanOf), std: importances.map(stdOf), importances };
}
