/** The one interface every regressor here implements (mljs style). */
export interface Regressor {
  train(X: readonly (readonly number[])[], y: readonly number[]): void;
  predict(X: readonly (readonly number[])[]): number[];
  /** Model-specific importances, one per feature (coefficients or impurity-based). */
  featureImportances(): number[];
  toJSON(): { name: string };
}

/** The shared input checks live in checks.ts; re-exported here where they used to be. */
export { checkTrainingData } from "./checks";
