/**
 * The recurrent weight matrices a sparsity method works on, and the mask plans it returns.
 *
 * Weight groups are the thesis's (src/prune `PruneKind`): "i2h" = every block's W_ih, "h2h" =
 * every block's W_hh, "both" = both. Biases, the embedding and the head are never masked. A
 * "layer" of the sparse-training literature is one weight matrix here (a block's W_ih or W_hh,
 * gate rows stacked); per-layer densities, drops and regrowth are per matrix.
 *
 * Methods return a `MaskPlan` (new masks for the selected matrices, the others untouched) and do
 * not change the network; `applyPlan` hands it to the engine (Network.setMasks, which zeroes the
 * newly masked weights).
 */
import type { Network, Weights } from "../nn/network";
import type { BlockMasks } from "../nn/spec";
import { thetaArrayIndex } from "../nn/theta-layout";
import { PRUNE_KINDS, type PruneKind } from "../prune/magnitude";

/** Which recurrent matrices a method sparsifies: "i2h", "h2h" or "both". */
export type WeightGroup = PruneKind;
export const WEIGHT_GROUPS: readonly WeightGroup[] = PRUNE_KINDS;

/** One selected weight matrix of a network (views of the network's arrays, not copies). */
export interface SparseMatrix {
  /** index of the matrix among the group's matrices (block order, W_ih before W_hh) */
  index: number;
  block: number;
  key: "maskIH" | "maskHH";
  /** "layer0.ih", "skip0to2.hh" */
  name: string;
  rows: number;
  cols: number;
  weights: Weights;
  mask: Uint8Array;
}

/** Throws unless `group` is a weight group; `who` starts the message. */
export function checkGroup(group: unknown, who: string): asserts group is WeightGroup {
  if (!WEIGHT_GROUPS.includes(group as WeightGroup)) throw new Error(`${who}: group must be one of ${WEIGHT_GROUPS.join(", ")}, got ${JSON.stringify(group)}`);
}

/** The group's matrices of `net`, block order, W_ih before W_hh. */
export function groupMatrices(net: Network, group: WeightGroup): SparseMatrix[] {
  checkGroup(group, "groupMatrices");
  const out: SparseMatrix[] = [];
  net.blocks.forEach((b, block) => {
    const rows = b.gates * b.hidden;
    if (group !== "h2h") out.push({ index: out.length, block, key: "maskIH", name: `${b.name}.ih`, rows, cols: b.inputSize, weights: b.wIH, mask: b.maskIH });
    if (group !== "i2h") out.push({ index: out.length, block, key: "maskHH", name: `${b.name}.hh`, rows, cols: b.hidden, weights: b.wHH, mask: b.maskHH });
  });
  return out;
}

/** Where a matrix's weights sit in Network.parameterArrays() (and so in gradients in that order). */
export function parameterIndex(m: Pick<SparseMatrix, "block" | "key">): number {
  return thetaArrayIndex(m.block, m.key === "maskIH" ? "wIH" : "wHH");
}

/** New masks for a network's selected matrices. */
export interface MaskPlan {
  group: WeightGroup;
  /** per block: new masks for its selected matrices (absent = untouched) */
  masks: BlockMasks[];
  /** per selected matrix, in groupMatrices order */
  matrices: Array<{ name: string; kept: number; total: number }>;
  /** selected weights kept / in total */
  kept: number;
  total: number;
}

/** The plan setting the group's matrices to `masks` (one per matrix, groupMatrices order). */
export function planOf(net: Network, group: WeightGroup, masks: readonly Uint8Array[]): MaskPlan {
  const selected = groupMatrices(net, group);
  if (masks.length !== selected.length) throw new Error(`planOf: ${selected.length} matrices in group ${group}, got ${masks.length} masks`);
  const plan: MaskPlan = { group, masks: net.blocks.map(() => ({})), matrices: [], kept: 0, total: 0 };
  selected.forEach((m, i) => {
    const mask = masks[i];
    if (mask.length !== m.mask.length) throw new Error(`planOf: ${m.name} needs ${m.mask.length} mask entries, got ${mask.length}`);
    const kept = countOnes(mask);
    plan.masks[m.block][m.key] = mask;
    plan.matrices.push({ name: m.name, kept, total: mask.length });
    plan.kept += kept;
    plan.total += mask.length;
  });
  return plan;
}

/** The plan of the network's current masks of a group (e.g. a pruned network's, to shuffle or compare). */
export function currentPlan(net: Network, group: WeightGroup): MaskPlan {
  return planOf(net, group, groupMatrices(net, group).map((m) => Uint8Array.from(m.mask)));
}

/** Set the plan's masks on the network (masked weights become exactly 0). */
export function applyPlan(net: Network, plan: MaskPlan): void {
  if (plan.masks.length !== net.blocks.length) throw new Error(`applyPlan: the plan has ${plan.masks.length} blocks, the network ${net.blocks.length}`);
  plan.masks.forEach((masks, block) => net.setMasks(block, masks));
}

export function countOnes(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] ? 1 : 0;
  return n;
}

/** Kept weights per matrix of the group (groupMatrices order). */
export function keptPerMatrix(net: Network, group: WeightGroup): number[] {
  return groupMatrices(net, group).map((m) => countOnes(m.mask));
}

/** Kept recurrent weights of every block (W_ih and W_hh, whatever the group): what a small dense control matches. */
export function keptRecurrentWeights(net: Network): number {
  let n = 0;
  for (const b of net.blocks) n += countOnes(b.maskIH) + countOnes(b.maskHH);
  return n;
}

/** Throws unless `density` is a fraction in [0, 1]. */
export function checkDensity(density: unknown, who: string): asserts density is number {
  if (typeof density !== "number" || !(density >= 0 && density <= 1)) {
    throw new Error(`${who}: density must be the kept fraction in [0, 1], got ${typeof density === "string" ? JSON.stringify(density) : String(density)}`);
  }
}
