/**
 * The structure study runs through the queue like the sweep: a private redis-server and one
 * `sparse-rnn-lab worker` process; a tiny study (both parts, both mappings) submitted through a
 * QueueExecutor gives the in-process run's rows, timings aside, and a rerun through the queue reads
 * everything back from the store without submitting a job. Skipped, with a message, only where
 * redis-server is not installed and cannot be (see queue.test.ts).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runStructureStudy, structureStudySettings, type StructureStudySettings } from "../../../src/experiments/structure-study";
import { QueueExecutor, QueueJobEvent } from "../../../src/experiments/queue/queue-executor";
import { findRedisServer, processAlive, startRedis, startWorkerProcess, type LocalRedis, type WorkerProcess } from "../../../src/experiments/queue/local";

const redisBinary = findRedisServer();
const canInstall = fs.existsSync("/usr/bin/apt-get");
const skip = redisBinary ? false : canInstall && process.env.CI ? false
  : `redis-server is not installed${canInstall ? " (bash environment/install.sh installs Debian's redis-server)" : " and cannot be installed here (no apt-get)"}`;
if (skip) console.log(`# SKIP structure-study queue test: ${skip}`);

/** One variant, both mappings, WS p ∈ {0, 1} and BA, 1 graph × 2 seeds; the ceiling part: one graph per family × 2 seeds. */
function tiny(): StructureStudySettings {
  const s = structureStudySettings("quick");
  return { ...s, smallWorld: { ...s.smallWorld, modes: ["RNN_TANH"], rewiring: [0, 1], matched: ["barabasi_albert"] }, ceiling: { ...s.ceiling, graphs: 1 } };
}

describe("the structure study through a BullMQ queue on a real Redis", { skip, timeout: 240_000 }, () => {
  let redis: LocalRedis | undefined;
  let worker: WorkerProcess | undefined;
  const dirs: string[] = [];
  const dir = (label: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `study-queue-${label}-`));
    dirs.push(d);
    return d;
  };

  before(async () => {
    redis = await startRedis({ binary: redisBinary });
    worker = await startWorkerProcess(redis.url, { concurrency: 1 });
  });

  after(async () => {
    await worker?.kill();
    await redis?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    if (worker) assert.ok(!processAlive(worker.pid), `worker ${worker.pid} is still running`);
    if (redis) assert.ok(!processAlive(redis.pid), `redis-server ${redis.pid} is still running`);
  });

  test("queue rows equal the in-process rows (timings aside); a rerun submits nothing", { timeout: 200_000 }, async () => {
    const settings = tiny();
    const reference = await runStructureStudy(settings, { cacheDir: dir("reference"), workers: 1 });
    const events: QueueJobEvent[] = [];
    const cacheDir = dir("queue");
    const executor = new QueueExecutor({ url: redis!.url, pollMs: 500, onEvent: (e) => events.push(e) });
    try {
      const queued = await runStructureStudy(settings, { cacheDir, executor });
      const models = 1 * 2 * 3 * 1 * 2 + 1 * 2 * 1 * 2;
      assert.equal(queued.rows.length, models);
      assert.equal(queued.computed, models);
      const withoutTime = (rows: typeof queued.rows) => rows.map(({ time: _t, ...rest }) => rest);
      assert.deepEqual(withoutTime(queued.rows), withoutTime(reference.rows), `worker log:\n${worker!.lines.join("\n")}`);
      assert.ok(queued.rows.some((r) => r.mapping === "recurrent") && queued.rows.some((r) => r.part === "ceiling"));
      const submitted = events.length;
      assert.ok(submitted > 0, "the queue saw the jobs");
      const again = await runStructureStudy(settings, { cacheDir, executor });
      assert.equal(again.computed, 0);
      assert.equal(events.length, submitted, "a finished study submits no job");
    } finally {
      await executor.close();
    }
  });
});
