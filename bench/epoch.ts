/**
 * The training-epoch benchmarks' shared parts (bench/engine.ts, bench/structure.ts):
 * the epoch's batches in the fixed order every contender sees, timing one epoch of our
 * engine (untimed warm-up, first `limit` batches timed and extrapolated), the batches
 * as JSON for a PyTorch peer, and the random-structure network both benchmarks run.
 */
import * as fs from "fs";
import { Random } from "../src/core/random";
import type { Batch, Sample } from "../src/data/types";
import { barabasiAlbert, graphToSpec, layerGraph, type Layering } from "../src/graph";
import { DataParallel } from "../src/nn/wasm/data-parallel";
import { ShardedRunner } from "../src/nn/sharded-runner";
import { batchesOf, CellMode, createEngine, createOps, encodeSamples, EngineLayout, Network, NetworkSpec } from "../src/nn";

/** Batches run untimed before each timed epoch (the PyTorch peers skip as many). */
export const WARMUP_BATCHES = 3;

/** The epoch's batches in a fixed shuffled order (seed 1), so every contender sees the same. */
export function epochBatches(train: Sample[], batchSize: number, vocab: number): { batches: Batch[]; maxLength: number } {
  const set = encodeSamples(train, vocab, "train");
  const order = new Random(1).shuffle(Int32Array.from({ length: train.length }, (_, i) => i));
  return { batches: batchesOf(set, order, batchSize), maxLength: set.maxLength };
}

export interface EpochTiming {
  batchSize: number;
  /** the longest string of the batches (the engine's step capacity) */
  maxLength: number;
  /** batches timed; the time is extrapolated to all of `batches` */
  limit: number;
  layout?: EngineLayout;
}

/**
 * Seconds for one epoch of training `net` (forward, BPTT, Adam 1e-3, clip 5, post padding)
 * with `backend` ("wasm×2" = wasm with two threads per batch): WARMUP_BATCHES untimed,
 * then the first `limit` batches timed and extrapolated to the epoch. `net` is trained
 * by the engine: pass a network of its own.
 */
export function timeEpoch(net: Network, backend: string, batches: Batch[], timing: EpochTiming): number {
  const { batchSize, maxLength, limit, layout = "auto" } = timing;
  const threads = backend.endsWith("×2") ? 2 : 1;
  const capacity = { batch: batchSize, steps: maxLength };
  const engine = createEngine(net, createOps(backend.replace("×2", "")), capacity, { layout });
  const runner = new ShardedRunner(engine, threads === 2 ? DataParallel.create(engine, net, { threads, capacity }) : undefined);
  const run = (b: Batch) => { runner.lossAndGradient(b, "post"); engine.step({ lr: 1e-3, clip: 5 }); };
  batches.slice(0, WARMUP_BATCHES).forEach(run); // warm-up, untimed
  const start = process.hrtime.bigint();
  batches.slice(0, limit).forEach(run);
  const seconds = (Number(process.hrtime.bigint() - start) / 1e9) * (batches.length / limit);
  runner.close();
  return seconds;
}

/** Post-padded batches as JSON for the PyTorch peers (bench/torch_epoch.py, bench/structure_torch.py): identical batches on both sides. */
export function writeBatches(batches: Batch[], file: string): string {
  const rows = batches.map((b) => ({
    tokens: Array.from({ length: b.size }, (_, i) => Array.from(b.tokens.subarray(i * b.steps, (i + 1) * b.steps))),
    labels: Array.from(b.labels),
  }));
  fs.writeFileSync(file, JSON.stringify({ batches: rows }));
  return file;
}

/**
 * The benchmarks' random-structure graph: the first Barabási–Albert (n = 30, m = 3) seed whose
 * layering has 11 layers and 31 skip pairs — or the BA(30, 3) graph of `seed` when given.
 */
export function benchLayering(seed?: number): { layering: Layering; seed: number } {
  if (seed !== undefined) return { layering: layerGraph(barabasiAlbert(30, 3, new Random(seed))), seed };
  for (let s = 0; s < 1000; s++) {
    const layering = layerGraph(barabasiAlbert(30, 3, new Random(s)));
    if (layering.layers.length === 11 && layering.skips.length === 31) return { layering, seed: s };
  }
  throw new Error("no BA(30, 3) graph with 11 layers and 31 skips among seeds 0…999");
}

/** The thesis's mapping of the layering to a network of this mode (layered, gate masks "repeat"). */
export function structureSpec(layering: Layering, mode: CellMode): NetworkSpec {
  return graphToSpec(layering, { mode });
}
