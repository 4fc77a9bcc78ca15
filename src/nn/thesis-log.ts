/**
 * The thesis's base-training logs (reference/thesis/results/prune/<mode>.csv rows with
 * prune = 0, epochs 1–50; losses are sums over batches; time in seconds on a Tesla K80),
 * read for comparison.
 */
import { readCsvObjects } from "../core/csv";
import { thesisPruneLogFile } from "../thesis";
import type { CellMode } from "./spec";

export interface ThesisEpoch {
  mode: CellMode;
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testAcc: number;
  seconds: number;
}

/** Base-training epochs of one mode, from the thesis's log (reference/thesis/results/prune/<mode>.csv unless `file` names another). */
export function readThesisBaseLog(mode: CellMode, file: string = thesisPruneLogFile(mode)): ThesisEpoch[] {
  const rows = readCsvObjects(file);
  const out: ThesisEpoch[] = [];
  rows.forEach((row, i) => {
    if (row.mode !== mode.toLowerCase() || Number(row.prune) !== 0) return;
    const num = (key: string) => {
      const v = Number(row[key]);
      if (!Number.isFinite(v)) throw new Error(`${file}:${i + 2}: column ${key} = ${JSON.stringify(row[key])} is not a number`);
      return v;
    };
    out.push({ mode, epoch: num("epoch"), trainLoss: num("train_loss"), trainAcc: num("train_acc"), testLoss: num("test_loss"), testAcc: num("test_acc"), seconds: num("time") });
  });
  return out.sort((a, b) => a.epoch - b.epoch);
}
