/**
 * Sparse training beyond pruning, compared on the Reber tasks (issue 18): every method of
 * sparsity-settings.ts at every density, for each variant, task and seed, all at one training budget —
 * a resumable, cached protocol like the pruning protocol and the structure sweep.
 *
 * Tasks are one method for one (variant, task, seed) at all the densities (sparsity-method.ts). The dense
 * reference of each (variant, task, seed) runs first, beside the methods that start from initialisation,
 * and leaves snapshots the dense-to-sparse methods (and the lottery chains) start from once it is done.
 * Each finished task's rows go to one ResultStore as one whole record, in a cache folder named by the hash
 * of everything that determines the numbers (settings, both tasks' data fingerprints, the engine's
 * numerics), so a rerun reads, an interrupted run resumes, other settings never touch it, and several
 * processes share the tasks (claims). Tasks run on an executor (in-process pool by default, or the queue
 * SPARSE_RNN_QUEUE names; a queue worker needs the dense snapshots on a shared disk). Which variants,
 * tasks, methods and seeds run is not part of the identity (every task is keyed by them), so a subset
 * reads from a larger run's cache and a larger run extends it.
 */
import * as fs from "fs";
import * as path from "path";
import { formatCsv, readCsv } from "../core/csv";
import { shortHash } from "../core/hash";
import { REPO_ROOT } from "../core/paths";
import { ResultStore, writeAtomically, type Row } from "../core/result-store";
import { dataFingerprint } from "../data/fingerprint";
import { generateDataset } from "../data/generate";
import type { GrammarName } from "../data/grammar";
import type { Sample } from "../data/types";
import { numericsOf, type Numerics } from "../nn/numerics";
import { CELL_MODES, type CellMode } from "../nn/spec";
import { sparseBackend } from "../prune/sparse";
import type { Executor } from "./executor";
import { runPlannedTasks, type PlannedTask } from "./planned-tasks";
import { byProfile, type ProfileName } from "./profile";
import type { SparsityTask } from "./sparsity-method";
import {
  checkSparsitySettings, SPARSITY_COLUMNS, SPARSITY_METHODS, SPARSITY_TASKS, DENSE_DEPENDENT_METHODS, roleOf,
  type SparsityComparisonSettings, type SparsityMethod, type SparsityRow,
} from "./sparsity-settings";

export * from "./sparsity-settings";

/**
 * The profiles.
 *
 * `quick` proves the code path in notebook 06: GRU, both tasks, two seeds, every method at 50 / 10 / 2 %,
 * one layer of 8 units, 300 strings, 3 epochs. The whole notebook, this run included, took 79 s from an
 * empty cache on the 2-core machine at a load average of ≈ 10 (the limit: 2 min).
 *
 * `thesis` is the results of record, planned to fit 3 h wall on the project's 2-core machine (two lanes,
 * one engine thread each). Measured first with bench/sparsity-timing.ts (2026-12-06, 2 × AMD EPYC, two
 * timing runs side by side as the record's two lanes, while other jobs kept the load average at 4.5–12):
 *
 *   one seed of every task (the dense run + 13 methods × 5 densities, graph metrics included)
 *   1×32 units, 3,000 training strings, 8 epochs:   GRU × Reber 1.4 min (load ≈ 6)
 *   1×32 units, 3,000 training strings, 10 epochs:  GRU × Reber 5.1 min, LSTM × embedded 5.7 min (load ≈ 11)
 *   2×32 units, 3,000 training strings, 10 epochs:  GRU × Reber 5.9 min, LSTM × embedded 6.9 min (load 4.5–10;
 *                                                   bench/results/sparsity-timing-{gru-reber,lstm-embedded}.json)
 *
 * A task takes 4–60 s (the methods training at all five densities: 30–60 s; the controls and graph masks,
 * sparse from the start, 7–15 s; the small dense control 4–7 s). The plan: 2×32 units (stacked, so the
 * masks cut between layers too, like the thesis's 3×50), 4,000 strings per task (3,000 train / 1,000 test),
 * E = 10 epochs (D = 5 dense for one-shot and gradual, late rewinding to j = 1), batch 32, Adam 0.005,
 * densities 50 / 20 / 10 / 5 / 2 %, 5 seeds, GRU, LSTM and RNN_TANH on both tasks: 3 × 2 × 5 = 30 task
 * groups of ≈ 6–7 min (RNN_TANH less) on 2 lanes ≈ 1.5–1.7 h projected from the loaded measurement (the
 * script's projection: 1.49 h from GRU × Reber, 1.71 h from LSTM × embedded), leaving the 3 h budget a
 * margin of ≈ 1.8× for a busier machine. Dense reference accuracy in that run: GRU × Reber 1.000 (every
 * method ≥ 0.87 down to 2 %: the Reber task barely separates them), LSTM × embedded 0.932 (methods
 * 0.80–1.00: the embedded task does).
 */
