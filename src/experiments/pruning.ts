/**
 * The thesis's pruning experiment (chapter 5.2) as a resumable, cached protocol:
 * for each variant train a base model and save it; for each kind (both, i2h, h2h)
 * and level p: reload the base model, prune at the p-th percentile, evaluate
 * (epoch 0), retrain K epochs with the masks fixed and a fresh Adam. Optionally the
 * gradual (Zhu & Gupta) protocol from the same base model, at the same final levels.
 *
 * Every (mode, level) result is appended to `results.csv` (thesis schema) as soon
 * as it exists, so an interrupted run loses at most the model in progress and a
 * rerun skips what is done. The cache folder is named by a hash of everything that
 * determines the numbers (settings and the data itself), so rerunning a notebook
 * with the same parameters only reads.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Sample } from "../data/types";
import { Network } from "../nn/network";
import { train, evaluate, EpochRecord } from "../nn/train";
import type { BackendName } from "../nn/backend";
import type { CellMode, NetworkSpec, Padding } from "../nn/spec";
import {
  PruneKind, ThresholdScope, PruneRecord, PRUNE_COLUMNS, baseMode, pruneMode, gradualMode, pruneNetwork, toPruneRecords,
  maskViolations, gradualPruningHook,
} from "../prune";
import { ResultStore } from "./result-store";
import { ProfileName, byProfile } from "./profile";
import { generateDataset, loadThesisDataset } from "../data";
import { repoRelative } from "../thesis";

export interface GradualSettings {
  /** final sparsities, in percent like the one-shot levels */
  levels: number[];
  /** retraining epochs over which the sparsity ramps up (the rest recover at the final sparsity) */
  rampEpochs: number;
  /** pruning steps during the ramp (n of the cubic schedule) */
  intervals: number;
}

export interface PruningSettings {
  variants: CellMode[];
  kinds: PruneKind[];
  /** pruning levels p (percentiles), thesis 10, 20, …, 100 */
  levels: number[];
  /** hidden sizes of the stacked layers, thesis [50, 50, 50] */
  layers: number[];
  baseEpochs: number;
  retrainEpochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  padding: Padding;
  scope: ThresholdScope;
  /** token vocabulary (ASCII 128) */
  vocab: number;
  backend: BackendName;
  /** the gradual-pruning comparison; omit to skip it */
  gradual?: GradualSettings;
}

/** One unit of work, for progress displays. */
export interface PruningTask {
  variant: CellMode;
  /** "base", or the mode of the pruned run (e.g. "gru_prune_h2h", "gru_gradual") */
  mode: string;
  prune: number;
  /** epochs this task trains or evaluates (for progress bars) */
  epochs: number;
}

export interface PruningRunOptions {
  /** parent folder of the per-settings cache folders */
  cacheDir: string;
  /** a task is about to be computed (not called for cached tasks) */
  onTaskStart?: (task: PruningTask, index: number, total: number) => void;
  /** an epoch of the current task finished (0 = evaluation right after pruning) */
  onEpoch?: (task: PruningTask, epoch: number, testAcc: number) => void;
  /**
   * Extra engine options for training and evaluation, e.g. a sparse-kernel backend
   * (an execution choice that does not change the numbers beyond rounding, so it is
   * not part of the cache key).
   */
  execution?: { backend?: BackendName | string };
}

export interface PruningResults {
  /** the cache folder of these settings */
  dir: string;
  records: PruneRecord[];
  /** tasks computed by this call (cached ones excluded) */
  computed: PruningTask[];
}

/** Bump when the protocol's code changes what it computes (invalidates every cache). */
const PROTOCOL_VERSION = 1;

/** sha-256 over the strings and labels, in order: the data part of the cache key. */
export function dataFingerprint(data: { train: Sample[]; test: Sample[] }): string {
  const hash = crypto.createHash("sha256");
  for (const [name, set] of [["train", data.train], ["test", data.test]] as const) {
    hash.update(`${name}:${set.length}\n`);
    for (const s of set) hash.update(`${s.text}\t${s.valid ? 1 : 0}\n`);
  }
  return hash.digest("hex");
}

/**
 * The cache folder name: a short hash of the data and of the settings that change
 * a task's numbers. Which variants, kinds and levels are run is not part of it
 * (every row names its mode and level), so a run of a subset reuses and extends
 * the same cache; the gradual protocol's schedule keys its own file inside.
 */
export function pruningCacheKey(settings: PruningSettings, data: { train: Sample[]; test: Sample[] }): string {
  const { variants: _v, kinds: _k, levels: _l, gradual: _g, ...numbers } = settings;
  return shortHash({ protocol: PROTOCOL_VERSION, settings: numbers, data: dataFingerprint(data) });
}

