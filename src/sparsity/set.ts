/**
 * SET, Sparse Evolutionary Training (Mocanu et al. 2018): start from a random sparse mask (ER/ERK
 * densities per matrix), and every ΔT steps drop the fraction ζ_t of each matrix's kept weights of
 * smallest magnitude and regrow as many at uniformly random positions among the weights not kept,
 * new weights at exactly 0 (dynamic.ts has the shared schedule and update).
 *
 *   const method = set({ group: "h2h", density: 0.2, seed: 1, schedule: { every: 100, fraction: 0.3, endStep: 3000 } });
 *   applyPlan(net, method.masksAt(net));
 *   train(net, data, { …, afterStep: method.afterStep });
 */
import type { Random } from "../core/random";
import { dynamicMethod, DynamicOptions, GrowRule, updateStream } from "./dynamic";
import type { DynamicMethod } from "./method";
import { randomK } from "./select";

/** SET's growth: k of the open positions uniformly at random, from the step's stream. */
export function randomGrowth(rng: Random): GrowRule {
  return (matrix, k, open) => randomK(matrix.weights.length, k, open, rng, `${matrix.name} grow`);
}

export function set(options: DynamicOptions): DynamicMethod {
  return dynamicMethod("set", options, (_net, step) => randomGrowth(updateStream(options, step)));
}
