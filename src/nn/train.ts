/**
 * Training loop, evaluation and prediction over Samples — the thesis's procedure:
 * shuffled mini-batches, cross-entropy, gradient-norm clip 5, Adam, per-epoch train
 * and test loss (sum over batches, as the thesis logs, and mean) and accuracy.
 * Deterministic: the same seed gives identical numbers on the same backend.
 */
import type { Sample } from "../data/types";
import { BackendName, createOps } from "./backend";
import { batchesOf, EncodedSet, encodeSamples } from "./batching";
import { Engine } from "./engine";
import type { Network } from "./network";
import { Random } from "../data/random";
import type { Padding } from "./spec";

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Adam learning rate, default 0.001 */
  lr?: number;
  /** global gradient-norm clip, default 5 */
  clip?: number;
  seed: number;
  /** default "post" (the thesis) */
  padding?: Padding;
  /** shuffle the training set every epoch, default true */
  shuffle?: boolean;
  /** "auto" (wasm f32 when available, else js f64), "js" or "wasm" */
  backend?: BackendName;
  /** precision of the js backend, default f64 */
  precision?: "f32" | "f64";
  /** wasm threading; "auto" chooses by size (passed to the wasm backend; js is single-threaded) */
  threads?: number | "auto";
  /** epoch number of the first epoch (1-based), for resumed runs; default 1 */
  startEpoch?: number;
  /** called after each epoch (incremental writes, progress) */
  onEpoch?: (record: EpochRecord) => void;
  /** called after each training batch */
  onBatch?: (done: number, total: number) => void;
  /** called after each optimizer step with the network's weights up to date; changes to its weights/masks are taken over */
  afterStep?: (net: Network, step: number) => void;
}

export interface EpochRecord {
  /** 1-based */
  epoch: number;
  /** SUM of the per-batch mean losses (the thesis's log) */
  trainLoss: number;
  trainLossMean: number;
  trainAcc: number;
  /** sum over batches */
  testLoss: number;
  testLossMean: number;
  testAcc: number;
  seconds: number;
}

export interface Evaluation {
  /** sum of the per-batch mean losses */
  loss: number;
  lossMean: number;
  acc: number;
}

export interface EvaluateOptions {
  batchSize?: number;
  padding?: Padding;
  backend?: BackendName;
  precision?: "f32" | "f64";
}

function checkPositiveInt(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function engineFor(net: Network, sets: EncodedSet[], batchSize: number, backend: BackendName | undefined, precision: "f32" | "f64" | undefined): Engine {
  const steps = Math.max(1, ...sets.map((s) => s.maxLength));
  return new Engine(net, createOps(backend ?? "auto", precision), { batch: batchSize, steps });
}

function evaluateWith(engine: Engine, set: EncodedSet, batchSize: number, padding: Padding): Evaluation {
  if (set.tokens.length === 0) return { loss: NaN, lossMean: NaN, acc: NaN };
  let loss = 0, correct = 0, batches = 0;
  for (const batch of batchesOf(set, identity(set.tokens.length), batchSize)) {
    const r = engine.evaluateBatch(batch, padding);
    loss += r.loss;
    correct += r.correct;
    batches++;
  }
  return { loss, lossMean: loss / batches, acc: correct / set.tokens.length };
}

/**
 * Train `net` in place. Synchronous: progress arrives through onBatch/onEpoch.
 * Throws (naming mode, epoch and batch) when the loss becomes NaN or infinite;
 * the network then keeps the weights of the last finite step.
 */
export function train(net: Network, data: { train: Sample[]; test: Sample[] }, options: TrainOptions): EpochRecord[] {
  checkPositiveInt(options.epochs, "TrainOptions.epochs");
  checkPositiveInt(options.batchSize, "TrainOptions.batchSize");
  const lr = options.lr ?? 0.001, clip = options.clip ?? 5, padding = options.padding ?? "post";
  if (!(lr > 0)) throw new Error(`TrainOptions.lr must be positive, got ${lr}`);
  if (!(clip > 0)) throw new Error(`TrainOptions.clip must be positive, got ${clip}`);
  if (data.train.length === 0) throw new Error("train: data.train is empty");
  const trainSet = encodeSamples(data.train, net.spec.vocab, "data.train");
  const testSet = encodeSamples(data.test, net.spec.vocab, "data.test");
  const engine = engineFor(net, [trainSet, testSet], options.batchSize, options.backend, options.precision);
  const rng = new Random(options.seed);
  const order = identity(trainSet.tokens.length);
  const records: EpochRecord[] = [];
  const first = options.startEpoch ?? 1;
  let step = 0;
  for (let epoch = first; epoch < first + options.epochs; epoch++) {
    const start = process.hrtime.bigint();
    if (options.shuffle ?? true) rng.shuffle(order);
    const batches = batchesOf(trainSet, order, options.batchSize);
    let loss = 0, correct = 0;
    batches.forEach((batch, i) => {
      const r = engine.lossAndGradient(batch, padding);
      if (!Number.isFinite(r.loss)) {
        engine.storeParameters(net);
        throw new Error(`${net.spec.mode}: loss is ${r.loss} at epoch ${epoch}, batch ${i + 1} of ${batches.length} (lr ${lr}); the network keeps the weights before this batch`);
      }
      engine.step({ lr, clip });
      step++;
      loss += r.loss;
      correct += r.correct;
      if (options.afterStep) {
        engine.storeParameters(net);
        options.afterStep(net, step);
        engine.loadParameters(net);
      }
      options.onBatch?.(i + 1, batches.length);
    });
    engine.storeParameters(net);
    const test = evaluateWith(engine, testSet, options.batchSize, padding);
    const record: EpochRecord = {
      epoch,
      trainLoss: loss,
      trainLossMean: loss / batches.length,
      trainAcc: correct / trainSet.tokens.length,
      testLoss: test.loss,
      testLossMean: test.lossMean,
      testAcc: test.acc,
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
    };
    records.push(record);
    options.onEpoch?.(record);
  }
  return records;
}

/** Loss (sum and mean over batches) and accuracy of `net` on `samples`, e.g. a pruned model. */
export function evaluate(net: Network, samples: Sample[], options: EvaluateOptions = {}): Evaluation {
  const batchSize = options.batchSize ?? 32;
  checkPositiveInt(batchSize, "options.batchSize");
  const set = encodeSamples(samples, net.spec.vocab, "samples");
  return evaluateWith(engineFor(net, [set], batchSize, options.backend, options.precision), set, batchSize, options.padding ?? "post");
}

/** P(valid) per sample, in order. */
export function predict(net: Network, samples: Sample[], options: EvaluateOptions = {}): Float64Array {
  const batchSize = options.batchSize ?? 32;
  checkPositiveInt(batchSize, "options.batchSize");
  const set = encodeSamples(samples, net.spec.vocab, "samples");
  const engine = engineFor(net, [set], batchSize, options.backend, options.precision);
  const out = new Float64Array(samples.length);
  let from = 0;
  for (const batch of batchesOf(set, identity(set.tokens.length), batchSize)) {
    engine.predictBatch(batch, options.padding ?? "post", out, from);
    from += batch.size;
  }
  return out;
}
