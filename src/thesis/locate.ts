/**
 * Where the thesis's published data lives: `reference/thesis/` at the top of this
 * repository (copied from github.com/harshildarji/thesis under its MIT licence; see
 * reference/thesis/README.md). Read-only reference data — the project generates its own.
 *
 * Paths are absolute, from the repository's root (src/core/paths.ts), whatever the
 * working directory (notebooks run in notebooks/, scripts and tests at the root).
 *
 * Next to the bottom layer of the library: imports node built-ins and src/core only.
 */
import * as path from "path";
import { REPO_ROOT } from "../core/paths";

export { REPO_ROOT };

/** the vendored data's folder, relative to the repository root */
export const THESIS_REFERENCE_PATH = "reference/thesis";

/** the vendored data's folder (absolute) */
export const THESIS_REFERENCE_DIR: string = path.join(REPO_ROOT, ...THESIS_REFERENCE_PATH.split("/"));

/** the four RNN variants the thesis's result tables cover, in any letter case ("GRU", "rnn_tanh", …) */
export type ThesisVariant = "RNN_TANH" | "RNN_RELU" | "GRU" | "LSTM";
export const THESIS_VARIANTS: readonly ThesisVariant[] = ["RNN_TANH", "RNN_RELU", "GRU", "LSTM"];

function variantFileName(variant: string): string {
  const upper = variant.toUpperCase();
  if (!(THESIS_VARIANTS as readonly string[]).includes(upper)) {
    throw new Error(`the thesis's tables cover ${THESIS_VARIANTS.join(", ")}; no table for ${JSON.stringify(variant)}`);
  }
  return `${upper.toLowerCase()}.csv`;
}

/** dataset/: reber_sequences.csv (all 25,000 strings), train_data.csv, test_data.csv */
export function thesisDatasetDir(): string {
  return path.join(THESIS_REFERENCE_DIR, "dataset");
}

export type ThesisDatasetFile = "reber_sequences.csv" | "train_data.csv" | "test_data.csv";

export function thesisDatasetFile(name: ThesisDatasetFile): string {
  return path.join(thesisDatasetDir(), name);
}

/** results/prune/: one training / pruning / retraining log per variant */
export function thesisPruneLogDir(): string {
  return path.join(THESIS_REFERENCE_DIR, "results", "prune");
}

/** results/prune/<variant>.csv */
export function thesisPruneLogFile(variant: ThesisVariant | string): string {
  return path.join(thesisPruneLogDir(), variantFileName(variant));
}

/** results/structure/: one row per random-structure model, per variant, and r_squared.csv */
export function thesisStructureDir(): string {
  return path.join(THESIS_REFERENCE_DIR, "results", "structure");
}

/** results/structure/<variant>.csv */
export function thesisStructureTableFile(variant: ThesisVariant | string): string {
  return path.join(thesisStructureDir(), variantFileName(variant));
}

/** results/structure/<variant>.csv for several variants (default: all four, in THESIS_VARIANTS order) */
export function thesisStructureTableFiles(variants: ReadonlyArray<ThesisVariant | string> = THESIS_VARIANTS): string[] {
  return variants.map(thesisStructureTableFile);
}

/** results/structure/r_squared.csv: the thesis's R² per variant and regressor */
export function thesisRSquaredFile(): string {
  return path.join(thesisStructureDir(), "r_squared.csv");
}

/**
 * A path inside the repository as a repository-relative description with forward
 * slashes (e.g. "reference/thesis/dataset"), for messages and notebook outputs, which
 * must not show a machine's absolute paths. Paths outside the repository are returned as given.
 */
export function repoRelative(file: string): string {
  const rel = path.relative(REPO_ROOT, path.resolve(file));
  if (rel === "") return ".";
  if (rel.startsWith("..") || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join("/");
}
