/**
 * How heavy the tail of a degree distribution is, for testing SET's claim (Mocanu et al. 2018)
 * that sparse evolutionary training turns an Erdős–Rényi start into a scale-free (heavy-tailed)
 * connectivity.
 *
 * The statistic is the coefficient of variation CV = σ/μ of the degrees (with max/μ beside it),
 * not a fitted power-law exponent. Why: under an Erdős–Rényi mask every weight is kept independently,
 * so a unit's degree is binomial and CV ≈ √((1 − p)/μ) — small once units have tens of connections;
 * hubs (a heavy tail) raise σ and max/μ far above that. A power-law exponent needs a tail spanning
 * decades to be fitted reliably (Clauset, Shalizi & Newman 2009), while these networks have a few
 * hundred units whose degrees span one decade at most, so the fitted exponent would mostly reflect
 * the choice of the fit's lower cut-off. CV needs no fit and no cut-off. The units are not all alike
 * (embedding dimensions, layers of different densities under ERK), so the comparison that tests the
 * claim is a method's mask at the start of training against the same method's mask at the end.
 */

export interface DegreeTail {
  mean: number;
  /** σ/μ, σ the population standard deviation (0 when every degree is 0) */
  cv: number;
  /** the largest degree over the mean (0 when every degree is 0) */
  maxRatio: number;
}

export function degreeTail(degrees: ArrayLike<number>): DegreeTail {
  const n = degrees.length;
  if (n === 0) throw new Error("degreeTail: no degrees");
  let sum = 0, max = 0;
  for (let i = 0; i < n; i++) {
    const d = degrees[i];
    if (!Number.isInteger(d) || d < 0) throw new Error(`degreeTail: degree [${i}] is ${d}; degrees are non-negative integers`);
    sum += d;
    if (d > max) max = d;
  }
  const mean = sum / n;
  if (mean === 0) return { mean, cv: 0, maxRatio: 0 };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (degrees[i] - mean) ** 2;
  return { mean, cv: Math.sqrt(ss / n) / mean, maxRatio: max / mean };
}

/** A degree histogram as text for a table cell: "degree:count" pairs, ascending degree, space-separated. */
export function formatDegreeHistogram(degrees: ArrayLike<number>): string {
  const counts = new Map<number, number>();
  for (let i = 0; i < degrees.length; i++) counts.set(degrees[i], (counts.get(degrees[i]) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => a - b).map((d) => `${d}:${counts.get(d)}`).join(" ");
}

/** The histogram formatDegreeHistogram wrote, as { degree, count } ascending; malformed text is an error naming it. */
export function parseDegreeHistogram(text: string): Array<{ degree: number; count: number }> {
  if (text.trim() === "") return [];
  return text.trim().split(/\s+/).map((pair) => {
    const m = /^(\d+):(\d+)$/.exec(pair);
    if (!m) throw new Error(`parseDegreeHistogram: "${pair}" is not degree:count (in ${JSON.stringify(text.slice(0, 60))})`);
    return { degree: Number(m[1]), count: Number(m[2]) };
  });
}
