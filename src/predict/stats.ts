/**
 * Pearson correlation with a two-sided p-value (Student's t) and a Fisher-z confidence interval,
 * matching scipy.stats.pearsonr. No installed package (the ml-* family included) provides the regularized
 * incomplete beta function, the t distribution or the normal quantile, so they are written here.
 */
import { checkVector } from "./checks";

/** Mean of a non-empty list of finite numbers. */
export function meanOf(values: readonly number[]): number {
  checkVector("meanOf", values, "values");
  return values.reduce((a, v) => a + v, 0) / values.length;
}

/** Population standard deviation (numpy's default ddof = 0) of a non-empty list of finite numbers. */
export function stdOf(values: readonly number[]): number {
  checkVector("stdOf", values, "values");
  const m = meanOf(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
}

/**
 * Sample variance (ddof = 1) of a non-empty list of finite numbers; 0 for a single value (no spread
 * observed), which is how the seed tables report one seed.
 */
export function sampleVarianceOf(values: readonly number[]): number {
  checkVector("sampleVarianceOf", values, "values");
  if (values.length < 2) return 0;
  const m = meanOf(values);
  return values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1);
}

export interface Correlation {
  r: number;
  /** Two-sided p-value of H0: r = 0 (t distribution with n − 2 degrees of freedom). */
  pValue: number;
  /** Fisher-z confidence interval for r at `confidence`. */
  ci: [number, number];
  n: number;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, confidence = 0.95): Correlation {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearson: x has ${n} values but y has ${y.length}`);
  if (n < 3) throw new Error(`pearson: need at least 3 pairs, got ${n}`);
  checkVector("pearson", x, "x");
  checkVector("pearson", y, "y");
  if (typeof confidence !== "number" || !(confidence > 0 && confidence < 1)) throw new Error(`pearson: confidence must be in (0, 1), got ${confidence}`);
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return { r: NaN, pValue: NaN, ci: [NaN, NaN], n }; // constant input, as scipy
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  // p = 2·P(T > |t|) with t² = r²(n−2)/(1−r²)  ⇔  I_{1−r²}((n−2)/2, 1/2)
  const df = n - 2;
  const pValue = Math.abs(r) === 1 ? 0 : regularizedIncompleteBeta(1 - r * r, df / 2, 0.5);
  const z = Math.atanh(r), se = 1 / Math.sqrt(n - 3), q = normalQuantile(0.5 + confidence / 2);
  return { r, pValue, ci: [Math.tanh(z - q * se), Math.tanh(z + q * se)], n };
}

/** ln Γ(x), Lanczos approximation (g = 7, 9 terms), |rel. error| < 1e-15 for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** I_x(a, b): continued fraction (modified Lentz), using the symmetry relation for fast convergence. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) throw new Error(`regularizedIncompleteBeta: x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
  return (front * betaContinuedFraction(x, a, b)) / a;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    for (const num of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + num * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-16) break;
  }
  return h;
}

/** Student's t cumulative distribution function. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Standard normal quantile: Acklam's rational approximation refined by one Halley step on erfc. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Complementary error function: Taylor series of erf below 2, Lentz continued fraction above (full double precision). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  let result: number;
  if (z < 2) {
    // erf series: 2/√π Σ (−1)^n z^{2n+1} / (n! (2n+1))
    let sum = z, term = z;
    for (let n = 1; n < 100; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    result = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Continued fraction (Lentz) for erfc at large z.
    const tiny = 1e-300;
    let f = z, c = z, d = 0;
    for (let n = 1; n < 200; n++) {
      const an = n / 2;
      d = z + an * d; if (Math.abs(d) < tiny) d = tiny; d = 1 / d;
      c = z + an / c; if (Math.abs(c) < tiny) c = tiny;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    result = Math.exp(-z * z) / (f * Math.sqrt(Math.PI));
  }
  return x >= 0 ? result : 2 - result;
}
