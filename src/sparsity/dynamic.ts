/**
 * What SET and RigL share: a sparse start (a random mask by a density rule) and, every ΔT optimizer
 * steps until T_end, a drop-and-grow update of each matrix of the group ("layer"):
 *
 *   n = the matrix's kept weights, k = round(ζ_t·n);
 *   drop the k kept weights of smallest |w| (ties: the lower index);
 *   grow k of the weights not kept after the drop (a just-dropped one may come back, as in both
 *   papers) — chosen by the method (set.ts: at random; rigl.ts: largest |dense gradient|);
 *   grown weights start at exactly 0, dropped ones become exactly 0 (Network.setMasks).
 *
 * So every matrix keeps its count n: the density per matrix stays what the start gave it.
 * ζ_t = ζ/2·(1 + cos(π t/T_end)) (RigL's cosine decay) or ζ (constant).
 *
 * The update runs in the Trainer's afterStep hook (the network's weights are current, the
 * Trainer takes the new masks over). Randomness comes from streamFor(seed, step): the hook holds no
 * state, so a resumed run makes the same updates. Adam's moments of a grown weight are the ones
 * it had (zero unless it was kept before): the hook cannot reach the optimizer.
 */
import type { Network } from "../nn/network";
import type { StepContext } from "../nn/train";
import { randomMasks } from "./controls";
import { DENSITY_RULES, DensityRule } from "./erk";
import { checkDensity, checkGroup, countOnes, groupMatrices, SparseMatrix, WeightGroup } from "./matrices";
import type { DynamicMethod } from "./method";
import { bottomK, streamFor } from "./select";
import type { Random } from "../core/random";

export interface UpdateSchedule {
  /** ΔT: optimizer steps between updates (updates at t = ΔT, 2ΔT, …) */
  every: number;
  /** ζ: the fraction of each matrix's kept weights dropped and regrown at an update (before decay) */
  fraction: number;
  /** T_end: updates only at steps t < T_end (RigL: 3/4 of training) */
  endStep: number;
  /** "cosine" (default): ζ_t = ζ/2·(1 + cos(π t/T_end)); "constant": ζ_t = ζ */
  decay?: "cosine" | "constant";
}

export function checkSchedule(s: UpdateSchedule, who: string): void {
  if (s === null || typeof s !== "object") throw new Error(`${who}: schedule must be { every, fraction, endStep, decay? }, got ${String(s)}`);
  if (!Number.isSafeInteger(s.every) || s.every < 1) throw new Error(`${who}: schedule.every must be a positive integer, got ${s.every}`);
  if (!Number.isSafeInteger(s.endStep) || s.endStep < 1) throw new Error(`${who}: schedule.endStep must be a positive integer, got ${s.endStep}`);
  if (typeof s.fraction !== "number" || !(s.fraction >= 0 && s.fraction <= 1)) throw new Error(`${who}: schedule.fraction must be in [0, 1], got ${s.fraction}`);
  if (s.decay !== undefined && s.decay !== "cosine" && s.decay !== "constant") throw new Error(`${who}: schedule.decay must be "cosine" or "constant", got ${JSON.stringify(s.decay)}`);
}

export function isUpdateStep(s: UpdateSchedule, step: number): boolean {
  return step >= 1 && step < s.endStep && step % s.every === 0;
}

/** ζ_t at step t: 0 unless t is an update step. */
export function dropFraction(s: UpdateSchedule, step: number): number {
  if (!isUpdateStep(s, step)) return 0;
  return (s.decay ?? "cosine") === "cosine" ? (s.fraction / 2) * (1 + Math.cos((Math.PI * step) / s.endStep)) : s.fraction;
}

/** What an update did to one matrix: positions dropped and grown (ascending; they may overlap). */
export interface MatrixUpdate {
  name: string;
  /** kept weights before = after */
  kept: number;
  dropped: Int32Array;
  grown: Int32Array;
}

export interface MaskUpdateEvent {
  step: number;
  /** ζ_t */
  fraction: number;
  matrices: MatrixUpdate[];
}

/** Chooses k of the matrix's weights for which open(i) (not kept after the drop). */
export type GrowRule = (matrix: SparseMatrix, k: number, open: (i: number) => boolean) => Int32Array;

/**
 * One matrix's drop and grow: returns its new mask and what changed; sets the grown weights to 0 in
 * `matrix.weights` (the mask itself is not applied here: Network.setMasks does that).
 */
export function updateMatrix(matrix: SparseMatrix, fraction: number, grow: GrowRule): { mask: Uint8Array; update: MatrixUpdate } {
  const { weights, mask } = matrix;
  const n = countOnes(mask);
  const k = Math.round(fraction * n);
  const magnitudes = Float64Array.from(weights, Math.abs);
  const dropped = bottomK(magnitudes, k, (i) => mask[i] === 1, `${matrix.name} drop`);
  const next = Uint8Array.from(mask, (m) => (m ? 1 : 0));
  for (const i of dropped) next[i] = 0;
  const grown = grow(matrix, k, (i) => next[i] === 0);
  if (grown.length !== k) throw new Error(`${matrix.name}: grew ${grown.length} weights, expected ${k}`);
  for (const i of grown) {
    if (next[i]) throw new Error(`${matrix.name}: grew weight ${i}, which is kept`);
    next[i] = 1;
    weights[i] = 0;
  }
  return { mask: next, update: { name: matrix.name, kept: n, dropped, grown } };
}

export interface DynamicOptions {
  group: WeightGroup;
  /** kept fraction of the group's weights, fixed through training */
  density: number;
  /** how the density is spread over the matrices at the start; default "erk" */
  rule?: DensityRule;
  /** the start mask and every random choice */
  seed: number;
  schedule: UpdateSchedule;
  /** called after every update (counts, turnover) */
  onUpdate?: (event: MaskUpdateEvent) => void;
}

export function checkDynamicOptions(o: DynamicOptions, who: string): void {
  if (o === null || typeof o !== "object") throw new Error(`${who}: options must be { group, density, seed, schedule, … }, got ${String(o)}`);
  checkGroup(o.group, who);
  checkDensity(o.density, who);
  if (o.rule !== undefined && !DENSITY_RULES.includes(o.rule)) throw new Error(`${who}: rule must be one of ${DENSITY_RULES.join(", ")}, got ${JSON.stringify(o.rule)}`);
  if (!Number.isSafeInteger(o.seed)) throw new Error(`${who}: seed must be a safe integer, got ${o.seed}`);
  checkSchedule(o.schedule, who);
}

/** A drop-and-grow method: the random start and the afterStep hook, with `growRule` made per update step. */
export function dynamicMethod(name: string, options: DynamicOptions, prepare: (net: Network, step: number, context: StepContext | undefined) => GrowRule): DynamicMethod {
  checkDynamicOptions(options, name);
  const { group, schedule } = options;
  return {
    name, group,
    masksAt: (net) => randomMasks(net, { group, density: options.density, rule: options.rule ?? "erk", seed: options.seed }),
    afterStep: (net, step, context) => {
      const fraction = dropFraction(schedule, step);
      if (fraction === 0) return;
      const grow = prepare(net, step, context);
      const matrices: MatrixUpdate[] = [];
      for (const m of groupMatrices(net, group)) {
        const { mask, update } = updateMatrix(m, fraction, grow);
        net.setMasks(m.block, { [m.key]: mask });
        matrices.push(update);
      }
      options.onUpdate?.({ step, fraction, matrices });
    },
  };
}

/** The step's stream of a method's seed (random growth). */
export function updateStream(options: DynamicOptions, step: number): Random {
  return streamFor(options.seed, step);
}
