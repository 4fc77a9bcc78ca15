/**
 * The second thread of a batch: a worker thread with its own Engine (same network,
 * own wasm memory) computes the second shard of every batch while the calling thread
 * computes the first (ShardedRunner, ../sharded-runner.ts, fixes the shards and how
 * their results combine, so the numbers do not depend on the thread count).
 *
 * One synchronization per batch through a SharedArrayBuffer mailbox: the caller
 * writes θ and the shard, bumps a sequence number and notifies; the worker replies
 * with its loss, accuracy and gradient. Both sides spin briefly before Atomics.wait
 * (a blocking wake-up costs ≈ 50 µs). Everything is synchronous, so `train` stays
 * synchronous. The compiled WebAssembly.Module is posted to the worker (compiling its
 * own copy would run unoptimized code first), and a closed driver's worker stays
 * idle for the next one (start-up ≈ 0.5 s).
 *
 *   const worker = DataParallel.create(engine, net, { threads: "auto", capacity });
 *   worker.submit(secondShard, padding, true); engine.lossAndGradient(firstShard, padding);
 *   const { loss, correct, grad } = worker.collect();
 */
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tsWorkerData, WORKER_ENTRY } from "../../core/worker";
import type { Batch } from "../../data/types";
import type { BatchResult, EngineBase } from "../engine-base";
import type { Network } from "../network";
import type { Padding } from "../spec";
import { KernelModule, loadKernelModule } from "./load";
import type { WasmVariant } from "./build";
import { WasmOps } from "./wasm-ops";
import { Command, CONTROL_INTS, mailboxLayout, ParameterUpdate, READY, Slot, spinThenWait } from "./mailbox";

/** Below this many floating-point operations per batch a hand-off costs more than it saves. */
export const MIN_PARALLEL_FLOPS = 4e6;

/** A worker that has not answered within this time is reported as hung. */
const REPLY_TIMEOUT_MS = 120_000;

export interface DataParallelOptions {
  /** 1 = off, 2 = always split, "auto" = split when the batch is large enough and 2 cores exist */
  threads: number | "auto";
  /** the engine's workspace capacity (largest batch and steps) */
  capacity: { batch: number; steps: number };
}

/** Multiply-adds per string and step of the recurrent blocks, ×6 for forward + backward. */
export function flopsPerBatch(net: Network, batch: number, steps: number): number {
  let weights = 0;
  for (const b of net.blocks) weights += b.wIH.length + b.wHH.length;
  return 6 * batch * steps * weights;
}

/**
 * Threads to use: "auto" → 2 when two cores exist and a batch is ≥ MIN_PARALLEL_FLOPS.
 * The environment variable SPARSE_RNN_THREADS (a number) replaces "auto": on a
 * machine whose cores are already busy one thread is faster. The choice never
 * depends on the momentary load, so a seed always gives the same numbers.
 */
