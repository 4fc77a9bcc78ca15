/**
 * The fused engine: forward pass and backpropagation through time of a masked
 * recurrent network over one batch, plus the clipped Adam step. All arithmetic goes
 * through KernelOps (plain JS or wasm SIMD); this file only orchestrates.
 *
 * Memory: one flat parameter vector θ (per block wIH, wHH, bIH, bHH; then embedding,
 * headW, headB) with its gradient, 0/1 mask and Adam moments, plus a workspace sized
 * for the largest batch shape, all from ONE `reserve` of the backend. Sequence
 * buffers are time-major and packed (see kernel-ops.ts): step t holds rows_t rows
 * from row off_t. Nothing is allocated per batch except the schedule bookkeeping.
 */
import type { Batch } from "../data/types";
import type { Floats, KernelOps } from "./kernel-ops";
import type { Network } from "./network";
import { FusionPlan, PhysicalBlock, planFusion } from "./fusion";
import { CellMode, GATES, Padding } from "./spec";

/**
 * Fused blocks (fusion.ts) pay off only while they fit one SIMD vector (4 floats):
 * on the random-structure GRU (wasm, batch 128) fusing blocks of 1–2 units into
 * blocks of ≤ 4 saved ~5 % per epoch, while limits of 8–40 were 5–50 % SLOWER than
 * no fusion — the zero blocks of the block-diagonal W_hh and the m-fold wider
 * input and weight-gradient products cost more than the kernel calls saved.
 */
const DEFAULT_FUSED_HIDDEN = 4;

/**
 * GRU blocks up to this hidden size run each time step as ONE kernel call
 * (KernelOps.gruStepForward / gruStepBackward, when the backend has them) instead
 * of a recurrent gemm, a bias add and the cell: at a few units the separate calls
 * cost more in overhead and packing than their arithmetic.
 */
const STEP_HIDDEN = 8;

/** Biases of narrow blocks are added and their gradients summed over bands of rows this many floats wide (addBias, biasGradient). */
const BAND_WIDTH = 64;

export interface EngineOptions {
  /** largest hidden size of a fused block (fusion.ts); 0 steps every logical block alone */
  maxFusedHidden?: number;
}

/** A physical block (fusion.ts) with its parameter buffers and workspace. */
interface BlockPlan extends PhysicalBlock {
  /** where its parameters and their gradients live: θ / grad, or the physical buffers */
  params: Floats; grads: Floats;
  /** fused: the s × H matrix [I I … I] that sums the members' slices of h into the layer's output */
  sum: Floats;
  /**
   * h holds `base` = maxBatch·hidden zeros, then the output sequence: with padding
   * "post" the rows before h_t are exactly h_{t−1} (zeros before h_0), so the
   * recurrent products read h directly; "packed" copies the first rows_t rows of
   * h_{t−1} into hPrev (a packed sequence aligned with the gates) instead.
   */
  base: number;
  gi: Floats; gh: Floats; h: Floats; hPrev: Floats; c: Floats;
}

export interface BatchResult {
  /** mean cross-entropy over the batch (PyTorch's CrossEntropyLoss) */
  loss: number;
  /** strings classified correctly */
  correct: number;
}

export class Engine {
  readonly ops: KernelOps;
  readonly mode: CellMode;
  readonly parameterCount: number;
  private readonly L: number;
  /** layer sizes */
  private readonly sizes: number[];
  private readonly G: number;
  private readonly E: number;
  private readonly C: number;
  private readonly top: number;
  /** per layer: its physical blocks */
  private readonly blocks: BlockPlan[][];
  private readonly fusion: FusionPlan;
  private readonly physTheta: Floats;
  private readonly physGrad: Floats;
  private readonly paramOffsets: number[];
  private readonly embOff: number;
  private readonly headWOff: number;
  private readonly headBOff: number;

  readonly theta: Floats;
  readonly grad: Floats;
  private readonly mask: Floats;
  private readonly adamM: Floats;
  private readonly adamV: Floats;
  private adamStep = 0;

