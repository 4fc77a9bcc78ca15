/**
 * The small configurations the fault-injection tests run, shared by the tests and the
 * driver they spawn (test/faults/drivers/run.ts), so both compute the same thing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateDataset } from "../../src/data/generate";
import type { Sample } from "../../src/data/types";
import type { SweepConfig } from "../../src/experiments/sweep";
import type { PruningSettings } from "../../src/experiments/pruning";
import type { NetworkSpec } from "../../src/nn/spec";
import type { TrainOptions } from "../../src/nn/train";
import { shortHash } from "../../src/core/hash";

// The protocols' modules are loaded when first needed: a driver imports only its own.
const sweepModule = () => require("../../src/experiments/sweep") as typeof import("../../src/experiments/sweep");
const pruningModule = () => require("../../src/experiments/pruning") as typeof import("../../src/experiments/pruning");
const resumableModule = () => require("../../src/nn/resumable") as typeof import("../../src/nn/resumable");

export type Kind = "sweep" | "pruning" | "resumable";

let cached: { train: Sample[]; test: Sample[] } | undefined;
/** ~150 generated strings (100 train / 50 test). */
export function faultData(): { train: Sample[]; test: Sample[] } {
  if (!cached) {
    const d = generateDataset({ size: 150, testSize: 50, seed: 7 });
    cached = { train: d.train, test: d.test };
  }
  return cached;
}

/** 2 modes × 2 families × 3 graphs = 12 models, 1 epoch each (the quick profile's training settings). */
export const SWEEP_CONFIG: SweepConfig = {
  modes: ["RNN_TANH", "GRU"], families: ["barabasi_albert", "watts_strogatz"], graphs: 3, nodes: [10, 30],
  epochs: 1, batchSize: 32, lr: 0.001, layout: "repeat", seed: 2021, precision: "f32",
};

/** 1 variant, layers [4], 2 kinds × 2 levels: 5 tasks (the base model with 2 checkpointed epochs). */
export const PRUNING_SETTINGS: PruningSettings = {
  variants: ["GRU"], kinds: ["both", "h2h"], levels: [50, 90], layers: [4],
  baseEpochs: 2, retrainEpochs: 1, batchSize: 16, lr: 0.01, seed: 1, padding: "post", scope: "global",
  vocab: 128, backend: "js",
};

/** A resumable training of 8 epochs. */
export const RESUMABLE_SPEC: NetworkSpec = { mode: "GRU", vocab: 128, classes: 2, layers: [{ size: 12 }], skips: [] };
export const RESUMABLE_OPTIONS: TrainOptions = { epochs: 8, batchSize: 16, seed: 5, backend: "js" };
export const RESUMABLE_INIT_SEED = 1;
export const RESUMABLE_NAME = "GRU";

/** Where each protocol keeps its results under `cacheDir`. */
export function storeFileOf(kind: Exclude<Kind, "resumable">, cacheDir: string): string {
  const identity = kind === "sweep"
    ? sweepModule().sweepIdentity(SWEEP_CONFIG, faultData())
    : pruningModule().pruningIdentity(PRUNING_SETTINGS, faultData(), require("../../src/nn/numerics").numericsOf(PRUNING_SETTINGS.backend));
  return path.join(cacheDir, shortHash(identity), "results.jsonl");
}

export function runFileOf(dir: string): string {
  const { runFile, runIdentity } = resumableModule();
  return runFile({ dir, name: RESUMABLE_NAME }, runIdentity(RESUMABLE_SPEC, RESUMABLE_INIT_SEED, faultData(), RESUMABLE_OPTIONS));
}

/** Every task key a protocol will write. */
export function expectedKeys(kind: Exclude<Kind, "resumable">): string[] {
  if (kind === "sweep") return sweepModule().planSweep(SWEEP_CONFIG).map((m) => m.key);
  const s = PRUNING_SETTINGS;
  const base = s.variants.map((v) => `${v.toLowerCase()}/0`);
  const pruned = s.variants.flatMap((v) => s.kinds.flatMap((k) => s.levels.map((p) => `${v.toLowerCase()}_prune${k === "both" ? "" : `_${k}`}/${p}`)));
  return [...base, ...pruned];
}

/** Rows each protocol writes in all. */
export function expectedRowCount(kind: Exclude<Kind, "resumable">): number {
  if (kind === "sweep") return sweepModule().planSweep(SWEEP_CONFIG).length;
  const s = PRUNING_SETTINGS;
  return s.variants.length * (s.baseEpochs + s.kinds.length * s.levels.length * (1 + s.retrainEpochs));
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `faults-${prefix}-`));
}
