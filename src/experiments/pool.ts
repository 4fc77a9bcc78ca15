/**
 * A pool of worker threads (piscina) running a TypeScript worker module. Each worker
 * starts in the project's one worker bootstrap (src/core/worker.ts), which registers tsx
 * and then requires the .ts module.
 */
import * as os from "os";
import Piscina from "piscina";
import { tsWorkerData, WORKER_ENTRY } from "../core/worker";

export interface WorkerPool<Task, Result> {
  run(task: Task): Promise<Result>;
  readonly size: number;
  destroy(): Promise<void>;
}

export interface PoolOptions {
  /** absolute path of the worker's .ts module; its default export handles one task */
  module: string;
  /** worker threads; default: one per core */
  workers?: number;
  /** cloned once into every worker (e.g. the dataset), read there via `require("worker_threads").workerData.shared` */
  shared?: unknown;
}

/** Cores available to this process. */
export function coreCount(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export function createPool<Task, Result>(options: PoolOptions): WorkerPool<Task, Result> {
  const size = options.workers ?? coreCount();
  if (!Number.isInteger(size) || size < 1) throw new Error(`createPool: workers must be a positive integer, got ${options.workers}`);
  const workerData = tsWorkerData(options.module, { shared: options.shared });
  const piscina = new Piscina({
    filename: WORKER_ENTRY,
    minThreads: size,
    maxThreads: size,
    // a model takes minutes; keep idle workers (and their copy of the data) alive
    idleTimeout: 60_000,
    workerData,
  });
  return {
    size,
    run: (task: Task) => piscina.run(task) as Promise<Result>,
    destroy: () => piscina.destroy(),
  };
}