export const SPARSITY_PROFILES: Readonly<Record<ProfileName, SparsityComparisonSettings>> = {
  quick: {
    variants: ["GRU"], tasks: ["reber", "embedded"], methods: [...SPARSITY_METHODS], seeds: [1, 2], densities: [0.5, 0.1, 0.02],
    layers: [8], datasetSize: 300, testSize: 100, dataSeed: 18, epochs: 3, denseEpochs: 1, rampEpochs: 1, gradualIntervals: 4,
    rewindEpoch: 1, batchSize: 32, lr: 0.01, updateEvery: 4, updateFraction: 0.3, snipBatches: 1,
    smallWorld: { niter: 1, nrand: 2 }, backend: "auto",
  },
  thesis: {
    variants: ["GRU", "LSTM", "RNN_TANH"], tasks: ["reber", "embedded"], methods: [...SPARSITY_METHODS], seeds: [1, 2, 3, 4, 5],
    densities: [0.5, 0.2, 0.1, 0.05, 0.02], layers: [32, 32], datasetSize: 4000, testSize: 1000, dataSeed: 18, epochs: 10,
    denseEpochs: 5, rampEpochs: 3, gradualIntervals: 20, rewindEpoch: 1, batchSize: 32, lr: 0.005, updateEvery: 50,
    updateFraction: 0.3, snipBatches: 4, smallWorld: { niter: 2, nrand: 3 }, backend: "auto",
  },
};

export function sparsitySettings(profile: ProfileName): SparsityComparisonSettings {
  return byProfile(SPARSITY_PROFILES, profile);
}

/** A task's data set: `datasetSize` strings of its grammar (half valid), `testSize` of them the test set. */
export function sparsityData(settings: Pick<SparsityComparisonSettings, "datasetSize" | "testSize" | "dataSeed">, task: GrammarName): { train: Sample[]; test: Sample[] } {
  const d = generateDataset({ size: settings.datasetSize, testSize: settings.testSize, seed: settings.dataSeed, grammar: task });
  return { train: d.train, test: d.test };
}

/** Bump when the protocol's code changes what it computes (invalidates every cache). */
const PROTOCOL_VERSION = 1;

/** Everything that determines the numbers: settings (not which variants, tasks, methods, seeds), both tasks' data, the numerics. */
export function sparsityIdentity(settings: SparsityComparisonSettings, data: Readonly<Record<GrammarName, { train: Sample[]; test: Sample[] }>>, numerics: Numerics): Record<string, unknown> {
  const { variants: _v, tasks: _t, methods: _m, seeds: _s, backend: _b, ...numbers } = settings;
  return { protocol: PROTOCOL_VERSION, settings: numbers, data: Object.fromEntries(SPARSITY_TASKS.map((t) => [t, dataFingerprint(data[t])])), numerics };
}

/** The kernels the comparison runs on: sparse where sparse enough (src/prune/sparse), dense otherwise. */
export function sparsityNumerics(settings: Pick<SparsityComparisonSettings, "backend">): Numerics {
  return numericsOf(sparseBackend(settings.backend));
}

