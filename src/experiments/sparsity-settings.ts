/**
 * The settings of the sparse-training comparison (sparsity-comparison.ts): which methods, at which
 * densities, on which tasks, with what budget — checked whole before any work — and the row every
 * trained network leaves in the results.
 */
import type { GrammarName } from "../data/grammar";
import { CELL_MODES, type CellMode } from "../nn/spec";
import { checkSettings, integer, list, number, object, oneOf, text } from "../core/settings";
import { MASK_GRAPH_COLUMNS, type MaskGraphMetrics } from "../sparsity/mask-metrics";
import type { WeightGroup } from "../sparsity/matrices";

/** The Reber task (the thesis's) and the embedded Reber task (a long-range dependency: the second letter must match the second last). */
export const SPARSITY_TASKS: readonly GrammarName[] = ["reber", "embedded"];

/**
 * The methods, each trained for the same budget (settings.epochs) at every density:
 * - one-shot: the thesis's — train dense, prune by magnitude (global percentile), retrain;
 * - gradual: train dense, then prune along Zhu & Gupta's cubic ramp while training on;
 * - lottery / lottery-late: iterative magnitude pruning with rewinding to θ₀ / to θ_j (Frankle & Carbin
 *   2019; Frankle et al. 2020), the ticket trained from there;
 * - snip: SNIP at initialisation (Lee et al. 2019); set, rigl: dynamic sparse training from an ERK
 *   random start (Mocanu et al. 2018; Evci et al. 2020);
 * - graph-ba, graph-ws, graph-er: the thesis's random structures as masks at the density (graph-masks.ts);
 * - controls: random-erk (a random ERK mask), shuffled (the one-shot mask shuffled within each matrix,
 *   trained from θ₀), small-dense (a dense network with as many recurrent weights as the sparse ones keep).
 */
export const SPARSITY_METHODS = [
  "one-shot", "gradual", "lottery", "lottery-late", "snip", "set", "rigl", "graph-ba", "graph-ws", "graph-er",
  "random-erk", "shuffled", "small-dense",
] as const;
export type SparsityMethod = (typeof SPARSITY_METHODS)[number];
export const CONTROL_METHODS: readonly SparsityMethod[] = ["random-erk", "shuffled", "small-dense"];
/** Methods whose mask comes from the dense run of the same variant, task and seed. */
export const DENSE_DEPENDENT_METHODS: readonly SparsityMethod[] = ["one-shot", "gradual", "lottery", "lottery-late", "shuffled"];
export const GRAPH_METHODS: readonly SparsityMethod[] = ["graph-ba", "graph-ws", "graph-er"];

/**
 * The weight group every method sparsifies: "both", W_ih and W_hh of every layer — the thesis's
 * "both", so the density is of all the recurrent weights and the small dense control can match it.
 */
export const SPARSITY_GROUP: WeightGroup = "both";

export interface SparsityComparisonSettings {
  variants: CellMode[];
  tasks: GrammarName[];
  methods: SparsityMethod[];
  /** every (variant, task, method) is trained once per seed: initial weights, data order, random masks */
  seeds: number[];
  /** kept fractions of the recurrent weights, descending (the lottery chains pass through them in this order) */
  densities: number[];
  /** hidden sizes of the stacked layers (equal sizes: the graph masks need square unit patterns) */
  layers: number[];
  /** strings per task (half valid), and how many of them are the test set */
  datasetSize: number;
  testSize: number;
  dataSeed: number;
  /** E, the training budget of every network compared: epochs from initialisation to the evaluated weights */
  epochs: number;
  /** one-shot and gradual: dense epochs before the pruning starts (the rest of E trains sparse) */
  denseEpochs: number;
  /** gradual: epochs over which the sparsity ramps up (the rest of E − denseEpochs trains at the final density) */
  rampEpochs: number;
  /** gradual: pruning steps during the ramp */
  gradualIntervals: number;
  /** lottery-late: j, the epoch the ticket is rewound to (1 ≤ j < E) */
  rewindEpoch: number;
  batchSize: number;
  lr: number;
  /** SET / RigL: ΔT, optimizer steps between mask updates, and ζ, the share of each matrix's weights moved (cosine decay, updates until ¾ of training) */
  updateEvery: number;
  updateFraction: number;
  /** SNIP: mini-batches its gradient is averaged over */
  snipBatches: number;
  /** the references of σ and ω in the mask metrics */
  smallWorld: { niter: number; nrand: number };
  /** engine backend under the sparse kernels ("auto": wasm where available) */
  backend: string;
}

