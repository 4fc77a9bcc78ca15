/**
 * The thesis's pruning experiment (chapter 5.2) as a resumable, cached protocol:
 * for each variant train a base model (resumable, checkpointed every epoch); for each
 * kind (both, i2h, h2h) and level p: reload the base model, prune at the p-th
 * percentile, evaluate (epoch 0), retrain K epochs with the masks fixed and a fresh
 * Adam. Optionally the gradual (Zhu & Gupta) protocol from the same base model, at the
 * same final levels.
 *
 * Every task's rows (thesis schema) go to one ResultStore as one whole record, so an
 * interrupted run loses at most the task in progress and a rerun skips what is done;
 * several processes on one cache share the tasks (claims). The cache folder is named
 * by the hash of everything that determines the numbers — settings, the data's
 * content and the engine's numerics (including the kernels that execute it) — so
 * rerunning with the same parameters only reads, and other parameters never touch it.
 */
import * as fs from "fs";
import * as path from "path";
import type { Sample } from "../data/types";
import { dataFingerprint } from "../data/fingerprint";
import { Network } from "../nn/network";
import { train, evaluate, EpochRecord } from "../nn/train";
import { finishedRun, ResumableRun } from "../nn/resumable";
import { numericsOf, Numerics } from "../nn/numerics";
import type { BackendName } from "../nn/backend";
import { CELL_MODES, CellMode, NetworkSpec, Padding } from "../nn/spec";
import {
  PruneKind, ThresholdScope, PruneRecord, PRUNE_COLUMNS, PRUNE_KINDS, baseMode, pruneMode, gradualMode, pruneNetwork, toPruneRecords,
  maskViolations, gradualPruningHook, rampSchedule, sparseBackend,
} from "../prune";
import { ResultStore, Row, writeAtomically } from "../core/result-store";
import { shortHash } from "../core/hash";
import { checkSettings, integer, list, number, object, oneOf, optional, text } from "../core/settings";
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

/** The settings' schema: checked whole before any work (unknown keys, types, ranges). */
const SETTINGS_SCHEMA = {
  variants: list(oneOf(CELL_MODES), { minLength: 1, unique: true }),
  kinds: list(oneOf(PRUNE_KINDS), { minLength: 1, unique: true }),
  levels: list(number({ min: 0, max: 100 }), { minLength: 1, unique: true }),
  layers: list(integer({ min: 1, max: 4096 }), { minLength: 1 }),
  baseEpochs: integer({ min: 1, max: 100_000 }),
  retrainEpochs: integer({ min: 1, max: 100_000 }),
  batchSize: integer({ min: 1, max: 1_000_000 }),
  lr: number({ above: 0, max: 10 }),
  seed: integer({ min: 0 }),
  padding: oneOf(["post", "packed"] as const),
  scope: oneOf(["global", "layer"] as const),
  vocab: integer({ min: 2, max: 256 }),
  backend: text(),
  gradual: optional(object({
    levels: list(number({ min: 0, max: 100 }), { minLength: 1, unique: true }),
    rampEpochs: integer({ min: 1 }),
    intervals: integer({ min: 1 }),
  })),
};

/** Check a whole settings object before any work; `where` says where it came from (e.g. "notebook 03 parameters"). */
export function checkPruningSettings(settings: PruningSettings, where = "PruningSettings"): void {
  checkSettings(settings, SETTINGS_SCHEMA, where);
  if (settings.gradual && settings.gradual.rampEpochs > settings.retrainEpochs) {
    throw new Error(`${where}.gradual.rampEpochs must be ≤ retrainEpochs (${settings.retrainEpochs}), got ${settings.gradual.rampEpochs}`);
  }
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
  /** parent folder of the per-identity cache folders */
  cacheDir: string;
  /** a task is about to be computed (not called for cached tasks) */
  onTaskStart?: (task: PruningTask, index: number, total: number) => void;
  /** an epoch of the current task finished (0 = evaluation right after pruning) */
  onEpoch?: (task: PruningTask, epoch: number, testAcc: number) => void;
  /**
   * The backend that executes the protocol, when not settings.backend: e.g. a
   * sparse-kernel backend (`sparseBackend`). Part of the cache's identity: other
   * kernels round differently.
   */
  execution?: { backend?: BackendName | string };
  /** how often to look for tasks other processes hold (ms; default 5 s) */
  pollMs?: number;
  /** "base": train (or read) the base models only — chapter 02's protocol; default "all" */
  stage?: "base" | "all";
}

export interface PruningResults {
  /** the cache folder of these settings */
  dir: string;
  records: PruneRecord[];
  /** tasks computed by this call (cached ones and those of other processes excluded) */
  computed: PruningTask[];
}

/** Bump when the protocol's code changes what it computes (invalidates every cache). */
const PROTOCOL_VERSION = 2;

/**
 * How the project runs the protocol (the results of record, notebooks 02 and 03): pruned
 * networks on the sparse kernels where sparse enough (src/prune/sparse), dense ones as usual.
 */
export function pruningExecution(settings: Pick<PruningSettings, "backend">): { backend: string } {
  return { backend: sparseBackend(settings.backend) };
}

/**
 * Everything that determines a task's numbers. Which variants, kinds and levels are
 * run is not part of it (every task is keyed by its mode and level), so a run of a
 * subset reuses and extends the same cache; the gradual schedule is in its tasks' keys.
 */
