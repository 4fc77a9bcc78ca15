import type { BlockMasks } from "../nn/spec";
import type { Floats } from "../nn/kernel-ops";
import { checkPercent, percentileOfSorted } from "./percentile";

/**
 * Magnitude pruning as the thesis does it (chapter 5.2): one threshold, the
 * p-th percentile of |w| over the selected recurrent weights of all blocks
 * pooled; a weight survives when |w| ≥ threshold (so at p = 100 only the largest
 * magnitude survives). Biases are never pruned.
 */

/** Which recurrent matrices are pruned: input-to-hidden, hidden-to-hidden, or both pooled. */
export type PruneKind = "both" | "i2h" | "h2h";
export const PRUNE_KINDS: readonly PruneKind[] = ["both", "i2h", "h2h"];

/**
 * "global": one threshold over all blocks pooled (the thesis).
 * "layer": one threshold per recurrent block over that block's selected matrices,
 * so every block loses the same fraction (the global threshold instead prunes
 * blocks with small weights harder).
 */
export type ThresholdScope = "global" | "layer";

/** What pruning needs of a recurrent block; the engine's RecurrentBlock has it. */
export interface WeightBlock {
  /** Named in error messages when present ("layer1", "skip0to2"). */
  name?: string;
  wIH: Floats;
  wHH: Floats;
  maskIH?: Uint8Array;
  maskHH?: Uint8Array;
}

export interface PruneOptions {
  /** percentile p in [0, 100] of |w| used as the threshold */
  percent: number;
  kind: PruneKind;
  scope?: ThresholdScope;
}

export interface PrunePlan {
  /** per block: new masks for the selected matrices (absent = untouched) */
  masks: BlockMasks[];
  /** global: one threshold; layer: one per block */
  thresholds: number[];
  /** selected weights kept / selected weights in total */
  kept: number;
  total: number;
}

interface Selected {
  /** "block 1 (layer1) h2h" for error messages */
  where: string;
  weights: Floats;
  previous?: Uint8Array;
  put: (mask: Uint8Array) => void;
}

function selectMatrices(block: WeightBlock, b: number, kind: PruneKind, masks: BlockMasks): Selected[] {
  const selected: Selected[] = [];
  const name = `block ${b}${typeof block.name === "string" ? ` (${block.name})` : ""}`;
  if (kind !== "h2h") selected.push({ where: `${name} i2h`, weights: block.wIH, previous: block.maskIH, put: (m) => (masks.maskIH = m) });
  if (kind !== "i2h") selected.push({ where: `${name} h2h`, weights: block.wHH, previous: block.maskHH, put: (m) => (masks.maskHH = m) });
  return selected;
}

/**
 * Throws unless every weight is a finite number: one NaN would make the threshold NaN (and
 * |w| ≥ NaN is false, so everything would be pruned). `where` names the matrix, e.g. "block 2 (layer2) h2h".
 */
export function checkFiniteWeights(weights: Floats, where: string, who = "magnitudeMasks"): void {
  if (weights === null || typeof weights !== "object" || typeof weights.length !== "number") {
    throw new Error(`${who}: ${where} weights must be an array of numbers, got ${weights === null ? "null" : typeof weights}`);
  }
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (typeof w !== "number" || !Number.isFinite(w)) {
      throw new Error(`${who}: ${where} weight [${i}] is ${typeof w === "number" ? w : JSON.stringify(w)}; pruning needs finite weights`);
    }
  }
}

/** |w| of several matrices pooled and sorted ascending. */
export function pooledMagnitudes(matrices: readonly Floats[]): Float64Array {
  let size = 0;
  for (const m of matrices) size += m.length;
  const magnitudes = new Float64Array(size);
  let offset = 0;
  for (const m of matrices) {
    for (let i = 0; i < m.length; i++) magnitudes[offset + i] = Math.abs(m[i]);
    offset += m.length;
  }
  return magnitudes.sort();
}

/** The p-th percentile (numpy linear) of |w| over the matrices pooled. */
export function magnitudeThreshold(matrices: readonly Floats[], percent: number): number {
  checkPercent(percent, "magnitudeThreshold");
  matrices.forEach((m, i) => checkFiniteWeights(m, `matrix ${i}`, "magnitudeThreshold"));
  return percentileOfSorted(pooledMagnitudes(matrices), percent);
}

