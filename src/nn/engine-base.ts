/**
 * What every engine layout shares: the flat parameter vector θ with its gradient,
 * 0/1 mask and Adam moments; the batch schedule (string order, rows and offsets of
 * every time step, tokens, the rows the head reads); the softmax cross-entropy; the
 * clipped Adam step; and the public API the trainer, DataParallel and the tests use.
 * A subclass lays out the sequences (row-major: engine.ts, feature-major:
 * column-engine.ts) and implements `forward` / `backward`.
 *
 * θ is laid out as theta-layout.ts says (per block wIH, wHH, bIH, bHH; then the
 * embedding, headW, headB) and addressed through its named ranges. Everything — θ and
 * the subclass's workspace — comes from ONE `reserve` of the backend: `allocateEngine`
 * runs the base's allocations and the subclass's routine as one (allocator.ts).
 */
import type { Batch } from "../data/types";
import { allocateOnce, Allocator } from "./allocator";
import type { Floats, KernelOps, Operand } from "./kernel-ops";
import { at } from "./kernel-ops";
import type { Network } from "./network";
import { CellMode, NetworkSpec, Padding } from "./spec";
import { ThetaLayout, ThetaRange, thetaLayout } from "./theta-layout";

export interface BatchResult {
  /** mean cross-entropy over the batch (PyTorch's CrossEntropyLoss) */
  loss: number;
  /** strings classified correctly */
  correct: number;
}

/** The largest batch an engine is laid out for. */
export interface Capacity { batch: number; steps: number }

/** The buffers EngineBase holds: θ, its gradient, mask and Adam moments; the head's logits and their gradient; the batch's tokens and the rows the head reads. */
export interface BaseBuffers {
  theta: Floats; grad: Floats; mask: Floats; adamM: Floats; adamV: Floats;
  logits: Floats; dLogits: Floats;
  tokens: Int32Array; finalIdx: Int32Array;
}

/**
 * Every buffer of an engine from ONE reserve of the backend: the base's, then the
 * subclass's `workspace` (which must only allocate: allocateOnce runs it twice, counting
 * then for real). A subclass calls this before `super` and passes the base its buffers.
 */
export function allocateEngine<W>(ops: KernelOps, spec: NetworkSpec, capacity: Capacity, workspace: (a: Allocator) => W): { base: BaseBuffers; workspace: W } {
  const P = thetaLayout(spec).size, BC = capacity.batch * spec.classes;
  return allocateOnce(ops, (a) => ({
    base: {
      theta: a.floats(P), grad: a.floats(P), mask: a.floats(P), adamM: a.floats(P), adamV: a.floats(P),
      logits: a.floats(BC), dLogits: a.floats(BC),
      tokens: a.ints(capacity.batch * capacity.steps), finalIdx: a.ints(capacity.batch),
    },
    workspace: workspace(a),
  }));
}

export abstract class EngineBase {
  /** how the subclass lays out sequences: row-major (engine.ts) or feature-major (column-engine.ts) */
  abstract readonly layout: "rows" | "columns";
  readonly ops: KernelOps;
  readonly mode: CellMode;
  /** where each of Network.parameterArrays() sits in θ, its gradient and its mask */
  readonly thetaLayout: ThetaLayout;
  readonly parameterCount: number;
  readonly theta: Floats;
  readonly grad: Floats;
  protected readonly mask: Floats;
  private readonly adamM: Floats;
  private readonly adamV: Floats;
  private adamStep = 0;
  /** θ and its gradient at every array of θ (by ThetaRange.index), naming the matrix */
  private readonly thetaOperands: Operand[];
  private readonly gradOperands: Operand[];
  /** embedding size (= first layer's size), classes, last layer's size */
  protected readonly E: number;
  protected readonly C: number;
  protected readonly top: number;
  protected readonly maxBatch: number;
  protected readonly maxSteps: number;

  // schedule of the current batch (see `schedule`)
  protected readonly rowsAt: Int32Array;
  protected readonly offAt: Int32Array;
  protected readonly order: Int32Array;
  protected readonly labels: Uint8Array;
  /** the batch's tokens, time-major packed rows */
  protected readonly tokens: Int32Array;
  /** per string (schedule order): the row of its output the head reads */
  protected readonly finalIdx: Int32Array;
  protected readonly logits: Floats;
  protected readonly dLogits: Floats;
  protected B = 0;
  protected T = 0;
  protected R = 0;
  protected packed = false;