export function chooseThreads(threads: number | "auto", flops: number): number {
  const override = process.env.SPARSE_RNN_THREADS;
  if (threads === "auto" && override !== undefined && override !== "" && override !== "auto") {
    const n = Number(override);
    if (!Number.isInteger(n) || n < 1) throw new Error(`SPARSE_RNN_THREADS=${override}: expected a positive integer or auto`);
    threads = n;
  }
  if (threads === "auto") {
    const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return cores >= 2 && flops >= MIN_PARALLEL_FLOPS ? 2 : 1;
  }
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer or "auto", got ${threads}`);
  return Math.min(threads, 2); // the batch is split in halves: more threads are not used
}

/** A worker thread with its control slots; kept idle between trainings so the next one starts at once. */
interface WorkerHandle {
  worker: Worker;
  port: MessagePort;
  ints: Int32Array;
  sequence: number;
  variant: WasmVariant;
}

/**
 * The worker's TypeScript module, started through the project's worker bootstrap
 * (src/core/worker.ts); by file path rather than require.resolve: tslab (notebooks)
 * resolves relative ids itself.
 */
const WORKER_MODULE = path.join(fs.realpathSync(__dirname), "data-parallel-worker.ts");

/** at most one idle worker is kept (the batch is split in halves: one worker suffices) */
const idleWorkers: WorkerHandle[] = [];

function spawnWorker(kernels: KernelModule): WorkerHandle {
  const control = new SharedArrayBuffer(CONTROL_INTS * 4);
  const channel = new MessageChannel();
  const worker = new Worker(WORKER_ENTRY, {
    workerData: tsWorkerData(WORKER_MODULE, { control, port: channel.port2, module: kernels.module, variant: kernels.variant }),
    transferList: [channel.port2],
  });
  worker.unref(); // an idle worker never keeps the process alive
  const handle: WorkerHandle = { worker, port: channel.port1, ints: new Int32Array(control), sequence: READY, variant: kernels.variant };
  awaitReply(handle, "start-up");
  return handle;
}

function request(handle: WorkerHandle, command: Command, message?: unknown): void {
  if (message !== undefined) handle.port.postMessage(message);
  handle.ints[Slot.Command] = command;
  Atomics.store(handle.ints, Slot.Request, ++handle.sequence);
  Atomics.notify(handle.ints, Slot.Request);
}

function awaitReply(handle: WorkerHandle, what: string): void {
  if (!spinThenWait(handle.ints, Slot.Reply, handle.sequence, REPLY_TIMEOUT_MS)) {
    void handle.worker.terminate();
    throw new Error(`DataParallel: the worker did not answer ${what} within ${REPLY_TIMEOUT_MS / 1000} s`);
  }
  if (handle.ints[Slot.Failed]) {
    const message = receiveMessageOnPort(handle.port)?.message;
    void handle.worker.terminate();
    throw new Error(`DataParallel worker failed on ${what}: ${String(message)}`);
  }
}

export class DataParallel {
  private handle: WorkerHandle | undefined;
  private readonly theta: Float32Array;
  private readonly grad: Float32Array;
  private readonly results: Float64Array;
  private readonly tokens: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly labels: Uint8Array;

  /**
   * A data-parallel driver for `engine` (which must run on the wasm backend), or
   * undefined when one thread is the better choice for this network and batch size.
   */
  static create(engine: EngineBase, net: Network, options: DataParallelOptions): DataParallel | undefined {
    const flops = flopsPerBatch(net, options.capacity.batch, options.capacity.steps);
    if (chooseThreads(options.threads, flops) < 2 || options.capacity.batch < 2) return undefined;
    if (!(engine.ops instanceof WasmOps)) throw new Error(`DataParallel needs the wasm backend, the engine runs on ${engine.ops.name}`);
    return new DataParallel(engine, net, options.capacity);
  }

  private constructor(private readonly engine: EngineBase, net: Network, capacity: { batch: number; steps: number }) {
    const half = Math.floor(capacity.batch / 2);
    const layout = mailboxLayout(engine.parameterCount, half, capacity.steps);
    const data = new SharedArrayBuffer(layout.bytes);
    ({ theta: this.theta, grad: this.grad, results: this.results, tokens: this.tokens,
      lengths: this.lengths, labels: this.labels } = layout.views(data));
    const kernels = loadKernelModule((engine.ops as WasmOps).variant);
    const pooled = idleWorkers.findIndex((w) => w.variant === kernels.variant);
    const handle = pooled >= 0 ? idleWorkers.splice(pooled, 1)[0] : spawnWorker(kernels);
    request(handle, Command.Configure, { data, network: net.toJSON(), capacity: { batch: half, steps: capacity.steps }, layout: engine.layout });
    awaitReply(handle, "setting up its engine");
    this.handle = handle;
  }

  /** Start the worker on one shard with the engine's current θ. */
  submit(shard: Batch, padding: Padding, withGradient: boolean): void {
    const handle = this.live();
    this.tokens.set(shard.tokens);
    this.lengths.set(shard.lengths);
    this.labels.set(shard.labels);
    handle.ints[Slot.Size] = shard.size;
    handle.ints[Slot.Steps] = shard.steps;
    handle.ints[Slot.Padding] = padding === "packed" ? 1 : 0;
    this.theta.set(this.engine.theta as Float32Array);
    request(handle, withGradient ? Command.LossAndGradient : Command.Evaluate);
  }

  /** Wait for the submitted shard: its mean loss, correct count and gradient (a view, valid until the next submit). */
  collect(): BatchResult & { grad: Float32Array } {
    this.settle(this.live(), "a batch");
    return { loss: this.results[0], correct: this.results[1], grad: this.grad };
  }

  /** Send the network's masks (and weights) to the worker, after changing them outside training. */
  loadParameters(net: Network): void {
    const handle = this.live();
    // typed arrays only (a structured-clone memcpy): afterStep hooks may call this every batch
    const update: ParameterUpdate = { arrays: net.parameterArrays(), masks: net.blocks.map((b) => [b.maskIH, b.maskHH]) };
    request(handle, Command.LoadNetwork, update);
    this.settle(handle, "loading the network");
  }

  /** Release the worker (it stays idle for the next DataParallel). */
  close(): void {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    if (idleWorkers.length === 0) {
      idleWorkers.push(handle);
    } else {
      request(handle, Command.Exit);
      void handle.worker.terminate();
    }
  }

  private live(): WorkerHandle {
    if (!this.handle) throw new Error("DataParallel: used after close() or after its worker failed");
    return this.handle;
  }

  /** wait for the worker; on failure it is gone, and so is this driver */
  private settle(handle: WorkerHandle, what: string): void {
    try {
      awaitReply(handle, what);
    } catch (error) {
      this.handle = undefined;
      throw error;
    }
  }
}
