/**
 * The queue executor with real components: a private redis-server (127.0.0.1, a free
 * port, a temporary folder) and `sparse-rnn-lab worker` processes started through the
 * package's bin. A small sweep (8 models, 1 epoch, 90 training strings) runs through the
 * queue; one worker is SIGKILLed mid-job; the result store must equal the in-process
 * run's (except timings) with no duplicate. Then: a deterministic failure fails once; a
 * worker with other numerics refuses; a notebook (client) killed mid-sweep leaves the
 * workers going and a rerun collects and resubmits only what is missing; Redis killed
 * and restarted with its append-only file loses nothing.
 *
 * Skipped, with a message, only where redis-server is not installed and cannot be
 * (no apt-get); `bash environment/install.sh` installs Debian's redis-server.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Job, Queue } from "bullmq";
import { generateDataset } from "../../../src/data";
import { Row, ResultStore } from "../../../src/core/result-store";
import { runSweep, planSweep, sweepIdentity, SweepProgress } from "../../../src/experiments/sweep";
import { QueueExecutor, QueueJobEvent } from "../../../src/experiments/queue/queue-executor";
import { jobIdOf } from "../../../src/experiments/queue/protocol";
import { findRedisServer, processAlive, startRedis, startWorkerProcess, LocalRedis, WorkerProcess } from "../../../src/experiments/queue/local";
import { shortHash } from "../../../src/core/hash";
import { queueTestConfig as config } from "./queue-config.fixture";

const ROOT = path.join(__dirname, "..", "..", "..");
const redisBinary = findRedisServer();
const canInstall = fs.existsSync("/usr/bin/apt-get");
const skip = redisBinary
  ? false
  : canInstall && process.env.CI
    ? false // CI on Debian: install.sh must have installed it; startRedis fails with the reason
    : `redis-server is not installed${canInstall ? " (bash environment/install.sh installs Debian's redis-server)" : " and cannot be installed here (no apt-get): the queue tests need a real Redis"}`;
if (skip) console.log(`# SKIP queue tests: ${skip}`);

const total = planSweep(config).length;
const WORKER = { concurrency: 1, lockDuration: 2000, stalledInterval: 1000 };

function tmp(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `queue-${label}-`));
}

function withoutTime(rows: Row[]): Row[] {
  return rows.map(({ time: _time, ...rest }) => rest);
}

/** The store's task lines, parsed (the header dropped), and its duplicate count. */
function storeContents(dir: string): { keys: string[]; duplicates: number } {
  const file = path.join(dir, "results.jsonl");
  const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(1);
  return { keys: lines.map((l) => JSON.parse(l).key as string), duplicates: ResultStore.read(file).duplicates };
}

