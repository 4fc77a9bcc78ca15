/**
 * Training loop, evaluation and prediction over Samples — the thesis's procedure:
 * shuffled mini-batches, cross-entropy, gradient-norm clip 5, Adam, per-epoch train
 * and test loss (sum over batches, as the thesis logs, and mean) and accuracy.
 * Deterministic: the same seed gives identical numbers on the same backend and layout,
 * on one thread or two (every batch is reduced as two fixed shards, sharded-runner.ts).
 */
import type { Batch, Sample } from "../data/types";
import { BackendName, createOps } from "./backend";
import { batchesOf, EncodedSet, encodeSamples } from "./batching";
import type { EngineBase } from "./engine-base";
import { createEngine, EngineLayout } from "./create-engine";
import { DataParallel } from "./wasm/data-parallel";
import { ShardedRunner } from "./sharded-runner";
import * as fs from "fs";
import { readJsonFile } from "../core/json";
import { Network, NetworkJSON } from "./network";
import { Random } from "../core/random";
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
  /** 1 = one thread, 2 = split every batch over two threads where the backend can (capabilities.threads: wasm), "auto" (default) = two when the network is large enough */
  threads?: number | "auto";
  /** sequence layout of the engine: "auto" (default: feature-major for networks of small layers), "rows" or "columns" (create-engine.ts) */
  layout?: EngineLayout;
  /** epoch number of the first epoch (1-based), for resumed runs; default 1 */
  startEpoch?: number;
  /** called after each epoch (incremental writes, progress) */
  onEpoch?: (record: EpochRecord) => void;
  /** called after each training batch */
  onBatch?: (done: number, total: number) => void;
  /** called after each optimizer step with the network's weights up to date; changes to its weights/masks are taken over */
  afterStep?: (net: Network, step: number, context: StepContext) => void;
}

/** What an afterStep hook may ask of the step just taken (dynamic sparse training). */
export interface StepContext {
  /** the step's mini-batch */
  readonly batch: Batch;
  /**
   * ∂L/∂θ on the step's batch at the network as the hook holds it, with every recurrent mask opened:
   * masked weights get their gradient too (RigL's growth criterion; EngineBase.denseLossAndGradient).
   * Copies, in Network.parameterArrays() order. One more forward and backward pass over the whole
   * batch on one thread, so the same numbers on any thread count: ask only on the steps that need it.
   */
  denseGradient(): Float64Array[];
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

function identityInto(order: Int32Array): Int32Array {
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order;
}

/** Everything needed to continue a run exactly: weights, masks, Adam state, next epoch. */
export interface TrainerCheckpoint {
  format: "sparse-rnn-lab/trainer";
  version: 1;
  /** the next epoch to run (1-based) */
  epoch: number;
  step: number;
  network: NetworkJSON;
  adam: { step: number; m: number[]; v: number[] };
}

function capacityOf(sets: EncodedSet[], batchSize: number): { batch: number; steps: number } {
  return { batch: batchSize, steps: Math.max(1, ...sets.map((s) => s.maxLength)) };
}

function engineFor(net: Network, capacity: { batch: number; steps: number }, options: Pick<TrainOptions, "backend" | "precision" | "layout">): EngineBase {
  return createEngine(net, createOps(options.backend ?? "auto", options.precision), capacity, { layout: options.layout });
}

/** Both shards of every batch on the engine, or the second on a worker thread when the backend can share a batch (sharded-runner.ts). */
function runnerFor(engine: EngineBase, net: Network, capacity: { batch: number; steps: number }, threads: number | "auto"): ShardedRunner {
  const worker = threads === 1 || engine.ops.capabilities.threads < 2 ? undefined : DataParallel.create(engine, net, { threads, capacity });
  return new ShardedRunner(engine, worker);
}

function evaluateWith(runner: ShardedRunner, set: EncodedSet, batchSize: number, padding: Padding): Evaluation {
  if (set.tokens.length === 0) return { loss: NaN, lossMean: NaN, acc: NaN };
  let loss = 0, correct = 0, batches = 0;
  for (const batch of batchesOf(set, identity(set.tokens.length), batchSize)) {
    const r = runner.evaluateBatch(batch, padding);
    loss += r.loss;
    correct += r.correct;
    batches++;
  }
  return { loss, lossMean: loss / batches, acc: correct / set.tokens.length };
}

/**
 * A training run that keeps its engine and Adam state between epochs, so a caller
 * can run epochs one at a time (e.g. yielding to a notebook's event loop between
 * them) with exactly the numbers of one `train` call.
 */
export class Trainer {
  private readonly engine: EngineBase;
  private readonly runner: ShardedRunner;
  private readonly trainSet: EncodedSet;
  private readonly testSet: EncodedSet;
  private readonly order: Int32Array;
  private readonly lr: number;
  private readonly clip: number;
  private readonly padding: Padding;
  private step = 0;
  /** the next epoch's number (1-based) */
  epoch: number;

