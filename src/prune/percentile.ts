/**
 * numpy.percentile with its default method ("linear", Hyndman & Fan type 7),
 * reproduced operation for operation so thresholds match the thesis's numpy
 * code bit for bit: virtual index i = (n − 1)·(p/100), then numpy's two-sided
 * lerp between the neighbours a = x[⌊i⌋] and b = x[⌊i⌋+1] with γ = i − ⌊i⌋:
 *   γ < 0.5:  a + (b − a)·γ        γ ≥ 0.5:  b − (b − a)·(1 − γ)
 * numpy computes this in float64 even for float32 input (0-d promotion), and so
 * do we.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, percent: number): number {
  checkPercent(percent, "percentile");
  const n = sorted.length;
  if (n === 0) throw new Error("percentile: no values to take a percentile of (empty selection)");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(sorted[i])) throw new Error(`percentile: value [${i}] is ${sorted[i]}; percentiles need finite values`);
  }
  const index = (n - 1) * (percent / 100);
  const below = Math.floor(index);
  const above = Math.min(below + 1, n - 1);
  const gamma = index - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Throws unless `percent` is a number in [0, 100] (not NaN, not a numeric string); `who` starts the message. */
export function checkPercent(percent: unknown, who: string): asserts percent is number {
  if (typeof percent !== "number" || !(percent >= 0 && percent <= 100)) {
    throw new Error(`${who}: percent must be a number in [0, 100], got ${typeof percent === "string" ? JSON.stringify(percent) : String(percent)}`);
  }
}

/** numpy.percentile(values, percent) of unsorted values (copied, then sorted ascending). */
export function percentile(values: ArrayLike<number>, percent: number): number {
  return percentileOfSorted(Float64Array.from(values as ArrayLike<number>).sort(), percent);
}