  private readonly maxBatch: number;
  private readonly maxSteps: number;
  /** per layer: output sequence (the lone block's h, or a sum buffer) and its zero-row prefix */
  private readonly out: Floats[];
  private readonly outBase: number[];
  private readonly dOut: Floats[];
  private readonly x0: Floats;
  private readonly dX0: Floats;
  private readonly dGi: Floats;
  private readonly dGh: Floats;
  private readonly dh: Floats;
  /** ∂L/∂h sequence of a fused block (its layer's ∂L/∂out copied to every member's slice) */
  private readonly dHSeq: Floats;
  /** BAND_WIDTH floats of scratch: the repeated bias (addBias), partial bias-gradient sums (biasGradient) */
  private readonly bands: Floats;
  private readonly dc: Floats;
  private readonly zeros: Floats;
  private readonly final: Floats;
  private readonly dFinal: Floats;
  private readonly logits: Floats;
  private readonly dLogits: Floats;
  private readonly tokens: Int32Array;
  private readonly finalIdx: Int32Array;

  // schedule of the current batch (JS side, reused)
  private readonly rowsAt: Int32Array;
  private readonly offAt: Int32Array;
  private readonly order: Int32Array;
  private readonly labels: Uint8Array;
  private B = 0;
  private T = 0;
  private R = 0;
  private packed = false;

  constructor(net: Network, ops: KernelOps, capacity: { batch: number; steps: number }, options: EngineOptions = {}) {
    this.ops = ops;
    const spec = net.spec;
    this.mode = spec.mode;
    this.L = spec.layers.length;
    this.sizes = spec.layers.map((layer) => layer.size);
    this.G = GATES[spec.mode];
    this.E = spec.layers[0].size;
    this.C = spec.classes;
    this.top = spec.layers[this.L - 1].size;
    this.maxBatch = capacity.batch;
    this.maxSteps = capacity.steps;
    const R = capacity.batch * capacity.steps;
    const G = this.G;
    const isLSTM = spec.mode === "LSTM";

    // ---- sizes, then one reserve ----
    const arrays = net.parameterArrays();
    this.paramOffsets = [];
    let P = 0;
    for (const a of arrays) { this.paramOffsets.push(P); P += a.length; }
    this.parameterCount = P;
    const nb = net.blocks.length;
    this.embOff = this.paramOffsets[4 * nb];
    this.headWOff = this.paramOffsets[4 * nb + 1];
    this.headBOff = this.paramOffsets[4 * nb + 2];
    const maxFused = options.maxFusedHidden ?? DEFAULT_FUSED_HIDDEN;
    if (!(Number.isInteger(maxFused) && maxFused >= 0)) throw new Error(`Engine: maxFusedHidden must be a non-negative integer, got ${maxFused}`);
    this.fusion = planFusion(spec, this.paramOffsets, maxFused);
    const physical = this.fusion.layers.flat();
    const shared = (l: number) => this.fusion.layers[l].length === 1 && !this.fusion.layers[l][0].fused;
    let maxGH = 0, maxH = 0, work = 2 * this.fusion.physicalSize;
    for (const b of physical) {
      maxGH = Math.max(maxGH, G * b.hidden);
      maxH = Math.max(maxH, b.hidden);
      work += R * (2 * G * b.hidden + 2 * b.hidden + (isLSTM ? b.hidden : 0)) + capacity.batch * b.hidden + (b.fused ? b.unit * b.hidden : 0);
    }
    spec.layers.forEach((layer, l) => { work += R * layer.size + (shared(l) ? 0 : (R + capacity.batch) * layer.size); });
    work += 2 * R * this.E + R * maxGH * (spec.mode === "GRU" ? 2 : 1) + 3 * capacity.batch * maxH + R * maxH + BAND_WIDTH;
    work += 2 * capacity.batch * this.top + 2 * capacity.batch * this.C;
    ops.reserve(5 * P + work, R + capacity.batch);

    // ---- parameters ----
    this.theta = ops.alloc(P);
    this.grad = ops.alloc(P);
    this.mask = ops.alloc(P);
    this.adamM = ops.alloc(P);
    this.adamV = ops.alloc(P);
    this.loadParameters(net);

    // ---- workspace ----
    const dummy = ops.alloc(0);
    this.physTheta = ops.alloc(this.fusion.physicalSize);
    this.physGrad = ops.alloc(this.fusion.physicalSize);
    this.blocks = this.fusion.layers.map((layer) => layer.map((b) => {
      const H = b.hidden;
      const sum = b.fused ? ops.alloc(b.unit * H) : dummy;
      for (let u = 0; u < b.unit; u++) for (let j = 0; j < b.members.length; j++) sum[u * H + j * b.unit + u] = 1;
      return {
        ...b,
        params: b.fused ? this.physTheta : this.theta, grads: b.fused ? this.physGrad : this.grad, sum,
        gi: ops.alloc(R * G * H), gh: ops.alloc(R * G * H),
        base: capacity.batch * H,
        h: ops.alloc((R + capacity.batch) * H), hPrev: ops.alloc(R * H),
        c: isLSTM ? ops.alloc(R * H) : dummy,
      };
    }));
    // a layer's output sequence: its lone block's h, or the sum of its blocks' outputs in a buffer of the same layout
    this.out = spec.layers.map((layer, l) => (shared(l) ? this.blocks[l][0].h : ops.alloc((R + capacity.batch) * layer.size)));
    this.outBase = spec.layers.map((layer) => capacity.batch * layer.size);
    this.dOut = spec.layers.map((layer) => ops.alloc(R * layer.size));
    this.x0 = ops.alloc(R * this.E);
    this.dX0 = ops.alloc(R * this.E);
    this.dGi = ops.alloc(R * maxGH);
    this.dGh = spec.mode === "GRU" ? ops.alloc(R * maxGH) : this.dGi;
    this.dh = ops.alloc(capacity.batch * maxH);
    this.dHSeq = ops.alloc(R * maxH);
    this.bands = ops.alloc(BAND_WIDTH);
    this.dc = ops.alloc(capacity.batch * maxH);
    this.zeros = ops.alloc(capacity.batch * maxH);
    this.final = ops.alloc(capacity.batch * this.top);
    this.dFinal = ops.alloc(capacity.batch * this.top);
    this.logits = ops.alloc(capacity.batch * this.C);
    this.dLogits = ops.alloc(capacity.batch * this.C);
    this.tokens = ops.allocInt(R);
    this.finalIdx = ops.allocInt(capacity.batch);

    this.rowsAt = new Int32Array(capacity.steps);
    this.offAt = new Int32Array(capacity.steps + 1);
    this.order = new Int32Array(capacity.batch);
    this.labels = new Uint8Array(capacity.batch);
  }

