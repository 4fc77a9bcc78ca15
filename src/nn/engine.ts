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
import type { Floats, KernelOps } from "./kernel-ops";
import type { Network } from "./network";
import { Capacity, EngineBase, parameterOffsets, Workspace } from "./engine-base";
import { FusionPlan, PhysicalBlock, planFusion } from "./fusion";
import { GATES, NetworkSpec } from "./spec";

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

export type { BatchResult } from "./engine-base";

/** The row-major engine (see the file comment); EngineBase holds θ, the schedule, the loss and Adam. */
export class Engine extends EngineBase {
  readonly layout = "rows";
  private readonly L: number;
  /** layer sizes */
  private readonly sizes: number[];
  private readonly G: number;
  /** per layer: its physical blocks */
  private readonly blocks: BlockPlan[][];
  private readonly fusion: FusionPlan;
  private readonly physTheta: Floats;
  private readonly physGrad: Floats;
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

  constructor(net: Network, ops: KernelOps, capacity: Capacity, options: EngineOptions = {}) {
    const maxFused = options.maxFusedHidden ?? DEFAULT_FUSED_HIDDEN;
    if (!(Number.isInteger(maxFused) && maxFused >= 0)) throw new Error(`Engine: maxFusedHidden must be a non-negative integer, got ${maxFused}`);
    const fusion = planFusion(net.spec, parameterOffsets(net), maxFused);
    super(net, ops, capacity, Engine.workspace(net.spec, fusion, capacity));
    const spec = net.spec;
    this.fusion = fusion;
    this.L = spec.layers.length;
    this.sizes = spec.layers.map((layer) => layer.size);
    this.G = GATES[spec.mode];
    const R = capacity.batch * capacity.steps;
    const G = this.G;
    const isLSTM = spec.mode === "LSTM";
    const physical = fusion.layers.flat();
    const shared = (l: number) => fusion.layers[l].length === 1 && !fusion.layers[l][0].fused;
    const maxGH = Math.max(...physical.map((b) => G * b.hidden)), maxH = Math.max(...physical.map((b) => b.hidden));

    const dummy = ops.alloc(0);
    this.physTheta = ops.alloc(fusion.physicalSize);
    this.physGrad = ops.alloc(fusion.physicalSize);
    this.blocks = fusion.layers.map((layer) => layer.map((b) => {
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
  }

  /** Floats the constructor allocates after EngineBase's own (it must match the allocations above). */
  private static workspace(spec: NetworkSpec, fusion: FusionPlan, capacity: Capacity): Workspace {
    const G = GATES[spec.mode], R = capacity.batch * capacity.steps, isLSTM = spec.mode === "LSTM";
    const shared = (l: number) => fusion.layers[l].length === 1 && !fusion.layers[l][0].fused;
    let maxGH = 0, maxH = 0, work = 2 * fusion.physicalSize;
    for (const b of fusion.layers.flat()) {
      maxGH = Math.max(maxGH, G * b.hidden);
      maxH = Math.max(maxH, b.hidden);
      work += R * (2 * G * b.hidden + 2 * b.hidden + (isLSTM ? b.hidden : 0)) + capacity.batch * b.hidden + (b.fused ? b.unit * b.hidden : 0);
    }
    spec.layers.forEach((layer, l) => { work += R * layer.size + (shared(l) ? 0 : (R + capacity.batch) * layer.size); });
    const top = spec.layers[spec.layers.length - 1].size;
    work += 2 * R * spec.layers[0].size + R * maxGH * (spec.mode === "GRU" ? 2 : 1) + 3 * capacity.batch * maxH + R * maxH + BAND_WIDTH;
    work += 2 * capacity.batch * top;
    return { floats: work, ints: 0 };
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

  /** Forward pass of the scheduled batch; leaves the logits in the workspace. */
  protected forward(): void {
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

  protected backward(): void {
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
  }
}
