import type { CellMode } from "../nn/spec";
import type { PruneKind } from "./magnitude";
import { PruneRecord, baseMode, gradualMode, pruneMode } from "./records";

/**
 * Derived measures of a pruning log (ours or the thesis's), all relative to the
 * base model's final test accuracy; "within tolerance" means test_acc ≥ base − tolerance
 * (absolute accuracy, e.g. 0.05 = five percentage points).
 *
 * With tolerance 0.05 these reproduce all twelve of the thesis's safe pruning levels
 * from its own CSVs; `toleranceInterval` gives the exact range that does.
 */

/** The safe pruning levels (%) the thesis's text states (results 6.2): defined with the thesis's other published constants. */
export { THESIS_SAFE_LEVELS } from "../thesis";

/** Accuracy is compared with this slack so a level exactly at the tolerance counts as within. */
const SLACK = 1e-12;

/** The floor "within tolerance" means; a tolerance is a fraction of accuracy in (0, 1), not a percent. */
function toleranceFloor(records: readonly PruneRecord[], variant: CellMode, tolerance: number): number {
  if (typeof tolerance !== "number" || !(tolerance > 0 && tolerance < 1)) {
    throw new Error(`tolerance must be a fraction of accuracy in (0, 1), e.g. 0.05 for five percentage points; got ${tolerance}`);
  }
  return baseAccuracy(records, variant) - tolerance - SLACK;
}

function rowsOf(records: readonly PruneRecord[], mode: string): PruneRecord[] {
  return records.filter((r) => r.mode === mode);
}

/** The base model's test accuracy at its last training epoch. */
export function baseAccuracy(records: readonly PruneRecord[], variant: CellMode): number {
  const rows = rowsOf(records, baseMode(variant));
  if (rows.length === 0) throw new Error(`baseAccuracy: no rows of mode "${baseMode(variant)}" in the pruning log`);
  return rows.reduce((last, r) => (r.epoch > last.epoch ? r : last)).test_acc;
}

/** Test accuracy per pruning level at one epoch (0 = right after pruning), ascending by level. */
export function accuracyByLevel(records: readonly PruneRecord[], variant: CellMode, kind: PruneKind, epoch = 0):
  Array<{ prune: number; acc: number }> {
  return rowsOf(records, pruneMode(variant, kind))
    .filter((r) => r.epoch === epoch)
    .map((r) => ({ prune: r.prune, acc: r.test_acc }))
    .sort((a, b) => a.prune - b.prune);
}

/**
 * Safe pruning level: the highest p such that the accuracy right after pruning stays
 * within tolerance of the base model at p and at every lower level measured
 * (0 when even the lowest level drops).
 */
export function safeLevel(records: readonly PruneRecord[], variant: CellMode, kind: PruneKind, tolerance: number): number {
  const floor = toleranceFloor(records, variant, tolerance);
  let safe = 0;
  for (const { prune, acc } of accuracyByLevel(records, variant, kind)) {
    if (acc < floor) break;
    safe = prune;
  }
  return safe;
}

export type Recovery = number | "never";

/**
 * Recovery epochs per pruning level: the first epoch (0 = no retraining needed)
 * whose test accuracy is back within tolerance of the base, "never" if no epoch is.
 */
export function recoveryEpochs(records: readonly PruneRecord[], variant: CellMode, kind: PruneKind, tolerance: number):
  Array<{ prune: number; epochs: Recovery }> {
  const floor = toleranceFloor(records, variant, tolerance);
  const rows = rowsOf(records, pruneMode(variant, kind));
  const levels = [...new Set(rows.map((r) => r.prune))].sort((a, b) => a - b);
  return levels.map((prune) => {
    const back = rows.filter((r) => r.prune === prune && r.test_acc >= floor).map((r) => r.epoch);
    return { prune, epochs: back.length ? Math.min(...back) : "never" };
  });
}

export interface PruningSummaryRow {
  variant: CellMode;
  kind: PruneKind;
  base_acc: number;
  safe_level: number;
  /** levels beyond the safe level and the epochs each needed to recover, e.g. "90:1 100:never" */
  recovery: string;
}

/** One row per (variant, kind) present in the log. */
export function pruningSummary(records: readonly PruneRecord[], variants: readonly CellMode[], kinds: readonly PruneKind[],
  tolerance: number): PruningSummaryRow[] {
  const modes = new Set(records.map((r) => r.mode));
  const rows: PruningSummaryRow[] = [];
  for (const variant of variants) {
    if (!modes.has(baseMode(variant))) continue;
    for (const kind of kinds) {
      if (!modes.has(pruneMode(variant, kind))) continue;
      const recovery = recoveryEpochs(records, variant, kind, tolerance)
        .filter((r) => r.epochs !== 0)
        .map((r) => `${r.prune}:${r.epochs}`)
        .join(" ");
      rows.push({
        variant, kind, base_acc: baseAccuracy(records, variant),
        safe_level: safeLevel(records, variant, kind, tolerance), recovery: recovery || "—",
      });
    }
  }
  return rows;
}

/**
 * The tolerances t for which `safeLevel` gives `level`: an interval [low, high).
 * Level L needs every level ≤ L within t (t ≥ the largest drop among them) and the
 * next level above L outside it (t < its drop). Intersect intervals to find the
 * tolerances that reproduce several published safe levels at once.
 */
export function toleranceInterval(records: readonly PruneRecord[], variant: CellMode, kind: PruneKind, level: number):
  { low: number; high: number } {
  const base = baseAccuracy(records, variant);
  const levels = accuracyByLevel(records, variant, kind);
  let low = 0;
  let high = Infinity;
  for (const { prune, acc } of levels) {
    if (prune <= level) low = Math.max(low, base - acc);
    else {
      high = base - acc;
      break;
    }
  }
  return { low, high };
}

export interface GradualComparisonRow {
  variant: CellMode;
  kind: PruneKind;
  /** final sparsity, % */
  level: number;
  /** test accuracy after `epoch` epochs: one-shot pruning + retraining, and gradual pruning (undefined: not in the log) */
  oneShot?: number;
  gradual?: number;
}

/** One-shot prune + retrain against gradual pruning at equal final sparsity, after `epoch` epochs each. */
export function gradualComparison(records: readonly PruneRecord[], variants: readonly CellMode[], kinds: readonly PruneKind[],
  levels: readonly number[], epoch: number): GradualComparisonRow[] {
  const accuracy = (mode: string, level: number) => records.find((r) => r.mode === mode && r.prune === level && r.epoch === epoch)?.test_acc;
  return variants.flatMap((variant) => kinds.flatMap((kind) => levels.map((level) => ({
    variant, kind, level, oneShot: accuracy(pruneMode(variant, kind), level), gradual: accuracy(gradualMode(variant, kind), level),
  }))));
}
