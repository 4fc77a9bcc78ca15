/**
 * Which results table the prediction experiment runs on: files the user names; else the
 * thesis's published tables (vendored in reference/thesis/results/structure, see
 * `thesisStructureTableFile` in src/thesis); or, when asked for, this project's own
 * random-structure sweep — only a sweep with enough models per variant to fit and test on.
 */
import { existsSync } from "node:fs";
import { loadResultsFiles, variantsWithAtLeast } from "./results-table";

export interface ResultsSourceOptions {
  /** Files named by the user; when non-empty they are used as they are. */
  given: readonly string[];
  /** The thesis's per-variant tables; each must exist. */
  thesisFiles: readonly string[];
  /** The project's own sweep results, most wanted first; the first usable one counts. */
  ownSweepFiles: readonly string[];
  /** Take a usable own sweep instead of the thesis's tables. */
  preferOwnSweep: boolean;
  /** A file is usable when at least one variant has this many models. */
  minModelsPerVariant: number;
}

export interface ResultsSource {
  source: "given" | "thesis" | "own sweep";
  files: string[];
}

/**
 * The table to use: the given files, else the thesis's tables, else (with `preferOwnSweep`)
 * the first usable own sweep — or null when `preferOwnSweep` is set and no own sweep is usable.
 */
export function chooseResultsSource(options: ResultsSourceOptions): ResultsSource | null {
  const { given, thesisFiles, ownSweepFiles, preferOwnSweep, minModelsPerVariant } = options;
  if (given.length > 0) {
    requireFiles("resultsFiles", given);
    return { source: "given", files: [...given] };
  }
  if (preferOwnSweep) {
    const own = ownSweepFiles.find((f) => existsSync(f) && usable(f, minModelsPerVariant));
    return own === undefined ? null : { source: "own sweep", files: [own] };
  }
  if (thesisFiles.length === 0) throw new Error("thesisFiles: no file given");
  requireFiles("thesisFiles", thesisFiles);
  return { source: "thesis", files: [...thesisFiles] };
}

function requireFiles(option: string, files: readonly string[]): void {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`${option}: no such file(s): ${missing.join(", ")}`);
}

function usable(file: string, minModelsPerVariant: number): boolean {
  return variantsWithAtLeast(loadResultsFiles([file]), minModelsPerVariant).table.variants.length > 0;
}
