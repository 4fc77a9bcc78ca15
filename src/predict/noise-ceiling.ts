/**
 * How much of a test accuracy any predictor of graph properties could explain: the noise ceiling.
 *
 * Accuracies of G graphs, each trained with k seeds (a balanced one-way layout), decomposed by the
 * one-way random-effects ANOVA y_gi = μ + a_g + e_gi, a_g ~ (0, σ²_b) the graph's own effect and e_gi ~
 * (0, σ²_w) the seed's (initialisation and batch order):
 *
 *   MSB = k Σ_g (ȳ_g − ȳ)² / (G − 1),   MSW = Σ_g Σ_i (y_gi − ȳ_g)² / (G (k − 1)),
 *   σ²_b = (MSB − MSW) / k,   σ²_w = MSW.
 *
 * A predictor f(properties) sees only the graph, so the best it can do is f = μ + a_g; its expected R²
 * is the share of the target's variance that a_g carries:
 *
 * - **single-run ceiling = ICC(1)** = σ²_b / (σ²_b + σ²_w) = (MSB − MSW) / (MSB + (k − 1) MSW) (Shrout &
 *   Fleiss's ICC(1,1)): the ceiling for predicting ONE run's accuracy — the thesis's target (one seed per
 *   graph), so its R² 0.88 is to be read against this;
 * - **k-seed-mean ceiling = ICC(1,k)** = σ²_b / (σ²_b + σ²_w / k) = (MSB − MSW) / MSB, the reliability of
 *   the mean of k seeds (Spearman–Brown: k·ICC(1) / (1 + (k − 1)·ICC(1))): the ceiling for predicting
 *   the k-seed MEAN accuracy of a graph.
 *
 * Both are upper bounds: properties that do not pin down the graph's effect reach less. The estimates
 * can be negative (MSB < MSW: no detectable graph effect); the ceilings are clipped to [0, 1], the raw
 * estimates are kept. Confidence intervals are percentile bootstraps over graphs (a resampled graph
 * keeps its k seeds), seeded, so the same input and seed give the same bits.
 */
import { Random } from "../core/random";
import { checkSeedOption, checkVector } from "./checks";

