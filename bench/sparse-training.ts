/**
 * The cost of dynamic sparse training (not a timed test), on the thesis's base configuration —
 * 18,750 strings, batch 32 (586 batches), 3×50, post padding, one thread:
 *
 * 1. mask-update overhead per epoch of SET and RigL (src/sparsity; both matrices of every block, ERK
 *    start; ΔT = 100 steps, ζ = 0.3 with cosine decay, T_end = the epoch's steps: 5 updates an epoch)
 *    as a percent of the epoch: the epoch with the method's afterStep against the same network and
 *    masks trained with no mask updates (a fixed mask), same batches, alternating — and the update
 *    timed directly (the hook on update steps, RigL's dense-gradient pass included, plus θ's store and
 *    load around every step), as a percent of the same fixed-mask epoch, to cross-check it;
 * 2. the sparse kernels where the density allows them (sparseBackend over the base backend, as
 *    src/experiments/pruning.ts's pruningExecution chooses: matrices at most 50 % dense over wasm):
 *    the fixed-mask epoch on the dense backend vs the sparse one, and SET's and RigL's epochs on both —
 *    a mask change rebuilds that block's patterns (maskChanged) — so the speed-up with dynamic masks
 *    sits beside the fixed mask's.
 *
 *   node --import tsx bench/sparse-training.ts [--batches N] [--repeats R] [--modes GRU,LSTM]
 *        [--densities 0.5,0.2,0.1,0.05] [--methods set,rigl] [--backend wasm] [--chunk 10] [--out bench/results/sparse-training.json]
 *
 * --batches N times the first N batches of the epoch, plus every update step and the step after it
 * (always run, on their own batches: bench/dynamic-epoch.ts), and extrapolates the rest of the epoch
 * from the first N. Each configuration runs R times (default 5); within a repeat the six runs of a
 * (mode, density) — fixed, SET, RigL on dense and on sparse kernels — alternate every --chunk timed
 * steps (default 10) in a rotating order, so the runs compared see the same load. Every ratio printed
 * is the median over repeats of the ratio of two runs of the same repeat. The machine may be shared:
 * wall-clock numbers are noisy; the directly timed update is the steadier of the two overheads.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateDataset } from "../src/data";
import { availableBackends, CellMode, Network, NetworkSpec } from "../src/nn";
import { sparseBackend, SparseWeightOps } from "../src/prune/sparse";
import { applyPlan, isUpdateStep, keptRecurrentWeights, recurrentWeightCount, rigl, set, type DynamicOptions, type UpdateSchedule } from "../src/sparsity";
import { parseCli } from "./cli";
import { epochBatches, WARMUP_BATCHES } from "./epoch";
import { chunks, estimateEpoch, median, overheadPercent, pairedMedian, specialSteps, StepTimer, stepsToTime, type EpochEstimate, type StepTiming } from "./dynamic-epoch";

const METHODS = ["set", "rigl"] as const;
type MethodName = (typeof METHODS)[number];
const MODES = ["GRU", "LSTM"] as const;

const found = availableBackends().filter((b) => !b.startsWith("sparse("));
const args = parseCli({
  script: "bench/sparse-training.ts",
  summary: `The cost of dynamic sparse training on the thesis's base configuration (18,750 strings, batch 32,
3×50, post padding, one thread): SET's and RigL's mask-update overhead as a percent of an epoch (with
the method's afterStep vs the same masks fixed, same batches, alternating; and the update timed
directly), and the sparse kernels' speed-up (dense vs sparse backend) with a fixed mask and with mask
updates. Prints ratios of runs measured side by side; writes a JSON summary. Wall-clock: noisy on a
shared machine.`,
  options: {
    batches: { type: "number", integer: true, ge: 1, defaultText: "the whole epoch", description: "time the first N batches (and every update step and the one after it) and extrapolate to the epoch" },
    repeats: { type: "number", integer: true, ge: 1, default: 5, description: "runs of each configuration, alternating; ratios are medians over them" },
    modes: { type: "list", choices: MODES, default: MODES, description: "cell modes" },
    densities: { type: "numbers", gt: 0, lt: 1, default: [0.5, 0.2, 0.1, 0.05], description: "kept fractions of the recurrent weights" },
    methods: { type: "list", choices: METHODS, default: METHODS, description: "dynamic methods" },
    backend: { type: "string", choices: found, default: found.includes("wasm") ? "wasm" : "js-f32", description: "the dense backend (the sparse one wraps it)" },
    chunk: { type: "number", integer: true, ge: 1, default: 10, description: "the runs compared are interleaved this many timed steps at a time (≥ the timed steps: whole runs alternate)" },
    every: { type: "number", integer: true, ge: 1, default: 100, description: "ΔT: optimizer steps between mask updates" },
    fraction: { type: "number", gt: 0, le: 1, default: 0.3, description: "ζ: the fraction of each matrix's kept weights dropped and regrown (cosine decay)" },
    out: { type: "string", valueName: "file", default: "bench/results/sparse-training.json", description: "where to write the JSON summary" },
  },
});

const BATCH = 32, LAYERS = [50, 50, 50], GROUP = "both" as const;
const data = generateDataset({ seed: 1 }); // the thesis's recipe: 18,750 train / 6,250 test
const { batches, maxLength } = epochBatches(data.train, BATCH, 128);
const S = batches.length;
const limit = Math.min(args.batches ?? S, S);
const schedule: UpdateSchedule = { every: args.every, fraction: args.fraction, endStep: S, decay: "cosine" };
const updates = Array.from({ length: S }, (_, i) => i + 1).filter((s) => isUpdateStep(schedule, s));
const special = specialSteps(updates, S);
const timed = stepsToTime(S, limit, special);
const pieces = chunks(timed, args.chunk);
// warm-up (untimed, on each engine before its first run): a few ordinary steps, then an update step and the one after
const warmup = [...Array.from({ length: Math.min(WARMUP_BATCHES, S) }, (_, i) => i + 1), ...(updates.length ? [updates[0], updates[0] + 1].filter((s) => s <= S) : [])];
const dense = args.backend, sparse = sparseBackend(args.backend);
const capacity = { batch: BATCH, steps: maxLength };

type Variant = "fixed" | MethodName;
type Kernels = "dense" | "sparse";
const variants: Variant[] = ["fixed", ...args.methods];
const runs = variants.flatMap((v) => (["dense", "sparse"] as const).map((k) => ({ variant: v, kernels: k, key: `${v}/${k}` })));

interface RunSummary {
  variant: Variant;
  kernels: Kernels;
  backend: string;
  layout: string;
  /** the epoch's seconds per repeat (extrapolated as described), and the parts inside the hook and in θ's store/load */
  seconds: number[];
  hookSeconds: number[];
  syncSeconds: number[];
  medianSeconds: number;
  /** sparse backend: share of the products that ran sparse, patterns built per timed run */
  sparseShare?: number;
  patternBuildsPerRun?: number;
}

