/**
 * The queue executor's cost: the quick-profile sweep (16 models) through
 *   (a) the in-process pool (one worker thread per core),
 *   (b) the BullMQ queue with 1 worker process (concurrency = cores),
 *   (c) the queue with 2 worker processes on this machine (concurrency 1 each),
 * each into a fresh cache. Prints models/min, the per-job queue overhead (worker side:
 * the gap between a slot's jobs plus the dispatch around the handler; client side: the
 * delay until a result arrives), its share of a model's training time, and the
 * projected wall time of the thesis's 800-model sweep on k machines.
 *
 *   node --import tsx bench/queue.ts [--thesis-models N] [--out bench/results/queue.json]
 *
 * A private redis-server (127.0.0.1, free port, no persistence) and the worker
 * processes are started and stopped by the benchmark.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCli } from "./cli";
import { generateDataset } from "../src/data";
import { runSweep, sweepProfile, SweepConfig } from "../src/experiments/sweep";
import { coreCount } from "../src/experiments/pool";
import { QueueExecutor, QueueJobEvent } from "../src/experiments/queue/queue-executor";
import { startRedis, startWorkerProcess, LocalRedis, WorkerProcess } from "../src/experiments/queue/local";

const args = parseCli({
  script: "bench/queue.ts",
  summary: `The quick-profile sweep in process, through the queue with 1 worker process and with 2;
models/min, per-job queue overhead, and the projected wall time of the 800-model sweep on
1, 4 and 16 machines. Starts its own redis-server and workers.`,
  options: {
    "thesis-models": {
      type: "number", integer: true, ge: 0, le: 64, default: 0,
      description: "also train this many thesis-size models through the queue to measure the per-model time (0: use bench/results/sweep.json's)",
    },
    out: { type: "string", valueName: "file", default: "bench/results/queue.json", description: "where to write the JSON summary" },
  },
});

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : "n/a");

interface Run {
  label: string;
  models: number;
  wallSeconds: number;
  modelsPerMinute: number;
  /** median training seconds of a model (the outcome's `time`) */
  modelSeconds: number;
  queue?: { pickupMs: number; dispatchMs: number; notifyMs: number; overheadMs: number; jobs: number };
}