export interface VarianceComponents {
  graphs: number;
  seedsPerGraph: number;
  grandMean: number;
  /** between-graph mean square */
  msb: number;
  /** within-graph (seed) mean square */
  msw: number;
  /** σ²_b = (MSB − MSW) / k (may be negative) */
  betweenVariance: number;
  /** σ²_w = MSW */
  withinVariance: number;
  /** ICC(1) = σ²_b / (σ²_b + σ²_w), raw (may be negative) */
  icc1: number;
  /** ICC(1,k) = reliability of the k-seed mean, raw (may be negative) */
  icc1k: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface NoiseCeiling extends VarianceComponents {
  /** the ceiling of R² for predicting one run's accuracy: ICC(1) clipped to [0, 1], with its bootstrap CI */
  singleRun: Interval;
  /** the ceiling of R² for predicting the k-seed mean accuracy: ICC(1,k) clipped to [0, 1], with its bootstrap CI */
  seedMean: Interval;
  /** the CI's level and the bootstrap's resamples and seed */
  confidence: number;
  resamples: number;
  seed: number;
}

export interface NoiseCeilingOptions {
  /** bootstrap resamples over graphs (default 2000) */
  resamples?: number;
  /** the bootstrap's seed (default 0) */
  seed?: number;
  /** the interval's level (default 0.95) */
  confidence?: number;
}

function checkGroups(who: string, groups: readonly (readonly number[])[]): number {
  if (!Array.isArray(groups) || groups.length < 2) throw new Error(`${who}: need accuracies of at least 2 graphs, got ${Array.isArray(groups) ? groups.length : typeof groups}`);
  const k = Array.isArray(groups[0]) ? groups[0].length : 0;
  if (k < 2) throw new Error(`${who}: need at least 2 seeds per graph to separate graph from seed, graph 0 has ${k}`);
  groups.forEach((g, i) => {
    checkVector(who, g, `graph ${i}'s accuracies`);
    if (g.length !== k) throw new Error(`${who}: the design must be balanced (k seeds for every graph): graph 0 has ${k} seeds, graph ${i} has ${g.length}`);
  });
  return k;
}

/** The one-way random-effects ANOVA of accuracies grouped by graph (groups[g][i]: graph g, seed i). */
export function varianceComponents(groups: readonly (readonly number[])[]): VarianceComponents {
  const k = checkGroups("varianceComponents", groups);
  return components(groups, k);
}

function components(groups: readonly (readonly number[])[], k: number): VarianceComponents {
  const G = groups.length;
  const means = groups.map((g) => g.reduce((a, v) => a + v, 0) / k);
  const grandMean = means.reduce((a, v) => a + v, 0) / G;
  let ssb = 0, ssw = 0;
  groups.forEach((g, i) => {
    ssb += k * (means[i] - grandMean) ** 2;
    for (const v of g) ssw += (v - means[i]) ** 2;
  });
  const msb = ssb / (G - 1), msw = ssw / (G * (k - 1));
  const betweenVariance = (msb - msw) / k;
  // 0/0 (every accuracy equal) has no variance to share out: no graph effect to find, ICC 0
  const icc1 = msb + (k - 1) * msw === 0 ? 0 : (msb - msw) / (msb + (k - 1) * msw);
  const icc1k = msb === 0 ? 0 : (msb - msw) / msb;
  return { graphs: G, seedsPerGraph: k, grandMean, msb, msw, betweenVariance, withinVariance: msw, icc1, icc1k };
}

const clip = (v: number) => Math.min(1, Math.max(0, v));

/** The q-quantile of sorted values, linear between order statistics (numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1), lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * The noise ceilings of accuracies grouped by graph (groups[g][i]: graph g, seed i; every graph the same
 * k ≥ 2 seeds, G ≥ 2 graphs), with percentile bootstrap intervals over graphs.
 */
export function noiseCeiling(groups: readonly (readonly number[])[], options: NoiseCeilingOptions = {}): NoiseCeiling {
  const { resamples = 2000, seed = 0, confidence = 0.95 } = options;
  const k = checkGroups("noiseCeiling", groups);
  if (!(Number.isInteger(resamples) && resamples >= 10)) throw new Error(`noiseCeiling: resamples must be an integer ≥ 10, got ${resamples}`);
  checkSeedOption("noiseCeiling", "seed", seed);
  if (!(typeof confidence === "number" && confidence > 0 && confidence < 1)) throw new Error(`noiseCeiling: confidence must be in (0, 1), got ${confidence}`);
  const fit = components(groups, k);
  const rng = new Random(seed);
  const single: number[] = [], mean: number[] = [];
  const G = groups.length;
  for (let b = 0; b < resamples; b++) {
    const drawn = Array.from({ length: G }, () => groups[rng.nextInt(G)]);
    const c = components(drawn, k);
    single.push(clip(c.icc1));
    mean.push(clip(c.icc1k));
  }
  single.sort((a, b) => a - b);
  mean.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  const interval = (estimate: number, sorted: number[]): Interval => ({ estimate: clip(estimate), low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) });
  return { ...fit, singleRun: interval(fit.icc1, single), seedMean: interval(fit.icc1k, mean), confidence, resamples, seed };
}

/** Spearman–Brown: the reliability of the mean of k runs from the single-run reliability r. */
export function spearmanBrown(r: number, k: number): number {
  if (!(Number.isFinite(r) && r <= 1)) throw new Error(`spearmanBrown: r must be a finite number ≤ 1, got ${r}`);
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`spearmanBrown: k must be a positive integer, got ${k}`);
  return (k * r) / (1 + (k - 1) * r);
}
