/**
 * The random-structure sweep (thesis §5.3 / §6.3): for each mode, N Barabási–Albert and
 * N Watts–Strogatz graphs with n uniform in [10, 50] (BA m = n//10; WS k = n//5, p = 1,
 * 10 tries), each turned into a sparse recurrent network and trained; one row per model
 * in the thesis's schema plus `seed`, `layout` and `edge_list`, so any row can be rebuilt.
 *
 * Rows go to a ResultStore as each model finishes, so an interrupted sweep resumes
 * where it stopped and a notebook rerun reads the cache. The cache folder is named by
 * the hash of the configuration, the data's content and the engine's numerics; several
 * processes on one cache share its models (claims). Models train in parallel on an
 * executor (executor.ts): by default a piscina worker pool, one model per core; with
 * `executor` (or SPARSE_RNN_QUEUE=redis://…) on queue workers on any machine, while
 * this process stays the one writer of the results.
 */
import * as fs from "fs";
import * as path from "path";
import { Random, Sample } from "../data";
import { dataFingerprint } from "../data/fingerprint";
import { CellMode, CELL_MODES } from "../nn/spec";
import { numericsOf } from "../nn/numerics";
import {
  UGraph, Rng, GateLayout, GATE_LAYOUTS, barabasiAlbert, connectedWattsStrogatz, connectedErdosRenyi,
  edgesOf, formatEdges, graphProperties, GraphProperties,
} from "../graph";
import { ResultStore, writeAtomically } from "../core/result-store";
import { shortHash } from "../core/hash";
import { checkSettings, integer, list, number, oneOf } from "../core/settings";
import { ProfileName, byProfile } from "./profile";
import type { Executor } from "./executor";
import { runPlannedTasks } from "./planned-tasks";
import { StructureTask, StructureOutcome } from "./structure-model";
import { STRUCTURE_COLUMNS, type StructureRow } from "../predict/results-table";

export type GraphFamily = "barabasi_albert" | "watts_strogatz" | "erdos_renyi";
export const GRAPH_FAMILIES: readonly GraphFamily[] = ["barabasi_albert", "watts_strogatz", "erdos_renyi"];

/**
 * The sweep's rows: the thesis's CSV columns (results/structure/*.csv), in order, then ours (src/predict/results-table.ts).
 * The sweep writes every column (Required<StructureRow>); loadResultsFiles reads the same row type back.
 */
export { STRUCTURE_COLUMNS, type StructureRow };

/** The thesis's graph parameters for a graph of n nodes (ER, beyond the thesis: p = 0.15). */
export function drawGraph(family: GraphFamily, n: number, rng: Rng): UGraph {
  if (family === "barabasi_albert") return barabasiAlbert(n, Math.floor(n / 10), rng);
  if (family === "watts_strogatz") return connectedWattsStrogatz(n, Math.floor(n / 5), 1, 10, rng);
  if (family === "erdos_renyi") return connectedErdosRenyi(n, 0.15, 100, rng);
  throw new Error(`drawGraph: unknown graph family "${family}"; expected one of ${GRAPH_FAMILIES.join(", ")}`);
}

export interface SweepConfig {
  modes: readonly CellMode[];
  families: readonly GraphFamily[];
  /** graphs per family per mode (thesis: 100) */
  graphs: number;
  /** node count range, inclusive (thesis: [10, 50]) */
  nodes: readonly [number, number];
  epochs: number;
  batchSize: number;
  lr: number;
  layout: GateLayout;
  /** base seed; each model's seed derives from it, its mode, family and number */
  seed: number;
  precision: "f32" | "f64";
}

export interface SweepProfile extends SweepConfig {
  /** dataset size for src/data generateDataset (thesis: 25,000) */
  datasetSize: number;
}

export const SWEEP_PROFILES: Readonly<Record<ProfileName, SweepProfile>> = {
  quick: {
    modes: CELL_MODES, families: ["barabasi_albert", "watts_strogatz"], graphs: 2, nodes: [10, 50],
    epochs: 1, batchSize: 32, lr: 0.001, layout: "repeat", seed: 2021, precision: "f32", datasetSize: 400,
  },
  thesis: {
    modes: CELL_MODES, families: ["barabasi_albert", "watts_strogatz"], graphs: 100, nodes: [10, 50],
    epochs: 15, batchSize: 128, lr: 0.001, layout: "repeat", seed: 2021, precision: "f32", datasetSize: 25000,
  },
};

export function sweepProfile(profile: ProfileName): SweepProfile {
  return byProfile(SWEEP_PROFILES, profile);
}

const CONFIG_SCHEMA = {
  modes: list(oneOf(CELL_MODES), { minLength: 1, unique: true }),
  families: list(oneOf(GRAPH_FAMILIES), { minLength: 1, unique: true }),
  graphs: integer({ min: 1, max: 999 }),
  nodes: list(integer({ min: 3, max: 10_000 }), { minLength: 2, maxLength: 2 }),
  epochs: integer({ min: 1, max: 100_000 }),
  batchSize: integer({ min: 1, max: 1_000_000 }),
  lr: number({ above: 0, max: 10 }),
  layout: oneOf(GATE_LAYOUTS),
  seed: integer({ min: 0, max: 20_000 }),
  precision: oneOf(["f32", "f64"] as const),
};

/** Check a whole sweep configuration (or profile, with `datasetSize`) before any work. */
export function checkSweepConfig(config: SweepConfig | SweepProfile, where = "SweepConfig"): void {
  const schema = "datasetSize" in config ? { ...CONFIG_SCHEMA, datasetSize: integer({ min: 4, max: 10_000_000 }) } : CONFIG_SCHEMA;
  checkSettings(config, schema, where);
  const [lo, hi] = config.nodes;
  if (!(lo <= hi && hi >= 10)) throw new Error(`${where}.nodes must be [lo, hi] with lo ≤ hi and hi ≥ 10, got [${lo}, ${hi}]`);
}

