/**
 * The structure study (issue 19, "structure beyond the thesis") as a typed protocol, in two parts that
 * run through the same executor as the sweep (in-process pool, or BullMQ queue workers):
 *
 * - **small_world**: Watts–Strogatz graphs along the rewiring sweep p ∈ WATTS_STROGATZ_P_SWEEP (ring lattice
 *   → small world → random; k = n // 5 neighbours as the thesis, n uniform in `nodes`), plus Barabási–Albert
 *   and Erdős–Rényi graphs at the lattice's density (BA m = ⌊k/2⌋ edges per new node, ER p = 2⌊k/2⌋/(n−1):
 *   about n·⌊k/2⌋ edges, as every WS graph of the same n). Each graph becomes a network under both
 *   mappings — `layered` (the thesis's DAG) and `recurrent` (the graph as one layer's W_hh) — with gate
 *   masks that follow the graph (`tile`), for each variant, trained with k seeds. The same graphs and the
 *   same seeds serve every variant and mapping (paired).
 * - **ceiling**: the sweep of record's configuration unchanged (SWEEP_PROFILES[sweep]: layered mapping,
 *   the thesis's `repeat` masks, its epochs, batch, data set) on the sweep's own first `graphs` graphs per
 *   family, each trained with k seeds — replicate 0 with the sweep's own seed (bit-identical to the sweep of
 *   record's model), replicates r ≥ 1 with seeds derived from it — so the seed noise of the thesis's 800-model
 *   table, and with it the noise ceiling of its R², can be measured (src/predict/noise-ceiling.ts).
 *
 * Each part is one result store named by its identity (the data's content fingerprint, the settings that
 * determine the numbers, the engine numerics), written one whole model at a time: an interrupted study
 * resumes, a finished one is read back, and which variants, mappings, families, how many graphs and seeds
 * are not part of the identity (each model is keyed by them), so a smaller study reads a larger one's cache.
 * Settings are checked whole before any graph is drawn (`checkStructureStudySettings`).
 */
import * as fs from "fs";
import * as path from "path";
import { Random } from "../core/random";
import { ResultStore, writeAtomically } from "../core/result-store";
import { contentHash, shortHash } from "../core/hash";
import { checkSettings, integer, list, number, object, oneOf, showValue } from "../core/settings";
import { generateDataset } from "../data";
import { dataFingerprint } from "../data/fingerprint";
import { CELL_MODES, type CellMode } from "../nn/spec";
import { numericsOf } from "../nn/numerics";
import {
  GRAPH_MAPPINGS, WATTS_STROGATZ_P_SWEEP, barabasiAlbert, connectedErdosRenyi, connectedWattsStrogatz, edgesOf, extendedGraphProperties,
  formatEdges, graphFromEdges, graphProperties, type Edge, type GraphMapping, type UGraph,
} from "../graph";
import { derivedFeatures } from "../predict/derived-features";
import type { Executor } from "./executor";
import { runPlannedTasks, type PlannedTask } from "./planned-tasks";
import { PROFILE_NAMES, byProfile, type ProfileName } from "./profile";
import type { StructureOutcome, StructureTask } from "./structure-model";
import { SWEEP_PROFILES, planSweep } from "./sweep";
import {
  STRUCTURE_STUDY_COLUMNS, fromStoreRow, toStoreRow, type StructureStudyRow, type StudyFamily, type StudyPart,
} from "./structure-study-rows";

export { STRUCTURE_STUDY_COLUMNS, type StructureStudyRow };

/**
 * Where the results of record hold the study's rows (relative to results/, and to out/record/ before
 * promotion): every model of the thesis profile in STRUCTURE_STUDY_COLUMNS (structureStudyCsv writes them,
 * parseStructureStudyCsv reads them); notebook 07 shows them when the file is there.
 */
export const STRUCTURE_STUDY_RECORD_FILE = "structure-beyond/study.csv";

