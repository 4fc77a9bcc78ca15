/**
 * The queue executor: experiment tasks as BullMQ jobs on Redis, computed by worker
 * processes anywhere (`npx sparse-rnn-lab worker --queue redis://…`), results returned
 * to this process, which stays the only writer of its result store.
 *
 * - Submitting returns at once: every task of a batch is added as a job (`size` is
 *   Infinity); each `run` promise settles when its job's `completed` / `failed` event
 *   arrives (QueueEvents), so results stream into the store as workers finish them.
 *   A poll of the pending jobs' states every `pollMs` backs the events up (an event
 *   missed around a reconnect never leaves a task waiting forever).
 * - Idempotent: the job id is the task's content key (protocol.ts). A task whose job is
 *   already there — waiting, running, or completed while nobody was listening (a notebook
 *   whose kernel died) — is not added again: a running job is awaited, a completed one is
 *   collected. Only what is missing is submitted. A job that failed in an earlier run is
 *   retried once by the rerun.
 * - Faults: a task's own error (deterministic: bad settings or data) fails its job at
 *   once, with the worker's message; a worker killed mid-job leaves a stalled job that
 *   another worker takes over after the lock expires; refusals (a worker with other
 *   numerics, a data mismatch) and crashes are retried up to `attempts` times.
 * - Completed jobs are kept (`keepSeconds`, default 30 days) so a rerun can collect them.
 */
