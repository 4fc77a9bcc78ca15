import { MaskableNetwork, PruneKind, ThresholdScope, checkPruneKind, magnitudeMasks } from "./magnitude";

/**
 * Gradual magnitude pruning (Zhu & Gupta 2017, "To prune, or not to prune"):
 * during training, at steps t = t0, t0 + Δt, …, t0 + nΔt the selected weights are
 * pruned to sparsity
 *   s_t = s_f + (s_i − s_f)·(1 − (t − t0)/(nΔt))³,
 * fast at first while many weights are redundant, slowly near the end. Already
 * pruned weights stay pruned (the masks only shrink).
 */
export interface CubicSchedule {
  /** s_i, sparsity at t0 (fraction in [0, 1]) */
  initialSparsity: number;
  /** s_f, sparsity from t0 + nΔt on */
  finalSparsity: number;
  /** t0, first pruning step (1-based optimizer steps) */
  startStep: number;
  /** n, number of pruning intervals */
  intervals: number;
  /** Δt, optimizer steps between pruning steps */
  frequency: number;
}

function checkSchedule(s: CubicSchedule): void {
  if (s === null || typeof s !== "object") throw new Error(`CubicSchedule must be an object, got ${String(s)}`);
  const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));
  for (const key of ["initialSparsity", "finalSparsity"] as const) {
    if (typeof s[key] !== "number" || !(s[key] >= 0 && s[key] <= 1)) throw new Error(`CubicSchedule.${key} must be a fraction in [0, 1], got ${show(s[key])}`);
  }
  for (const key of ["startStep", "intervals", "frequency"] as const) {
    if (!Number.isSafeInteger(s[key]) || s[key] < 1) throw new Error(`CubicSchedule.${key} must be a positive integer, got ${show(s[key])}`);
  }
}

/** s_t of the schedule at optimizer step t (s_i before t0, s_f after t0 + nΔt). */
export function cubicSparsity(s: CubicSchedule, step: number): number {
  const span = s.intervals * s.frequency;
  const progress = Math.min(1, Math.max(0, (step - s.startStep) / span));
  return s.finalSparsity + (s.initialSparsity - s.finalSparsity) * (1 - progress) ** 3;
}

/** Whether step t is one of the schedule's pruning steps t0 + iΔt, i = 0 … n. */
export function isPruningStep(s: CubicSchedule, step: number): boolean {
  const since = step - s.startStep;
  return since >= 0 && since <= s.intervals * s.frequency && since % s.frequency === 0;
}

/**
 * The schedule that ramps the sparsity from 0 to `finalSparsity` over the first `rampSteps` optimizer
 * steps of a run (the first pruning step at step 1) in about `intervals` pruning steps.
 */
export function rampSchedule(finalSparsity: number, rampSteps: number, intervals: number): CubicSchedule {
  const frequency = Math.max(1, Math.floor(rampSteps / intervals));
  return { initialSparsity: 0, finalSparsity, startStep: 1, intervals: Math.max(1, Math.floor((rampSteps - 1) / frequency)), frequency };
}

/**
 * A training hook (the engine's `afterStep`) that prunes the network to s_t at the
 * schedule's pruning steps, with magnitude thresholds as in one-shot pruning
 * (percentile 100·s_t over the selected weights, the already pruned zeros included).
 */
export function gradualPruningHook(schedule: CubicSchedule, options: { kind: PruneKind; scope?: ThresholdScope }):
  (net: MaskableNetwork, step: number) => void {
  checkSchedule(schedule);
  if (options === null || typeof options !== "object") throw new Error(`gradualPruningHook: options must be { kind, scope? }, got ${String(options)}`);
  checkPruneKind(options.kind, options.scope, "gradualPruningHook");
  return (net, step) => {
    if (!isPruningStep(schedule, step)) return;
    const plan = magnitudeMasks(net.blocks, { percent: 100 * cubicSparsity(schedule, step), kind: options.kind, scope: options.scope });
    plan.masks.forEach((masks, b) => net.setMasks(b, masks));
  };
}
