/**
 * SNIP (Lee, Ajanthan & Torr 2019, "Single-shot network pruning based on connection
 * sensitivity"), at initialisation: the sensitivity of weight j is |∂L/∂c_j| at c = 1 for a
 * multiplicative mask c, i.e. |w_j·g_j| with g the loss gradient, averaged over one or a few
 * mini-batches before taking the magnitude. The k = round(density·N) most sensitive weights of the
 * group are kept, ranked globally over all its matrices (ties to the earlier weight). Weights the
 * network already masks are never revived.
 *
 * The gradient comes from the project's engine (no PyTorch); by default the plain-JS float64
 * backend, so the scores are the same on every machine. The batches are drawn from the training
 * set by a seeded shuffle.
 */
import type { Sample } from "../data/types";
import { Random } from "../core/random";
import { createOps, type BackendName } from "../nn/backend";
import { batchesOf, encodeSamples } from "../nn/batching";
import { createEngine } from "../nn/create-engine";
import type { Network } from "../nn/network";
import type { Padding } from "../nn/spec";
import { checkDensity, checkGroup, groupMatrices, MaskPlan, parameterIndex, planOf, WeightGroup } from "./matrices";
import type { MaskMethod, MethodData } from "./method";
import { globalTopK } from "./select";

export interface SnipOptions {
  group: WeightGroup;
  /** kept fraction of the group's weights */
  density: number;
  /** strings per mini-batch */
  batchSize: number;
  /** mini-batches the gradient is averaged over; default 1 (the paper) */
  batches?: number;
  /** which strings form the batches */
  seed: number;
  /** default "post" (the thesis) */
  padding?: Padding;
  /** engine backend for the gradient; default "js" (float64) */
  backend?: BackendName;
}

function checkOptions(o: SnipOptions, who: string): void {
  if (o === null || typeof o !== "object") throw new Error(`${who}: options must be { group, density, batchSize, seed, … }, got ${String(o)}`);
  checkGroup(o.group, who);
  checkDensity(o.density, who);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`${who}: batchSize must be a positive integer, got ${o.batchSize}`);
  if (o.batches !== undefined && (!Number.isInteger(o.batches) || o.batches < 1)) throw new Error(`${who}: batches must be a positive integer, got ${o.batches}`);
  if (!Number.isSafeInteger(o.seed)) throw new Error(`${who}: seed must be a safe integer, got ${o.seed}`);
}

/**
 * The mean gradient of the group's matrices over the first `batches` mini-batches of a seeded
 * shuffle of `train` (the network as it stands, masks included), one Float64Array per matrix.
 */
export function meanGradients(net: Network, train: readonly Sample[], options: SnipOptions): Float64Array[] {
  checkOptions(options, "meanGradients");
  const set = encodeSamples(train as Sample[], net.spec.vocab, "data.train");
  const wanted = options.batches ?? 1;
  const needed = Math.min(set.tokens.length, wanted * options.batchSize);
  if (needed === 0) throw new Error("meanGradients: data.train is empty");
  const order = new Random(options.seed).shuffle(Int32Array.from({ length: set.tokens.length }, (_, i) => i)).subarray(0, needed);
  const batches = batchesOf(set, order, options.batchSize);
  const steps = Math.max(...batches.map((b) => b.steps));
  const engine = createEngine(net, createOps(options.backend ?? "js"), { batch: options.batchSize, steps });
  const matrices = groupMatrices(net, options.group);
  const sums = matrices.map((m) => new Float64Array(m.weights.length));
  for (const batch of batches) {
    const { loss } = engine.lossAndGradient(batch, options.padding ?? "post");
    if (!Number.isFinite(loss)) throw new Error(`meanGradients: the loss is ${loss}`);
    const grads = engine.gradientArrays(net);
    matrices.forEach((m, l) => { const g = grads[parameterIndex(m)]; for (let i = 0; i < g.length; i++) sums[l][i] += g[i]; });
  }
  for (const s of sums) for (let i = 0; i < s.length; i++) s[i] /= batches.length;
  return sums;
}

/** SNIP's sensitivities |w·g| per matrix of the group, for given gradients (groupMatrices order). */
export function snipScores(net: Network, group: WeightGroup, gradients: readonly ArrayLike<number>[]): Float64Array[] {
  const matrices = groupMatrices(net, group);
  if (gradients.length !== matrices.length) throw new Error(`snipScores: ${matrices.length} matrices in group ${group}, got ${gradients.length} gradients`);
  return matrices.map((m, l) => {
    const g = gradients[l];
    if (g.length !== m.weights.length) throw new Error(`snipScores: ${m.name} has ${m.weights.length} weights, its gradient ${g.length}`);
    return Float64Array.from(m.weights, (w, i) => Math.abs(w * g[i]));
  });
}

/** SNIP's masks for `net` on batches of `data.train`. Pure. */
export function snipMasks(net: Network, data: MethodData, options: SnipOptions): MaskPlan {
  checkOptions(options, "snipMasks");
  const scores = snipScores(net, options.group, meanGradients(net, data.train, options));
  const current = groupMatrices(net, options.group).map((m) => m.mask);
  return planOf(net, options.group, globalTopK(scores, options.density, current));
}

/** SNIP as a method object. */
export function snip(options: SnipOptions): MaskMethod {
  checkOptions(options, "snip");
  return {
    name: "snip", group: options.group,
    masksAt: (net, data) => {
      if (!data) throw new Error("snip: masksAt needs the training data (masksAt(net, { train }))");
      return snipMasks(net, data, options);
    },
  };
}
