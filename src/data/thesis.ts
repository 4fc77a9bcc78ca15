/**
 * The thesis's published dataset (vendored read-only in reference/thesis/dataset):
 * how to load it, and its numbers as published.
 */
import * as path from "path";
import { thesisDatasetDir } from "../thesis";
import { readSamplesCsv } from "./csv";
import { overlapCount } from "./generate";
import { datasetStats, lengthSummary, splitCounts, type SplitCounts } from "./stats";
import type { Sample } from "./types";

/** The thesis's own numbers (thesis chapter 4): defined with the thesis's other published constants. */
export { THESIS_PUBLISHED } from "../thesis";

export interface ThesisDataset {
  dir: string;
  /** reber_sequences.csv, in the file's order */
  all: Sample[];
  train: Sample[];
  test: Sample[];
}

/** load the three thesis files (from reference/thesis/dataset unless `dir` names another copy) */
export function loadThesisDataset(dir: string = thesisDatasetDir()): ThesisDataset {
  return {
    dir,
    all: readSamplesCsv(path.join(dir, "reber_sequences.csv")),
    train: readSamplesCsv(path.join(dir, "train_data.csv")),
    test: readSamplesCsv(path.join(dir, "test_data.csv")),
  };
}

/** The thesis's numbers as the notebook compares them, measured on its files. */
export interface ThesisNumbers {
  minLength: number;
  maxLength: number;
  mode: number;
  modeCount: number;
  nearMiss: number;
  otherLetters: number;
  duplicates: number;
  overlap: number;
  splits: SplitCounts[];
  /** per-set length histograms and character counts */
  histograms: { entire: number[]; train: number[]; test: number[]; valid: number[]; invalid: number[] };
  charCounts: Record<string, number>;
}

export function thesisNumbers(data: ThesisDataset = loadThesisDataset()): ThesisNumbers {
  const s = datasetStats(data.all);
  return {
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