  /** `buffers`: the base's part of allocateEngine. */
  protected constructor(net: Network, ops: KernelOps, capacity: Capacity, buffers: BaseBuffers) {
    this.ops = ops;
    const spec = net.spec;
    this.mode = spec.mode;
    this.E = spec.layers[0].size;
    this.C = spec.classes;
    this.top = spec.layers[spec.layers.length - 1].size;
    this.maxBatch = capacity.batch;
    this.maxSteps = capacity.steps;

    const theta = thetaLayout(spec);
    this.thetaLayout = theta;
    this.parameterCount = theta.size;
    this.theta = buffers.theta; this.grad = buffers.grad; this.mask = buffers.mask; this.adamM = buffers.adamM; this.adamV = buffers.adamV;
    this.logits = buffers.logits; this.dLogits = buffers.dLogits; this.tokens = buffers.tokens; this.finalIdx = buffers.finalIdx;
    this.thetaOperands = theta.arrays.map((r) => ({ data: this.theta, offset: r.offset, matrix: r.index }));
    this.gradOperands = theta.arrays.map((r) => ({ data: this.grad, offset: r.offset, matrix: r.index }));
    this.mask.fill(1); // the blocks' weights are masked in loadParameters, the rest never
    ops.bindParameters?.({ matrices: theta.arrays }, this.mask);
    this.loadParameters(net);

    this.rowsAt = new Int32Array(capacity.steps);
    this.offAt = new Int32Array(capacity.steps + 1);
    this.order = new Int32Array(capacity.batch);
    this.labels = new Uint8Array(capacity.batch);
  }

  /** θ at one of its arrays (an operand naming the matrix, for backends that skip pruned weights). */
  protected thetaAt(r: ThetaRange): Operand {
    return this.thetaOperands[r.index];
  }

  /** The gradient at one of θ's arrays. */
  protected gradAt(r: ThetaRange): Operand {
    return this.gradOperands[r.index];
  }

  /** Forward pass of the scheduled batch; leaves the logits in `logits`. */
  protected abstract forward(): void;
  /** Backpropagation of `dLogits` into `grad` (before masking). */
  protected abstract backward(): void;

  /** Whether a batch of this shape fits the workspace. */
  fits(batch: Batch): boolean {
    return batch.size <= this.maxBatch && batch.steps <= this.maxSteps;
  }

  /** Copy the network's weights and masks into θ (masked weights forced to zero); tell the backend which blocks' masks changed. */
  loadParameters(net: Network): void {
    const ranges = this.thetaLayout.arrays, arrays = net.parameterArrays();
    if (arrays.length !== ranges.length || arrays.some((a, i) => a.length !== ranges[i].length)) {
      throw new Error(`loadParameters: the network's parameter arrays (${arrays.map((a) => a.length).join(", ")}) are not this engine's (${ranges.map((r) => r.length).join(", ")})`);
    }
    arrays.forEach((a, i) => this.theta.set(a, ranges[i].offset));
    net.blocks.forEach((b, i) => {
      const t = this.thetaLayout.blocks[i];
      const ih = this.copyMask(b.maskIH, t.wIH.offset), hh = this.copyMask(b.maskHH, t.wHH.offset);
      if (ih || hh) this.ops.maskChanged?.(i);
    });
    this.ops.multiply(this.parameterCount, at(this.mask), at(this.theta));
  }

  /** mask[offset …] = source (0/1); whether an entry changed. */
  private copyMask(source: Uint8Array, offset: number): boolean {
    let changed = false;
    for (let j = 0; j < source.length; j++) {
      const value = source[j] ? 1 : 0;
      if (this.mask[offset + j] !== value) { this.mask[offset + j] = value; changed = true; }
    }
    return changed;
  }

  /** Copy θ back into the network. */
  storeParameters(net: Network): void {
    const ranges = this.thetaLayout.arrays;
    net.parameterArrays().forEach((a, i) => a.set(this.theta.subarray(ranges[i].offset, ranges[i].offset + a.length)));
  }

