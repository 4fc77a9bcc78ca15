/**
 * Controls for the sparse-training comparison:
 * - `randomMasks`: a random mask at a given density, spread over the matrices by a density
 *   rule (uniform or ERK, erk.ts) — what a method's mask has to beat;
 * - `shuffledMasks`: a network's masks (e.g. a pruned or lottery-ticket mask) shuffled within
 *   each matrix — the same per-layer counts, the positions forgotten;
 * - `smallDenseSpec`: a dense network with (as nearly as sizes allow) the same number of
 *   recurrent weights as a sparse one keeps.
 * All randomness through the project's seeded Random: same seed, same masks.
 */
import { Random } from "../core/random";
import type { Network } from "../nn/network";
import { GATES, type NetworkSpec } from "../nn/spec";
import { layerInputSize, validateSpec } from "../nn/validate";
import { DensityRule, layerCounts } from "./erk";
import { checkDensity, checkGroup, groupMatrices, MaskPlan, planOf, WeightGroup } from "./matrices";
import { randomK } from "./select";
import type { MaskMethod } from "./method";

export interface RandomMaskOptions {
  group: WeightGroup;
  /** kept fraction of the group's weights */
  density: number;
  /** how the density is spread over the matrices; default "erk" */
  rule?: DensityRule;
  seed: number;
}

/**
 * Random masks for the group's matrices (their current masks are replaced, not intersected): matrix l
 * keeps exactly layerCounts(…)[l] weights at uniformly random positions. Pure: the network is not changed.
 */
export function randomMasks(net: Network, options: RandomMaskOptions): MaskPlan {
  checkGroup(options?.group, "randomMasks");
  checkDensity(options.density, "randomMasks");
  const matrices = groupMatrices(net, options.group);
  const counts = layerCounts(matrices, options.density, options.rule ?? "erk");
  const rng = new Random(options.seed);
  return planOf(net, options.group, matrices.map((m, l) => {
    const mask = new Uint8Array(m.mask.length);
    for (const i of randomK(mask.length, counts[l], () => true, rng, "randomMasks")) mask[i] = 1;
    return mask;
  }));
}

/** The network's masks of the group, each shuffled within its matrix (Fisher–Yates): per-matrix counts preserved. Pure. */
export function shuffledMasks(net: Network, options: { group: WeightGroup; seed: number }): MaskPlan {
  checkGroup(options?.group, "shuffledMasks");
  const rng = new Random(options.seed);
  return planOf(net, options.group, groupMatrices(net, options.group).map((m) => rng.shuffle(Uint8Array.from(m.mask))));
}

/** The random-mask control as a method object. */
export function randomControl(options: RandomMaskOptions): MaskMethod {
  return { name: `random-${options.rule ?? "erk"}`, group: options.group, masksAt: (net) => randomMasks(net, options) };
}

/** The shuffled-mask control as a method object: masksAt(net) shuffles `net`'s own masks (give it the pruned network). */
export function shuffledControl(options: { group: WeightGroup; seed: number }): MaskMethod {
  return { name: "shuffled", group: options.group, masksAt: (net) => shuffledMasks(net, options) };
}

/** Recurrent weights (every block's W_ih and W_hh) of a dense network of this spec (its masks ignored). */
export function recurrentWeightCount(spec: NetworkSpec): number {
  validateSpec({ ...spec, layers: spec.layers.map((l) => ({ size: l.size })), skips: spec.skips.map((s) => ({ from: s.from, to: s.to })) });
  const G = GATES[spec.mode];
  let n = 0;
  spec.layers.forEach((l, i) => { n += G * l.size * (layerInputSize(spec, i) + l.size); });
  for (const s of spec.skips) n += G * spec.layers[s.to].size * (spec.layers[s.from].size + spec.layers[s.to].size);
  return n;
}

export interface SmallDense {
  /** the dense spec: the same mode, depth, skips, vocabulary and classes, smaller layers */
  spec: NetworkSpec;
  /** its recurrent weights */
  weights: number;
  /** the kept recurrent weights it was asked to match */
  target: number;
}

/**
 * The dense network with (as nearly as whole units allow) `kept` recurrent weights: every layer scaled
 * by one factor — sizes max(1, round(s·H_l/H_max)) for the widest layer's size s = 1 … H_max — and the s
 * whose weight count is closest to `kept` (ties: the smaller network). The embedding follows the first
 * layer (its size is the embedding's). Pass keptRecurrentWeights(sparseNet) for the control of a sparse net.
 */
export function smallDenseSpec(spec: NetworkSpec, kept: number): SmallDense {
  if (!Number.isInteger(kept) || kept < 0) throw new Error(`smallDenseSpec: kept must be a non-negative integer, got ${kept}`);
  const widest = Math.max(...spec.layers.map((l) => l.size));
  const sized = (s: number): NetworkSpec => ({
    mode: spec.mode, vocab: spec.vocab, classes: spec.classes,
    layers: spec.layers.map((l) => ({ size: Math.max(1, Math.round((s * l.size) / widest)) })),
    skips: spec.skips.map((k) => ({ from: k.from, to: k.to })),
  });
  let best: SmallDense | undefined;
  for (let s = 1; s <= widest; s++) {
    const candidate = sized(s);
    const weights = recurrentWeightCount(candidate);
    if (!best || Math.abs(weights - kept) < Math.abs(best.weights - kept)) best = { spec: candidate, weights, target: kept };
  }
  return best!;
}

