/**
 * One execution interface for experiment tasks, two executors:
 *
 *  - `InProcessExecutor` (the default; nothing to start): a piscina pool of worker
 *    threads in this process (pool.ts), or this thread with `workers: 0`;
 *  - `QueueExecutor` (queue/queue-executor.ts): a BullMQ queue on Redis, served by
 *    worker processes on any machine (`npx sparse-rnn-lab worker --queue redis://…`).
 *
 * A protocol (e.g. runSweep) opens a *batch* — tasks of one kind that share data and one
 * result-store identity — runs each task by its key, and closes the batch. It stays the
 * only writer of its result store: executors return results, they never write them.
 *
 * `defaultExecutor()` (default-executor.ts) picks the queue when
 * `SPARSE_RNN_QUEUE=redis://[:password@]host:port/db` is set, else the in-process pool.
 */
import type { SharedData, TaskKindName } from "./task-kinds";
import { taskKind } from "./task-kinds";
import { createPool, coreCount } from "./pool";

/** The environment variable that sends experiment tasks to a queue. */
export const QUEUE_ENV = "SPARSE_RNN_QUEUE";

export interface BatchSpec {
  /** which task kind (task-kinds.ts) */
  kind: TaskKindName;
  /**
   * The identity of the result store the results go to: everything that determines
   * the numbers, with at least `data` (the data fingerprint) and `numerics` (the
   * engine numerics). Job ids derive from its hash and the task keys.
   */
  identity: Record<string, unknown>;
  /** the data every task of the batch reads (a worker checks it against identity.data) */
  data: SharedData;
  /** how many tasks the batch will run at most (caps the in-process pool's size) */
  size?: number;
}

export interface Batch<Task, Result> {
  /** how many tasks to keep in flight at once (Infinity: submit them all) */
  readonly size: number;
  /** Run one task; `key` is its key in the result store (unique in the batch). */
  run(task: Task, key: string): Promise<Result>;
  /** Stop waiting (tasks still running elsewhere, e.g. on queue workers, go on). */
  close(): Promise<void>;
}

export interface Executor {
  /** e.g. "in-process (2 worker threads)", "queue sparse-rnn-lab at redis://127.0.0.1:6379/0" */
  readonly description: string;
  open<Task, Result>(spec: BatchSpec): Promise<Batch<Task, Result>>;
  /** Release connections (a no-op in process). */
  close(): Promise<void>;
}

export interface InProcessOptions {
  /** worker threads; 0 runs tasks in this thread. Default: one per core. */
  workers?: number;
}

export class InProcessExecutor implements Executor {
  constructor(private readonly options: InProcessOptions = {}) {
    const w = options.workers;
    if (w !== undefined && !(Number.isInteger(w) && w >= 0)) throw new Error(`InProcessExecutor: workers must be an integer ≥ 0, got ${w}`);
  }

  get description(): string {
    const w = this.options.workers ?? coreCount();
    return w === 0 ? "in-process (this thread)" : `in-process (${w} worker thread${w === 1 ? "" : "s"})`;
  }

  async open<Task, Result>(spec: BatchSpec): Promise<Batch<Task, Result>> {
    const kind = taskKind(spec.kind);
    const workers = this.options.workers ?? coreCount();
    if (workers === 0) {
      return { size: 1, run: (task) => kind.run(task, spec.data) as Promise<Result>, close: async () => {} };
    }
    const pool = createPool<Task, Result>({ module: kind.module, workers: Math.max(1, Math.min(workers, spec.size ?? workers)), shared: spec.data });
    return { size: pool.size, run: (task) => pool.run(task), close: () => pool.destroy() };
  }

  async close(): Promise<void> {}
}