function shortHash(value: unknown): string {
  return crypto.createHash("sha256").update(JSON.stringify(canonical(value))).digest("hex").slice(0, 16);
}

/** JSON with sorted keys, so key order in a notebook's literal does not change the hash. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function specOf(settings: PruningSettings, variant: CellMode): NetworkSpec {
  return { mode: variant, vocab: settings.vocab, layers: settings.layers.map((size) => ({ size })), skips: [], classes: 2 };
}

function epochRows(mode: string, prune: number, records: EpochRecord[]): PruneRecord[] {
  return records.map((r) => ({
    mode, prune, epoch: r.epoch, train_loss: r.trainLoss, train_acc: r.trainAcc,
    test_loss: r.testLoss, test_acc: r.testAcc, time: r.seconds,
  }));
}

function checkSettings(s: PruningSettings): void {
  const positive = ["baseEpochs", "retrainEpochs", "batchSize"] as const;
  for (const key of positive) {
    if (!Number.isInteger(s[key]) || s[key] < 1) throw new Error(`PruningSettings.${key} must be a positive integer, got ${s[key]}`);
  }
  for (const p of s.levels) if (!(p >= 0 && p <= 100)) throw new Error(`PruningSettings.levels: ${p} is not a percentile in [0, 100]`);
  if (s.gradual) {
    const g = s.gradual;
    if (!Number.isInteger(g.rampEpochs) || g.rampEpochs < 1 || g.rampEpochs > s.retrainEpochs) {
      throw new Error(`PruningSettings.gradual.rampEpochs must be an integer in 1 … retrainEpochs (${s.retrainEpochs}), got ${g.rampEpochs}`);
    }
    if (!Number.isInteger(g.intervals) || g.intervals < 1) throw new Error(`PruningSettings.gradual.intervals must be a positive integer, got ${g.intervals}`);
  }
}

/**
 * Run (or resume, or just read) the protocol. Synchronous like the engine's `train`;
 * an exception (including one thrown by a callback) leaves every finished task on disk.
 */
