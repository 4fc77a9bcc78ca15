/**
 * Two-thread data parallelism for the wasm engine: each batch is split in halves,
 * the calling thread runs its Engine on the first half while a worker thread runs
 * its own Engine (same network, own wasm memory) on the second; the gradients are
 * combined weighted by the half sizes, which is exactly the gradient of the mean
 * loss over the whole batch (up to float32 rounding).
 *
 * One synchronization per batch through a SharedArrayBuffer mailbox: the caller
 * writes θ and the worker's half batch, bumps a sequence number and notifies; the
 * worker replies with its loss, accuracy and gradient. Both sides spin briefly
 * before Atomics.wait (a blocking wake-up costs ≈ 50 µs). Everything is
 * synchronous, so `train` stays synchronous. The compiled WebAssembly.Module is
 * posted to the worker (compiling its own copy would run unoptimized code first).
 *
 *   const parallel = DataParallel.create(engine, net, { threads: "auto", capacity });
 *   const r = (parallel ?? engine).lossAndGradient(batch, padding); // fills engine.grad
 */
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Batch } from "../../data/types";
import type { BatchResult, Engine } from "../engine";
import type { Network } from "../network";
import type { Padding } from "../spec";
import { loadKernelModule } from "./load";
import { Command, MailboxLayout, mailboxLayout, READY, Slot, spinThenWait } from "./mailbox";

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