export interface SmallWorldSettings {
  modes: CellMode[];
  mappings: GraphMapping[];
  /** Watts–Strogatz rewiring probabilities (at most 4 decimals) */
  rewiring: number[];
  /** families drawn at the WS lattice's density beside the WS sweep */
  matched: Array<"barabasi_albert" | "erdos_renyi">;
  /** graphs per WS p and per matched family; the same graphs for every variant and mapping */
  graphs: number;
  /** training seeds per graph and network (k) */
  seeds: number;
  /** node count range, inclusive */
  nodes: [number, number];
  epochs: number;
  batchSize: number;
  lr: number;
  /** strings of the generated data set (src/data generateDataset, seeded with the study's seed) */
  datasetSize: number;
}

export interface CeilingSettings {
  /** the sweep profile whose configuration (and graphs) the part repeats: the record's is "thesis" */
  sweep: ProfileName;
  modes: CellMode[];
  /** the sweep's first `graphs` graphs of each of its families */
  graphs: number;
  /** training seeds per graph (k), replicate 0 the sweep's own */
  seeds: number;
}

export interface StructureStudySettings {
  /** base seed of the small-world part's graphs, training seeds and data set */
  seed: number;
  precision: "f32" | "f64";
  smallWorld: SmallWorldSettings;
  ceiling: CeilingSettings;
}

/**
 * The profiles. `quick` proves the code path in seconds (toy sizes: one epoch on a few hundred strings).
 *
 * `thesis` (the record's) trains with the sweep of record's configuration throughout — 15 epochs, batch 128,
 * Adam 0.001, 25,000 strings — and is sized to fit 3 h of wall clock on 2 cores (two models at a time).
 *
 * Measured (bench/structure-study.ts, 2026-12-06, 2 × AMD EPYC, both cores training; the file
 * bench/results/structure-study-5-epochs.json): replicate 0 of one graph of every family × variant × mapping
 * at 5 epochs on 10,000 strings took on average GRU layered 9.68 s, GRU recurrent 7.47 s, RNN_TANH layered
 * 5.79 s, RNN_TANH recurrent 3.64 s per model. The machine was shared (load average 6–12): the two ceiling
 * models of the same run, which are the sweep of record's own models, took 35.9 s and 62.3 s against 7.4 s
 * and 30.2 s in the record, a factor 2.6 by which the small-world times are divided. At 5 epochs every
 * RNN_TANH recurrent network stayed at chance (0.50) — nothing to explain — hence the sweep's 15 epochs;
 * scaled by the batch steps (× 3 epochs × 2.5 strings = × 7.5): GRU layered 27.8 s, GRU recurrent 21.5 s,
 * RNN_TANH layered 16.6 s, RNN_TANH recurrent 10.4 s per model. The ceiling part's models are the sweep's,
 * whose record gives their times: 19.9 s (GRU) and 8.5 s (RNN_TANH) per model over its first 20 graphs
 * per family. Checked on 26 models of this profile later, at a lighter load (load average 2–5): the first
 * 4 GRU graphs per family × 3 seeds of the ceiling part took 18.4 s per model (the record: 15.7 s for the
 * same graphs), one GRU recurrent WS p = 1 graph of 38 nodes 32 s (estimated from the 5-epoch run: 31 s);
 * replicate 0 reproduced the sweep of record bit for bit in 8 of 8 models.
 *
 * Plan: small world 2 variants × 2 mappings × 8 families (6 WS p, BA, ER) × 4 graphs × 5 seeds = 640 models,
 * ≈ 12,200 model-seconds; ceiling 2 variants × 40 graphs (20 per family) × 5 seeds = 400 models, ≈ 5,700
 * model-seconds; in all ≈ 17,900 s on 2 cores = 2.5 h of wall clock (σ and ω of the 112 graphs add about a
 * minute), 0.5 h under the budget for estimation error. With 40 graphs × 5 seeds the 95% bootstrap interval of
 * ICC(1) is about ±0.05 wide at 0.9 and ±0.12 at 0.7 (simulated, normal noise): enough to tell the thesis's
 * 0.88 from a ceiling of 0.75 or less.
 *
 * Measured in the record (2026-12-06, 2 × AMD EPYC, two lanes): all 1,040 models in 2.23 h of wall clock
 * (267 lane-minutes: 29 min in one run beside other work, then 104.6 min on a quiet machine; 26 ceiling
 * models came from the check above). Mean seconds per model (the `time` column): small world GRU layered 35.9
 * (median 21.0: the loaded run's models took up to 470 s), GRU recurrent 17.3, RNN_TANH layered 7.5, RNN_TANH
 * recurrent 6.1; ceiling GRU 21.2, RNN_TANH 7.4 — the plan above overestimated RNN_TANH about twofold and
 * the total by ≈ 10 %.
 */
