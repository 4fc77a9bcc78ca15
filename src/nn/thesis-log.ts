/**
 * The thesis's base-training logs (results/prune/<mode>.csv rows with prune = 0,
 * epochs 1–50; losses are sums over batches; time in seconds on a Tesla K80), read
 * for comparison only — never copied into the project.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "csv-parse/sync";
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

/** Where results/prune is looked for, relative to the working directory (repo root, notebooks/). */
export const THESIS_PRUNE_DIRS = ["../shared/thesis-data/results/prune", "../../shared/thesis-data/results/prune"];

export function locateThesisPruneResults(candidates: readonly string[] = THESIS_PRUNE_DIRS): string | null {
  for (const dir of candidates) if (fs.existsSync(path.join(dir, "gru.csv"))) return path.resolve(dir);
  return null;
}

/** Base-training epochs of one mode, or [] when the thesis data is absent. */
export function readThesisBaseLog(mode: CellMode, dir: string | null = locateThesisPruneResults()): ThesisEpoch[] {
  if (!dir) return [];
  const file = path.join(dir, `${mode.toLowerCase()}.csv`);
  const rows: Array<Record<string, string>> = parse(fs.readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true });
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