/** One planned model: its graph, the graph's properties and the training task. */
export interface PlannedModel {
  key: string;
  mode: CellMode;
  graph: GraphFamily;
  graph_nr: number;
  seed: number;
  properties: GraphProperties;
  task: StructureTask;
}

/** The model seed: readable digits base·10⁵ + mode·10⁴ + family·10³ + number. */
export function modelSeed(base: number, modeIndex: number, familyIndex: number, nr: number): number {
  if (nr >= 1000) throw new Error(`modelSeed: graph number ${nr} ≥ 1000 would collide with the family digit`);
  return base * 100000 + modeIndex * 10000 + familyIndex * 1000 + nr;
}

export function keyOf(row: Readonly<Record<string, unknown>>): string {
  return `${row.mode}/${row.graph}/${row.graph_nr}`;
}

/** Every model of the sweep, in a fixed order (deterministic from the config alone). */
export function planSweep(config: SweepConfig): PlannedModel[] {
  checkSweepConfig(config);
  const [lo, hi] = config.nodes;
  const plan: PlannedModel[] = [];
  for (const mode of config.modes) {
    const modeIndex = CELL_MODES.indexOf(mode);
    if (modeIndex < 0) throw new Error(`planSweep: unknown mode "${mode}"; expected one of ${CELL_MODES.join(", ")}`);
    for (const graph of config.families) {
      const familyIndex = GRAPH_FAMILIES.indexOf(graph);
      for (let graph_nr = 0; graph_nr < config.graphs; graph_nr++) {
        const seed = modelSeed(config.seed, modeIndex, familyIndex, graph_nr);
        const rng = new Random(seed);
        const n = lo + rng.nextInt(hi - lo + 1);
        const g = drawGraph(graph, n, rng);
        const edges = edgesOf(g);
        plan.push({
          key: keyOf({ mode, graph, graph_nr }), mode, graph, graph_nr, seed,
          properties: graphProperties(g),
          task: {
            mode, nodes: n, edges, layout: config.layout, seed,
            epochs: config.epochs, batchSize: config.batchSize, lr: config.lr, precision: config.precision,
          },
        });
      }
    }
  }
  return plan;
}

export function resultRow(model: PlannedModel, outcome: StructureOutcome): Required<StructureRow> {
  return {
    mode: model.mode, graph: model.graph, graph_nr: model.graph_nr,
    ...model.properties,
    test_acc: outcome.test_acc, test_loss: outcome.test_loss, time: outcome.time,
    seed: model.seed, layout: model.task.layout, edge_list: formatEdges(model.task.edges),
  };
}

export interface SweepProgress {
  done: number;
  total: number;
  /** the row just written, absent for the initial call */
  row?: Required<StructureRow>;
}

export interface RunSweepOptions {
  /** parent folder of the per-identity cache folders */
  cacheDir: string;
  data: { train: Sample[]; test: Sample[] };
  /** worker threads; 0 trains in this thread (no pool). Default: one per core. */
  workers?: number;
  /** who trains the models; default: the in-process pool of `workers`, or the queue SPARSE_RNN_QUEUE names (executor.ts) */
  executor?: Executor;
  onProgress?: (progress: SweepProgress) => void;
  /** how often to look for models other processes hold (ms; default 5 s) */
  pollMs?: number;
}

export interface SweepResults {
  /** the cache folder of this configuration and data */
  dir: string;
  /** one row per model, in plan order */
  rows: Required<StructureRow>[];
  /** models trained by this call */
  computed: number;
}

/** Bump when the sweep's code changes what it computes (invalidates every cache). */
const PROTOCOL_VERSION = 2;

/** Everything that determines the sweep's numbers. */
export function sweepIdentity(config: SweepConfig, data: { train: Sample[]; test: Sample[] }): Record<string, unknown> {
  const { modes: _m, families: _f, graphs: _g, ...numbers } = config;
  return { protocol: PROTOCOL_VERSION, config: numbers, data: dataFingerprint(data), numerics: numericsOf("auto", config.precision) };
}

/**
 * Run (or resume, or just read) the sweep. Which modes, families and how many graphs
 * are not part of the cache's identity (each model is keyed by mode, family and
 * number), so a smaller sweep reads from a larger one's cache and a larger one extends it.
 */
export async function runSweep(config: SweepConfig, options: RunSweepOptions): Promise<SweepResults> {
  const plan = planSweep(config);
  const identity = sweepIdentity(config, options.data);
  const dir = path.join(options.cacheDir, shortHash(identity));
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, "identity.json"), JSON.stringify(identity, null, 2) + "\n");
  const store = ResultStore.open(path.join(dir, "results.jsonl"), { identity, columns: STRUCTURE_COLUMNS });
  const { computed } = await runPlannedTasks<StructureTask, StructureOutcome, PlannedModel>({
    store, plan, kind: "structure-model", identity, data: options.data, executor: options.executor, workers: options.workers, pollMs: options.pollMs,
    rows: (model, outcome) => [resultRow(model, outcome)],
    describe: (model) => `runSweep: model ${model.key} (seed ${model.seed}, ${model.task.nodes} nodes)`,
    onProgress: (p) => options.onProgress?.({ done: p.done, total: p.total, ...(p.finished ? { row: p.finished.rows[0] as Required<StructureRow> } : {}) }),
  });
  // every row went in through append, which keeps exactly the store's columns, STRUCTURE_COLUMNS
  return { dir, rows: plan.map((m) => store.get(m.key)![0] as Required<StructureRow>), computed };
}
