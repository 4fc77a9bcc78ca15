/**
 * The least-squares lines the scatter figures draw: ml-regression's SimpleLinearRegression
 * (ordinary least squares of y on x) with its R² (the squared Pearson correlation of x and y).
 */

/** The part of ml-regression's SimpleLinearRegression used here (the package ships no type declarations). */
interface SimpleLinearRegressionModel {
  slope: number;
  intercept: number;
  score(x: number[], y: number[]): { r: number; r2: number; chi2: number; rmsd: number };
}
const { SimpleLinearRegression } = require("ml-regression") as { SimpleLinearRegression: new (x: number[], y: number[]) => SimpleLinearRegressionModel };

export interface LinearFit {
  slope: number;
  intercept: number;
  /** coefficient of determination of the fit on its own points */
  r2: number;
  /** points fitted */
  n: number;
  /** the fitted x range, where the figures draw the line */
  x: [number, number];
}

/**
 * The least-squares line of y on x over the finite pairs, or undefined where no line exists
 * (fewer than two points, or every x the same).
 */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit | undefined {
  if (x.length !== y.length) throw new Error(`linearFit: ${x.length} x values but ${y.length} y values`);
  const xs: number[] = [], ys: number[] = [];
  x.forEach((v, i) => { if (Number.isFinite(v) && Number.isFinite(y[i])) { xs.push(v); ys.push(y[i]); } });
  const lo = Math.min(...xs), hi = Math.max(...xs);
  if (xs.length < 2 || lo === hi) return undefined;
  const fit = new SimpleLinearRegression(xs, ys);
  // a constant y is fitted exactly by a flat line: R² = 1 by convention of a perfect fit (ml-regression gives NaN)
  const r2 = ys.every((v) => v === ys[0]) ? 1 : fit.score(xs, ys).r2;
  return { slope: fit.slope, intercept: fit.intercept, r2, n: xs.length, x: [lo, hi] };
}

/** The line's two end points over its x range, as a Plotly trace's x and y. */
export function fitLinePoints(fit: LinearFit): { x: number[]; y: number[] } {
  return { x: [...fit.x], y: fit.x.map((v) => fit.slope * v + fit.intercept) };
}
