import type { Batch, Sample } from "../../data/types";
import type { EngineBase } from "../../nn/engine-base";
import { createEngine } from "../../nn/create-engine";
import { Network } from "../../nn/network";
import { createOps } from "../../nn/backend";
import { batchesOf, encodeSamples } from "../../nn/batching";
import { Random } from "../../core/random";
import type { CellMode, Padding } from "../../nn/spec";
import { pruneNetwork } from "../magnitude";
import { SparseWeightOps } from "./sparse-ops";

/**
 * Time per epoch of a pruned network, dense kernels against sparse ones, on the
 * same batches in the same process (for bench/sparse.ts and notebook 03). Training
 * = forward + BPTT + Adam per batch; inference = forward of the test set. Each side
 * runs in the engine layout createEngine picks for it: the dense kernels row-major
 * on the thesis's 50-unit layers, the sparse ones feature-major.
 */
export interface SparseSpeedOptions {
  mode: CellMode;
  layers: number[];
  train: Sample[];
  test: Sample[];
  batchSize: number;
  /** kept fractions of the recurrent weights to time, e.g. [1, 0.5, 0.1] */
  densities: number[];
  /** the dense backend, also the one the sparse kernels fall back to */
  backend: string;
  /** time only this many batches and extrapolate to the whole epoch */
  batches?: number;
  /** alternate dense and sparse this many times and keep each one's fastest (robust on a busy machine); default 3 */
  repeats?: number;
  padding?: Padding;
  vocab?: number;
}

export interface SparseSpeedRow {
  mode: CellMode;
  backend: string;
  /** requested kept fraction and the one the percentile threshold gave */
  density: number;
  measuredDensity: number;
  /** the engine layouts the two sides ran in */
  denseLayout: string;
  sparseLayout: string;
  trainDense: number;
  trainSparse: number;
  trainSpeedup: number;
  inferDense: number;
  inferSparse: number;
  inferSpeedup: number;
}

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Seconds to train on `limit` batches and to infer on `limitTest`, extrapolated to full epochs. */
function timeEngine(engine: EngineBase, train: Batch[], test: Batch[], limit: number, limitTest: number, padding: Padding): { train: number; infer: number } {
  const trainStep = (b: Batch) => { engine.lossAndGradient(b, padding); engine.step({ lr: 1e-3, clip: 5 }); };
  const t = seconds(() => train.slice(0, limit).forEach(trainStep)) * (train.length / limit);
  const i = seconds(() => test.slice(0, limitTest).forEach((b) => engine.evaluateBatch(b, padding))) * (test.length / limitTest);
  return { train: t, infer: i };
}

function warmUp(engine: EngineBase, train: Batch[], test: Batch[], padding: Padding): void {
  // JIT, and the pattern cache of the sparse ops
  for (const b of train.slice(0, 2)) { engine.lossAndGradient(b, padding); engine.step({ lr: 1e-3, clip: 5 }); }
  for (const b of test.slice(0, 2)) engine.evaluateBatch(b, padding);
}

export function sparseSpeed(o: SparseSpeedOptions): SparseSpeedRow[] {
  const vocab = o.vocab ?? 128, padding = o.padding ?? "post";
  const trainSet = encodeSamples(o.train, vocab, "train"), testSet = encodeSamples(o.test, vocab, "test");
  const order = new Random(1).shuffle(Int32Array.from({ length: o.train.length }, (_, i) => i));
  const trainBatches = batchesOf(trainSet, order, o.batchSize);
  const testBatches = batchesOf(testSet, Int32Array.from({ length: o.test.length }, (_, i) => i), o.batchSize);
  const limit = Math.min(o.batches ?? trainBatches.length, trainBatches.length);
  const limitTest = Math.min(o.batches ?? testBatches.length, testBatches.length);
  const capacity = { batch: o.batchSize, steps: Math.max(trainSet.maxLength, testSet.maxLength) };
  return o.densities.map((density) => {
    const net = Network.create({ mode: o.mode, vocab, layers: o.layers.map((size) => ({ size })), skips: [], classes: 2 }, { seed: 1 });
    const plan = pruneNetwork(net, { percent: 100 * (1 - density), kind: "both" });
    const denseEngine = createEngine(net, createOps(o.backend), capacity);
    // force sparse to time it, whatever the density
    const sparseEngine = createEngine(net, new SparseWeightOps(createOps(o.backend), { maxDensity: 1 }), capacity);
    warmUp(denseEngine, trainBatches, testBatches, padding);
    warmUp(sparseEngine, trainBatches, testBatches, padding);
    const dense = { train: Infinity, infer: Infinity }, sparse = { train: Infinity, infer: Infinity };
    for (let r = 0; r < (o.repeats ?? 3); r++) {
      for (const [engine, best] of [[denseEngine, dense], [sparseEngine, sparse]] as const) {
        const t = timeEngine(engine, trainBatches, testBatches, limit, limitTest, padding);
        best.train = Math.min(best.train, t.train);
        best.infer = Math.min(best.infer, t.infer);
      }
    }
    return {
      mode: o.mode, backend: o.backend, density, measuredDensity: plan.kept / plan.total,
      denseLayout: denseEngine.layout, sparseLayout: sparseEngine.layout,
      trainDense: dense.train, trainSparse: sparse.train, trainSpeedup: dense.train / sparse.train,
      inferDense: dense.infer, inferSparse: sparse.infer, inferSpeedup: dense.infer / sparse.infer,
    };
  });
}
