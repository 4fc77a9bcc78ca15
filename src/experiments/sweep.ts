/**
 * The random-structure sweep (thesis §5.3 / §6.3): for each mode, N Barabási–Albert and
 * N Watts–Strogatz graphs with n uniform in [10, 50] (BA m = n//10; WS k = n//5, p = 1,
 * 10 tries), each turned into a sparse recurrent network and trained; one row per model
 * in the thesis's schema plus `seed`, `layout` and `edge_list`, so any row can be rebuilt.
 *
 * Rows are appended to a ResultStore as each model finishes, so an interrupted sweep
 * resumes where it stopped and a notebook rerun reads the cache. Models train in
 * parallel on a piscina worker pool, one model per core.
 */
import * as fs from "fs";
import * as path from "path";
import { Random, Sample } from "../data";
import { CellMode, CELL_MODES } from "../nn/spec";
import {
  UGraph, Rng, GateLayout, PROPERTY_COLUMNS, barabasiAlbert, connectedWattsStrogatz, connectedErdosRenyi,
  edgesOf, formatEdges, graphProperties, GraphProperties,
} from "../graph";
import { ResultStore, Row } from "./result-store";
import { ProfileName, byProfile } from "./profile";
import { createPool, coreCount } from "./pool";
import { StructureTask, StructureOutcome, trainStructureModel } from "./structure-model";

export type GraphFamily = "barabasi_albert" | "watts_strogatz" | "erdos_renyi";
export const GRAPH_FAMILIES: readonly GraphFamily[] = ["barabasi_albert", "watts_strogatz", "erdos_renyi"];

/** The thesis's CSV columns (results/structure/*.csv), in order, then ours. */
export const STRUCTURE_COLUMNS = ["mode", "graph", "graph_nr", ...PROPERTY_COLUMNS, "test_acc", "test_loss", "time", "seed", "layout", "edge_list"] as const;

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
  const [lo, hi] = config.nodes;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && 10 <= hi && lo <= hi && lo >= 3)) {
    throw new Error(`planSweep: nodes must be integers [lo, hi] with 3 ≤ lo ≤ hi and hi ≥ 10, got [${lo}, ${hi}]`);
  }
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

export function resultRow(model: PlannedModel, outcome: StructureOutcome): Row {
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
  row?: Row;
}

export interface RunSweepOptions {
  /** results CSV (the cache); a sidecar <file>.config.json records the config it belongs to */
  file: string;
  data: { train: Sample[]; test: Sample[] };
  /** worker threads; 0 trains in this thread (no pool). Default: one per core. */
  workers?: number;
  onProgress?: (progress: SweepProgress) => void;
}

/**
 * Run (or resume) the sweep; resolves with all rows of the results file, cached ones
 * included. Refuses a results file written under a different configuration.
 */
export async function runSweep(config: SweepConfig, options: RunSweepOptions): Promise<Row[]> {
  checkConfigFile(options.file, config, options.data);
  const store = new ResultStore(options.file, STRUCTURE_COLUMNS, keyOf);
  const plan = planSweep(config);
  const todo = plan.filter((m) => !store.has(m.key));
  let done = plan.length - todo.length;
  options.onProgress?.({ done, total: plan.length });
  const finish = (model: PlannedModel, outcome: StructureOutcome): void => {
    const row = resultRow(model, outcome);
    store.append([row]);
    options.onProgress?.({ done: ++done, total: plan.length, row });
  };
  const failed = (model: PlannedModel) => (error: Error): never => {
    throw new Error(`runSweep: model ${model.key} (seed ${model.seed}, ${model.task.nodes} nodes) failed: ${error.message}`);
  };
  // Hand models out in plan order, one per free worker: balanced, and an error stops new work.
  const drain = async (run: (task: StructureTask) => Promise<StructureOutcome>, lanes: number): Promise<void> => {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < todo.length) {
        const model = todo[next++];
        finish(model, await run(model.task).catch(failed(model)));
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  };
  if (todo.length > 0 && options.workers === 0) {
    await drain((task) => trainStructureModel(task, options.data), 1);
  } else if (todo.length > 0) {
    const pool = createPool<StructureTask, StructureOutcome>({
      module: path.join(__dirname, "sweep-worker.ts"),
      workers: Math.min(options.workers ?? coreCount(), todo.length),
      shared: options.data,
    });
    try {
      await drain((task) => pool.run(task), pool.size);
    } finally {
      await pool.destroy();
    }
  }
  const order = new Map(plan.map((m, i) => [m.key, i]));
  return store.rows().filter((r) => order.has(keyOf(r))).sort((a, b) => order.get(keyOf(a))! - order.get(keyOf(b))!);
}

/** The config a results file was made with, beside it; a mismatch is an error, not a silent mix. */
function checkConfigFile(file: string, config: SweepConfig, data: { train: Sample[]; test: Sample[] }): void {
  const sidecar = `${file}.config.json`;
  const current = JSON.stringify({ ...config, train: data.train.length, test: data.test.length }, null, 1);
  if (fs.existsSync(sidecar)) {
    const saved = fs.readFileSync(sidecar, "utf8");
    if (saved !== current) {
      throw new Error(`runSweep: ${file} holds results of another configuration (${sidecar}:\n${saved}\nnow:\n${current}); use another file or delete both`);
    }
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(sidecar, current);
  }
}