  constructor(readonly net: Network, data: { train: Sample[]; test: Sample[] }, readonly options: TrainOptions) {
    checkPositiveInt(options.epochs, "TrainOptions.epochs");
    checkPositiveInt(options.batchSize, "TrainOptions.batchSize");
    this.lr = options.lr ?? 0.001;
    this.clip = options.clip ?? 5;
    this.padding = options.padding ?? "post";
    if (!(this.lr > 0)) throw new Error(`TrainOptions.lr must be positive, got ${this.lr}`);
    if (!(this.clip > 0)) throw new Error(`TrainOptions.clip must be positive, got ${this.clip}`);
    if (data.train.length === 0) throw new Error("train: data.train is empty");
    this.trainSet = encodeSamples(data.train, net.spec.vocab, "data.train");
    this.testSet = encodeSamples(data.test, net.spec.vocab, "data.test");
    const capacity = capacityOf([this.trainSet, this.testSet], options.batchSize);
    this.engine = engineFor(net, capacity, options);
    this.runner = runnerFor(this.engine, net, capacity, options.threads ?? "auto");
    this.order = identity(this.trainSet.tokens.length);
    this.epoch = options.startEpoch ?? 1;
  }

  /** Name of the arithmetic backend in use (e.g. "js-f64", "wasm-relaxed"), "×2" when two threads share each batch. */
  get backend(): string {
    return this.engine.ops.name + (this.runner.threads === 2 ? " ×2" : "");
  }

  /** A checkpoint of the run after the last finished epoch. */
  checkpoint(): TrainerCheckpoint {
    return { format: "sparse-rnn-lab/trainer", version: 1, epoch: this.epoch, step: this.step, network: this.net.toJSON(), adam: this.engine.exportOptimizer() };
  }

  /** Write checkpoint() to a file atomically (write, then rename). */
  saveCheckpoint(file: string): void {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(this.checkpoint()));
    fs.renameSync(tmp, file);
  }

  /**
   * Continue a run from a checkpoint (object or file): the network is restored from it
   * (available as `trainer.net`) and the next runEpoch() gives exactly the numbers the
   * uninterrupted run would have. `options.epochs` still only has to be positive.
   */
  static resume(checkpoint: TrainerCheckpoint | string, data: { train: Sample[]; test: Sample[] }, options: TrainOptions,
    where = typeof checkpoint === "string" ? `trainer checkpoint ${checkpoint}` : "checkpoint"): Trainer {
    const cp = (typeof checkpoint === "string" ? readJsonFile(checkpoint, "trainer checkpoint") : checkpoint) as TrainerCheckpoint;
    if (!cp || cp.format !== "sparse-rnn-lab/trainer" || cp.version !== 1) throw new Error(`${where}: not a sparse-rnn-lab trainer checkpoint`);
    const trainer = new Trainer(Network.load(cp.network, where), data, { ...options, startEpoch: cp.epoch });
    trainer.engine.importOptimizer(cp.adam);
    trainer.step = cp.step;
    return trainer;
  }

  /** Stop the worker thread, if any (train() does this itself). */
  close(): void {
    this.runner.close();
  }

  /** StepContext.denseGradient: the network's current weights and masks on the engine, then the gradient with the masks opened. */
  private denseGradient(batch: Batch): Float64Array[] {
    this.engine.loadParameters(this.net);
    this.engine.denseLossAndGradient(batch, this.padding);
    return this.engine.gradientArrays(this.net).map((g) => Float64Array.from(g));
  }

