/**
 * The executor a protocol uses when none is given. Apart from executor.ts so that the
 * interfaces the queue executor implements do not import the queue executor back.
 */
import { Executor, InProcessExecutor, InProcessOptions, QUEUE_ENV } from "./executor";
/**
 * The executor a protocol uses when none is given: the queue named by SPARSE_RNN_QUEUE
 * when it is set (bullmq is loaded only then), else the in-process pool.
 */
export async function defaultExecutor(options: InProcessOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<Executor> {
  const url = env[QUEUE_ENV];
  if (url !== undefined && url.trim() !== "") {
    // loaded only when used (bullmq takes ~1 s to load); `require`, which tsx's CommonJS hook,
    // `node --import tsx` and tslab all resolve (a dynamic import() needs tsx's ESM hook)
    const { QueueExecutor } = require("./queue/queue-executor") as typeof import("./queue/queue-executor");
    return new QueueExecutor({ url: url.trim() });
  }
  return new InProcessExecutor(options);
}