import { Job, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { canonicalJson, shortHash } from "../../core/hash";
import { dataFingerprint } from "../../data/fingerprint";
import type { Numerics } from "../../nn/numerics";
import { QUEUE_ENV, type Batch, type BatchSpec, type Executor } from "../executor";
import { isTaskKind } from "../task-kinds";
import {
  DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, JOB_FORMAT, JobPayload, JobResult, QueueUrl, dataKeyOf, jobIdOf, parseQueueUrl, probeRedis,
} from "./protocol";

/** What happened to a job, for progress displays and the benchmark. */
export type QueueJobEvent =
  | { type: "submitted" | "resubmitted" | "attached"; key: string; jobId: string; state?: string }
  | { type: "active"; key: string; jobId: string }
  | { type: "stalled" | "retrying"; key: string; jobId: string }
  | { type: "completed"; key: string; jobId: string; result: JobResult; finishedOn?: number; receivedAt: number }
  | { type: "failed"; key: string; jobId: string; reason: string; attempts: number };

export interface QueueExecutorOptions {
  /** redis://[[user]:password@]host[:port][/db], or rediss://… for TLS */
  url: string;
  /** the queue's name (workers must use the same); default "sparse-rnn-lab" */
  queueName?: string;
  /** Redis key prefix; default "bull" */
  prefix?: string;
  /** attempts per job for refusals and crashes (a task's own error fails at once); default 3 */
  attempts?: number;
  /** how often pending jobs' states are checked besides the events (ms); default 5000 */
  pollMs?: number;
  /** how long completed and failed jobs (and shipped data) are kept, in seconds; default 30 days */
  keepSeconds?: number;
  /** how long to wait for Redis when opening (ms); default 10 s */
  connectTimeoutMs?: number;
  onEvent?: (event: QueueJobEvent) => void;
}

interface Pending {
  key: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class QueueExecutor implements Executor {
  readonly url: QueueUrl;
  readonly queueName: string;
  readonly prefix: string;
  private queue?: Queue;
  private events?: QueueEvents;
  private redis?: Redis;
  private connecting?: Promise<void>;
  private readonly pending = new Map<string, Pending>();
  private readonly batches = new Set<() => void>();
  private closed = false;

  constructor(readonly options: QueueExecutorOptions) {
    this.url = parseQueueUrl(options.url, "QueueExecutor url");
    this.queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    const attempts = options.attempts ?? 3;
    if (!(Number.isInteger(attempts) && attempts >= 1 && attempts <= 100)) throw new Error(`QueueExecutor: attempts must be an integer in 1–100, got ${options.attempts}`);
    for (const name of ["pollMs", "keepSeconds", "connectTimeoutMs"] as const) {
      const v = options[name];
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new Error(`QueueExecutor: ${name} must be a positive number, got ${v}`);
    }
    if (!/^[A-Za-z0-9._-]+$/.test(this.queueName)) throw new Error(`QueueExecutor: queueName "${this.queueName}" may only hold letters, digits, ".", "_" and "-"`);
  }

  get description(): string {
    return `queue ${this.queueName} at ${this.url.safe}`;
  }

  /** The BullMQ queue (connected), e.g. to count or inspect jobs. */
  async bullQueue(): Promise<Queue> {
    await this.connect();
    return this.queue!;
  }

  private connect(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.description}: the executor is closed`));
    this.connecting ??= this.doConnect().catch(async (error) => {
      this.connecting = undefined;
      await this.disconnect();
      throw error;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    try {
      await probeRedis(this.url, this.options.connectTimeoutMs ?? 10_000);
    } catch (error) {
      throw new Error(`${this.description}: ${(error as Error).message}\n  start Redis (redis-server --bind 127.0.0.1 --port 6379), or point ${QUEUE_ENV} / the url at a running one`);
    }
    const connection = { url: this.url.url, maxRetriesPerRequest: null };
    this.redis = new Redis(this.url.url, { maxRetriesPerRequest: null });
    this.redis.on("error", () => {}); // reconnects by itself; commands wait meanwhile
    this.queue = new Queue(this.queueName, { connection, prefix: this.prefix });
    this.queue.on("error", () => {});
    this.events = new QueueEvents(this.queueName, { connection, prefix: this.prefix });
    this.events.on("error", () => {});
    this.events.on("completed", ({ jobId }) => void this.settle(jobId));
    this.events.on("failed", ({ jobId }) => void this.settle(jobId));
    this.events.on("active", ({ jobId }) => this.emit("active", jobId));
    this.events.on("stalled", ({ jobId }) => this.emit("stalled", jobId));
    this.events.on("waiting", ({ jobId, prev }) => { if (prev === "failed" || prev === "active") this.emit("retrying", jobId); });
    this.events.on("delayed", ({ jobId }) => this.emit("retrying", jobId));
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
  }

  private emit(type: "active" | "stalled" | "retrying", jobId: string): void {
    const p = this.pending.get(jobId);
    if (p) this.options.onEvent?.({ type, key: p.key, jobId });
  }

  /**
   * Settle a pending job from its state in Redis (after an event, or from the poll).
   * The state is read before the job (a job read first may still lack the result it
   * has by the time its state says completed); the pending entry is taken only after
   * the last await, so concurrent calls settle a job once.
   */
  private async settle(jobId: string): Promise<void> {
    if (!this.pending.has(jobId) || !this.queue) return;
    let job: Job | undefined;
    let state: string;
    try {
      state = await this.queue.getJobState(jobId);
      if (state !== "completed" && state !== "failed") return;
      job = await Job.fromId(this.queue, jobId);
    } catch {
      return; // Redis away: the poll tries again
    }
    const p = this.pending.get(jobId);
    if (!job || !p) return;
    this.pending.delete(jobId);
    if (state === "completed") {
      const result = job.returnvalue as JobResult;
      if (!result || result.format !== JOB_FORMAT) {
        p.reject(new Error(`job ${jobId} (task ${p.key}) completed without a result of format ${JOB_FORMAT}: ${canonicalJson(result).slice(0, 200)}`));
        return;
      }
      this.options.onEvent?.({ type: "completed", key: p.key, jobId, result, finishedOn: job.finishedOn, receivedAt: Date.now() });
      p.resolve(result.result);
    } else {
      const attempts = job.attemptsMade;
      this.options.onEvent?.({ type: "failed", key: p.key, jobId, reason: job.failedReason, attempts });
      const where = job.processedBy ? ` on worker ${job.processedBy}` : "";
      p.reject(new Error(`${job.failedReason} (queue job ${jobId} failed${where} after ${attempts} attempt${attempts === 1 ? "" : "s"})`));
    }
  }

  async open<Task, Result>(spec: BatchSpec): Promise<Batch<Task, Result>> {
    if (!isTaskKind(spec.kind)) throw new Error(`QueueExecutor: unknown task kind "${spec.kind}"`);
    const numerics = spec.identity.numerics as Numerics;
    if (!numerics || typeof numerics.version !== "number" || typeof numerics.kernels !== "string") {
      throw new Error(`QueueExecutor: the batch's identity must hold numerics {version, kernels}, got ${canonicalJson(spec.identity.numerics)}`);
    }
    const fingerprint = dataFingerprint(spec.data);
    if (spec.identity.data !== undefined && spec.identity.data !== fingerprint) {
      throw new Error(`QueueExecutor: the batch's identity names data ${String(spec.identity.data).slice(0, 16)}…, its data has fingerprint ${fingerprint.slice(0, 16)}…`);
    }
    await this.connect();
    const queue = this.queue!;
    const keep = this.options.keepSeconds ?? 30 * 24 * 3600;
    // ship the data once (content-addressed: an existing key holds the same data)
    const dataKey = dataKeyOf(this.prefix, this.queueName, fingerprint);
    if (await this.redis!.exists(dataKey)) await this.redis!.expire(dataKey, keep);
    else await this.redis!.set(dataKey, JSON.stringify({ train: spec.data.train, test: spec.data.test }), "EX", keep);
    const store = shortHash(spec.identity);
    const attempts = this.options.attempts ?? 3;
    const mine = new Set<string>();
    let open = true;
    const poll = setInterval(() => {
      for (const jobId of mine) if (this.pending.has(jobId)) void this.settle(jobId);
    }, this.options.pollMs ?? 5000);
    poll.unref();

    const stop = (): void => {
      if (!open) return;
      open = false;
      clearInterval(poll);
      for (const jobId of mine) {
        const p = this.pending.get(jobId);
        if (p) {
          this.pending.delete(jobId);
          p.reject(new Error(`job ${jobId} (task ${p.key}): ${this.description}: the batch was closed; the job goes on on the workers and a rerun collects it`));
        }
      }
      this.batches.delete(stop);
    };
    this.batches.add(stop);

    const run = async (task: Task, key: string): Promise<Result> => {
      if (!open) throw new Error(`${this.description}: the batch is closed`);
      const jobId = jobIdOf(spec.kind, store, key);
      if (this.pending.has(jobId)) throw new Error(`${this.description}: task ${key} (job ${jobId}) is already running in this process`);
      const result = new Promise<Result>((resolve, reject) => this.pending.set(jobId, { key, resolve: resolve as (v: unknown) => void, reject }));
      mine.add(jobId);
      const payload: JobPayload = { format: JOB_FORMAT, kind: spec.kind, key, store, numerics, data: { fingerprint, key: dataKey }, task };
      try {
        const existing = await Job.fromId(queue, jobId);
        const state = existing ? await existing.getState() : "unknown";
        if (existing && state === "failed") {
          await existing.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
          this.options.onEvent?.({ type: "resubmitted", key, jobId, state });
        } else if (existing && state !== "unknown") {
          this.options.onEvent?.({ type: "attached", key, jobId, state });
        } else {
          await queue.add(spec.kind, payload, {
            jobId, attempts, backoff: { type: "fixed", delay: 1000 },
            removeOnComplete: { age: keep }, removeOnFail: { age: keep },
          });
          this.options.onEvent?.({ type: "submitted", key, jobId });
        }
        await this.settle(jobId); // finished before we listened?
      } catch (error) {
        const p = this.pending.get(jobId);
        if (p) {
          this.pending.delete(jobId);
          p.reject(new Error(`${this.description}: submitting task ${key} (job ${jobId}) failed: ${(error as Error).message}`));
        }
      }
      return result;
    };
    return { size: Infinity, run, close: async () => stop() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of [...this.batches]) stop();
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    const closing: Promise<unknown>[] = [];
    if (this.events) closing.push(this.events.close().catch(() => {}));
    if (this.queue) closing.push(this.queue.close().catch(() => {}));
    await Promise.all(closing);
    this.redis?.disconnect();
    this.events = this.queue = this.redis = undefined;
  }
}