export const STRUCTURE_STUDY_PROFILES: Readonly<Record<ProfileName, StructureStudySettings>> = {
  quick: {
    seed: 2026, precision: "f32",
    smallWorld: {
      modes: ["GRU", "RNN_TANH"], mappings: ["layered", "recurrent"], rewiring: [...WATTS_STROGATZ_P_SWEEP], matched: ["barabasi_albert", "erdos_renyi"],
      graphs: 1, seeds: 2, nodes: [10, 20], epochs: 1, batchSize: 32, lr: 0.01, datasetSize: 200,
    },
    ceiling: { sweep: "quick", modes: ["GRU"], graphs: 2, seeds: 2 },
  },
  thesis: {
    seed: 2026, precision: "f32",
    smallWorld: {
      modes: ["GRU", "RNN_TANH"], mappings: ["layered", "recurrent"], rewiring: [...WATTS_STROGATZ_P_SWEEP], matched: ["barabasi_albert", "erdos_renyi"],
      graphs: 4, seeds: 5, nodes: [10, 50], epochs: 15, batchSize: 128, lr: 0.001, datasetSize: 25000,
    },
    ceiling: { sweep: "thesis", modes: ["GRU", "RNN_TANH"], graphs: 20, seeds: 5 },
  },
};

/** A profile's settings (a deep copy: editing it leaves the table alone). */
export function structureStudySettings(profile: ProfileName): StructureStudySettings {
  return structuredClone(byProfile(STRUCTURE_STUDY_PROFILES, profile));
}

const rewiringP = {
  check: (value: unknown, at: string) => (typeof value === "number" && value >= 0 && value <= 1 && Math.abs(value * 1e4 - Math.round(value * 1e4)) < 1e-9
    ? undefined : `${at} must be a probability in [0, 1] with at most 4 decimals, got ${showValue(value)}`),
};

const SCHEMA = {
  seed: integer({ min: 0, max: 20_000 }),
  precision: oneOf(["f32", "f64"] as const),
  smallWorld: object({
    modes: list(oneOf(CELL_MODES), { minLength: 1, unique: true }),
    mappings: list(oneOf(GRAPH_MAPPINGS), { minLength: 1, unique: true }),
    rewiring: list(rewiringP, { unique: true }),
    matched: list(oneOf(["barabasi_albert", "erdos_renyi"] as const), { unique: true }),
    graphs: integer({ min: 1, max: 999 }),
    seeds: integer({ min: 2, max: 99 }),
    nodes: list(integer({ min: 10, max: 1000 }), { minLength: 2, maxLength: 2 }),
    epochs: integer({ min: 1, max: 100_000 }),
    batchSize: integer({ min: 1, max: 1_000_000 }),
    lr: number({ above: 0, max: 10 }),
    datasetSize: integer({ min: 4, max: 10_000_000 }),
  }),
  ceiling: object({
    sweep: oneOf(PROFILE_NAMES),
    modes: list(oneOf(CELL_MODES), { minLength: 1, unique: true }),
    graphs: integer({ min: 1, max: 999 }),
    seeds: integer({ min: 2, max: 99 }),
  }),
};

