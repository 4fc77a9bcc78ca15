/**
 * The uniform shape of the sparsity methods (mljs-style objects: settings in the constructor
 * function, then the calls a method needs):
 *
 *   one-shot (SNIP, controls, lottery tickets):   plan = method.masksAt(net, data); applyPlan(net, plan)
 *   dynamic  (SET, RigL):                         applyPlan(net, method.masksAt(net));
 *                                                 train(net, data, { …, afterStep: method.afterStep })
 *
 * `masksAt` never changes the network it is given; `afterStep` changes the masks (and the new
 * weights) of the network the Trainer hands it, which the Trainer takes over.
 */
import type { Sample } from "../data/types";
import type { Network } from "../nn/network";
import type { StepContext } from "../nn/train";
import type { MaskPlan, WeightGroup } from "./matrices";

/** Training data a method may look at (SNIP's batches; a lottery ticket's training runs). */
export interface MethodData {
  train: Sample[];
  test?: Sample[];
}

export interface MaskMethod<P extends MaskPlan = MaskPlan> {
  readonly name: string;
  readonly group: WeightGroup;
  /** The method's masks for `net` (its initial masks, for a dynamic method); the network is not changed. */
  masksAt(net: Network, data?: MethodData): P;
}

export interface DynamicMethod extends MaskMethod {
  /** The Trainer's afterStep hook: updates the masks on the schedule's steps (a bound function: pass it as is). */
  readonly afterStep: (net: Network, step: number, context?: StepContext) => void;
}
