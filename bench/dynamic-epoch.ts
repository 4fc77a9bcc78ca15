/**
 * Timing epochs of dynamic sparse training (bench/sparse-training.ts): the Trainer's step with an
 * afterStep hook, step by step, over a sample of the epoch, and the epoch's time extrapolated from it;
 * the overhead arithmetic. Pure apart from the clock.
 *
 * The step is Trainer.runEpoch's (src/nn/train.ts), one thread: the batch's loss and gradient (two
 * fixed shards, ShardedRunner), the clipped Adam step; with a hook, θ stored into the network, the hook
 * (StepContext.denseGradient as the Trainer gives it: the engine's dense pass on the step's batch), θ
 * and masks loaded back — the backend hears maskChanged for every block whose masks moved, and a
 * sparse backend rebuilds those patterns on the next product. Without a hook none of that: a fixed
 * mask. A test checks that these steps leave the very bits Trainer leaves.
 *
 * Sampling the epoch. A mask update makes its own step slower (the hook's drop and grow, RigL's dense
 * pass) and the next one (pattern rebuilds), so those "special" steps — every update step and its
 * successor — are always run, on their own batches and at their own step numbers, and summed as
 * measured; the ordinary steps are sampled by the first `limit` batches and extrapolated by their
 * mean. The with-hook run and the fixed-mask run time the same steps on the same batches, so their
 * difference is the hook's cost; with limit = the epoch every step runs, in order, and the estimate
 * is the measured sum.
 */
import type { Batch } from "../src/data/types";
import { createEngine, createOps, EngineLayout, Network, ShardedRunner, type EngineBase, type StepContext } from "../src/nn";
import type { Padding } from "../src/nn/spec";

/** The Trainer's afterStep hook. */
export type StepHook = (net: Network, step: number, context: StepContext) => void;

/** One timed step (seconds of the whole step; of the hook itself; of θ's store and load around it). */
export interface StepTiming {
  /** 1-based: the batch's position in the epoch and the hook's step number */
  step: number;
  seconds: number;
  hookSeconds: number;
  syncSeconds: number;
}

/** An epoch's time estimated from timed steps, split as measured. */
export interface EpochEstimate {
  seconds: number;
  /** of which inside the hook */
  hookSeconds: number;
  /** of which storing θ into the network and loading it (and the masks) back */
  syncSeconds: number;
  /** steps timed, of which special */
  timed: number;
  special: number;
}

/** The steps (1-based, ascending) that are special in an epoch of `stepsPerEpoch`: each update step and the one after it. */
export function specialSteps(updateSteps: readonly number[], stepsPerEpoch: number): number[] {
  const out = new Set<number>();
  for (const u of updateSteps) {
    if (!Number.isInteger(u) || u < 1 || u > stepsPerEpoch) throw new Error(`specialSteps: update step ${u} is not in 1…${stepsPerEpoch}`);
    out.add(u);
    if (u + 1 <= stepsPerEpoch) out.add(u + 1);
  }
  return [...out].sort((a, b) => a - b);
}

/** The steps to time (ascending): the first `limit` and every special one. */
export function stepsToTime(stepsPerEpoch: number, limit: number, special: readonly number[]): number[] {
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) throw new Error(`stepsToTime: stepsPerEpoch must be a positive integer, got ${stepsPerEpoch}`);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`stepsToTime: limit must be a positive integer, got ${limit}`);
  const out = new Set<number>(special);
  for (let s = 1; s <= Math.min(limit, stepsPerEpoch); s++) out.add(s);
  return [...out].sort((a, b) => a - b);
}

/**
 * The epoch's seconds from timed steps: the special steps summed as measured, the ordinary ones'
 * mean times the epoch's ordinary steps (each of seconds, hook and sync alike). Every special step
 * must have been timed, and at least one ordinary one unless the epoch has none.
 */
export function estimateEpoch(timings: readonly StepTiming[], stepsPerEpoch: number, special: readonly number[]): EpochEstimate {
  const isSpecial = new Set(special);
  const seen = new Set<number>();
  const sum = { seconds: 0, hookSeconds: 0, syncSeconds: 0 }, ordinary = { seconds: 0, hookSeconds: 0, syncSeconds: 0 };
  let ordinaryCount = 0;
  for (const t of timings) {
    if (seen.has(t.step)) throw new Error(`estimateEpoch: step ${t.step} timed twice`);
    if (t.step < 1 || t.step > stepsPerEpoch) throw new Error(`estimateEpoch: step ${t.step} is not in 1…${stepsPerEpoch}`);
    seen.add(t.step);
    const into = isSpecial.has(t.step) ? sum : ordinary;
    into.seconds += t.seconds; into.hookSeconds += t.hookSeconds; into.syncSeconds += t.syncSeconds;
    if (!isSpecial.has(t.step)) ordinaryCount++;
  }
  const missing = special.filter((s) => !seen.has(s));
  if (missing.length) throw new Error(`estimateEpoch: special steps ${missing.join(", ")} were not timed`);
  const rest = stepsPerEpoch - isSpecial.size;
  if (rest > 0 && ordinaryCount === 0) throw new Error(`estimateEpoch: no ordinary step timed for the epoch's ${rest}`);
  const scale = ordinaryCount ? rest / ordinaryCount : 0;
  return {
    seconds: sum.seconds + scale * ordinary.seconds,
    hookSeconds: sum.hookSeconds + scale * ordinary.hookSeconds,
    syncSeconds: sum.syncSeconds + scale * ordinary.syncSeconds,
    timed: timings.length,
    special: isSpecial.size,
  };
}