/**
 * mask[i] = |w[i]| ≥ threshold, and never revives a weight a previous mask removed
 * (masked weights are zero, so a threshold of 0 would otherwise keep them).
 */
export function thresholdMask(weights: Floats, threshold: number, previous?: Uint8Array): Uint8Array {
  if (typeof threshold !== "number" || Number.isNaN(threshold)) throw new Error(`thresholdMask: threshold must be a number, got ${threshold}`);
  checkFiniteWeights(weights, "the matrix", "thresholdMask");
  if (previous && previous.length !== weights.length) {
    throw new Error(`thresholdMask: previous mask has ${previous.length} entries, weights have ${weights.length}`);
  }
  const mask = new Uint8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    mask[i] = Math.abs(weights[i]) >= threshold && (!previous || previous[i] === 1) ? 1 : 0;
  }
  return mask;
}

/** Throws unless kind and scope are known; `who` starts the message. */
export function checkPruneKind(kind: unknown, scope: unknown, who: string): void {
  if (!PRUNE_KINDS.includes(kind as PruneKind)) throw new Error(`${who}: kind must be one of ${PRUNE_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  if (scope !== undefined && scope !== "global" && scope !== "layer") throw new Error(`${who}: scope must be "global" or "layer", got ${JSON.stringify(scope)}`);
}

/**
 * Masks for pruning `blocks` at percentile p of the selected magnitudes. Pure: blocks are not changed.
 * Everything is checked first: percent a number in [0, 100], kind and scope known, every selected weight finite.
 */
export function magnitudeMasks(blocks: readonly WeightBlock[], options: PruneOptions): PrunePlan {
  if (options === null || typeof options !== "object") throw new Error(`magnitudeMasks: options must be { percent, kind, scope? }, got ${String(options)}`);
  const { percent, kind, scope = "global" } = options;
  checkPruneKind(kind, scope, "magnitudeMasks");
  checkPercent(percent, "magnitudeMasks");
  if (!Array.isArray(blocks) || blocks.length === 0) throw new Error("magnitudeMasks: no recurrent blocks to prune");
  const masks: BlockMasks[] = blocks.map(() => ({}));
  const selected = blocks.map((block, b) => selectMatrices(block, b, kind, masks[b]));
  for (const s of selected.flat()) {
    checkFiniteWeights(s.weights, s.where);
    if (s.previous && s.previous.length !== s.weights.length) {
      throw new Error(`magnitudeMasks: ${s.where} mask has ${s.previous.length} entries, weights have ${s.weights.length}`);
    }
  }
  const groups = scope === "global" ? [selected.flat()] : selected;
  const thresholds: number[] = [];
  let kept = 0;
  let total = 0;
  for (const group of groups) {
    const threshold = magnitudeThreshold(group.map((s) => s.weights), percent);
    thresholds.push(threshold);
    for (const s of group) {
      const mask = thresholdMask(s.weights, threshold, s.previous);
      s.put(mask);
      kept += countOnes(mask);
      total += mask.length;
    }
  }
  return { masks, thresholds, kept, total };
}

export function countOnes(mask: Uint8Array): number {
  let ones = 0;
  for (let i = 0; i < mask.length; i++) ones += mask[i];
  return ones;
}

/** What pruning needs of a network; the engine's Network has it. */
export interface MaskableNetwork {
  readonly blocks: readonly WeightBlock[];
  setMasks(block: number, masks: BlockMasks): void;
}

/** Prune a network in place: compute the masks and hand them to the engine (which zeroes the weights). */
export function pruneNetwork(net: MaskableNetwork, options: PruneOptions): PrunePlan {
  const plan = magnitudeMasks(net.blocks, options);
  plan.masks.forEach((masks, b) => net.setMasks(b, masks));
  return plan;
}

/** How many masked weights are not exactly zero (0 when the masks hold). */
export function maskViolations(blocks: readonly WeightBlock[]): number {
  let bad = 0;
  for (const b of blocks) {
    for (const [w, mask] of [[b.wIH, b.maskIH], [b.wHH, b.maskHH]] as const) {
      if (!mask) continue;
      for (let i = 0; i < w.length; i++) if (mask[i] === 0 && w[i] !== 0) bad++;
    }
  }
  return bad;
}