/** Threads to use: "auto" → 2 when two cores exist and a batch is ≥ MIN_PARALLEL_FLOPS. */
export function chooseThreads(threads: number | "auto", flops: number): number {
  if (threads === "auto") {
    const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return cores >= 2 && flops >= MIN_PARALLEL_FLOPS ? 2 : 1;
  }
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer or "auto", got ${threads}`);
  return Math.min(threads, 2); // the batch is split in halves: more threads are not used
}

export class DataParallel {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly layout: MailboxLayout;
  private readonly ints: Int32Array;
  private readonly results: Float64Array;
  private readonly theta: Float32Array;
  private readonly grad: Float32Array;
  private readonly tokens: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly labels: Uint8Array;
  private sequence = 0;
  private closed = false;

  /**
   * A data-parallel driver for `engine` (which must run on the wasm backend), or
   * undefined when one thread is the better choice for this network and batch size.
   */
  static create(engine: Engine, net: Network, options: DataParallelOptions): DataParallel | undefined {
    const flops = flopsPerBatch(net, options.capacity.batch, options.capacity.steps);
    if (chooseThreads(options.threads, flops) < 2 || options.capacity.batch < 2) return undefined;
    if (engine.ops.precision !== "f32" || !engine.ops.name.startsWith("wasm")) {
      throw new Error(`DataParallel needs the wasm backend, the engine runs on ${engine.ops.name}`);
    }
    return new DataParallel(engine, net, options.capacity);
  }

  private constructor(private readonly engine: Engine, net: Network, capacity: { batch: number; steps: number }) {
    const half = Math.floor(capacity.batch / 2);
    this.layout = mailboxLayout(engine.parameterCount, half, capacity.steps);
    const shared = new SharedArrayBuffer(this.layout.bytes);
    ({ ints: this.ints, results: this.results, theta: this.theta, grad: this.grad, tokens: this.tokens,
      lengths: this.lengths, labels: this.labels } = this.layout.views(shared));
    const channel = new MessageChannel();
    this.port = channel.port1;
    const kernels = loadKernelModule(engine.ops.name === "wasm-simd" ? "simd" : "relaxed");
    this.worker = new Worker(workerBootstrap(), {
      eval: true,
      workerData: {
        shared, port: channel.port2, module: kernels.module, variant: kernels.variant,
        network: net.toJSON(), capacity: { batch: half, steps: capacity.steps },
      },
      transferList: [channel.port2],
    });
    this.worker.unref(); // an idle worker never keeps the process alive
    this.sequence = READY;
    this.awaitReply("start-up");
  }

  /** Loss and accuracy of the whole batch; engine.grad receives the whole batch's gradient. */
  lossAndGradient(batch: Batch, padding: Padding): BatchResult {
    return this.run(batch, padding, true);
  }

  /** Loss and accuracy of the whole batch, no gradient. */
  evaluateBatch(batch: Batch, padding: Padding): BatchResult {
    return this.run(batch, padding, false);
  }

  /** Send the network's current weights and masks to the worker (after changing them outside training). */
  loadParameters(net: Network): void {
    this.engine.loadParameters(net);
    this.port.postMessage(net.toJSON());
    this.request(Command.LoadNetwork);
    this.awaitReply("loading the network");
  }

  /** Stop the worker. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.request(Command.Exit);
    void this.worker.terminate();
  }

  private run(batch: Batch, padding: Padding, withGradient: boolean): BatchResult {
    const B = batch.size, steps = batch.steps;
    const n1 = Math.ceil(B / 2), n2 = B - n1;
    if (n2 === 0) return withGradient ? this.engine.lossAndGradient(batch, padding) : this.engine.evaluateBatch(batch, padding);
    // the worker's half: rows n1 … B−1 of the row-major batch, same padded length
    this.tokens.set(batch.tokens.subarray(n1 * steps, B * steps));
    this.lengths.set(batch.lengths.subarray(n1, B));
    this.labels.set(batch.labels.subarray(n1, B));
    this.ints[Slot.Size] = n2;
    this.ints[Slot.Steps] = steps;
    this.ints[Slot.Padding] = padding === "packed" ? 1 : 0;
    if (withGradient) this.theta.set(this.engine.theta as Float32Array);
    this.request(withGradient ? Command.LossAndGradient : Command.Evaluate);

    const mine: Batch = {
      size: n1, steps, tokens: batch.tokens.subarray(0, n1 * steps),
      lengths: batch.lengths.subarray(0, n1), labels: batch.labels.subarray(0, n1),
    };
    const first = withGradient ? this.engine.lossAndGradient(mine, padding) : this.engine.evaluateBatch(mine, padding);
    this.awaitReply("a batch");
    const loss = (n1 * first.loss + n2 * this.results[0]) / B;
    if (withGradient && Number.isFinite(loss)) {
      // mean over the batch = size-weighted mean of the halves' means
      const g = this.engine.grad as Float32Array, w = this.grad, a = n1 / B, b = n2 / B;
      for (let i = 0; i < g.length; i++) g[i] = a * g[i] + b * w[i];
    }
    return { loss, correct: first.correct + this.results[1] };
  }

  private request(command: Command): void {
    if (this.closed && command !== Command.Exit) throw new Error("DataParallel: used after close()");
    this.ints[Slot.Command] = command;
    Atomics.store(this.ints, Slot.Request, ++this.sequence);
    Atomics.notify(this.ints, Slot.Request);
  }

  private awaitReply(what: string): void {
    if (!spinThenWait(this.ints, Slot.Reply, this.sequence, REPLY_TIMEOUT_MS)) {
      throw new Error(`DataParallel: the worker did not answer ${what} within ${REPLY_TIMEOUT_MS / 1000} s`);
    }
    if (this.ints[Slot.Failed]) {
      const message = receiveMessageOnPort(this.port)?.message;
      this.close();
      throw new Error(`DataParallel worker failed on ${what}: ${String(message)}`);
    }
  }
}

/**
 * The worker's entry script. The engine is TypeScript; the worker registers tsx's
 * CommonJS hook (tsx is a dependency) before loading it, by absolute paths so the
 * working directory does not matter.
 */
function workerBootstrap(): string {
  const tsx = require.resolve("tsx/cjs/api");
  // by file path rather than require.resolve: tslab (notebooks) resolves relative ids itself
  const entry = path.join(fs.realpathSync(__dirname), "data-parallel-worker.ts");
  return `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
}