  /** Whether a batch of this shape fits the workspace. */
  fits(batch: Batch): boolean {
    return batch.size <= this.maxBatch && batch.steps <= this.maxSteps;
  }

  /** Copy the network's weights and masks into θ (masked weights forced to zero). */
  loadParameters(net: Network): void {
    const arrays = net.parameterArrays();
    arrays.forEach((a, i) => this.theta.set(a, this.paramOffsets[i]));
    this.mask.fill(1);
    net.blocks.forEach((b, i) => {
      const ih = this.paramOffsets[4 * i], hh = this.paramOffsets[4 * i + 1];
      for (let j = 0; j < b.maskIH.length; j++) if (!b.maskIH[j]) this.mask[ih + j] = 0;
      for (let j = 0; j < b.maskHH.length; j++) if (!b.maskHH[j]) this.mask[hh + j] = 0;
    });
    this.ops.multiply(this.parameterCount, this.mask, 0, this.theta, 0);
  }

  /** Copy θ back into the network. */
  storeParameters(net: Network): void {
    net.parameterArrays().forEach((a, i) => a.set(this.theta.subarray(this.paramOffsets[i], this.paramOffsets[i] + a.length)));
  }

  /** Views of the gradient in Network.parameterArrays() order (valid until the next batch). */
  gradientArrays(net: Network): Floats[] {
    return net.parameterArrays().map((a, i) => this.grad.subarray(this.paramOffsets[i], this.paramOffsets[i] + a.length) as Floats);
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

  // ---------------------------------------------------------------- schedule

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

  // ----------------------------------------------------------------- forward

  /** Where step t reads h_{t−1}: [buffer, offset] (see BlockPlan.base). */
  private prevRows(p: BlockPlan, t: number): [Floats, number] {
    return this.packed ? [p.hPrev, this.offAt[t] * p.hidden] : [p.h, p.base + (this.offAt[t] - this.B) * p.hidden];
  }

  /** A member's input sequence: [buffer, offset of its first step]. */
  private input(source: number): [Floats, number] {
    return source < 0 ? [this.x0, 0] : [this.out[source], this.outBase[source]];
  }

  private blockForward(p: BlockPlan): void {
    const ops = this.ops, th = p.params;
    const H = p.hidden, GH = this.G * H;
    p.members.forEach((m, j) => {
      const [X, xOff] = this.input(m.source);
      ops.gemmNT(this.R, GH, m.inputSize, X, th, p.gi, j > 0, xOff, m.wIH, 0);
    });
    // only GRU uses b_hh apart from b_ih (inside r∘(W_hn·h + b_hn)); the other cells see gi + gh, so b_hh joins b_ih here
    const gru = this.mode === "GRU";
    this.addBias(GH, th, p.bIH, p.gi, gru ? -1 : p.bHH);
    const wholeStep = gru && H <= STEP_HIDDEN && ops.gruStepForward !== undefined;
    for (let t = 0; t < this.T; t++) {
      const n = this.rowsAt[t], o = this.offAt[t];
      const [hPrev, hPrevOff] = this.prevRows(p, t);
      if (wholeStep) {
        if (this.packed) {
          if (t === 0) ops.fill(n * H, 0, p.hPrev, 0);
          else ops.copy(n * H, p.h, p.base + this.offAt[t - 1] * H, p.hPrev, o * H);
        }
        ops.gruStepForward!(n, H, p.gi, o * GH, p.gh, o * GH, hPrev, hPrevOff, th, p.wHH, th, p.bHH, p.h, p.base + o * H);
        continue;
      }
      if (t === 0) {
        if (this.packed) ops.fill(n * H, 0, p.hPrev, 0);
        ops.fill(n * GH, 0, p.gh, 0); // h₀ = 0
      } else {
        if (this.packed) ops.copy(n * H, p.h, p.base + this.offAt[t - 1] * H, p.hPrev, o * H);
        ops.gemmNT(n, GH, H, hPrev, th, p.gh, false, hPrevOff, p.wHH, o * GH);
      }
      if (gru) ops.addRowVector(n, GH, th, p.bHH, p.gh, o * GH);
      const cPrev = t === 0 ? this.zeros : p.c, cPrevOff = t === 0 ? 0 : this.offAt[t - 1] * H;
      ops.cellForward(this.mode, n, H, p.gi, o * GH, p.gh, o * GH, hPrev, hPrevOff, cPrev, cPrevOff, p.h, p.base + o * H, p.c, o * H);
    }
  }

  /**
   * c[r·cols + j] += bias[biasOff + j] (+ bias[bias2Off + j] unless bias2Off < 0) over
   * the batch's R rows. Narrow rows are slow one by one (wasm walks a row per
   * iteration), so the bias is repeated q times and added to R/q rows of q·cols
   * floats (plus the R mod q leftover rows).
   */
  private addBias(cols: number, bias: Floats, biasOff: number, c: Floats, bias2Off: number): void {
    const ops = this.ops, R = this.R, q = Math.floor(BAND_WIDTH / cols);
    if (q < 2) {
      ops.addRowVector(R, cols, bias, biasOff, c, 0);
      if (bias2Off >= 0) ops.addRowVector(R, cols, bias, bias2Off, c, 0);
      return;
    }
    const band = this.bands;
    for (let j = 0; j < cols; j++) band[j] = bias[biasOff + j] + (bias2Off >= 0 ? bias[bias2Off + j] : 0);
    for (let i = 1; i < q; i++) for (let j = 0; j < cols; j++) band[i * cols + j] = band[j];
    const bands = Math.floor(R / q), rest = R - bands * q;
    ops.addRowVector(bands, q * cols, band, 0, c, 0);
    if (rest > 0) ops.addRowVector(rest, cols, band, 0, c, bands * q * cols);
  }

  /** Forward pass; leaves logits in the workspace and returns loss and correct count. */
  private forward(batch: Batch, padding: Padding, withGradient: boolean): BatchResult {
    this.schedule(batch, padding);
    const ops = this.ops;
    const from = this.fusion.fromLogical, to = this.fusion.toPhysical, th = this.theta, phys = this.physTheta;
    for (let i = 0; i < from.length; i++) phys[to[i]] = th[from[i]];
    ops.gatherRows(this.R, this.E, this.theta, this.embOff, this.tokens, 0, this.x0, 0);
    for (let l = 0; l < this.L; l++) {
      const blocks = this.blocks[l], out = this.out[l], outOff = this.outBase[l], n = this.R * this.sizes[l];
      blocks.forEach((p, i) => {
        this.blockForward(p);
        if (p.h === out) return;
        // the layer's output: Σ of its blocks' outputs (a fused block's members summed by a product with [I I … I])
        if (p.fused) ops.gemmNT(this.R, p.unit, p.hidden, p.h, p.sum, out, i > 0, p.base, 0, outOff);
        else if (i === 0) ops.copy(n, p.h, p.base, out, outOff);
        else ops.add(n, p.h, p.base, out, outOff);
      });
    }
    const B = this.B, C = this.C;
    ops.gatherRows(B, this.top, this.out[this.L - 1], this.outBase[this.L - 1], this.finalIdx, 0, this.final, 0);
    ops.gemmNT(B, C, this.top, this.final, this.theta, this.logits, false, 0, this.headWOff, 0);
    ops.addRowVector(B, C, this.theta, this.headBOff, this.logits, 0);
    return this.crossEntropy(withGradient);
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

  // ---------------------------------------------------------------- backward

  /** BPTT of one physical block: dOutSeq is ∂L/∂(its h sequence); adds ∂L/∂(each member's input) into its source's dOut. */
  private blockBackward(p: BlockPlan, dOutSeq: Floats): void {
    const ops = this.ops, th = p.params, g = p.grads;
    const H = p.hidden, GH = this.G * H, R = this.R;
    ops.fill(this.B * H, 0, this.dh, 0);
    ops.fill(this.B * H, 0, this.dc, 0);
    const wholeStep = this.mode === "GRU" && H <= STEP_HIDDEN && ops.gruStepBackward !== undefined;
    for (let t = this.T - 1; t >= 0; t--) {
      const n = this.rowsAt[t], o = this.offAt[t];
      ops.add(n * H, dOutSeq, o * H, this.dh, 0);
      if (wholeStep) {
        // at t = 0 the product with W_hh lands in dh unused (no step −1): one call either way
        const [hPrev, hPrevOff] = this.prevRows(p, t);
        ops.gruStepBackward!(n, H, p.gi, o * GH, p.gh, o * GH, hPrev, hPrevOff, th, p.wHH, this.dh, 0, this.dGi, o * GH, this.dGh, o * GH);
        continue;
      }
      const cPrev = t === 0 ? this.zeros : p.c, cPrevOff = t === 0 ? 0 : this.offAt[t - 1] * H;
      const [hPrev, hPrevOff] = this.prevRows(p, t);
      ops.cellBackward(this.mode, n, H, p.gi, o * GH, p.gh, o * GH, hPrev, hPrevOff, p.h, p.base + o * H,
        cPrev, cPrevOff, p.c, o * H, this.dh, 0, this.dc, 0, this.dGi, o * GH, this.dGh, o * GH);
      if (t > 0) ops.gemmNN(n, H, GH, this.dGh, th, this.dh, true, o * GH, p.wHH, 0);
    }
    // weight gradients over all steps at once
    const [hPrevSeq, hPrevSeqOff] = this.prevRows(p, 0); // all steps' h_{t−1}, contiguous
    ops.gemmTN(GH, H, R, this.dGh, hPrevSeq, g, false, 0, hPrevSeqOff, p.wHH);
    this.biasGradient(GH, this.dGi, g, p.bIH);
    if (this.mode === "GRU") this.biasGradient(GH, this.dGh, g, p.bHH);
    else ops.copy(GH, g, p.bIH, g, p.bHH); // ∂L/∂b_hh = ∂L/∂b_ih: both enter as gi + gh
    for (const m of p.members) {
      const [X, xOff] = this.input(m.source);
      ops.gemmTN(GH, m.inputSize, R, this.dGi, X, g, false, 0, xOff, m.wIH);
      if (m.source < 0) ops.gemmNN(R, m.inputSize, GH, this.dGi, th, this.dX0, false, 0, m.wIH, 0);
      else ops.gemmNN(R, m.inputSize, GH, this.dGi, th, this.dOut[m.source], true, 0, m.wIH, 0);
    }
  }

  /**
   * out[outOff …] = column sums of the R × cols gate gradients. A tall narrow sum is
   * slow row by row (every row adds into the same few floats), so rows are first
   * summed in bands of q rows read as R/q rows of q·cols floats, then the q partial
   * sums are added up (plus the R mod q leftover rows).
   */
  private biasGradient(cols: number, a: Floats, out: Floats, outOff: number): void {
    const ops = this.ops, R = this.R, q = Math.floor(BAND_WIDTH / cols);
    if (q < 2) { ops.colSums(R, cols, a, 0, out, outOff, false); return; }
    const bands = Math.floor(R / q), rest = R - bands * q;
    ops.colSums(bands, q * cols, a, 0, this.bands, 0, false);
    ops.colSums(q, cols, this.bands, 0, out, outOff, false);
    if (rest > 0) ops.colSums(rest, cols, a, bands * q * cols, out, outOff, true);
  }

  private backward(): void {
    const ops = this.ops, B = this.B, C = this.C, g = this.grad;
    ops.gemmTN(C, this.top, B, this.dLogits, this.final, g, false, 0, 0, this.headWOff);
    ops.colSums(B, C, this.dLogits, 0, g, this.headBOff, false);
    ops.gemmNN(B, this.top, C, this.dLogits, this.theta, this.dFinal, false, 0, this.headWOff, 0);
    for (let l = 0; l < this.L; l++) ops.fill(this.R * this.sizes[l], 0, this.dOut[l], 0);
    ops.scatterAddRows(B, this.top, this.dFinal, 0, this.finalIdx, 0, this.dOut[this.L - 1], 0);
    for (let l = this.L - 1; l >= 0; l--) {
      // dOut[l] is complete: every block reading layer l writes a layer above l, handled already
      for (const p of this.blocks[l]) {
        // a fused block's members all see ∂L/∂out: copy it to every slice (product with [I I … I])
        if (p.fused) ops.gemmNN(this.R, p.hidden, p.unit, this.dOut[l], p.sum, this.dHSeq, false, 0, 0, 0);
        this.blockBackward(p, p.fused ? this.dHSeq : this.dOut[l]);
      }
    }
    const from = this.fusion.fromLogical, to = this.fusion.toPhysical, phys = this.physGrad;
    for (let i = 0; i < from.length; i++) g[from[i]] = phys[to[i]];
    const V = this.headWOff - this.embOff;
    ops.fill(V, 0, g, this.embOff);
    ops.scatterAddRows(this.R, this.E, this.dX0, 0, this.tokens, 0, g, this.embOff);
    ops.multiply(this.parameterCount, this.mask, 0, g, 0); // masked weights get no gradient
  }

  // -------------------------------------------------------------- public API

  /** Loss and gradient of one batch (gradient in `grad`, flat θ order). */
  lossAndGradient(batch: Batch, padding: Padding): BatchResult {
    const result = this.forward(batch, padding, true);
    if (Number.isFinite(result.loss)) this.backward();
    return result;
  }

  /** Loss and accuracy of one batch, no gradient. */
  evaluateBatch(batch: Batch, padding: Padding): BatchResult {
    return this.forward(batch, padding, false);
  }

  /** Forward one batch and write P(class 1 = valid) per string, in the batch's order, into out[outOff …]. */
  predictBatch(batch: Batch, padding: Padding, out: Float64Array, outOff: number): void {
    this.forward(batch, padding, false);
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
    return Math.sqrt(this.ops.sumSquares(this.parameterCount, this.grad, 0));
  }

  /**
   * Clip the gradient to global norm `clip` (torch.nn.utils.clip_grad_norm_:
   * scale = min(1, clip / (norm + 1e-6))) and take one Adam step (PyTorch semantics).
   */
  step(options: { lr: number; clip: number; beta1?: number; beta2?: number; eps?: number }): void {
    const norm = this.gradientNorm();
    const scale = Math.min(1, options.clip / (norm + 1e-6));
    this.adamStep++;
    this.ops.adam(this.parameterCount, this.theta, this.grad, this.adamM, this.adamV,
      options.lr, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.eps ?? 1e-8, this.adamStep, scale);
  }
}