const SCHEMA = {
  variants: list(oneOf(CELL_MODES), { minLength: 1, unique: true }),
  tasks: list(oneOf(SPARSITY_TASKS), { minLength: 1, unique: true }),
  methods: list(oneOf(SPARSITY_METHODS), { minLength: 1, unique: true }),
  seeds: list(integer({ min: 0, max: 1_000_000 }), { minLength: 1, unique: true }),
  densities: list(number({ above: 0, below: 1 }), { minLength: 1, unique: true }),
  layers: list(integer({ min: 3, max: 4096 }), { minLength: 1 }),
  datasetSize: integer({ min: 20, max: 1_000_000 }),
  testSize: integer({ min: 10, max: 1_000_000 }),
  dataSeed: integer({ min: 0 }),
  epochs: integer({ min: 2, max: 10_000 }),
  denseEpochs: integer({ min: 1, max: 10_000 }),
  rampEpochs: integer({ min: 1, max: 10_000 }),
  gradualIntervals: integer({ min: 1, max: 1_000_000 }),
  rewindEpoch: integer({ min: 1, max: 10_000 }),
  batchSize: integer({ min: 1, max: 1_000_000 }),
  lr: number({ above: 0, max: 10 }),
  updateEvery: integer({ min: 1, max: 1_000_000 }),
  updateFraction: number({ above: 0, max: 1 }),
  snipBatches: integer({ min: 1, max: 10_000 }),
  smallWorld: object({ niter: integer({ min: 1, max: 1000 }), nrand: integer({ min: 1, max: 1000 }) }),
  backend: text(),
};

/** Check a whole settings object before any work; `where` says where it came from (e.g. "notebook 06 parameters"). */
export function checkSparsitySettings(settings: SparsityComparisonSettings, where = "SparsityComparisonSettings"): void {
  checkSettings(settings, SCHEMA, where);
  const s = settings;
  const fail = (message: string): never => { throw new Error(`${where}.${message}`); };
  if (s.densities.some((d, i) => i > 0 && !(d < s.densities[i - 1]))) fail(`densities must be descending (the lottery chains prune through them in order), got ${JSON.stringify(s.densities)}`);
  if (s.testSize >= s.datasetSize) fail(`testSize must be < datasetSize (${s.datasetSize}), got ${s.testSize}`);
  if (s.denseEpochs >= s.epochs) fail(`denseEpochs must be < epochs (${s.epochs}) so one-shot and gradual train sparse too, got ${s.denseEpochs}`);
  if (s.rampEpochs > s.epochs - s.denseEpochs) fail(`rampEpochs must be ≤ epochs − denseEpochs (${s.epochs - s.denseEpochs}), got ${s.rampEpochs}`);
  if (s.rewindEpoch >= s.epochs) fail(`rewindEpoch must be < epochs (${s.epochs}), got ${s.rewindEpoch}`);
  if (s.methods.some((m) => GRAPH_METHODS.includes(m)) && s.layers.some((h) => h !== s.layers[0])) {
    fail(`layers must all be of one size for the graph methods (square unit patterns), got ${JSON.stringify(s.layers)}`);
  }
}

/** What a row's network is: the dense reference, a method, or a control. */
export type SparsityRole = "dense" | "method" | "control";

/** The columns of the results, in order (the CSV export's header). */
export const SPARSITY_COLUMNS = [
  "variant", "task", "seed", "method", "role", "density", "kept", "total", "kept_fraction", "epochs", "search_epochs",
  "train_acc", "test_acc", "test_loss", "seconds",
  ...MASK_GRAPH_COLUMNS, "start_degree_cv", "start_degree_max_ratio", "start_degree_histogram",
] as const;

/**
 * One trained network of the comparison. `density` is the target kept fraction (1 for the dense
 * reference), `kept`/`total` the recurrent weights kept and in all (small-dense: its recurrent weights
 * and the full network's), `kept_fraction` their ratio (a graph family may keep more than its target).
 * `epochs` is the budget E the network trained for from initialisation; `search_epochs` the training spent
 * besides, finding its mask (a lottery ticket's dense run and earlier rounds). The graph columns describe
 * the final mask (mask-metrics.ts); start_degree_* the mask the training started from (SET/RigL: the
 * random ERK start; the dense-to-sparse methods: the dense network).
 */
export type SparsityRow = {
  variant: CellMode; task: GrammarName; seed: number; method: SparsityMethod | "dense"; role: SparsityRole;
  density: number; kept: number; total: number; kept_fraction: number; epochs: number; search_epochs: number;
  train_acc: number; test_acc: number; test_loss: number; seconds: number;
  start_degree_cv: number; start_degree_max_ratio: number; start_degree_histogram: string;
} & MaskGraphMetrics;

/** The role of a method's rows. */
export function roleOf(method: SparsityMethod | "dense"): SparsityRole {
  return method === "dense" ? "dense" : CONTROL_METHODS.includes(method) ? "control" : "method";
}