  /** One epoch: train on every batch, then evaluate on the test set; the network is updated in place. */
  runEpoch(): EpochRecord {
    const { engine, runner, net, options } = this;
    const epoch = this.epoch++;
    const start = process.hrtime.bigint();
    // the shuffle depends only on (seed, epoch), so a resumed run repeats it exactly
    if (options.shuffle ?? true) new Random(options.seed * 1000003 + epoch).shuffle(identityInto(this.order));
    const batches = batchesOf(this.trainSet, this.order, options.batchSize);
    let loss = 0, correct = 0;
    batches.forEach((batch, i) => {
      const r = runner.lossAndGradient(batch, this.padding);
      if (!Number.isFinite(r.loss)) {
        engine.storeParameters(net);
        throw new Error(`${net.spec.mode}: loss is ${r.loss} at epoch ${epoch}, batch ${i + 1} of ${batches.length} (lr ${this.lr}); the network keeps the weights before this batch`);
      }
      engine.step({ lr: this.lr, clip: this.clip });
      this.step++;
      loss += r.loss;
      correct += r.correct;
      if (options.afterStep) {
        engine.storeParameters(net);
        options.afterStep(net, this.step, { batch, denseGradient: () => this.denseGradient(batch) });
        runner.loadParameters(net);
      }
      options.onBatch?.(i + 1, batches.length);
    });
    engine.storeParameters(net);
    const test = evaluateWith(runner, this.testSet, options.batchSize, this.padding);
    const record: EpochRecord = {
      epoch,
      trainLoss: loss,
      trainLossMean: loss / batches.length,
      trainAcc: correct / this.trainSet.tokens.length,
      testLoss: test.loss,
      testLossMean: test.lossMean,
      testAcc: test.acc,
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
    };
    options.onEpoch?.(record);
    return record;
  }
}

/**
 * Train `net` in place for options.epochs epochs. Synchronous: progress arrives
 * through onBatch/onEpoch. Throws (naming mode, epoch and batch) when the loss
 * becomes NaN or infinite; the network then keeps the weights of the last finite step.
 */
export function train(net: Network, data: { train: Sample[]; test: Sample[] }, options: TrainOptions): EpochRecord[] {
  const trainer = new Trainer(net, data, options);
  try {
    return Array.from({ length: options.epochs }, () => trainer.runEpoch());
  } finally {
    trainer.close();
  }
}

/** `train`, yielding to the event loop after every epoch so a notebook can redraw its progress bar. Same numbers. */
export async function trainAsync(net: Network, data: { train: Sample[]; test: Sample[] }, options: TrainOptions): Promise<EpochRecord[]> {
  const trainer = new Trainer(net, data, options);
  const records: EpochRecord[] = [];
  try {
    for (let e = 0; e < options.epochs; e++) {
      records.push(trainer.runEpoch());
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    trainer.close();
  }
  return records;
}

/** Loss (sum and mean over batches) and accuracy of `net` on `samples`, e.g. a pruned model. */
export function evaluate(net: Network, samples: Sample[], options: EvaluateOptions = {}): Evaluation {
  const batchSize = options.batchSize ?? 32;
  checkPositiveInt(batchSize, "options.batchSize");
  const set = encodeSamples(samples, net.spec.vocab, "samples");
  return evaluateWith(new ShardedRunner(engineFor(net, capacityOf([set], batchSize), options)), set, batchSize, options.padding ?? "post");
}

/** P(valid) per sample, in order. */
export function predict(net: Network, samples: Sample[], options: EvaluateOptions = {}): Float64Array {
  const batchSize = options.batchSize ?? 32;
  checkPositiveInt(batchSize, "options.batchSize");
  const set = encodeSamples(samples, net.spec.vocab, "samples");
  const engine = engineFor(net, capacityOf([set], batchSize), options);
  const out = new Float64Array(samples.length);
  let from = 0;
  for (const batch of batchesOf(set, identity(set.tokens.length), batchSize)) {
    engine.predictBatch(batch, options.padding ?? "post", out, from);
    from += batch.size;
  }
  return out;
}