  /** Views of the gradient in Network.parameterArrays() order (valid until the next batch). */
  gradientArrays(net: Network): Floats[] {
    const ranges = this.thetaLayout.arrays;
    return net.parameterArrays().map((a, i) => this.grad.subarray(ranges[i].offset, ranges[i].offset + a.length) as Floats);
  }

  /** Adam's step count and moments, for checkpoints. */
  exportOptimizer(): { step: number; m: number[]; v: number[] } {
    return { step: this.adamStep, m: Array.from(this.adamM), v: Array.from(this.adamV) };
  }

  /** Restore what exportOptimizer returned (same network shape). */
  importOptimizer(state: { step: number; m: number[]; v: number[] }): void {
    if (state.m.length !== this.parameterCount || state.v.length !== this.parameterCount) {
      throw new Error(`importOptimizer: moments have ${state.m.length}/${state.v.length} entries, the network has ${this.parameterCount} parameters`);
    }
    this.adamStep = state.step;
    this.adamM.set(state.m);
    this.adamV.set(state.v);
  }

  /** Forget the Adam moments and step count (a fresh optimizer). */
  resetOptimizer(): void {
    this.adamM.fill(0);
    this.adamV.fill(0);
    this.adamStep = 0;
  }

  /**
   * Order the batch's strings and lay out the packed time-major schedule:
   * post → every step has all B rows, the head reads step T−1;
   * packed → strings sorted by length descending, rows_t = #{len > t}, the head
   * reads each string at its true last step.
   */
  private schedule(batch: Batch, padding: Padding): void {
    if (!this.fits(batch)) throw new Error(`Engine: batch ${batch.size}×${batch.steps} exceeds the workspace ${this.maxBatch}×${this.maxSteps}`);
    const B = batch.size, order = this.order;
    for (let b = 0; b < B; b++) order[b] = b;
    let T = batch.steps;
    if (padding === "packed") {
      const len = batch.lengths;
      // insertion sort, stable, descending by length (B ≤ a few hundred)
      for (let i = 1; i < B; i++) {
        const v = order[i];
        let j = i - 1;
        while (j >= 0 && len[order[j]] < len[v]) { order[j + 1] = order[j]; j--; }
        order[j + 1] = v;
      }
      T = len[order[0]];
      for (let t = 0; t < T; t++) {
        let n = 0;
        while (n < B && len[order[n]] > t) n++;
        this.rowsAt[t] = n;
      }
    } else if (padding === "post") {
      for (let t = 0; t < T; t++) this.rowsAt[t] = B;
    } else {
      throw new Error(`Engine: unknown padding ${JSON.stringify(padding)}; expected "post" or "packed"`);
    }
    this.offAt[0] = 0;
    for (let t = 0; t < T; t++) this.offAt[t + 1] = this.offAt[t] + this.rowsAt[t];
    this.B = B; this.T = T; this.R = this.offAt[T]; this.packed = padding === "packed";
    const steps = batch.steps;
    for (let t = 0; t < T; t++) {
      const o = this.offAt[t];
      for (let r = 0; r < this.rowsAt[t]; r++) this.tokens[o + r] = batch.tokens[order[r] * steps + t];
    }
    for (let r = 0; r < B; r++) {
      const last = padding === "packed" ? batch.lengths[order[r]] - 1 : T - 1;
      this.finalIdx[r] = this.offAt[last] + r;
      this.labels[r] = batch.labels[order[r]];
    }
  }

  /** Softmax cross-entropy averaged over the batch; dLogits = (softmax − onehot)/B. */
  private crossEntropy(withGradient: boolean): BatchResult {
    const B = this.B, C = this.C, z = this.logits, dz = this.dLogits;
    let loss = 0, correct = 0;
    for (let r = 0; r < B; r++) {
      const o = r * C;
      let max = -Infinity, arg = 0;
      for (let j = 0; j < C; j++) if (z[o + j] > max) { max = z[o + j]; arg = j; }
      let sum = 0;
      for (let j = 0; j < C; j++) sum += Math.exp(z[o + j] - max);
      const y = this.labels[r];
      loss += Math.log(sum) + max - z[o + y];
      if (arg === y) correct++;
      if (withGradient) for (let j = 0; j < C; j++) dz[o + j] = (Math.exp(z[o + j] - max) / sum - (j === y ? 1 : 0)) / B;
    }
    return { loss: loss / B, correct };
  }

