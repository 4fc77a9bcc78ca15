/**
 * A notebook stand-in for test/experiments/queue/queue.test.ts: runs a small sweep through
 * the queue and prints "progress done/total" as results arrive, until killed.
 *
 *   node --import tsx test/experiments/queue/queue-client.fixture.ts <redis url> <cache dir> <data size> <data seed>
 */
import { generateDataset } from "../../../src/data";
import { runSweep } from "../../../src/experiments/sweep";
import { QueueExecutor } from "../../../src/experiments/queue/queue-executor";
import { queueTestConfig } from "./queue-config.fixture";

async function main(): Promise<void> {
  const [url, cacheDir, size, seed] = process.argv.slice(2);
  const data = generateDataset({ size: Number(size), seed: Number(seed) });
  const executor = new QueueExecutor({ url, pollMs: 500 });
  try {
    await runSweep(queueTestConfig, {
      cacheDir, data, executor,
      onProgress: (p) => console.log(`progress ${p.done}/${p.total}`),
    });
    console.log("done");
  } finally {
    await executor.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