export function pruningIdentity(settings: PruningSettings, data: { train: Sample[]; test: Sample[] }, numerics: Numerics): Record<string, unknown> {
  const { variants: _v, kinds: _k, levels: _l, gradual: _g, backend: _b, ...numbers } = settings;
  return { protocol: PROTOCOL_VERSION, settings: numbers, data: dataFingerprint(data), numerics };
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

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface PlannedTask {
  task: PruningTask;
  key: string;
  /** tasks whose results this one needs first (its base model) */
  after?: string;
  run: (task: PruningTask) => PruneRecord[];
}

/**
 * Run (or resume, or just read) the protocol. Synchronous like the engine's `train`;
 * an exception (including one thrown by a callback) leaves every finished task on disk.
 */
export function runPruningProtocol(data: { train: Sample[]; test: Sample[] }, settings: PruningSettings,
  options: PruningRunOptions): PruningResults {
  checkPruningSettings(settings);
  if (options.stage !== undefined && options.stage !== "base" && options.stage !== "all") throw new Error(`runPruningProtocol: stage must be "base" or "all", got ${JSON.stringify(options.stage)}`);
  const backend = (options.execution?.backend ?? settings.backend) as BackendName;
  const identity = pruningIdentity(settings, data, numericsOf(backend));
  const dir = path.join(options.cacheDir, shortHash(identity));
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, "identity.json"), JSON.stringify(identity, null, 2) + "\n");
  const store = ResultStore.open(path.join(dir, "results.jsonl"), { identity, columns: PRUNE_COLUMNS });
  const engine = { batchSize: settings.batchSize, padding: settings.padding, backend };
  const training = { ...engine, lr: settings.lr, seed: settings.seed };
  const K = settings.retrainEpochs;
  const stepsPerEpoch = Math.ceil(data.train.length / settings.batchSize);
  const baseRun = (variant: CellMode, epochs: number) =>
    new ResumableRun({ dir: path.join(dir, "base"), name: variant }, specOf(settings, variant), settings.seed, data, { ...training, epochs });
  /** the trained base model of a variant (its run is complete once its rows are in the store), read without its lock */
  const baseModel = (variant: CellMode): Network => {
    const finished = finishedRun({ dir: path.join(dir, "base"), name: variant }, specOf(settings, variant), settings.seed, data, { ...training, epochs: settings.baseEpochs });
    if (!finished) throw new Error(`pruning cache ${dir}: the base model of ${variant} has rows but no finished run in ${path.join(dir, "base")}; move the cache folder away to start afresh`);
    return finished.net;
  };

  const tasks: PlannedTask[] = [];
  for (const variant of settings.variants) {
    const base = baseMode(variant);
    const baseKey = `${base}/0`;
    tasks.push({
      task: { variant, mode: base, prune: 0, epochs: settings.baseEpochs }, key: baseKey,
      run: (task) => {
        const run = baseRun(variant, settings.baseEpochs);
        try {
          while (!run.done) {
            const record = run.runEpoch();
            options.onEpoch?.(task, record.epoch, record.testAcc);
          }
          return epochRows(base, 0, run.records);
        } finally {
          run.close();
        }
      },
    });
    for (const kind of settings.kinds) {
      for (const p of settings.levels) {
        const mode = pruneMode(variant, kind);
        tasks.push({
          task: { variant, mode, prune: p, epochs: K + 1 }, key: `${mode}/${p}`, after: baseKey,
          run: (task) => {
            const net = baseModel(variant);
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
          task: { variant, mode, prune: p, epochs: K }, key: `${mode}/${p}/ramp ${g.rampEpochs}/intervals ${g.intervals}`, after: baseKey,
          run: (task) => {
            const net = baseModel(variant);
            const afterStep = gradualPruningHook(rampSchedule(p / 100, g.rampEpochs * stepsPerEpoch, g.intervals), { kind, scope: settings.scope });
            const records = train(net, data, { ...training, epochs: K, afterStep, onEpoch: (r) => options.onEpoch?.(task, r.epoch, r.testAcc) });
            return epochRows(mode, p, records);
          },
        });
      }
    }
  }

  if (options.stage === "base") tasks.splice(0, tasks.length, ...tasks.filter((t) => t.after === undefined));

  // Work through the tasks; a task another live process holds (or whose base model it
  // is training) is passed over and waited for at the end.
  const computed: PruningTask[] = [];
  const pollMs = options.pollMs ?? 5000;
  for (;;) {
    let waiting = 0;
    tasks.forEach(({ task, key, after, run }, i) => {
      if (store.has(key)) return;
      if (after && !store.has(after)) { waiting++; return; }
      const claim = store.claim(key);
      if (!claim) { waiting += store.has(key) ? 0 : 1; return; }
      try {
        options.onTaskStart?.(task, i, tasks.length);
        store.append(key, run(task) as unknown as Row[]);
        computed.push(task);
      } catch (error) {
        claim.release();
        throw error;
      }
    });
    if (waiting === 0) break;
    sleep(pollMs);
    store.refresh();
  }
  const wanted = new Set(tasks.map(({ key }) => key));
  const records = toPruneRecords(store.keys().filter((k) => wanted.has(k)).flatMap((k) => store.get(k)!), store.file);
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
