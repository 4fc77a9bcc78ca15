/**
 * The input checks every regressor, scaler and score here shares, so each entry point refuses bad data
 * the same way and before any work: a design matrix must be a non-empty list of equally long rows of
 * finite numbers, targets finite and as many as the rows, and predictions are asked for with exactly
 * the number of features the model was trained on. Errors start with the caller ("BayesianRidge.train")
 * and name the row and column (0-based, as the arrays index them) or both lengths.
 */

export type Matrix = readonly (readonly number[])[];

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

/** Throws unless X is a non-empty list of rows of `features` (or X[0]'s count of) finite numbers; returns the feature count. */
export function checkMatrix(who: string, X: Matrix, name = "X", features?: number): number {
  if (!Array.isArray(X)) throw new Error(`${who}: ${name} must be an array of rows, got ${show(X)}`);
  if (X.length === 0) throw new Error(`${who}: ${name} has no rows`);
  if (!Array.isArray(X[0])) throw new Error(`${who}: ${name} row 0 must be an array of numbers, got ${show(X[0])}`);
  const p = features ?? X[0].length;
  if (p === 0) throw new Error(`${who}: ${name} rows have no features`);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (!Array.isArray(row)) throw new Error(`${who}: ${name} row ${i} must be an array of numbers, got ${show(row)}`);
    if (row.length !== p) {
      throw new Error(features === undefined
        ? `${who}: ${name} row ${i} has ${row.length} features, row 0 has ${p}`
        : `${who}: ${name} row ${i} has ${row.length} features, expected ${p} (the number the model was trained on)`);
    }
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${who}: ${name}[${i}][${j}] (row ${i}, column ${j}) is ${show(v)}; features must be finite numbers`);
    }
  }
  return p;
}

/** Throws unless `values` is a non-empty list of finite numbers (`minLength` of them at least). */
export function checkVector(who: string, values: ArrayLike<number>, name = "y", minLength = 1): void {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new Error(`${who}: ${name} must be an array of numbers, got ${show(values)}`);
  }
  if (values.length < minLength) {
    throw new Error(minLength === 1 ? `${who}: ${name} is empty` : `${who}: ${name} needs at least ${minLength} values, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${who}: ${name}[${i}] is ${show(v)}; values must be finite numbers`);
  }
}

/** Throws unless two arrays have the same length, naming both. */
export function checkSameLength(who: string, a: ArrayLike<unknown>, aName: string, b: ArrayLike<unknown>, bName: string): void {
  if (a.length !== b.length) throw new Error(`${who}: ${aName} has ${a.length} ${aName === "X" ? "rows" : "values"} but ${bName} has ${b.length} values`);
}

/**
 * Training data: X a non-empty matrix of finite numbers with equal row lengths, y finite with one value per row.
 * Lengths are compared first, so a mismatch names both lengths. Returns the number of features.
 */
export function checkTrainingData(who: string, X: Matrix, y: readonly number[]): number {
  if (!Array.isArray(X)) throw new Error(`${who}: X must be an array of rows, got ${show(X)}`);
  if (!Array.isArray(y) && !ArrayBuffer.isView(y)) throw new Error(`${who}: y must be an array of numbers, got ${show(y)}`);
  if (X.length === 0) throw new Error(`${who}: X has no rows`);
  checkSameLength(who, X, "X", y, "y");
  const p = checkMatrix(who, X);
  checkVector(who, y);
  return p;
}

/**
 * Input to predict: a matrix whose rows have exactly `features` finite numbers. `features` undefined
 * means the model is not trained. An empty X is allowed (no predictions).
 */
export function checkPredictInput(who: string, X: Matrix, features: number | undefined): void {
  if (features === undefined || features === 0) throw new Error(`${who}: model is not trained`);
  if (!Array.isArray(X)) throw new Error(`${who}: X must be an array of rows, got ${show(X)}`);
  if (X.length === 0) return;
  checkMatrix(who, X, "X", features);
}

/** Throws unless `value` is a finite integer ≥ min (and ≤ max when given); for options such as nEstimators. */
export function checkIntegerOption(who: string, name: string, value: unknown, min: number, max?: number): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new Error(`${who}: ${name} must be ${max === undefined ? `a finite integer ≥ ${min}` : `an integer in ${min} … ${max}`}, got ${show(value)}`);
  }
}

/** Throws unless `value` is a safe integer (a seed). */
export function checkSeedOption(who: string, name: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new Error(`${who}: ${name} must be a safe integer, got ${show(value)}`);
}

/** Throws unless `value` is true or false. */
export function checkBooleanOption(who: string, name: string, value: unknown): void {
  if (typeof value !== "boolean") throw new Error(`${who}: ${name} must be true or false, got ${show(value)}`);
}

/** Throws unless `value` is a finite number ≥ min (> min when `strict`). */
export function checkNumberOption(who: string, name: string, value: unknown, min: number, strict = false): void {
  if (typeof value !== "number" || !Number.isFinite(value) || (strict ? value <= min : value < min)) {
    throw new Error(`${who}: ${name} must be a finite number ${strict ? ">" : "≥"} ${min}, got ${show(value)}`);
  }
}

/** A depth limit: a positive integer, or Infinity for none. */
export function checkDepthOption(who: string, name: string, value: unknown): void {
  if (value === Infinity) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new Error(`${who}: ${name} must be a positive integer or Infinity (no limit), got ${show(value)}`);
  }
}

/**
 * A decimal number as results tables write it: optional sign, digits with an optional fraction
 * ("12", "0.91", ".5", "5."), an optional exponent ("1e-7", "2.5E+3"); spaces or tabs around it are
 * ignored. Anything else — "", whitespace only, hex "0x1", binary/octal, "1e", "1_000", "1,5", "NaN",
 * "Infinity" — is not a decimal, and neither is a literal that overflows to ±Infinity ("1e999").
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a decimal string (see DECIMAL), or undefined when it is not one. */
export function parseDecimal(raw: string | undefined): number | undefined {
  if (typeof raw !== "string") return undefined;
  const text = raw.replace(/^[ \t\r]+|[ \t\r]+$/g, "");
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
