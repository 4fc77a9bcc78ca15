/**
 * What the notebook (client) and the queue workers agree on: the queue's name, the
 * job's payload and result, job ids, where a batch's data lives in Redis, and the
 * Redis URL.
 *
 * - **Jobs carry data, never code**: the task kind's name (resolved by the worker in
 *   its own clone, task-kinds.ts), the task's settings, its key, the store identity's
 *   hash, the engine numerics and the data's fingerprint.
 * - **Job id = content key**: `<kind>-shortHash({store, task})`, the store's identity
 *   hash (data fingerprint, settings, engine numerics) and the task's key (its index in
 *   the protocol). BullMQ keeps one job per id, so resubmitting, a retry or a
 *   duplicated delivery never makes a second job, and the client writes one row per key.
 * - **Data shipped once per batch**: the data set is stored under a key named by its
 *   fingerprint; a worker reads it once, recomputes the fingerprint and refuses the
 *   job when it differs (never trusted blindly).
 */
import { Redis } from "ioredis";
import { shortHash } from "../../core/hash";
import type { Numerics } from "../../nn/numerics";

export const JOB_FORMAT = "sparse-rnn-lab/job/1";
export const DEFAULT_QUEUE_NAME = "sparse-rnn-lab";
export const DEFAULT_PREFIX = "bull";

export interface JobPayload {
  format: typeof JOB_FORMAT;
  /** a task kind of task-kinds.ts */
  kind: string;
  /** the task's key in its result store, e.g. "GRU/barabasi_albert/3" */
  key: string;
  /** hash of the result store's identity */
  store: string;
  /** the engine numerics the store's identity names */
  numerics: Numerics;
  /** the shared data: its fingerprint and the Redis key holding it */
  data: { fingerprint: string; key: string };
  /** the task itself (settings only) */
  task: unknown;
}

export interface JobResult {
  format: typeof JOB_FORMAT;
  result: unknown;
  /** the worker that computed it (`host/pid`) */
  worker: string;
  /** ms spent in the task's handler (the pool's worker thread, timed from the worker's main thread) */
  handlerMs: number;
  /** ms from the processor's start to its end, in the worker's main thread (handler + dispatch + data/numerics checks) */
  processorMs: number;
  /** ms between this worker slot's previous job and this one (undefined for a slot's first job) */
  pickupMs?: number;
}

/** The job id of a task: its kind and the hash of {store identity, task key}. Never all digits (BullMQ refuses integer ids). */
export function jobIdOf(kind: string, store: string, key: string): string {
  return `${kind}-${shortHash({ store, task: key })}`;
}

/** The Redis key of a shipped data set. */
export function dataKeyOf(prefix: string, queueName: string, fingerprint: string): string {
  return `${prefix}:${queueName}:data:${fingerprint}`;
}

export interface QueueUrl {
  /** the URL as given (with its password) */
  url: string;
  /** the URL with the password replaced by *** (for messages and logs) */
  safe: string;
  tls: boolean;
}

/**
 * Check a queue URL: `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS).
 * The error names the (password-masked) value.
 */
export function parseQueueUrl(value: string, where = "queue URL"): QueueUrl {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${where} "${mask(value)}" is not a URL; expected redis://[:password@]host:port/db (or rediss:// for TLS)`);
  }
  const safe = mask(value);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new Error(`${where} "${safe}" must start with redis:// or rediss:// (TLS), not ${u.protocol}//`);
  if (!u.hostname) throw new Error(`${where} "${safe}" names no host`);
  if (u.port && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) throw new Error(`${where} "${safe}": port ${u.port} is not in 1–65535`);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,5}$/.test(db)) throw new Error(`${where} "${safe}": the database "${db}" is not a number (redis://host:port/0)`);
  if (u.search || u.hash) throw new Error(`${where} "${safe}": query strings and fragments are not supported`);
  return { url: value, safe, tls: u.protocol === "rediss:" };
}

/** The URL with any password replaced by ***. */
export function mask(value: string): string {
  return value.replace(/^(rediss?:\/\/)([^@/]*)@/i, (_all, scheme: string, auth: string) => {
    const colon = auth.indexOf(":");
    return `${scheme}${colon < 0 ? "***" : `${auth.slice(0, colon)}:***`}@`;
  });
}

export function formatNumerics(n: Numerics | undefined): string {
  return n && typeof n === "object" ? `version ${n.version}, kernels ${n.kernels}` : String(n);
}

/**
 * Connect once, without retries, within `timeoutMs`: a wrong URL or a Redis that is not
 * running is an error at once (BullMQ's own connections retry forever, which is right
 * while running and wrong at the start). Returns the server's version.
 */
export async function probeRedis(url: QueueUrl, timeoutMs = 10_000): Promise<string> {
  const probe = new Redis(url.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  let lastError: Error | undefined;
  probe.on("error", (error: Error) => { lastError = error; });
  try {
    await probe.connect();
    const info = await probe.info("server");
    return /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  } catch (error) {
    const e = lastError ?? (error as Error);
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot reach Redis at ${url.safe}: ${code && !e.message.includes(code) ? `${code} ` : ""}${e.message}`);
  } finally {
    probe.disconnect();
  }
}
