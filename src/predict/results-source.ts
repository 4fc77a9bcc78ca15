/**
 * Which results table the prediction experiment runs on: files the user names, the thesis's
 * published tables (when the shared thesis-data folder sits beside the repo), or this project's
 * own random-structure sweep — only a sweep with enough models per variant to fit and test on.
 */
import { existsSync } from "node:fs";
import { loadResultsFiles, variantsWithAtLeast } from "./results-table";

export interface ResultsSourceOptions {
  /** Files named by the user; when non-empty they are used as they are. */
  given: readonly string[];
  /** The thesis's per-variant tables; used only when all of them exist. */
  thesisFiles: readonly string[];
  /** The project's own sweep results, most wanted first; the first usable one counts. */
  ownSweepFiles: readonly string[];
  /** Take a usable own sweep even when the thesis's tables are present. */
  preferOwnSweep: boolean;
  /** A file is usable when at least one variant has this many models. */
  minModelsPerVariant: number;
}

export interface ResultsSource {
  source: "given" | "thesis" | "own sweep";
  files: string[];
}

/**
 * The table to use, or null when none fits: no given files, no usable own sweep, and the
 * thesis's tables absent (or passed over because `preferOwnSweep` is set).
 */
export function chooseResultsSource(options: ResultsSourceOptions): ResultsSource | null {
  const { given, thesisFiles, ownSweepFiles, preferOwnSweep, minModelsPerVariant } = options;
  if (given.length > 0) {
    const missing = given.filter((f) => !existsSync(f));
    if (missing.length > 0) throw new Error(`resultsFiles: no such file(s): ${missing.join(", ")}`);
    return { source: "given", files: [...given] };
  }
  const haveThesis = thesisFiles.length > 0 && thesisFiles.every((f) => existsSync(f));
  const own = ownSweepFiles.find((f) => existsSync(f) && usable(f, minModelsPerVariant));
  if (own !== undefined && (preferOwnSweep || !haveThesis)) return { source: "own sweep", files: [own] };
  if (haveThesis && !preferOwnSweep) return { source: "thesis", files: [...thesisFiles] };
  return null;
}

function usable(file: string, minModelsPerVariant: number): boolean {
  return variantsWithAtLeast(loadResultsFiles([file]), minModelsPerVariant).table.variants.length > 0;
}
