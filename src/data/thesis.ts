/**
 * The thesis's published dataset (reference only, never copied into the project):
 * where to find it, how to load it, and its numbers as published.
 */
import * as fs from "fs";
import * as path from "path";
import { readSamplesCsv } from "./csv";
import { overlapCount } from "./generate";
import { datasetStats, lengthSummary, splitCounts, type SplitCounts } from "./stats";
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

/** The thesis's numbers as the notebook compares them: from its files when present, else as published. */
export interface ThesisNumbers {
  source: "thesis CSV files" | "published numbers";
  minLength: number;
  maxLength: number;
  mode: number;
  modeCount: number;
  nearMiss: number;
  otherLetters: number;
  duplicates: number;
  overlap: number;
  splits: SplitCounts[];
  /** per-set length histograms and character counts, only from the files */
  histograms?: { entire: number[]; train: number[]; test: number[]; valid: number[]; invalid: number[] };
  charCounts?: Record<string, number>;
}

export function thesisNumbers(data: ThesisDataset | null): ThesisNumbers {
  const P = THESIS_PUBLISHED;
  if (!data) {
    return {
      source: "published numbers",
      minLength: P.minLength, maxLength: P.maxLength, mode: P.mode, modeCount: P.modeCount,
      nearMiss: P.nearMiss, otherLetters: P.otherLetters, duplicates: P.duplicates, overlap: P.overlap,
      splits: [{ split: "train", ...P.train }, { split: "test", ...P.test }],
    };
  }
  const s = datasetStats(data.all);
  return {
    source: "thesis CSV files",
    minLength: s.length.min, maxLength: s.length.max, mode: s.length.mode, modeCount: s.length.modeCount,
    nearMiss: s.nearMiss, otherLetters: s.otherLetters, duplicates: s.duplicates, overlap: overlapCount(data.train, data.test),
    splits: splitCounts({ train: data.train, test: data.test }),
    histograms: {
      entire: s.length.histogram, train: lengthSummary(data.train).histogram, test: lengthSummary(data.test).histogram,
      valid: s.validLength.histogram, invalid: s.invalidLength.histogram,
    },
    charCounts: s.charCounts,
  };
}

/** rows { quantity, this run, thesis } for showTable */
export function sideBySide(run: Record<string, number | string>, thesis: Record<string, number | string | undefined>): Array<Record<string, unknown>> {
  return Object.keys(run).map((quantity) => ({ quantity, "this run": run[quantity], thesis: thesis[quantity] ?? "—" }));
}
