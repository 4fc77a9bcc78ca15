import { readCsvObjects } from "../core/csv";
import type { CellMode } from "../nn/spec";
import type { PruneKind } from "./magnitude";

/**
 * One row of the thesis's pruning log (results/prune/<variant>.csv), kept in the
 * same schema so our runs compare line by line with the thesis's:
 * base training rows are mode "gru", prune 0, epochs 1…50; pruned rows are mode
 * "gru_prune" (both), "gru_prune_i2h", "gru_prune_h2h", epoch 0 = right after
 * pruning, epochs 1…K = retraining. Losses are sums over batches; `time` seconds.
 */
export interface PruneRecord {
  mode: string;
  prune: number;
  epoch: number;
  train_loss: number;
  train_acc: number;
  test_loss: number;
  test_acc: number;
  time: number;
}

export const PRUNE_COLUMNS: readonly (keyof PruneRecord)[] = [
  "mode", "prune", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "time",
];

/** The thesis's mode name of a variant's base model: "gru", "rnn_tanh", … */
export function baseMode(variant: CellMode): string {
  return variant.toLowerCase();
}

/** The thesis's mode name of a pruning run: "gru_prune", "gru_prune_i2h", "gru_prune_h2h". */
export function pruneMode(variant: CellMode, kind: PruneKind): string {
  return kind === "both" ? `${baseMode(variant)}_prune` : `${baseMode(variant)}_prune_${kind}`;
}

/** The log mode of the gradual-pruning runs (our extension; the thesis has none), e.g. `gru_gradual_h2h`. */
export function gradualMode(variant: CellMode, kind: PruneKind): string {
  return kind === "both" ? `${baseMode(variant)}_gradual` : `${baseMode(variant)}_gradual_${kind}`;
}

/** Checked conversion of loosely typed rows (a ResultStore, a parsed CSV) to records. */
export function toPruneRecords(rows: ReadonlyArray<Record<string, unknown>>, source: string): PruneRecord[] {
  return rows.map((row, i) => {
    const record = { mode: String(row.mode) } as PruneRecord;
    for (const column of PRUNE_COLUMNS) {
      if (column === "mode") continue;
      const value = Number(row[column]);
      if (row[column] === undefined || row[column] === "" || Number.isNaN(value)) {
        throw new Error(`${source}: row ${i + 2} has a bad ${column} "${String(row[column])}"`);
      }
      record[column] = value;
    }
    return record;
  });
}

/** Read a pruning log in the thesis's schema, e.g. reference/thesis/results/prune/gru.csv (`thesisPruneLogFile` in src/thesis). */
export function readPruneCsv(file: string): PruneRecord[] {
  return toPruneRecords(readCsvObjects(file), file);
}
