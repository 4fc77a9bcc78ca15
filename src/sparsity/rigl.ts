/**
 * RigL, Rigging the Lottery (Evci et al. 2020): SET's start and drop (dynamic.ts), but regrowth
 * by gradient — the k weights not kept after the drop with the largest |∂L/∂w| (ties: the lower
 * index), new weights at exactly 0. The dense gradient (masked weights included) is computed only on
 * update steps, on the step's mini-batch at the weights after the step, through the Trainer's
 * StepContext.denseGradient (the engine opens the masks for that one pass).
 *
 *   const method = rigl({ group: "both", density: 0.1, seed: 1, schedule: { every: 100, fraction: 0.3, endStep: 0.75 * steps } });
 *   applyPlan(net, method.masksAt(net));
 *   train(net, data, { …, afterStep: method.afterStep });
 */
import { dynamicMethod, DynamicOptions, GrowRule } from "./dynamic";
import { parameterIndex } from "./matrices";
import type { DynamicMethod } from "./method";
import { topK } from "./select";

/** RigL's growth from the dense gradients (Network.parameterArrays() order): largest |g| among the open positions. */
export function gradientGrowth(gradients: readonly ArrayLike<number>[]): GrowRule {
  return (matrix, k, open) => {
    const g = gradients[parameterIndex(matrix)];
    if (!g || g.length !== matrix.weights.length) throw new Error(`rigl: no dense gradient of ${matrix.name}'s ${matrix.weights.length} weights`);
    return topK(Float64Array.from(g, Math.abs), k, open, `${matrix.name} grow`);
  };
}

export function rigl(options: DynamicOptions): DynamicMethod {
  return dynamicMethod("rigl", options, (_net, step, context) => {
    if (!context) throw new Error(`rigl: step ${step} is an update step and needs the Trainer's StepContext (pass method.afterStep as TrainOptions.afterStep)`);
    return gradientGrowth(context.denseGradient());
  });
}