interface Row {
  mode: CellMode;
  density: number;
  keptFraction: number;
  runs: Record<string, RunSummary>;
  /** per method and kernels: measured (with − fixed)/fixed and direct (hook + sync)/fixed, percent of the epoch */
  overhead: Record<string, Record<Kernels, { measuredPercent: number; directPercent: number; hookPercent: number; syncPercent: number }>>;
  /** dense-backend epoch / sparse-backend epoch, per variant; and a method on sparse kernels against the fixed mask on dense kernels */
  speedup: Record<string, number>;
}

const spec = (mode: CellMode): NetworkSpec => ({ mode, vocab: 128, classes: 2, layers: LAYERS.map((size) => ({ size })), skips: [] });
const pct = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}%`;
const times = (x: number) => `${x.toFixed(2)}×`;

console.log(`thesis base configuration: ${data.train.length} strings, ${S} batches of ${BATCH}, 3×50, post padding, one thread; ` +
  `timing ${timed.length} of ${S} steps${timed.length < S ? ` (the first ${limit}, and the ${special.length} update steps and their successors; the rest extrapolated)` : ""}, ${args.repeats} repeats`);
console.log(`schedule: ΔT ${schedule.every}, ζ ${schedule.fraction} cosine, T_end ${S}: updates at steps ${updates.join(", ")}; group ${GROUP}, ERK start`);
console.log(`backends: ${dense} / ${sparse}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores (shared machine: noisy)`);

const rows: Row[] = [];
const started = Date.now();
for (const mode of args.modes) {
  for (const density of args.densities) {
    const start = Network.create(spec(mode), { seed: 1, precision: "f32" });
    const options = (): DynamicOptions => ({ group: GROUP, density, rule: "erk", seed: 1, schedule });
    const make: Record<MethodName, typeof set> = { set, rigl };
    applyPlan(start, set(options()).masksAt(start)); // RigL's start is the same random ERK mask
    const keptFraction = keptRecurrentWeights(start) / recurrentWeightCount(start.spec);
    const timers = runs.map((r) => new StepTimer({
      start, backend: r.kernels === "dense" ? dense : sparse, batches, capacity,
      hook: r.variant === "fixed" ? undefined : make[r.variant](options()).afterStep,
    }));
    const estimates: EpochEstimate[][] = runs.map(() => []);
    const builds: number[] = runs.map(() => 0);
    timers.forEach((t) => t.run(warmup));
    for (let rep = 0; rep < args.repeats; rep++) {
      const nets = timers.map((t) => t.begin());
      const before = timers.map((t) => (t.engine.ops instanceof SparseWeightOps ? t.engine.ops.stats.patternBuilds : 0));
      const timings = runs.map((): StepTiming[] => []);
      // the six runs interleaved a chunk of steps at a time, in an order rotating by chunk and repeat
      pieces.forEach((piece, c) => {
        for (let j = 0; j < runs.length; j++) {
          const i = (j + c + rep) % runs.length;
          timings[i].push(...timers[i].steps(nets[i], piece));
        }
      });
      runs.forEach((_, i) => {
        estimates[i].push(estimateEpoch(timings[i], S, special));
        const ops = timers[i].engine.ops;
        if (ops instanceof SparseWeightOps) builds[i] += ops.stats.patternBuilds - before[i];
      });
    }
    const summaries: Record<string, RunSummary> = {};
    runs.forEach((r, i) => {
      const ops = timers[i].engine.ops;
      const seconds = estimates[i].map((e) => e.seconds);
      summaries[r.key] = {
        variant: r.variant, kernels: r.kernels, backend: ops.name, layout: timers[i].engine.layout,
        seconds, hookSeconds: estimates[i].map((e) => e.hookSeconds), syncSeconds: estimates[i].map((e) => e.syncSeconds), medianSeconds: median(seconds),
        ...(ops instanceof SparseWeightOps ? { sparseShare: ops.stats.sparse / Math.max(1, ops.stats.sparse + ops.stats.dense), patternBuildsPerRun: builds[i] / args.repeats } : {}),
      };
      timers[i].close();
    });
    const overhead: Row["overhead"] = {};
    const speedup: Row["speedup"] = {};
    for (const v of variants) speedup[v] = pairedMedian(summaries[`${v}/dense`].seconds, summaries[`${v}/sparse`].seconds, (a, b) => a / b);
    for (const m of args.methods) {
      speedup[`${m} (sparse) vs fixed (dense)`] = pairedMedian(summaries["fixed/dense"].seconds, summaries[`${m}/sparse`].seconds, (a, b) => a / b);
      overhead[m] = {} as Row["overhead"][string];
      for (const k of ["dense", "sparse"] as const) {
        const w = summaries[`${m}/${k}`], f = summaries[`fixed/${k}`];
        overhead[m][k] = {
          measuredPercent: pairedMedian(w.seconds, f.seconds, overheadPercent),
          directPercent: pairedMedian(w.seconds.map((_, i) => w.hookSeconds[i] + w.syncSeconds[i]), f.seconds, (x, y) => (100 * x) / y),
          hookPercent: pairedMedian(w.hookSeconds, f.seconds, (x, y) => (100 * x) / y),
          syncPercent: pairedMedian(w.syncSeconds, f.seconds, (x, y) => (100 * x) / y),
        };
      }
    }
    rows.push({ mode, density, keptFraction, runs: summaries, overhead, speedup });
    const o = (m: MethodName, k: Kernels) => (overhead[m] ? `${pct(overhead[m][k].measuredPercent).padStart(7)} (${pct(overhead[m][k].directPercent).padStart(6)})` : "");
    console.log(`${mode.padEnd(4)} ${(100 * density).toFixed(0).padStart(3)}%  ` +
      args.methods.map((m) => `${m} ${o(m, "dense")} | sparse ${o(m, "sparse")}`).join("   ") +
      `   sparse× fixed ${times(speedup.fixed)}${args.methods.map((m) => `, ${m} ${times(speedup[m])}`).join("")}` +
      `   [${((Date.now() - started) / 60000).toFixed(1)} min]`);
  }
}

// the table
const methodHeads = args.methods.flatMap((m) => [`${m} ovh dense (direct)`, `${m} ovh sparse (direct)`]);
const heads = ["mode", "density", "kept", ...methodHeads, "sparse× fixed", ...args.methods.map((m) => `sparse× ${m}`), ...args.methods.map((m) => `${m} sparse / fixed dense`)];
const table = rows.map((r) => [
  r.mode, `${(100 * r.density).toFixed(0)}%`, `${(100 * r.keptFraction).toFixed(1)}%`,
  ...args.methods.flatMap((m) => (["dense", "sparse"] as const).map((k) => `${pct(r.overhead[m][k].measuredPercent)} (${pct(r.overhead[m][k].directPercent)})`)),
  times(r.speedup.fixed), ...args.methods.map((m) => times(r.speedup[m])), ...args.methods.map((m) => times(r.speedup[`${m} (sparse) vs fixed (dense)`])),
]);
const widths = heads.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
console.log(`\nmask-update overhead, % of a fixed-mask epoch on the same kernels: measured (with − fixed)/fixed, and in brackets the update timed directly (hook + θ store/load) / fixed;`);
console.log(`sparse×: dense-backend epoch / sparse-backend epoch of the same variant; last columns: the method on sparse kernels against the fixed mask on dense kernels. Medians of ${args.repeats} paired repeats.\n`);
console.log(heads.map((h, c) => h.padStart(widths[c])).join("  "));
for (const row of table) console.log(row.map((x, c) => x.padStart(widths[c])).join("  "));

fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify({
  date: new Date().toISOString(), node: process.version, machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length }, loadavg: os.loadavg(),
  config: {
    strings: data.train.length, batchSize: BATCH, layers: LAYERS, padding: "post", threads: 1, stepsPerEpoch: S, batches: args.batches ?? null,
    timedSteps: timed.length, repeats: args.repeats, group: GROUP, rule: "erk", schedule, updateSteps: updates, backend: dense, sparseBackend: sparse,
  },
  rows,
}, null, 2) + "\n");
console.log(`\nwrote ${args.out} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