/**
 * Check the whole settings object before any work: unknown keys (with the nearest valid one), missing
 * keys, types and ranges — k ≥ 2 seeds (a noise ceiling separates graph from seed), n ≥ 10 (k = n // 5 ≥ 2
 * neighbours), rewiring probabilities in [0, 1] — and that the small-world part has at least one family.
 */
export function checkStructureStudySettings(settings: StructureStudySettings, where = "StructureStudySettings"): void {
  checkSettings(settings, SCHEMA, where);
  const [lo, hi] = settings.smallWorld.nodes;
  if (lo > hi) throw new Error(`${where}.smallWorld.nodes must be [lo, hi] with lo ≤ hi, got [${lo}, ${hi}]`);
  if (settings.smallWorld.rewiring.length + settings.smallWorld.matched.length === 0) {
    throw new Error(`${where}.smallWorld: rewiring and matched are both empty; the part needs at least one graph family`);
  }
}

/** A graph family of the small-world part: a WS rewiring probability, or a matched family. */
interface GraphKind {
  graph: StudyFamily;
  /** WS rewiring probability; null for the matched families */
  p: number | null;
}

/**
 * A 32-bit seed named by its parts (the first 8 hex digits of their content hash): seeds of different
 * parts are unrelated, and small enough for the trainer, whose per-epoch shuffle seed is seed·1000003 + epoch.
 */
function derivedSeed(parts: Record<string, unknown>): number {
  return parseInt(contentHash(parts).slice(0, 8), 16);
}

/** A small-world graph's seed, from the study's base seed, its family and rewiring probability, and its number. */
export function studyGraphSeed(base: number, kind: GraphKind, nr: number): number {
  return derivedSeed({ part: "small_world", base, graph: kind.graph, p: kind.p, nr });
}

/** The training seed of replicate r of a small-world graph. */
function replicateSeed(graphSeed: number, r: number): number {
  return derivedSeed({ graph: graphSeed, replicate: r });
}

/** The training seed of replicate r of a sweep model: replicate 0 the sweep's own seed, the others derived from it. */
export function ceilingReplicateSeed(sweepSeed: number, r: number): number {
  return r === 0 ? sweepSeed : derivedSeed({ sweep: sweepSeed, replicate: r });
}

/** Draw a small-world part's graph of n nodes (k = n // 5 as the thesis's WS graphs). */
export function drawStudyGraph(kind: GraphKind, n: number, rng: Random): UGraph {
  const half = Math.floor(Math.floor(n / 5) / 2);
  if (kind.graph === "watts_strogatz") return connectedWattsStrogatz(n, Math.floor(n / 5), kind.p!, 100, rng);
  if (kind.graph === "barabasi_albert") return barabasiAlbert(n, Math.max(1, half), rng);
  return connectedErdosRenyi(n, (2 * half) / (n - 1), 10_000, rng);
}

/** One planned model of the study: its row's identity, graph and training task. */
export interface StudyModel extends PlannedTask<StructureTask> {
  part: StudyPart;
  graph: StudyFamily;
  rewiring: number | null;
  graphNr: number;
  replicate: number;
  /** seeds the graph's σ and ω references */
  graphSeed: number;
}

const kindsOf = (s: SmallWorldSettings): GraphKind[] => [
  ...s.rewiring.map((p): GraphKind => ({ graph: "watts_strogatz", p })),
  ...s.matched.map((graph): GraphKind => ({ graph, p: null })),
];

