/**
 * How a batch is reduced, fixed so that a seed gives bit-identical numbers on any
 * thread count. Every batch of B ≥ 2 strings runs as two shards, rows [0, n₁) and
 * [n₁, B) with n₁ = ⌈B/2⌉ (both padded to the batch's length), and their results are
 * combined in one fixed expression, evaluated in float64 and rounded once:
 *
 *   loss = (n₁·l₁ + n₂·l₂) / B        grad = (n₁/B)·g₁ + (n₂/B)·g₂
 *
 * which is the loss and gradient of the batch's mean cross-entropy. One thread runs
 * both shards in turn on the engine; two threads run the second on the wasm backend's
 * worker (DataParallel) while the engine runs the first. Only who computes a shard
 * changes, never what is summed in which order.
 */
import type { Batch } from "../data/types";
import type { BatchResult, EngineBase } from "./engine-base";
import type { Floats } from "./kernel-ops";
import type { Network } from "./network";
import type { Padding } from "./spec";
import { DataParallel } from "./wasm/data-parallel";

/** The two shards of a batch; the second is undefined for a batch of one string. */
export function splitBatch(batch: Batch): [Batch, Batch | undefined] {
  const B = batch.size, steps = batch.steps, n1 = Math.ceil(B / 2);
  if (n1 === B) return [batch, undefined];
  const rows = (from: number, to: number): Batch => ({
    size: to - from, steps, tokens: batch.tokens.subarray(from * steps, to * steps),
    lengths: batch.lengths.subarray(from, to), labels: batch.labels.subarray(from, to),
  });
  return [rows(0, n1), rows(n1, B)];
}

/**
 * grad ← w₁·g₁ + w₂·g₂ per element, in float64, rounded once on store. `grad` is one of
 * g₁, g₂ (which one depends on the thread count); the value does not, because float64
 * products and sums are exactly commutative.
 */
function combineGradients(grad: Floats, g1: ArrayLike<number>, w1: number, g2: ArrayLike<number>, w2: number): void {
  for (let i = 0; i < grad.length; i++) grad[i] = w1 * g1[i] + w2 * g2[i];
}

export class ShardedRunner {
  /** the first shard's gradient while the engine computes the second (one thread) */
  private readonly firstGrad: Floats;

  /** `worker`: the second shard's thread (two threads), or none (both shards on the engine). */
  constructor(readonly engine: EngineBase, private readonly worker?: DataParallel) {
    this.firstGrad = new (engine.grad.constructor as { new(n: number): Floats })(worker ? 0 : engine.grad.length);
  }

  /** Threads computing each batch: 1 or 2. */
  get threads(): number {
    return this.worker ? 2 : 1;
  }

  /** Loss and accuracy of the whole batch; engine.grad receives the gradient of its mean loss. */
  lossAndGradient(batch: Batch, padding: Padding): BatchResult {
    return this.run(batch, padding, true);
  }

  /** Loss and accuracy of the whole batch, no gradient. */
  evaluateBatch(batch: Batch, padding: Padding): BatchResult {
    return this.run(batch, padding, false);
  }

  /** Take over the network's weights and masks (after changing them outside training). */
  loadParameters(net: Network): void {
    this.engine.loadParameters(net);
    this.worker?.loadParameters(net);
  }

  /** Release the worker thread, if any. */
  close(): void {
    this.worker?.close();
  }

  private run(batch: Batch, padding: Padding, withGradient: boolean): BatchResult {
    const { engine, worker } = this;
    const compute = (shard: Batch) => (withGradient ? engine.lossAndGradient(shard, padding) : engine.evaluateBatch(shard, padding));
    const [first, second] = splitBatch(batch);
    if (!second) return compute(first);
    let r1: BatchResult, r2: BatchResult, g1: ArrayLike<number>, g2: ArrayLike<number>;
    if (worker) {
      worker.submit(second, padding, withGradient);
      r1 = compute(first);
      const remote = worker.collect();
      r2 = remote;
      g1 = engine.grad;
      g2 = remote.grad;
    } else {
      r1 = compute(first);
      if (withGradient) this.firstGrad.set(engine.grad);
      r2 = compute(second);
      g1 = this.firstGrad;
      g2 = engine.grad;
    }
    const B = batch.size, n1 = first.size, n2 = second.size;
    const loss = (n1 * r1.loss + n2 * r2.loss) / B;
    if (withGradient && Number.isFinite(loss)) combineGradients(engine.grad, g1, n1 / B, g2, n2 / B);
    return { loss, correct: r1.correct + r2.correct };
  }
}
