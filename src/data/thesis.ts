/**
 * The thesis's published dataset (reference only, never copied into the project):
 * where to find it, how to load it, and its numbers as published.
 */
import * as fs from "fs";
import * as path from "path";
import { readSamplesCsv } from "./csv";
import type { Sample } from "./types";

/** The thesis's own numbers (thesis chapter 4 and /work/shared/thesis-data/README.md). */
export const THESIS_PUBLISHED = {
  size: 25000,
  valid: 12500,
  invalid: 12500,
  minLength: 11,
  maxLength: 53,
  mode: 22,
  modeCount: 2112,
  nearMiss: 5500,
  otherLetters: 7000,
  duplicates: 8,
  overlap: 1,
  train: { count: 18750, valid: 9339, invalid: 9411 },
  test: { count: 6250, valid: 3161, invalid: 3089 },
} as const;

/** where the dataset folder is looked for, relative to the working directory (repo root, notebooks/) */
export const THESIS_DATASET_DIRS = ["../shared/thesis-data/dataset", "../../shared/thesis-data/dataset"];

/** the thesis dataset folder, or null when it is not on this machine */
export function locateThesisDataset(candidates: readonly string[] = THESIS_DATASET_DIRS): string | null {
  for (const dir of candidates) if (fs.existsSync(path.join(dir, "reber_sequences.csv"))) return path.resolve(dir);
  return null;
}

export interface ThesisDataset {
  dir: string;
  /** reber_sequences.csv, in the file's order */
  all: Sample[];
  train: Sample[];
  test: Sample[];
}

/** load the three thesis files, or null when the folder is absent */
export function loadThesisDataset(dir: string | null = locateThesisDataset()): ThesisDataset | null {
  if (!dir) return null;
  return {
    dir,
    all: readSamplesCsv(path.join(dir, "reber_sequences.csv")),
    train: readSamplesCsv(path.join(dir, "train_data.csv")),
    test: readSamplesCsv(path.join(dir, "test_data.csv")),
  };
}