/** The small-world part's models in a fixed order (deterministic from the settings alone). */
export function planSmallWorld(settings: StructureStudySettings): StudyModel[] {
  const s = settings.smallWorld;
  const [lo, hi] = s.nodes;
  const graphs = kindsOf(s).flatMap((kind) => Array.from({ length: s.graphs }, (_, nr) => {
    const graphSeed = studyGraphSeed(settings.seed, kind, nr);
    const rng = new Random(graphSeed);
    const n = lo + rng.nextInt(hi - lo + 1);
    return { kind, nr, graphSeed, n, edges: edgesOf(drawStudyGraph(kind, n, rng)) };
  }));
  return s.modes.flatMap((mode) => s.mappings.flatMap((mapping) => graphs.flatMap((g) => Array.from({ length: s.seeds }, (_, replicate): StudyModel => ({
    key: `${mode}/${mapping}/${g.kind.graph}/${g.kind.p ?? "-"}/${g.nr}/${replicate}`,
    part: "small_world", graph: g.kind.graph, rewiring: g.kind.p, graphNr: g.nr, replicate, graphSeed: g.graphSeed,
    task: {
      mode, nodes: g.n, edges: g.edges, layout: "tile", mapping, seed: replicateSeed(g.graphSeed, replicate),
      epochs: s.epochs, batchSize: s.batchSize, lr: s.lr, precision: settings.precision,
    },
  })))));
}

/** The ceiling part's models: the sweep's first graphs per family, k seeds each. */
export function planCeiling(settings: StructureStudySettings): StudyModel[] {
  const c = settings.ceiling;
  const sweep = planSweep({ ...SWEEP_PROFILES[c.sweep], modes: c.modes, graphs: c.graphs });
  return sweep.flatMap((m) => Array.from({ length: c.seeds }, (_, replicate): StudyModel => ({
    key: `${m.key}/${replicate}`, part: "ceiling", graph: m.graph, rewiring: m.graph === "watts_strogatz" ? 1 : null,
    graphNr: m.graph_nr, replicate, graphSeed: m.seed,
    task: { ...m.task, seed: ceilingReplicateSeed(m.seed, replicate) },
  })));
}

/** Bump when the study's code changes what it computes (invalidates its caches). */
const PROTOCOL_VERSION = 1;

type SharedData = ReturnType<typeof generateDataset>;

/** The data set and store identity of each part. */
export function studyParts(settings: StructureStudySettings): Record<StudyPart, { data: SharedData; identity: Record<string, unknown> }> {
  const s = settings.smallWorld;
  const smallData = generateDataset({ size: s.datasetSize, seed: settings.seed });
  const sweep = SWEEP_PROFILES[settings.ceiling.sweep];
  const ceilingData = generateDataset({ size: sweep.datasetSize, seed: sweep.seed });
  const { modes: _m, families: _f, graphs: _g, ...sweepNumbers } = sweep;
  return {
    small_world: {
      data: smallData,
      identity: {
        protocol: PROTOCOL_VERSION, part: "small_world",
        settings: { seed: settings.seed, precision: settings.precision, nodes: s.nodes, epochs: s.epochs, batchSize: s.batchSize, lr: s.lr, datasetSize: s.datasetSize },
        data: dataFingerprint(smallData), numerics: numericsOf("auto", settings.precision),
      },
    },
    ceiling: {
      data: ceilingData,
      identity: { protocol: PROTOCOL_VERSION, part: "ceiling", sweep: sweepNumbers, data: dataFingerprint(ceilingData), numerics: numericsOf("auto", sweep.precision) },
    },
  };
}

/** A finished model's row: the graph's properties (computed once per graph), the network's parameters, the outcome. */
function studyRow(model: StudyModel, outcome: StructureOutcome, propertiesOf: (model: StudyModel) => ReturnType<typeof graphRowProperties>): StructureStudyRow {
  const t = model.task;
  const edgeList = formatEdges(t.edges);
  const mapping = t.mapping ?? "layered";
  return {
    part: model.part, mode: t.mode, mapping, layout: t.layout, graph: model.graph, rewiring_p: model.rewiring, graph_nr: model.graphNr,
    replicate: model.replicate, seed: t.seed,
    parameters: derivedFeatures({ mode: t.mode, nodes: t.nodes, edge_list: edgeList, layout: t.layout }, mapping)!.parameters,
    ...propertiesOf(model),
    test_acc: outcome.test_acc, test_loss: outcome.test_loss, time: outcome.time, edge_list: edgeList,
  };
}