function storeIdOf(data: ReturnType<typeof generateDataset>): string {
  return shortHash(sweepIdentity(config, data));
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("sweeps through a BullMQ queue on a real Redis", { skip, timeout: 240_000 }, () => {
  let redis: LocalRedis | undefined;
  let queue: Queue | undefined;
  const workers: WorkerProcess[] = [];
  const dirs: string[] = [];
  const dir = (label: string) => {
    const d = tmp(label);
    dirs.push(d);
    return d;
  };
  const data = generateDataset({ size: 120, seed: 7 });
  let reference: Row[] = [];
  let survivor: WorkerProcess | undefined;

  before(async () => {
    redis = await startRedis({ binary: redisBinary });
    queue = new Queue("sparse-rnn-lab", { connection: { url: redis.url, maxRetriesPerRequest: null } });
    reference = (await runSweep(config, { cacheDir: dir("reference"), data, workers: 1 })).rows;
  });

  after(async () => {
    await queue?.close();
    for (const w of workers) await w.kill();
    await redis?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    for (const w of workers) assert.ok(!processAlive(w.pid), `worker ${w.pid} is still running`);
    if (redis) assert.ok(!processAlive(redis.pid), `redis-server ${redis.pid} is still running`);
  });

  test("a worker killed mid-job: its job is retried by the other worker and recorded once; the store equals the in-process run", { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([startWorkerProcess(redis!.url, WORKER), startWorkerProcess(redis!.url, WORKER)]);
    workers.push(a, b);
    const logs = () => `\nworker A:\n${a.lines.join("\n")}\nworker B:\n${b.lines.join("\n")}`;
    // kill the first worker that starts a job, right after it started it (its first job
    // also starts its thread pool, ~1 s, so the kill lands mid-job)
    const killed = Promise.race([a, b].map((w) => w.waitFor(/\] started \S+ /, 60_000).then((line) => ({ w, line }))))
      .then(async ({ w, line }) => {
        await w.kill("SIGKILL");
        const jobId = /\] started (\S+) /.exec(line)![1];
        const state = await (await Job.fromId(queue!, jobId))!.getState();
        return { victim: w, other: w === a ? b : a, jobId, state };
      });
    const events: QueueJobEvent[] = [];
    const progress: SweepProgress[] = [];
    const executor = new QueueExecutor({ url: redis!.url, pollMs: 500, onEvent: (e) => events.push(e) });
    const cacheDir = dir("killed");
    let result;
    try {
      result = await runSweep(config, { cacheDir, data, executor, onProgress: (p) => progress.push(p) });
    } finally {
      await executor.close();
    }
    const kill = await killed;
    assert.equal(kill.state, "active", `the kill must land while the job runs (it was ${kill.state})${logs()}`);
    assert.equal(result.computed, total);
    assert.deepEqual(withoutTime(result.rows), withoutTime(reference), `queue rows differ from the in-process rows${logs()}`);
    assert.deepEqual(progress.map((p) => p.done), Array.from({ length: total + 1 }, (_, i) => i));
    // recorded exactly once: one line per model, no duplicate
    const stored = storeContents(result.dir);
    assert.equal(stored.keys.length, total);
    assert.equal(new Set(stored.keys).size, total);
    assert.equal(stored.duplicates, 0);
    // the killed job ran again on the other worker, after the stall interval
    const job = (await Job.fromId(queue!, kill.jobId))!;
    assert.equal(await job.getState(), "completed");
    assert.ok(job.attemptsStarted >= 2 || job.stalledCounter >= 1, `attemptsStarted ${job.attemptsStarted}, stalledCounter ${job.stalledCounter}${logs()}`);
    const otherName = /\[worker (\S+)\] ready/.exec(kill.other.lines.join("\n"))![1];
    assert.equal((job.returnvalue as { worker: string }).worker, otherName);
    assert.ok(kill.other.lines.some((l) => l.includes(`started ${kill.jobId}`)), logs());
    assert.equal(events.filter((e) => e.type === "completed").length, total);
    assert.equal(new Set(events.filter((e) => e.type === "completed").map((e) => e.key)).size, total);
    assert.equal(events.filter((e) => e.type === "submitted").length, total);
    assert.ok(!processAlive(kill.victim.pid));
    survivor = kill.other;

    // a rerun reads the store: nothing submitted, no new job
    const counts = await queue!.getJobCounts();
    const rerunEvents: QueueJobEvent[] = [];
    const again = new QueueExecutor({ url: redis!.url, onEvent: (e) => rerunEvents.push(e) });
    try {
      const rerun = await runSweep(config, { cacheDir, data, executor: again });
      assert.equal(rerun.computed, 0);
      assert.deepEqual(rerun.rows, result.rows);
    } finally {
      await again.close();
    }
    assert.deepEqual(rerunEvents, []);
    assert.deepEqual(await queue!.getJobCounts(), counts);
  });

  test("a job that fails deterministically fails once, with its error, and is not retried", { timeout: 60_000 }, async () => {
    assert.ok(survivor, "needs the first test's surviving worker");
    const bad = { train: [...data.train.slice(0, 10), { text: "BTé", valid: true }], test: data.test.slice(0, 5) };
    const executor = new QueueExecutor({ url: redis!.url, pollMs: 500 });
    const small = { ...config, modes: ["GRU" as const], graphs: 1 };
    try {
      await assert.rejects(runSweep(small, { cacheDir: dir("bad"), data: bad, executor }),
        /runSweep: model GRU\/\S+ \(seed \d+, \d+ nodes\) failed: .*data\.train\[10\].*is not ASCII.*\(queue job structure-model-\w+ failed on worker \S+ after 1 attempt\)/);
    } finally {
      await executor.close();
    }
    const store = shortHash(sweepIdentity(small, bad));
    for (const model of planSweep(small)) {
      const id = jobIdOf("structure-model", store, model.key);
      // the job's fields are read after its state says failed: read before, they can predate the failure
      const job = await eventually(`job of ${model.key} to fail`, async () =>
        (await queue!.getJobState(id)) === "failed" ? Job.fromId(queue!, id) : undefined);
      assert.equal(job.attemptsMade, 1, `${model.key}: attempts ${job.attemptsMade}`);
      assert.equal(job.attemptsStarted, 1);
      assert.match(job.failedReason, /is not ASCII/);
    }
  });

  test("a worker refuses a job of other engine numerics, with a clear message", { timeout: 60_000 }, async () => {
    const executor = new QueueExecutor({ url: redis!.url, pollMs: 500, attempts: 2 });
    try {
      const batch = await executor.open({ kind: "structure-model", identity: { other: "numerics", numerics: { version: 999, kernels: "wasm-relaxed" } }, data });
      const task = planSweep(config)[0].task;
      await assert.rejects(batch.run(task, "GRU/barabasi_albert/0"),
        /refused by worker \S+: job structure-model-\w+ \(task GRU\/barabasi_albert\/0\) needs engine numerics version 999, kernels wasm-relaxed; this worker computes with version \d+, kernels \S+ .*run the same commit.*after 2 attempts/);
      await batch.close();
    } finally {
      await executor.close();
    }
  });

  test("a notebook killed mid-sweep: workers go on; a rerun collects what finished and submits only what is missing", { timeout: 120_000 }, async () => {
    assert.ok(survivor, "needs the first test's surviving worker");
    const other = generateDataset({ size: 120, seed: 8 });
    const cacheDir = dir("client");
    const client = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "queue-client.fixture.ts"), redis!.url, cacheDir, "120", "8"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the client printed no progress within 60 s:\n${output}`)), 60_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/progress 1\//.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        client.stdout!.on("data", onData);
        client.stderr!.on("data", onData);
        client.once("exit", (code) => reject(new Error(`the client exited (${code}) early:\n${output}`)));
      });
    } finally {
      client.kill("SIGKILL");
    }
    await new Promise((resolve) => (client.exitCode !== null || client.signalCode !== null ? resolve(undefined) : client.once("exit", resolve)));
    // the workers finish the sweep without the client
    const store = storeIdOf(other);
    const plan = planSweep(config);
    const ids = plan.map((m) => jobIdOf("structure-model", store, m.key));
    await eventually("every job to complete without the client", async () => {
      const states = await Promise.all(ids.map((id) => queue!.getJobState(id)));
      return states.every((s) => s === "completed") ? true : undefined;
    });
    // one finished job is gone from Redis (e.g. expired): the rerun must submit that one again
    const dirOf = fs.readdirSync(cacheDir).map((d) => path.join(cacheDir, d)).find((d) => fs.existsSync(path.join(d, "results.jsonl")))!;
    const before = new Set(storeContents(dirOf).keys);
    assert.ok(before.size >= 1 && before.size < total, `the killed client stored ${before.size} of ${total} rows`);
    const missing = plan.filter((m) => !before.has(m.key));
    const removed = missing[missing.length - 1];
    await queue!.remove(jobIdOf("structure-model", store, removed.key));

    const events: QueueJobEvent[] = [];
    const executor = new QueueExecutor({ url: redis!.url, pollMs: 500, onEvent: (e) => events.push(e) });
    let rerun;
    try {
      rerun = await runSweep(config, { cacheDir, data: other, executor });
    } finally {
      await executor.close();
    }
    assert.equal(rerun.rows.length, total);
    assert.equal(rerun.computed, missing.length);
    assert.deepEqual(events.filter((e) => e.type === "submitted").map((e) => e.key), [removed.key]);
    assert.deepEqual(events.filter((e) => e.type === "attached").map((e) => e.key).sort(), missing.filter((m) => m !== removed).map((m) => m.key).sort());
    const stored = storeContents(rerun.dir);
    assert.equal(stored.keys.length, total);
    assert.equal(stored.duplicates, 0);
    // each job ran once
    for (const id of ids) assert.equal((await Job.fromId(queue!, id))!.attemptsStarted, 1, id);
    const expected = (await runSweep(config, { cacheDir: dir("client-reference"), data: other, workers: 1 })).rows;
    assert.deepEqual(withoutTime(rerun.rows), withoutTime(expected));
  });
});

describe("Redis restarted (append-only file on)", { skip, timeout: 180_000 }, () => {
  let redis: LocalRedis | undefined;
  const workers: WorkerProcess[] = [];
  let cacheDir = "";
  // cleanup here too: it runs even when the test times out
  after(async () => {
    for (const w of workers) await w.kill();
    await redis?.stop();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  test("killed and restarted mid-sweep: nothing lost, every model recorded once", { timeout: 150_000 }, async () => {
    cacheDir = tmp("restart");
    redis = await startRedis({ binary: redisBinary, appendOnly: true });
    const data = generateDataset({ size: 120, seed: 9 });
    try {
      workers.push(await startWorkerProcess(redis.url, WORKER));
      const executor = new QueueExecutor({ url: redis.url, pollMs: 500 });
      let restarted = false;
      let first!: () => void;
      const firstResult = new Promise<void>((resolve) => (first = resolve));
      const sweep = runSweep(config, { cacheDir, data, executor, onProgress: (p) => { if (p.row) first(); } });
      let result;
      try {
        // the first row (or the sweep's error, never a wait forever)
        await Promise.race([firstResult, sweep.then(() => { throw new Error("the sweep ended before the restart"); })]);
        await redis.kill(); // SIGKILL: no clean shutdown, no final save
        await new Promise((resolve) => setTimeout(resolve, 300));
        await redis.restart();
        restarted = true;
        result = await sweep;
      } finally {
        await executor.close();
        await sweep.catch(() => undefined);
      }
      assert.ok(restarted);
      assert.equal(result.rows.length, total);
      const stored = storeContents(result.dir);
      assert.equal(stored.keys.length, total);
      assert.equal(new Set(stored.keys).size, total);
      assert.equal(stored.duplicates, 0);
      const reference = (await runSweep(config, { cacheDir: path.join(cacheDir, "reference"), data, workers: 1 })).rows;
      assert.deepEqual(withoutTime(result.rows), withoutTime(reference));
      // the jobs survived the restart: all there, completed
      const queue = new Queue("sparse-rnn-lab", { connection: { url: redis.url, maxRetriesPerRequest: null } });
      try {
        assert.equal((await queue.getJobCounts("completed")).completed, total);
      } finally {
        await queue.close();
      }
    } finally {
      for (const w of workers) await w.kill();
      await redis.stop();
      fs.rmSync(cacheDir, { recursive: true, force: true });
      for (const w of workers) assert.ok(!processAlive(w.pid), `worker ${w.pid} is still running`);
      assert.ok(!processAlive(redis.pid), "redis-server is still running");
      redis = undefined;
    }
  });
});