/** The identity of a run of these settings in this process, with both tasks' data it was computed from (what the record's provenance names). */
export function sparsityIdentityOf(settings: SparsityComparisonSettings): { identity: Record<string, unknown>; data: Record<GrammarName, { train: Sample[]; test: Sample[] }> } {
  const data = Object.fromEntries(SPARSITY_TASKS.map((t) => [t, sparsityData(settings, t)])) as Record<GrammarName, { train: Sample[]; test: Sample[] }>;
  return { identity: sparsityIdentity(settings, data, sparsityNumerics(settings)), data };
}

/** How many rows a complete run of these settings has: per variant, task and seed the dense reference and every method at every density. */
export function sparsityRowCount(settings: Pick<SparsityComparisonSettings, "variants" | "tasks" | "seeds" | "methods" | "densities">): number {
  return settings.variants.length * settings.tasks.length * settings.seeds.length * (1 + settings.methods.length * settings.densities.length);
}

export interface PlannedSparsityTask extends PlannedTask<SparsityTask> {
  /** the dense run it starts from (absent: it starts from initialisation) */
  after?: string;
}

export function sparsityTaskKey(variant: CellMode, task: GrammarName, seed: number, method: SparsityMethod | "dense"): string {
  return `${variant}/${task}/${seed}/${method}`;
}

/** Every task, dense references first, in a fixed order (deterministic from the settings). */
export function planSparsityComparison(settings: SparsityComparisonSettings, dir: string): PlannedSparsityTask[] {
  const dense: PlannedSparsityTask[] = [], rest: PlannedSparsityTask[] = [];
  for (const task of settings.tasks) for (const variant of settings.variants) for (const seed of settings.seeds) {
    const snapshots = path.join(dir, "dense", `${variant}-${task}-${seed}`);
    const of = (method: SparsityMethod | "dense"): SparsityTask => ({ settings, variant, task, seed, method, snapshots });
    const denseKey = sparsityTaskKey(variant, task, seed, "dense");
    dense.push({ key: denseKey, task: of("dense") });
    for (const method of settings.methods) {
      rest.push({ key: sparsityTaskKey(variant, task, seed, method), task: of(method), ...(DENSE_DEPENDENT_METHODS.includes(method) ? { after: denseKey } : {}) });
    }
  }
  return [...dense, ...rest];
}

export interface SparsityProgress {
  done: number;
  total: number;
  /** the rows of the task just finished (absent for the initial call and after waiting for other processes) */
  rows?: SparsityRow[];
}

export interface SparsityRunOptions {
  /** parent folder of the per-identity cache folders; default out/cache/sparsity */
  cacheDir?: string;
  /** who trains; default: the in-process pool of `workers`, or the queue SPARSE_RNN_QUEUE names */
  executor?: Executor;
  /** worker threads of the default pool (0: this thread); default one per core */
  workers?: number;
  onProgress?: (progress: SparsityProgress) => void;
  /** how often to look for tasks other processes hold (ms; default 5 s) */
  pollMs?: number;
}

export interface SparsityResults {
  /** the cache folder of these settings */
  dir: string;
  /** every row of the planned tasks, in plan order */
  rows: SparsityRow[];
  /** tasks computed by this call */
  computed: number;
}

/**
 * Run (or resume, or just read) the comparison. The settings are checked whole first; `where` names
 * them in errors (e.g. "notebook 06: sparsitySettings(profile) with `overrides`").
 */