/** Every property of a graph; non-finite values (NaN assortativity of a regular graph, σ/ω without triangles) as null. */
function graphRowProperties(n: number, edges: readonly Edge[], seed: number) {
  const g = graphFromEdges(n, edges);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const extra = extendedGraphProperties(g, new Random(seed));
  return {
    ...graphProperties(g), ...extra,
    small_world_sigma: finite(extra.small_world_sigma), small_world_omega: finite(extra.small_world_omega), degree_assortativity: finite(extra.degree_assortativity),
  };
}

export interface StudyProgress {
  part: StudyPart;
  /** models done in all parts, of `total` */
  done: number;
  total: number;
  /** the row just written (absent for a part's initial call) */
  row?: StructureStudyRow;
}

export interface RunStructureStudyOptions {
  /** parent folder of the per-identity cache folders (e.g. out/cache/structure-study) */
  cacheDir: string;
  /** who trains the models; default: the in-process pool of `workers`, or the queue SPARSE_RNN_QUEUE names */
  executor?: Executor;
  /** worker threads of the default pool; 0 trains in this thread. Default: one per core. */
  workers?: number;
  onProgress?: (progress: StudyProgress) => void;
  /** how often to look for models other processes hold (ms; default 5 s) */
  pollMs?: number;
}

export interface StructureStudyResults {
  /** every model's row: the small-world part, then the ceiling part, each in plan order */
  rows: StructureStudyRow[];
  /** models trained by this call */
  computed: number;
  /** each part's cache folder */
  dirs: Record<StudyPart, string>;
}

/**
 * Run (or resume, or just read) the study: settings checked first, then both parts through the executor,
 * each into its own store. The record's entry point: `runStructureStudy(structureStudySettings("thesis"), { cacheDir })`.
 */
export async function runStructureStudy(settings: StructureStudySettings, options: RunStructureStudyOptions): Promise<StructureStudyResults> {
  checkStructureStudySettings(settings);
  const plans: Record<StudyPart, StudyModel[]> = { small_world: planSmallWorld(settings), ceiling: planCeiling(settings) };
  const parts = studyParts(settings);
  const total = plans.small_world.length + plans.ceiling.length;
  const properties = new Map<string, ReturnType<typeof graphRowProperties>>();
  const propertiesOf = (m: StudyModel) => {
    const key = `${m.part}/${m.graphSeed}`;
    if (!properties.has(key)) properties.set(key, graphRowProperties(m.task.nodes, m.task.edges, m.graphSeed));
    return properties.get(key)!;
  };
  const rows: StructureStudyRow[] = [];
  const dirs = {} as Record<StudyPart, string>;
  let computed = 0, before = 0;
  for (const part of ["small_world", "ceiling"] as const) {
    const { data, identity } = parts[part];
    const dir = path.join(options.cacheDir, shortHash(identity));
    dirs[part] = dir;
    fs.mkdirSync(dir, { recursive: true });
    writeAtomically(path.join(dir, "identity.json"), JSON.stringify(identity, null, 2) + "\n");
    const store = ResultStore.open(path.join(dir, "results.jsonl"), { identity, columns: STRUCTURE_STUDY_COLUMNS });
    const plan = plans[part];
    const offset = before;
    const run = await runPlannedTasks<StructureTask, StructureOutcome, StudyModel>({
      store, plan, kind: "structure-model", identity, data, executor: options.executor, workers: options.workers, pollMs: options.pollMs,
      rows: (model, outcome) => [toStoreRow(studyRow(model, outcome, propertiesOf))],
      describe: (model) => `runStructureStudy: ${part} model ${model.key} (seed ${model.task.seed}, ${model.task.nodes} nodes)`,
      onProgress: (p) => options.onProgress?.({ part, done: offset + p.done, total, ...(p.finished ? { row: fromStoreRow(p.finished.rows[0], `${part} model ${p.finished.model.key}`) } : {}) }),
    });
    computed += run.computed;
    before += plan.length;
    rows.push(...plan.map((m) => fromStoreRow(store.get(m.key)![0], `${store.file}, model ${m.key}`)));
  }
  return { rows, computed, dirs };
}
