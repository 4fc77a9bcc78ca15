/** The one interface every regressor here implements (mljs style). */
export interface Regressor {
  train(X: readonly (readonly number[])[], y: readonly number[]): void;
  predict(X: readonly (readonly number[])[]): number[];
  /** Model-specific importances, one per feature (coefficients or impurity-based). */
  featureImportances(): number[];
  toJSON(): { name: string };
}

export function checkTrainingData(who: string, X: readonly (readonly number[])[], y: readonly number[]): number {
  if (X.length === 0) throw new Error(`${who}.train: X has no rows`);
  if (X.length !== y.length) throw new Error(`${who}.train: X has ${X.length} rows but y has ${y.length} values`);
  const p = X[0].length;
  X.forEach((row, i) => {
    if (row.length !== p) throw new Error(`${who}.train: row ${i} has ${row.length} features, row 0 has ${p}`);
  });
  return p;
}
