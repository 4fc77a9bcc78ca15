/**
 * The results of record: every full-size (`thesis` profile) experiment in one resumable
 * command, then a verified promotion into results/.
 *
 *   npm run record                 compute (or resume) everything into the caches under out/cache/,
 *                                  two jobs at a time, then export out/record/
 *   npm run record -- --promote    check out/record/ is complete and copy it into results/
 *   npm run record -- --job pruning:GRU   one job only (what the orchestrator runs per child process)
 *
 * Jobs: the pruning protocol per variant (base model, 30 levels, gradual), the 800-model
 * random-structure sweep, the repeat-vs-tile gate-layout comparison (GRU and LSTM, 50 graphs
 * per family); the export then computes the prediction tables (src/experiments/prediction.ts)
 * on the exported sweep and on the thesis's tables. Stores are shared safely between processes
 * (claims), so the two lanes can both work on the sweep, and a killed run resumes where it
 * stopped; wall times add up over runs (out/record/timings.json, written every minute, so a killed run's
 * time counts too). Logs: out/record/logs/.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { parseArgs } from "util";
import type { CellMode } from "../src/nn/spec";
import { pruningData, pruningExecution, pruningSettings, runPruningProtocol } from "../src/experiments/pruning";
import { runSweep, sweepProfile, SweepConfig } from "../src/experiments/sweep";
import { generateDataset } from "../src/data";
import { addTimings, exportRecord, readRecordTimings, writeRecordTimings, promoteRecord, RECORD_CACHE, RECORD_DIR, recordPlan } from "../src/experiments/record";
import { runSparsityComparison, sparsitySettings } from "../src/experiments/sparsity-comparison";
import { runStructureStudy, structureStudySettings } from "../src/experiments/structure-study";

const ROOT = path.join(__dirname, "..");
const USAGE = `Usage: npm run record [-- --promote | --job NAME | --lanes N]

  (no option)     compute or resume every job of the results of record (thesis profile) two at a time,
                  then export out/record/ (CSV + provenance); hours on 2 cores, resumable
  --promote       verify out/record/ is complete and copy it into results/
  --job NAME      run one job: ${recordPlan().jobs.map((j) => j.name).join(", ")}
  --lanes N       jobs at a time (default 2)
  --help          this text`;

function fail(message: string): never {
  console.error(`scripts/record.ts: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function runJob(name: string): Promise<void> {
  const job = recordPlan().jobs.find((j) => j.name === name);
  if (!job) fail(`unknown job ${JSON.stringify(name)}`);
  const start = Date.now();
  const log = (message: string) => console.log(`${new Date().toISOString()} ${name}: ${message}`);
  if (job.kind === "pruning") {
    const settings = { ...pruningSettings("thesis"), variants: [job.variant as CellMode] };
    const result = runPruningProtocol(pruningData("thesis"), settings, {
      cacheDir: RECORD_CACHE.pruning,
      execution: pruningExecution(settings),
      onTaskStart: (task, index, total) => log(`[${index + 1}/${total}] ${task.mode} p=${task.prune}`),
    });
    log(`done: ${result.computed.length} tasks computed in ${((Date.now() - start) / 60000).toFixed(1)} min (${result.dir})`);
  } else if (job.kind === "sparsity") {
    const result = await runSparsityComparison(sparsitySettings("thesis"), {
      cacheDir: RECORD_CACHE.sparsity, workers: 1,
      onProgress: (p) => p.rows && log(`${p.done}/${p.total} ${p.rows[0].variant} ${p.rows[0].task} seed ${p.rows[0].seed} ${p.rows[0].method}: ${p.rows.length} rows`),
    });
    log(`done: ${result.computed} tasks computed by this process in ${((Date.now() - start) / 60000).toFixed(1)} min (${result.dir})`);
  } else if (job.kind === "structure-study") {
    const result = await runStructureStudy(structureStudySettings("thesis"), {
      cacheDir: RECORD_CACHE.structureStudy, workers: 1,
      onProgress: (p) => p.row && log(`${p.done}/${p.total} ${p.part} ${p.row.mode} ${p.row.mapping} ${p.row.graph} #${p.row.graph_nr} r${p.row.replicate}: acc ${Number(p.row.test_acc).toFixed(3)}, ${Number(p.row.time).toFixed(1)} s`),
    });
    log(`done: ${result.computed} models trained by this process in ${((Date.now() - start) / 60000).toFixed(1)} min`);
  } else {
    const config: SweepConfig = job.kind === "sweep" ? sweepProfile("thesis") : { ...sweepProfile("thesis"), ...recordPlan().tile };
    const profile = sweepProfile("thesis");
    const data = generateDataset({ size: profile.datasetSize, seed: profile.seed });
    const result = await runSweep(config, {
      cacheDir: RECORD_CACHE.structure, data, workers: 1,
      onProgress: (p) => p.row && log(`${p.done}/${p.total} ${p.row.mode} ${p.row.graph} #${p.row.graph_nr}: acc ${Number(p.row.test_acc).toFixed(3)}, ${Number(p.row.time).toFixed(1)} s`),
    });
    log(`done: ${result.computed} models trained by this process in ${((Date.now() - start) / 60000).toFixed(1)} min (${result.dir})`);
  }
}

/** Run every job, `lanes` child processes at a time, each logging to out/record/logs/<job>.log. */
async function orchestrate(lanes: number): Promise<void> {
  const logs = path.join(ROOT, RECORD_DIR, "logs");
  fs.mkdirSync(logs, { recursive: true });
  const queue = [...recordPlan().schedule];
  const start = Date.now();
  const timings: Record<string, number> = {};
  const running = new Set<{ name: string; began: number }>(); // a job may run in two lanes at once
  // The times are written as they grow (every minute and after every job), not only at the end: a run that is
  // killed (a session ending) keeps the time it spent in out/record/timings.json.
  const before = readRecordTimings();
  const saveTimings = () => {
    const jobSeconds = { ...timings };
    for (const { name, began } of running) jobSeconds[name] = (jobSeconds[name] ?? 0) + (Date.now() - began) / 1000;
    writeRecordTimings(addTimings(before, { wallSeconds: (Date.now() - start) / 1000, jobSeconds, lanes }));
  };
  const saver = setInterval(saveTimings, 60_000);
  console.log(`results of record: ${queue.length} job runs, ${lanes} at a time, on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}; logs in ${path.relative(ROOT, logs)}/`);
  const lane = async (): Promise<void> => {
    while (queue.length > 0) {
      const name = queue.shift()!;
      const began = Date.now(), job = { name, began };
      running.add(job);
      const out = fs.openSync(path.join(logs, `${name.replace(/:/g, "-")}.log`), "a");
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", __filename, "--job", name], { cwd: ROOT, stdio: ["ignore", out, out], env: { ...process.env, SPARSE_RNN_THREADS: "1" } });
        child.on("exit", (c) => resolve(c ?? 1));
      });
      fs.closeSync(out);
      running.delete(job);
      timings[name] = (timings[name] ?? 0) + (Date.now() - began) / 1000;
      saveTimings();
      console.log(`${new Date().toISOString()} ${name} ${code === 0 ? "finished" : `FAILED (exit ${code})`} after ${((Date.now() - began) / 60000).toFixed(1)} min`);
      if (code !== 0) throw new Error(`job ${name} failed; see its log; rerun \`npm run record\` to resume`);
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    clearInterval(saver);
    saveTimings();
  }
  console.log(`all jobs done in ${((Date.now() - start) / 60000).toFixed(1)} min; exporting ${RECORD_DIR}/ (with the prediction tables)`);
  const written = await exportRecord();
  for (const file of written) console.log(`  wrote ${file}`);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { promote: { type: "boolean" }, job: { type: "string" }, lanes: { type: "string" }, help: { type: "boolean" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) { console.log(USAGE); return; }
  if (values.promote) {
    for (const line of promoteRecord()) console.log(line);
    return;
  }
  if (values.job) return runJob(values.job);
  const lanes = values.lanes === undefined ? 2 : Number(values.lanes);
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > 64) fail(`--lanes must be an integer from 1 to 64, got ${JSON.stringify(values.lanes)}`);
  await orchestrate(lanes);
}

main().catch((error) => { console.error(error instanceof Error ? error.message : error); process.exit(1); });

