/**
 * A queue worker: takes experiment jobs from the BullMQ queue and computes them in a
 * pool of worker threads (pool.ts), `concurrency` at a time. The job's CPU-heavy work
 * never runs on this process's main thread, so BullMQ's lock renewal (every
 * lockDuration / 2) and the stall checker keep running however long a model trains.
 *
 * For each job the worker
 *  1. checks the payload's format and kind (a job of another protocol version or an
 *     unknown kind is refused: a newer or older clone);
 *  2. refuses the job when the engine numerics it names differ from this worker's own
 *     (numerics.ts): the numbers would not be the ones the result store's identity claims;
 *  3. loads the batch's data once (by fingerprint), recomputes the fingerprint and
 *     refuses the job when it differs;
 *  4. runs the task in the pool; the task's own error is deterministic (the same task
 *     and data fail the same way anywhere), so the job fails at once (UnrecoverableError),
 *     never retried in a loop.
 * A refusal is an ordinary error: the job goes back to the queue (up to its attempts),
 * where a worker of the right version may take it; the message names this worker.
 */
import * as os from "node:os";
import { Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { canonicalJson } from "../../core/hash";
import { dataFingerprint } from "../../data/fingerprint";
import type { Sample } from "../../data/types";
import { NUMERICS_VERSION } from "../../nn/numerics";
import { createPool, WorkerPool } from "../pool";
import { isTaskKind, taskKind, SharedData } from "../task-kinds";
import { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, JOB_FORMAT, JobPayload, JobResult, formatNumerics, parseQueueUrl, probeRedis } from "./protocol";

export interface QueueWorkerOptions {
  /** redis://[[user]:password@]host[:port][/db] or rediss://… */
  url: string;
  /** jobs computed at once (= worker threads); default: one per core */
  concurrency: number;
  queueName?: string;
  prefix?: string;
  /** ms a job's lock lasts without renewal (renewed every half); default 30 000 */
  lockDuration?: number;
  /** ms between checks for stalled jobs (of dead workers); default 30 000 */
  stalledInterval?: number;
  /** how often a job may stall before it fails; default 2 */
  maxStalledCount?: number;
  /** one line per event (default: console.log) */
  log?: (line: string) => void;
  /** this worker's name in logs and in jobs' processedBy; default host/pid */
  name?: string;
}

export interface QueueWorker {
  readonly name: string;
  /** jobs computed since the start */
  readonly completed: number;
  /** Stop taking jobs; waits for running jobs unless `force`. */
  close(force?: boolean): Promise<void>;
}

interface Context {
  pool: WorkerPool<unknown, unknown>;
  running: number;
  used: number;
  /** dropped by trim(): a job that got it just before loads the data again */
  retired: boolean;
}

/** Data sets kept in memory at once (each with its own thread pool). */
const MAX_CONTEXTS = 2;

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const url = parseQueueUrl(options.url, "--queue");
  const name = options.name ?? `${os.hostname()}/${process.pid}`;
  const log = options.log ?? ((line: string) => console.log(line));
  const say = (line: string) => log(`[worker ${name}] ${line}`);
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const concurrency = options.concurrency;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`startQueueWorker: concurrency must be a positive integer, got ${concurrency}`);

  await probeRedis(url);
  const redis = new Redis(url.url, { maxRetriesPerRequest: null });
  redis.on("error", () => {}); // reconnects by itself

  const contexts = new Map<string, Promise<Context>>();
  const numericsCache = new Map<string, string>();
  let completed = 0;
  const slotEnds: number[] = [];

  const loadContext = (kindName: string, data: JobPayload["data"]): Promise<Context> => {
    const id = `${kindName}|${data.fingerprint}`;
    let ctx = contexts.get(id);
    if (!ctx) {
      ctx = (async () => {
        const text = await redis.get(data.key);
        if (text === null) throw new Error(`the job's data (${data.key}) is not in Redis (expired or removed); rerun the sweep to ship it again`);
        const shared = JSON.parse(text) as SharedData;
        const ok = shared && Array.isArray(shared.train) && Array.isArray(shared.test);
        const fingerprint = ok ? dataFingerprint(shared as { train: Sample[]; test: Sample[] }) : "(not a data set)";
        if (fingerprint !== data.fingerprint) throw new Error(`refused by worker ${name}: the data under ${data.key} has fingerprint ${fingerprint.slice(0, 16)}…, the job names ${data.fingerprint.slice(0, 16)}…`);
        const kind = taskKind(kindName);
        const pool = createPool<unknown, unknown>({ module: kind.module, workers: concurrency, shared });
        say(`data ${data.fingerprint.slice(0, 12)}… loaded (${shared.train.length} train, ${shared.test.length} test strings) for ${kindName}`);
        return { pool, running: 0, used: Date.now(), retired: false };
      })();
      ctx.catch(() => contexts.delete(id));
      contexts.set(id, ctx);
    }
    return ctx;
  };

  /** Drop idle data sets beyond MAX_CONTEXTS, least recently used first. */
  const trim = async (): Promise<void> => {
    if (contexts.size <= MAX_CONTEXTS) return;
    const settled = await Promise.all([...contexts].map(async ([id, p]) => [id, await p.catch(() => undefined)] as const));
    const idle = settled.filter(([, c]) => c && c.running === 0).sort((a, b) => a[1]!.used - b[1]!.used);
    for (const [id, c] of idle.slice(0, contexts.size - MAX_CONTEXTS)) {
      if (c!.running > 0 || contexts.get(id) === undefined) continue;
      contexts.delete(id);
      c!.retired = true;
      await c!.pool.destroy();
    }
  };

  const refuse = (message: string): Error => {
    say(`refused: ${message}`);
    return new Error(`refused by worker ${name}: ${message}`);
  };

  const processor = async (job: Job<JobPayload, JobResult>): Promise<JobResult> => {
    const started = performance.now();
    const slot = slotEnds.length > 0 ? slotEnds.pop() : undefined;
    const pickupMs = slot === undefined ? undefined : Date.now() - slot;
    try {
      const p = job.data;
      if (!p || p.format !== JOB_FORMAT) throw refuse(`job ${job.id} has format ${canonicalJson(p?.format)}, this worker reads ${JOB_FORMAT} (run the same commit on the client and every worker)`);
      if (!isTaskKind(p.kind)) throw refuse(`job ${job.id} is of task kind "${p.kind}", which this worker's clone does not know (update it)`);
      say(`started ${job.id} ${p.kind} ${p.key} (attempt ${job.attemptsStarted})`);
      const kind = taskKind(p.kind);
      let own: string;
      try {
        const cacheKey = canonicalJson(p.task);
        own = numericsCache.get(cacheKey) ?? canonicalJson(kind.numerics(p.task));
        if (numericsCache.size > 10_000) numericsCache.clear();
        numericsCache.set(cacheKey, own);
      } catch (error) {
        throw new UnrecoverableError(`task ${p.key}: ${(error as Error).message}`);
      }
      if (own !== canonicalJson(p.numerics)) {
        const mine = JSON.parse(own);
        throw refuse(`job ${job.id} (task ${p.key}) needs engine numerics ${formatNumerics(p.numerics)}; this worker computes with ${formatNumerics(mine)} ` +
          `(NUMERICS_VERSION ${NUMERICS_VERSION} in src/nn/numerics.ts): run the same commit, on the same kind of CPU, as the notebook`);
      }
      let ctx = await loadContext(p.kind, p.data);
      while (ctx.retired) ctx = await loadContext(p.kind, p.data);
      ctx.running++;
      ctx.used = Date.now();
      let result: unknown;
      const handlerStart = performance.now();
      try {
        result = await ctx.pool.run(p.task);
      } catch (error) {
        // the task's own error: deterministic, fail once
        say(`failed ${job.id} ${p.key}: ${(error as Error).message}`);
        throw new UnrecoverableError((error as Error).message);
      } finally {
        ctx.running--;
        ctx.used = Date.now();
      }
      const handlerMs = performance.now() - handlerStart;
      void trim();
      completed++;
      const processorMs = performance.now() - started;
      say(`completed ${job.id} ${p.key} in ${(processorMs / 1000).toFixed(2)} s`);
      return { format: JOB_FORMAT, result, worker: name, handlerMs, processorMs, pickupMs };
    } finally {
      slotEnds.push(Date.now());
    }
  };

  const worker = new Worker<JobPayload, JobResult>(queueName, processor, {
    connection: { url: url.url, maxRetriesPerRequest: null },
    prefix,
    concurrency,
    name,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    autorun: false,
  });
  worker.on("error", (error) => say(`connection: ${error.message}`));
  worker.on("stalled", (jobId) => say(`job ${jobId} stalled (its worker died or froze); moved back to the queue`));
  void worker.run().catch((error) => say(`stopped: ${(error as Error).message}`));
  await worker.waitUntilReady();
  say(`ready: queue ${queueName} at ${url.safe}, concurrency ${concurrency}, engine numerics version ${NUMERICS_VERSION}`);

  let closing: Promise<void> | undefined;
  return {
    name,
    get completed() {
      return completed;
    },
    close(force = false) {
      closing ??= (async () => {
        await worker.close(force);
        for (const ctx of contexts.values()) await (await ctx.catch(() => undefined))?.pool.destroy();
        contexts.clear();
        redis.disconnect();
      })();
      return closing;
    },
  };
}