export function runPruningProtocol(data: { train: Sample[]; test: Sample[] }, settings: PruningSettings,
  options: PruningRunOptions): PruningResults {
  checkSettings(settings);
  const dir = path.join(options.cacheDir, pruningCacheKey(settings, data));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "settings.json"), JSON.stringify(canonical(settings), null, 2));
  const keyOf = (r: Record<string, unknown>) => `${r.mode}/${r.prune}/${r.epoch}`;
  const store = new ResultStore(path.join(dir, "results.csv"), PRUNE_COLUMNS as string[], keyOf);
  const gradualStore = settings.gradual
    ? new ResultStore(path.join(dir, `gradual-${shortHash({ rampEpochs: settings.gradual.rampEpochs, intervals: settings.gradual.intervals })}.csv`), PRUNE_COLUMNS as string[], keyOf)
    : store;
  const backend = (options.execution?.backend ?? settings.backend) as BackendName;
  const engine = { batchSize: settings.batchSize, padding: settings.padding, backend };
  const training = { ...engine, lr: settings.lr, seed: settings.seed };
  const K = settings.retrainEpochs;
  const samplesPerEpoch = Math.ceil(data.train.length / settings.batchSize);

  // every task with how to tell it is done and how to do it
  const tasks: Array<{ task: PruningTask; store: ResultStore; done: () => boolean; run: (task: PruningTask) => PruneRecord[] }> = [];
  for (const variant of settings.variants) {
    const checkpoint = path.join(dir, `base-${baseMode(variant)}.json`);
    const base = baseMode(variant);
    tasks.push({
      task: { variant, mode: base, prune: 0, epochs: settings.baseEpochs }, store,
      // rows are written after the checkpoint, so rows present ⇒ checkpoint present
      done: () => store.has(`${base}/0/${settings.baseEpochs}`) && fs.existsSync(checkpoint),
      run: (task) => {
        const net = Network.create(specOf(settings, variant), { seed: settings.seed });
        const records = train(net, data, { ...training, epochs: settings.baseEpochs, onEpoch: (r) => options.onEpoch?.(task, r.epoch, r.testAcc) });
        net.save(checkpoint);
        return epochRows(base, 0, records);
      },
    });
    for (const kind of settings.kinds) {
      for (const p of settings.levels) {
        const mode = pruneMode(variant, kind);
        tasks.push({
          task: { variant, mode, prune: p, epochs: K + 1 }, store,
          done: () => store.has(`${mode}/${p}/${K}`),
          run: (task) => {
            const net = Network.loadFile(checkpoint);
            pruneNetwork(net, { percent: p, kind, scope: settings.scope });
            const start = process.hrtime.bigint();
            const after = evaluate(net, data.test, engine);
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            options.onEpoch?.(task, 0, after.acc);
            // epoch 0 as the thesis logs it: test only, train columns 0 (not measured)
            const rows: PruneRecord[] = [{ mode, prune: p, epoch: 0, train_loss: 0, train_acc: 0, test_loss: after.loss, test_acc: after.acc, time: seconds }];
            const records = train(net, data, { ...training, epochs: K, onEpoch: (r) => options.onEpoch?.(task, r.epoch, r.testAcc) });
            const violations = maskViolations(net.blocks);
            if (violations > 0) throw new Error(`${mode} p=${p}: ${violations} masked weights became non-zero during retraining`);
            return rows.concat(epochRows(mode, p, records));
          },
        });
      }
      for (const p of settings.gradual?.levels ?? []) {
        const g = settings.gradual!;
        const mode = gradualMode(variant, kind);
        tasks.push({
          task: { variant, mode, prune: p, epochs: K }, store: gradualStore,
          done: () => gradualStore.has(`${mode}/${p}/${K}`),
          run: (task) => {
            const net = Network.loadFile(checkpoint);
            const rampSteps = g.rampEpochs * samplesPerEpoch;
            const frequency = Math.max(1, Math.floor(rampSteps / g.intervals));
            const afterStep = gradualPruningHook(
              { initialSparsity: 0, finalSparsity: p / 100, startStep: 1, intervals: Math.max(1, Math.floor((rampSteps - 1) / frequency)), frequency },
              { kind, scope: settings.scope },
            );
            const records = train(net, data, { ...training, epochs: K, afterStep, onEpoch: (r) => options.onEpoch?.(task, r.epoch, r.testAcc) });
            return epochRows(mode, p, records);
          },
        });
      }
    }
  }

  const computed: PruningTask[] = [];
  tasks.forEach(({ task, store: target, done, run }, i) => {
    if (done()) return;
    options.onTaskStart?.(task, i, tasks.length);
    target.append(run(task) as unknown as Record<string, number | string>[]);
    computed.push(task);
  });
  // the cache may hold more than asked for (other subsets): return the requested tasks' rows
  const wanted = new Set(tasks.map(({ task }) => `${task.mode}/${task.prune}`));
  const rows = gradualStore === store ? store.rows() : store.rows().concat(gradualStore.rows());
  const records = toPruneRecords(rows, store.file).filter((r) => wanted.has(`${r.mode}/${r.prune}`));
  return { dir, records, computed };
}

/**
 * The notebook's profiles. `thesis` is the thesis's protocol (3×50, 50 base epochs,
 * batch 32, levels 10…100, 10 retraining epochs) on the thesis's own train/test
 * split (reference/thesis/dataset); `quick` is a small subset for tests and CI.
 */
export function pruningSettings(profile: ProfileName): PruningSettings {
  const common = { batchSize: 32, seed: 1, padding: "post" as Padding, scope: "global" as ThresholdScope, vocab: 128, backend: "auto" as BackendName };
  return byProfile<PruningSettings>({
    quick: {
      ...common, variants: ["GRU", "LSTM"], kinds: ["both", "i2h", "h2h"], levels: [50, 80, 90, 100],
      layers: [16, 16], baseEpochs: 5, retrainEpochs: 2, lr: 0.01,
      gradual: { levels: [90], rampEpochs: 1, intervals: 8 },
    },
    thesis: {
      ...common, variants: ["RNN_TANH", "RNN_RELU", "LSTM", "GRU"], kinds: ["both", "i2h", "h2h"],
      levels: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], layers: [50, 50, 50], baseEpochs: 50, retrainEpochs: 10, lr: 0.001,
      gradual: { levels: [80, 90], rampEpochs: 5, intervals: 20 },
    },
  }, profile);
}

/** The profile's data: quick = 2,000 generated strings (1,500 / 500); thesis = the thesis's own train/test split. */
export function pruningData(profile: ProfileName): { train: Sample[]; test: Sample[]; source: string } {
  if (profile === "thesis") {
    const thesis = loadThesisDataset();
    return { train: thesis.train, test: thesis.test, source: `the thesis's train/test CSVs (${repoRelative(thesis.dir)})` };
  }
  const d = generateDataset({ size: 2000, testSize: 500, seed: 1 });
  return { train: d.train, test: d.test, source: "2,000 generated strings (seed 1)" };
}