async function timed(label: string, config: SweepConfig, data: ReturnType<typeof generateDataset>, executor?: QueueExecutor, events?: QueueJobEvent[]): Promise<Run> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-queue-"));
  try {
    const start = performance.now();
    const result = await runSweep(config, { cacheDir, data, ...(executor ? { executor } : { workers: coreCount() }) });
    const wallSeconds = (performance.now() - start) / 1000;
    const run: Run = {
      label, models: result.rows.length, wallSeconds, modelsPerMinute: (result.rows.length / wallSeconds) * 60,
      modelSeconds: median(result.rows.map((r) => Number(r.time))),
    };
    if (events) {
      const done = events.filter((e): e is Extract<QueueJobEvent, { type: "completed" }> => e.type === "completed");
      const pickup = done.flatMap((e) => (e.result.pickupMs === undefined ? [] : [e.result.pickupMs]));
      const dispatch = done.map((e) => e.result.processorMs - e.result.handlerMs);
      const notify = done.flatMap((e) => (e.finishedOn === undefined ? [] : [e.receivedAt - e.finishedOn]));
      run.queue = {
        pickupMs: median(pickup), dispatchMs: median(dispatch), notifyMs: median(notify),
        overheadMs: median(pickup) + median(dispatch), jobs: done.length,
      };
    }
    return run;
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function throughQueue(label: string, redis: LocalRedis, processes: number, concurrency: number, config: SweepConfig, data: ReturnType<typeof generateDataset>): Promise<Run> {
  const queueName = `bench-${processes}x${concurrency}-${Date.now()}`;
  const workers: WorkerProcess[] = await Promise.all(Array.from({ length: processes }, () => startWorkerProcess(redis.url, { concurrency, queueName })));
  const events: QueueJobEvent[] = [];
  const executor = new QueueExecutor({ url: redis.url, queueName, onEvent: (e) => events.push(e) });
  try {
    return await timed(label, config, data, executor, events);
  } finally {
    await executor.close();
    for (const w of workers) await w.kill("SIGTERM");
  }
}

function hours(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(2)} h` : `${(seconds / 60).toFixed(1)} min`;
}

async function main(): Promise<void> {
  const quick = sweepProfile("quick");
  const data = generateDataset({ size: quick.datasetSize, seed: quick.seed });
  const cores = coreCount();
  console.log(`bench/queue.ts: quick sweep, ${quick.modes.length * quick.families.length * quick.graphs} models, ${quick.epochs} epoch, ${data.train.length} train strings; ${cores} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  const runs: Run[] = [];
  runs.push(await timed(`(a) in-process pool, ${cores} threads`, quick, data));
  const redis = await startRedis();
  let thesisModelSeconds: number | undefined;
  let thesisOverheadMs: number | undefined;
  try {
    runs.push(await throughQueue(`(b) queue, 1 worker process × ${cores}`, redis, 1, cores, quick, data));
    runs.push(await throughQueue("(c) queue, 2 worker processes × 1", redis, 2, 1, quick, data));
    if (args["thesis-models"] > 0) {
      const thesis = sweepProfile("thesis");
      const n = args["thesis-models"];
      const thesisData = generateDataset({ size: thesis.datasetSize, seed: thesis.seed });
      const config: SweepConfig = { ...thesis, modes: ["GRU"], families: ["barabasi_albert"], graphs: n };
      const run = await throughQueue(`thesis-size models through the queue (${n})`, redis, 1, cores, config, thesisData);
      thesisModelSeconds = run.modelSeconds;
      thesisOverheadMs = run.queue?.overheadMs;
      runs.push(run);
    }
  } finally {
    await redis.stop();
  }

  console.log("");
  console.log("| run | models | wall | models/min | median model time | queue overhead per job, median (pickup + dispatch) | result delay to the client |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of runs) {
    const q = r.queue;
    console.log(`| ${r.label} | ${r.models} | ${r.wallSeconds.toFixed(1)} s | ${r.modelsPerMinute.toFixed(0)} | ${(r.modelSeconds * 1000).toFixed(0)} ms | ` +
      (q ? `${ms(q.overheadMs)} (${ms(q.pickupMs)} + ${ms(q.dispatchMs)}) | ${ms(q.notifyMs)} |` : "— | — |"));
  }
  const queued = runs.filter((r) => r.queue && r.label.startsWith("("));
  const overheadMs = Math.max(...queued.map((r) => r.queue!.overheadMs));
  const quickModel = median(runs.slice(0, 3).map((r) => r.modelSeconds));
  const recorded = (() => {
    try {
      const s = JSON.parse(fs.readFileSync(path.join(__dirname, "results", "sweep.json"), "utf8")) as { models: number; modelSeconds: number; wallSeconds: number; profile: string };
      return s.profile === "thesis" && s.models > 0 ? s : undefined;
    } catch {
      return undefined;
    }
  })();
  const perModel = thesisModelSeconds ?? (recorded ? recorded.modelSeconds / recorded.models : undefined);
  console.log("");
  console.log(`queue overhead per job: ${overheadMs.toFixed(1)} ms (worst of (b), (c); goal ≤ 20 ms) = ${((overheadMs / 1000 / quickModel) * 100).toFixed(1)} % of a quick model (${(quickModel * 1000).toFixed(0)} ms)` +
    (perModel ? `, ${((overheadMs / 1000 / perModel) * 100).toFixed(2)} % of a thesis-size model (${perModel.toFixed(1)} s; goal ≤ 2 %)` : ""));
  if (thesisOverheadMs !== undefined) console.log(`  (on the thesis-size models: ${ms(thesisOverheadMs)} per job; a worker slot's first job also loads the data set and starts its thread, counted in its dispatch)`);
  const projection: Array<{ machines: number; seconds: number }> = [];
  if (perModel) {
    const source = thesisModelSeconds !== undefined ? `measured here on ${args["thesis-models"]} thesis-size model(s)` : `bench/results/sweep.json: ${recorded!.models} models, ${(recorded!.modelSeconds / 3600).toFixed(2)} h summed, measured on this machine`;
    console.log("");
    console.log(`projected wall time of the 800-model thesis sweep: ${perModel.toFixed(2)} s per model (${source}) + ${overheadMs.toFixed(1)} ms queue overhead, ${cores} models at a time per machine (one per core)`);
    console.log("");
    console.log("| machines | models at a time | projected wall time |");
    console.log("| --- | --- | --- |");
    for (const k of [1, 4, 16]) {
      const lanes = k * cores;
      // whole rounds of `lanes` models; the last round may be partly idle
      const seconds = Math.ceil(800 / lanes) * (perModel + overheadMs / 1000);
      projection.push({ machines: k, seconds });
      console.log(`| ${k} | ${lanes} | ${hours(seconds)} |`);
    }
    console.log("(800 models in rounds of `models at a time`, each round one model's time plus the overhead; real models vary with their 10–50 nodes, and the last round's slowest model is the tail)");
  }
  const out = { date: new Date().toISOString(), cores, loadAverage: os.loadavg(), runs, overheadMs, perModelSeconds: perModel, projection };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(out, null, 2) + "\n");
  console.log(`wrote ${args.out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
