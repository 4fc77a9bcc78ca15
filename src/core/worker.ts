/**
 * Worker threads that run TypeScript. Node starts a worker from JavaScript only, so every
 * worker of the project — the experiment pool (src/experiments/pool.ts, piscina) and the
 * second thread of a batch (src/nn/wasm/data-parallel.ts) — starts in the one bootstrap
 * WORKER_ENTRY (worker-entry.js), which registers tsx and loads the module named here.
 *
 *   new Worker(WORKER_ENTRY, { workerData: tsWorkerData("/abs/path/worker.ts", { port }) })
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The bootstrap's absolute path (symlinks resolved: notebooks import src/ through notebooks/src). */
export const WORKER_ENTRY: string = path.join(fs.realpathSync(__dirname), "worker-entry.js");

/**
 * workerData for WORKER_ENTRY: `data` (read by the module as `workerData`) plus the absolute
 * path of the TypeScript module to load, under the key `tsModule`.
 */
export function tsWorkerData<Data extends object>(module: string, data: Data): Data & { tsModule: string } {
  if (!path.isAbsolute(module)) throw new Error(`worker module must be an absolute path, got "${module}"`);
  if ("tsModule" in data) throw new Error(`workerData must not have its own "tsModule" key`);
  return { ...data, tsModule: module };
}