  private run(batch: Batch, padding: Padding, withGradient: boolean): BatchResult {
    this.schedule(batch, padding);
    this.forward();
    return this.crossEntropy(withGradient);
  }

  /** Loss and gradient of one batch (gradient in `grad`, flat θ order). */
  lossAndGradient(batch: Batch, padding: Padding): BatchResult {
    const result = this.run(batch, padding, true);
    if (Number.isFinite(result.loss)) {
      this.backward();
      this.ops.multiply(this.parameterCount, at(this.mask), at(this.grad)); // masked weights get no gradient
      this.ops.gradientMasked?.();
    }
    return result;
  }

  /**
   * Loss and the DENSE gradient of one batch, for growth criteria of dynamic sparse training (RigL):
   * every recurrent mask is opened for this one pass, so the gradient's masked entries hold ∂L/∂w at
   * w = 0 instead of 0. θ's masked entries are zeroed first (Adam's momentum may have moved them since
   * the last load), so the loss is the masked network's. The masks are restored afterwards; both
   * changes go through the seam (maskChanged), so a sparse backend runs this pass dense and rebuilds
   * the masked blocks' patterns on its next use. Adam's state is untouched; the gradient is not clipped.
   */
  denseLossAndGradient(batch: Batch, padding: Padding): BatchResult {
    this.ops.multiply(this.parameterCount, at(this.mask), at(this.theta));
    const saved = this.mask.slice();
    const opened: number[] = [];
    this.thetaLayout.blocks.forEach(({ masked }, block) => {
      const from = masked.offset, to = masked.offset + masked.length; // W_ih, then W_hh
      let dense = true;
      for (let i = from; i < to && dense; i++) dense = this.mask[i] === 1;
      if (dense) return;
      this.mask.fill(1, from, to);
      this.ops.maskChanged?.(block);
      opened.push(block);
    });
    const result = this.run(batch, padding, true);
    if (Number.isFinite(result.loss)) this.backward();
    this.mask.set(saved);
    for (const block of opened) this.ops.maskChanged?.(block);
    return result;
  }

  /** Loss and accuracy of one batch, no gradient. */
  evaluateBatch(batch: Batch, padding: Padding): BatchResult {
    return this.run(batch, padding, false);
  }

  /** Forward one batch and write P(class 1 = valid) per string, in the batch's order, into out[outOff …]. */
  predictBatch(batch: Batch, padding: Padding, out: Float64Array, outOff: number): void {
    this.run(batch, padding, false);
    const C = this.C, z = this.logits;
    for (let r = 0; r < this.B; r++) {
      let max = -Infinity;
      for (let j = 0; j < C; j++) max = Math.max(max, z[r * C + j]);
      let sum = 0;
      for (let j = 0; j < C; j++) sum += Math.exp(z[r * C + j] - max);
      out[outOff + this.order[r]] = Math.exp(z[r * C + 1] - max) / sum;
    }
  }

  /** Logits of the last forward pass, rows in the batch's order (copies; for tests and interop). */
  lastLogits(): Float64Array {
    const out = new Float64Array(this.B * this.C);
    for (let r = 0; r < this.B; r++) for (let j = 0; j < this.C; j++) out[this.order[r] * this.C + j] = this.logits[r * this.C + j];
    return out;
  }

  /** Global gradient L2 norm. */
  gradientNorm(): number {
    return Math.sqrt(this.ops.sumSquares(this.parameterCount, at(this.grad)));
  }

  /**
   * Clip the gradient to global norm `clip` (torch.nn.utils.clip_grad_norm_:
   * scale = min(1, clip / (norm + 1e-6))) and take one Adam step (PyTorch semantics).
   */
  step(options: { lr: number; clip: number; beta1?: number; beta2?: number; eps?: number }): void {
    const norm = this.gradientNorm();
    const scale = Math.min(1, options.clip / (norm + 1e-6));
    this.adamStep++;
    this.ops.adam({
      n: this.parameterCount, theta: this.theta, grad: this.grad, m: this.adamM, v: this.adamV,
      lr: options.lr, beta1: options.beta1 ?? 0.9, beta2: options.beta2 ?? 0.999, eps: options.eps ?? 1e-8, step: this.adamStep, gradScale: scale,
    });
  }
}