/** (with − without) / without, in percent. */
export function overheadPercent(withHook: number, without: number): number {
  if (!(without > 0)) throw new Error(`overheadPercent: the time without must be positive, got ${without}`);
  return (100 * (withHook - without)) / without;
}

/** The median (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `items` cut into consecutive chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chunks: size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The median over repeats of a ratio of two runs paired by repeat (measured back to back). */
export function pairedMedian(a: readonly number[], b: readonly number[], ratio: (x: number, y: number) => number): number {
  if (a.length !== b.length) throw new Error(`pairedMedian: ${a.length} runs against ${b.length}`);
  return median(a.map((x, i) => ratio(x, b[i])));
}

export interface StepTimerOptions {
  /** the start: every run trains a fresh clone of it (its weights and masks) */
  start: Network;
  /** a backend name for createOps (e.g. "wasm", or a sparseBackend name) */
  backend: string;
  batches: readonly Batch[];
  /** the engine's workspace */
  capacity: { batch: number; steps: number };
  /** the afterStep hook; none = a fixed mask */
  hook?: StepHook;
  layout?: EngineLayout;
  padding?: Padding;
  /** Adam's rate and the gradient-norm clip (the Trainer's defaults: 1e-3, 5) */
  lr?: number;
  clip?: number;
}

/**
 * One engine, one thread, run again from a fresh clone of the start for each timed run (the engine
 * and its workspace are kept: what a training run pays once is not timed). Runs of several timers can
 * be interleaved a chunk of steps at a time (begin, steps, steps, …), so that the runs compared see
 * the same load from the rest of the machine.
 */
export class StepTimer {
  readonly engine: EngineBase;
  private readonly runner: ShardedRunner;
  private readonly padding: Padding;
  private readonly lr: number;
  private readonly clip: number;

  constructor(private readonly o: StepTimerOptions) {
    this.engine = createEngine(o.start.clone(), createOps(o.backend), o.capacity, { layout: o.layout ?? "auto" });
    this.runner = new ShardedRunner(this.engine);
    this.padding = o.padding ?? "post";
    this.lr = o.lr ?? 1e-3;
    this.clip = o.clip ?? 5;
  }

  /**
   * A fresh clone of the start on the engine, ready to train: its weights and masks loaded, and one
   * untimed forward pass so a sparse backend has built (and uploaded) its patterns, as a training run
   * has long before the steps timed.
   */
  begin(): Network {
    const net = this.o.start.clone();
    this.runner.loadParameters(net);
    this.runner.evaluateBatch(this.o.batches[0], this.padding);
    return net;
  }

  /** Train `net` (from begin()) on the batches at `steps` (1-based), in that order, timing each step. */
  steps(net: Network, steps: readonly number[]): StepTiming[] {
    const { engine, runner, padding } = this;
    const hook = this.o.hook;
    const timings: StepTiming[] = [];
    for (const step of steps) {
      const batch = this.o.batches[step - 1];
      if (!batch) throw new Error(`StepTimer: no batch for step ${step} (${this.o.batches.length} batches)`);
      let hookSeconds = 0, syncSeconds = 0;
      const start = process.hrtime.bigint();
      const r = runner.lossAndGradient(batch, padding);
      if (!Number.isFinite(r.loss)) throw new Error(`StepTimer: loss ${r.loss} at step ${step}`);
      engine.step({ lr: this.lr, clip: this.clip });
      if (hook) {
        const t0 = process.hrtime.bigint();
        engine.storeParameters(net);
        const t1 = process.hrtime.bigint();
        hook(net, step, { batch, denseGradient: () => this.denseGradient(net, batch) });
        const t2 = process.hrtime.bigint();
        runner.loadParameters(net);
        const t3 = process.hrtime.bigint();
        hookSeconds = Number(t2 - t1) / 1e9;
        syncSeconds = Number(t1 - t0 + (t3 - t2)) / 1e9;
      }
      timings.push({ step, seconds: Number(process.hrtime.bigint() - start) / 1e9, hookSeconds, syncSeconds });
    }
    return timings;
  }

  /** The network as trained so far (θ stored from the engine). */
  finish(net: Network): Network {
    this.engine.storeParameters(net);
    return net;
  }

  /** begin(), steps(), finish() in one: the timings and the trained network. */
  run(steps: readonly number[]): { timings: StepTiming[]; net: Network } {
    const net = this.begin();
    const timings = this.steps(net, steps);
    return { timings, net: this.finish(net) };
  }

  /** Trainer.denseGradient: the network's weights and masks on the engine, then the gradient with the masks opened. */
  private denseGradient(net: Network, batch: Batch): Float64Array[] {
    this.engine.loadParameters(net);
    this.engine.denseLossAndGradient(batch, this.padding);
    return this.engine.gradientArrays(net).map((g) => Float64Array.from(g));
  }

  close(): void {
    this.runner.close();
  }
}