export async function runSparsityComparison(settings: SparsityComparisonSettings, options: SparsityRunOptions = {}, where = "SparsityComparisonSettings"): Promise<SparsityResults> {
  checkSparsitySettings(settings, where);
  const { identity, data } = sparsityIdentityOf(settings);
  const dir = path.join(options.cacheDir ?? path.join(REPO_ROOT, "out", "cache", "sparsity"), shortHash(identity));
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, "identity.json"), JSON.stringify(identity, null, 2) + "\n");
  const store = ResultStore.open(path.join(dir, "results.jsonl"), { identity, columns: SPARSITY_COLUMNS });
  const plan = planSparsityComparison(settings, dir);
  let computed = 0;
  const finishedBefore = () => plan.filter((p) => store.has(p.key)).length;
  options.onProgress?.({ done: finishedBefore(), total: plan.length });
  // per task's data set: the dense references (first) and the methods that start from initialisation, then the
  // methods that start from a dense run (its snapshots exist by then)
  for (const task of settings.tasks) {
    for (const phase of [plan.filter((p) => p.task.task === task && !p.after), plan.filter((p) => p.task.task === task && p.after)]) {
      const run = await runPlannedTasks<SparsityTask, SparsityRow[], PlannedSparsityTask>({
        store, plan: phase, kind: "sparsity-method", identity: { ...identity, data: dataFingerprint(data[task]) }, data: data[task],
        executor: options.executor, workers: options.workers, pollMs: options.pollMs,
        rows: (_planned, rows) => rows as unknown as Row[],
        describe: (planned) => `runSparsityComparison: task ${planned.key}`,
        onProgress: (p) => { if (p.finished) options.onProgress?.({ done: finishedBefore(), total: plan.length, rows: p.finished.rows as unknown as SparsityRow[] }); },
      });
      computed += run.computed;
    }
  }
  return { dir, rows: plan.flatMap((p) => store.get(p.key)! as unknown as SparsityRow[]), computed };
}

/** Where the results of record keep the comparison (relative to results/ and out/record/). */
export const SPARSITY_RECORD_FILE = "sparsity/comparison.csv";

/** The rows as CSV, SPARSITY_COLUMNS in order (what the record exports). */
export function sparsityCsv(rows: readonly SparsityRow[]): string {
  return formatCsv([SPARSITY_COLUMNS, ...rows.map((r) => SPARSITY_COLUMNS.map((c) => (r as Record<string, unknown>)[c]))]);
}

const TEXT_COLUMNS = new Set(["variant", "task", "method", "role", "degree_histogram", "start_degree_histogram"]);
/** Graph columns that may be blank (undefined on the mask's largest component, mask-metrics.ts). */
const MAY_BE_BLANK = (column: string) => column.startsWith("giant_");

/** The rows of a CSV sparsityCsv wrote, checked: its header, the names, every number; errors name file and line. */
export function readSparsityCsv(file: string, source = file): SparsityRow[] {
  const [head, ...body] = readCsv(file);
  if (!head || head.fields.join(",") !== SPARSITY_COLUMNS.join(",")) throw new Error(`${source}: the header is not the sparsity comparison's columns (${SPARSITY_COLUMNS.slice(0, 4).join(",")},…)`);
  return body.map(({ fields, line }) => {
    const row: Record<string, string | number> = {};
    SPARSITY_COLUMNS.forEach((column, j) => {
      const text = fields[j];
      if (TEXT_COLUMNS.has(column)) { row[column] = text; return; }
      if (text === "" && MAY_BE_BLANK(column)) { row[column] = ""; return; }
      const x = Number(text);
      if (text.trim() === "" || !Number.isFinite(x)) throw new Error(`${source}:${line}: ${column} must be a number, got ${JSON.stringify(text)}`);
      row[column] = x;
    });
    const where = `${source}:${line}`;
    if (!CELL_MODES.includes(row.variant as CellMode)) throw new Error(`${where}: unknown variant ${JSON.stringify(row.variant)}`);
    if (!SPARSITY_TASKS.includes(row.task as GrammarName)) throw new Error(`${where}: unknown task ${JSON.stringify(row.task)}`);
    if (row.method !== "dense" && !SPARSITY_METHODS.includes(row.method as SparsityMethod)) throw new Error(`${where}: unknown method ${JSON.stringify(row.method)}`);
    if (row.role !== roleOf(row.method as SparsityMethod)) throw new Error(`${where}: method ${row.method} has role ${roleOf(row.method as SparsityMethod)}, got ${JSON.stringify(row.role)}`);
    return row as unknown as SparsityRow;
  });
}
