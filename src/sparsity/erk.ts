/**
 * How a target density is spread over the weight matrices ("layers") of a group.
 *
 * "uniform": every matrix keeps the same fraction.
 * "erk": Erdős–Rényi (Mocanu et al. 2018, SET) as generalised by Evci et al. 2020 (RigL, ERK):
 * matrix l keeps a fraction ε·(n_in + n_out)/(n_in·n_out) — for a matrix without kernel
 * dimensions ERK and ER coincide — with one ε for all matrices such that the kept weights add up
 * to the target; a matrix whose fraction would exceed 1 is dense and ε is solved again over the
 * others (RigL's procedure). Here n_out = gates·hidden (the gate rows stacked), n_in = the
 * matrix's columns, so small matrices (few units, a block's W_hh) are kept denser.
 *
 * `layerCounts` turns densities into whole weights: the counts add up to round(target·N) exactly
 * (largest remainders, ties to the earlier matrix) and never exceed a matrix's size.
 */

export type DensityRule = "uniform" | "erk";
export const DENSITY_RULES: readonly DensityRule[] = ["uniform", "erk"];

export interface MatrixShape {
  rows: number;
  cols: number;
}

function checkShapes(shapes: readonly MatrixShape[], density: number, rule: unknown, who: string): void {
  if (!DENSITY_RULES.includes(rule as DensityRule)) throw new Error(`${who}: rule must be one of ${DENSITY_RULES.join(", ")}, got ${JSON.stringify(rule)}`);
  if (typeof density !== "number" || !(density >= 0 && density <= 1)) throw new Error(`${who}: density must be a fraction in [0, 1], got ${density}`);
  if (!Array.isArray(shapes) || shapes.length === 0) throw new Error(`${who}: no matrices`);
  shapes.forEach((s, i) => {
    if (!Number.isInteger(s.rows) || !Number.isInteger(s.cols) || s.rows < 1 || s.cols < 1) throw new Error(`${who}: matrix ${i} is ${s.rows}×${s.cols}`);
  });
}

/** The kept fraction of every matrix under `rule` for an overall kept fraction `density`: Σ d_l·N_l = density·Σ N_l, each d_l ≤ 1. */
export function layerDensities(shapes: readonly MatrixShape[], density: number, rule: DensityRule): number[] {
  checkShapes(shapes, density, rule, "layerDensities");
  if (rule === "uniform") return shapes.map(() => density);
  const size = shapes.map((s) => s.rows * s.cols);
  const score = shapes.map((s) => (s.rows + s.cols) / (s.rows * s.cols));
  const total = size.reduce((a, b) => a + b, 0);
  const dense = new Set<number>();
  for (;;) {
    let budget = density * total, weighted = 0;
    shapes.forEach((_, l) => {
      if (dense.has(l)) budget -= size[l];
      else weighted += score[l] * size[l];
    });
    const epsilon = weighted > 0 ? budget / weighted : 0;
    const over = shapes.map((_, l) => l).filter((l) => !dense.has(l) && epsilon * score[l] > 1);
    if (over.length === 0) return shapes.map((_, l) => (dense.has(l) ? 1 : Math.max(0, epsilon * score[l])));
    for (const l of over) dense.add(l);
  }
}

/** Whole kept weights per matrix: Σ = round(density·Σ N_l), each ≤ N_l, close to layerDensities. */
export function layerCounts(shapes: readonly MatrixShape[], density: number, rule: DensityRule): number[] {
  const densities = layerDensities(shapes, density, rule);
  const size = shapes.map((s) => s.rows * s.cols);
  const total = size.reduce((a, b) => a + b, 0);
  const target = Math.round(density * total);
  const exact = densities.map((d, l) => Math.min(size[l], d * size[l]));
  const counts = exact.map(Math.floor);
  let left = target - counts.reduce((a, b) => a + b, 0);
  // Σ floor ≤ Σ exact = density·N, so left ≥ 0; largest remainders first (ties: the earlier matrix)
  const order = exact.map((_, l) => l).sort((a, b) => (exact[b] - counts[b]) - (exact[a] - counts[a]) || a - b);
  while (left > 0) {
    const before = left;
    for (const l of order) if (left > 0 && counts[l] < size[l]) { counts[l]++; left--; }
    if (left === before) throw new Error(`layerCounts: no room for ${left} more weights`);
  }
  if (left < 0) throw new Error(`layerCounts: rounding overshot the target ${target} by ${-left}`);
  return counts;
}
