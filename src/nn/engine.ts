/**
 * The fused engine: forward pass and backpropagation through time of a masked
 * recurrent network over one batch, plus the clipped Adam step. All arithmetic goes
 * through KernelOps (plain JS or wasm SIMD); this file only orchestrates.
 *
 * Memory: one flat parameter vector θ (theta-layout.ts) with its gradient, 0/1 mask and Adam moments, plus a workspace sized
 * for the largest batch shape, all from ONE `reserve` of the backend, sized by a counting run of the
 * allocation routine itself (allocateWorkspace; allocator.ts). Sequence
 * buffers are time-major and packed (see kernel-ops.ts): step t holds rows_t rows
 * from row off_t. Nothing is allocated per batch except the schedule bookkeeping.
 */
import type { Floats, KernelOps, Operand } from "./kernel-ops";
import { at } from "./kernel-ops";
import type { Network } from "./network";
import type { Allocator } from "./allocator";
import { allocateEngine, Capacity, EngineBase } from "./engine-base";
import { FusionPlan, PhysicalBlock, planFusion } from "./fusion";
import { BlockStep } from "./block-step";
import { GATES, NetworkSpec } from "./spec";
import { ThetaRange, thetaLayout } from "./theta-layout";

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

/** A block's parameters: W_hh, b_ih, b_hh and each member's W_ih. */
interface BlockParameters { wHH: Operand; bIH: Operand; bHH: Operand; wIH: Operand[] }

/** A physical block (fusion.ts) with its workspace. */
interface BlockBuffers extends PhysicalBlock {
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

/** A block ready to run: its parameters, their gradients, and its time step's operands and records (block-step.ts) over its buffers. */
interface BlockPlan extends BlockBuffers {
  /** in θ / grad (a lone block), or in the physical buffers (fused) */
  weights: BlockParameters;
  gradients: BlockParameters;
  step: BlockStep;
}

/** The row-major engine's workspace (allocateEngine runs this twice, counting then for real: it only allocates). */
function allocateWorkspace(a: Allocator, spec: NetworkSpec, fusion: FusionPlan, capacity: Capacity) {
  const R = capacity.batch * capacity.steps, G = GATES[spec.mode], E = spec.layers[0].size, top = spec.layers[spec.layers.length - 1].size;
  const physical = fusion.layers.flat();
  const shared = (l: number) => fusion.layers[l].length === 1 && !fusion.layers[l][0].fused;
  const maxGH = Math.max(...physical.map((b) => G * b.hidden)), maxH = Math.max(...physical.map((b) => b.hidden));
  const dummy = a.floats(0);
  const physTheta = a.floats(fusion.physicalSize), physGrad = a.floats(fusion.physicalSize);
  const blocks = fusion.layers.map((layer) => layer.map((b): BlockBuffers => {
    const H = b.hidden;
    return {
      ...b,
      sum: b.fused ? a.floats(b.unit * H) : dummy,
      gi: a.floats(R * G * H), gh: a.floats(R * G * H),
      base: capacity.batch * H,
      h: a.floats((R + capacity.batch) * H), hPrev: a.floats(R * H),
      c: spec.mode === "LSTM" ? a.floats(R * H) : dummy,
    };
  }));
  // a layer's output sequence: its lone block's h, or the sum of its blocks' outputs in a buffer of the same layout
  const out = spec.layers.map((layer, l) => (shared(l) ? blocks[l][0].h : a.floats((R + capacity.batch) * layer.size)));
  const dOut = spec.layers.map((layer) => a.floats(R * layer.size));
  const x0 = a.floats(R * E), dX0 = a.floats(R * E);
  const dGi = a.floats(R * maxGH);
  const dGh = spec.mode === "GRU" ? a.floats(R * maxGH) : dGi;
  return {
    physTheta, physGrad, blocks, out, dOut, x0, dX0, dGi, dGh,
    dh: a.floats(capacity.batch * maxH), dHSeq: a.floats(R * maxH), bands: a.floats(BAND_WIDTH),
    dc: a.floats(capacity.batch * maxH), zeros: a.floats(capacity.batch * maxH),
    final: a.floats(capacity.batch * top), dFinal: a.floats(capacity.batch * top),
  };
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
    const fusion = planFusion(net.spec, thetaLayout(net.spec), maxFused);
    const { base, workspace: w } = allocateEngine(ops, net.spec, capacity, (a) => allocateWorkspace(a, net.spec, fusion, capacity));
    super(net, ops, capacity, base);
    const spec = net.spec;
    this.fusion = fusion;
    this.L = spec.layers.length;
    this.sizes = spec.layers.map((layer) => layer.size);
    this.G = GATES[spec.mode];
    const G = this.G;
    this.physTheta = w.physTheta; this.physGrad = w.physGrad;
    this.out = w.out; this.dOut = w.dOut; this.x0 = w.x0; this.dX0 = w.dX0; this.dGi = w.dGi; this.dGh = w.dGh;
    this.dh = w.dh; this.dHSeq = w.dHSeq; this.bands = w.bands; this.dc = w.dc; this.zeros = w.zeros; this.final = w.final; this.dFinal = w.dFinal;
    this.outBase = spec.layers.map((layer) => capacity.batch * layer.size);
    this.blocks = w.blocks.map((layer, l) => layer.map((b) => {
      if (b.fused) for (let u = 0; u < b.unit; u++) for (let j = 0; j < b.members.length; j++) b.sum[u * b.hidden + j * b.unit + u] = 1; // [I I … I]
      const weights = this.parameters(b, "theta");
      return {
        ...b,
        weights, gradients: this.parameters(b, "grad"),
        step: new BlockStep(spec.mode, b.hidden, G, {
          gi: b.gi, gh: b.gh, dGi: this.dGi, dGh: this.dGh, h: b.h, base: b.base, hPrev: b.hPrev, c: b.c,
          // ∂L/∂h of a fused block's output: the layer's, copied to every member's slice
          dOut: b.fused ? this.dHSeq : this.dOut[l],
          zeros: this.zeros, dh: at(this.dh), dc: at(this.dc), wHH: weights.wHH, bHH: weights.bHH,
        }),
      };
    }));
  }

  /** A physical block's parameters (or their gradients): in θ for a lone block, in the physical buffers for a fused one. */
  private parameters(b: PhysicalBlock, of: "theta" | "grad"): BlockParameters {
    if (!b.fused) {
      const t = this.thetaLayout.blocks[b.members[0].block], operand = (r: ThetaRange) => (of === "theta" ? this.thetaAt(r) : this.gradAt(r));
      return { wIH: [operand(t.wIH)], wHH: operand(t.wHH), bIH: operand(t.bIH), bHH: operand(t.bHH) };
    }
    const buffer = of === "theta" ? this.physTheta : this.physGrad;
    return { wHH: at(buffer, b.wHH), bIH: at(buffer, b.bIH), bHH: at(buffer, b.bHH), wIH: b.members.map((m) => at(buffer, m.wIH)) };
  }

  // ----------------------------------------------------------------- forward

  /** Every step's h_{t−1}, one contiguous sequence (see BlockPlan.base): the packed copies, or with padding "post" the output sequence B rows early. */
  private previousStates(p: BlockPlan): Operand {
    return this.packed ? at(p.hPrev) : at(p.h, p.base - this.B * p.hidden);
  }

  /** A member's input sequence from its first step. */
  private input(source: number): Operand {
    return source < 0 ? at(this.x0) : at(this.out[source], this.outBase[source]);
  }

  private blockForward(p: BlockPlan): void {
    const ops = this.ops, w = p.weights, s = p.step;
    const H = p.hidden, GH = this.G * H, gi = at(p.gi);
    p.members.forEach((m, j) => {
      ops.gemmNT({ m: this.R, n: GH, k: m.inputSize, a: this.input(m.source), b: w.wIH[j], c: gi, accumulate: j > 0 });
    });
    // only GRU uses b_hh apart from b_ih (inside r∘(W_hn·h + b_hn)); the other cells see gi + gh, so b_hh joins b_ih here
    const gru = this.mode === "GRU";
    this.addBias(GH, w.bIH, gru ? undefined : w.bHH, p.gi);
    const wholeStep = gru && H <= STEP_HIDDEN && ops.gruStepForward !== undefined;
    for (let t = 0; t < this.T; t++) {
      const n = this.rowsAt[t];
      s.moveTo(n, this.offAt[t], t > 0 ? this.offAt[t - 1] : -1, this.packed, this.B);
      if (this.packed) {
        if (t === 0) ops.fill(n * H, 0, s.hPrev);
        else ops.copy(n * H, s.hLast, s.hPrev);
      }
      if (wholeStep) {
        ops.gruStepForward!(s.gruStep);
        continue;
      }
      if (t === 0) ops.fill(n * GH, 0, s.recurrent.c); // h₀ = 0
      else ops.gemmNT(s.recurrent);
      if (gru) ops.addRowVector(n, GH, w.bHH, s.recurrent.c);
      ops.cellForward(s.cell);
    }
  }

  /**
   * c[r·cols + j] += bias[j] (+ bias2[j]) over the batch's R rows. Narrow rows are slow
   * one by one (wasm walks a row per iteration), so the bias is repeated q times and
   * added to R/q rows of q·cols floats (plus the R mod q leftover rows).
   */
  private addBias(cols: number, bias: Operand, bias2: Operand | undefined, c: Floats): void {
    const ops = this.ops, R = this.R, q = Math.floor(BAND_WIDTH / cols);
    if (q < 2) {
      ops.addRowVector(R, cols, bias, at(c));
      if (bias2) ops.addRowVector(R, cols, bias2, at(c));
      return;
    }
    const band = this.bands;
    for (let j = 0; j < cols; j++) band[j] = bias.data[bias.offset + j] + (bias2 ? bias2.data[bias2.offset + j] : 0);
    for (let i = 1; i < q; i++) for (let j = 0; j < cols; j++) band[i * cols + j] = band[j];
    const bands = Math.floor(R / q), rest = R - bands * q;
    ops.addRowVector(bands, q * cols, at(band), at(c));
    if (rest > 0) ops.addRowVector(rest, cols, at(band), at(c, bands * q * cols));
  }

  /** Forward pass of the scheduled batch; leaves the logits in the workspace. */
  protected forward(): void {
    const ops = this.ops;
    const from = this.fusion.fromLogical, to = this.fusion.toPhysical, th = this.theta, phys = this.physTheta;
    for (let i = 0; i < from.length; i++) phys[to[i]] = th[from[i]];
    ops.gatherRows(this.R, this.E, this.thetaAt(this.thetaLayout.embedding), at(this.tokens), at(this.x0));
    for (let l = 0; l < this.L; l++) {
      const blocks = this.blocks[l], out = at(this.out[l], this.outBase[l]), n = this.R * this.sizes[l];
      blocks.forEach((p, i) => {
        this.blockForward(p);
        if (p.h === out.data) return;
        // the layer's output: Σ of its blocks' outputs (a fused block's members summed by a product with [I I … I])
        const h = at(p.h, p.base);
        if (p.fused) ops.gemmNT({ m: this.R, n: p.unit, k: p.hidden, a: h, b: at(p.sum), c: out, accumulate: i > 0 });
        else if (i === 0) ops.copy(n, h, out);
        else ops.add(n, h, out);
      });
    }
    const B = this.B, C = this.C, logits = at(this.logits);
    ops.gatherRows(B, this.top, at(this.out[this.L - 1], this.outBase[this.L - 1]), at(this.finalIdx), at(this.final));
    ops.gemmNT({ m: B, n: C, k: this.top, a: at(this.final), b: this.thetaAt(this.thetaLayout.headW), c: logits, accumulate: false });
    ops.addRowVector(B, C, this.thetaAt(this.thetaLayout.headB), logits);
  }

  // ---------------------------------------------------------------- backward

  /** BPTT of one physical block from ∂L/∂(its h sequence) (its step's dOut); adds ∂L/∂(each member's input) into its source's dOut. */
  private blockBackward(p: BlockPlan): void {
    const ops = this.ops, w = p.weights, g = p.gradients, s = p.step;
    const H = p.hidden, GH = this.G * H, R = this.R, dh = at(this.dh);
    ops.fill(this.B * H, 0, dh);
    ops.fill(this.B * H, 0, at(this.dc));
    const wholeStep = this.mode === "GRU" && H <= STEP_HIDDEN && ops.gruStepBackward !== undefined;
    for (let t = this.T - 1; t >= 0; t--) {
      const n = this.rowsAt[t];
      s.moveTo(n, this.offAt[t], t > 0 ? this.offAt[t - 1] : -1, this.packed, this.B);
      ops.add(n * H, s.dOut, dh);
      if (wholeStep) {
        // at t = 0 the product with W_hh lands in dh unused (no step −1): one call either way
        ops.gruStepBackward!(s.gruStepGradient);
        continue;
      }
      ops.cellBackward(s.cell);
      if (t > 0) ops.gemmNN(s.recurrentGradient);
    }
    // weight gradients over all steps at once
    const dGi = at(this.dGi), dGh = at(this.dGh);
    ops.gemmTN({ m: GH, n: H, k: R, a: dGh, b: this.previousStates(p), c: g.wHH, accumulate: false });
    this.biasGradient(GH, this.dGi, g.bIH);
    if (this.mode === "GRU") this.biasGradient(GH, this.dGh, g.bHH);
    else ops.copy(GH, g.bIH, g.bHH); // ∂L/∂b_hh = ∂L/∂b_ih: both enter as gi + gh
    p.members.forEach((m, j) => {
      ops.gemmTN({ m: GH, n: m.inputSize, k: R, a: dGi, b: this.input(m.source), c: g.wIH[j], accumulate: false });
      const dX = m.source < 0 ? at(this.dX0) : at(this.dOut[m.source]);
      ops.gemmNN({ m: R, n: m.inputSize, k: GH, a: dGi, b: w.wIH[j], c: dX, accumulate: m.source >= 0 });
    });
  }

  /**
   * out = column sums of the R × cols gate gradients. A tall narrow sum is slow row by
   * row (every row adds into the same few floats), so rows are first summed in bands of
   * q rows read as R/q rows of q·cols floats, then the q partial sums are added up
   * (plus the R mod q leftover rows).
   */
  private biasGradient(cols: number, a: Floats, out: Operand): void {
    const ops = this.ops, R = this.R, q = Math.floor(BAND_WIDTH / cols);
    if (q < 2) { ops.colSums(R, cols, at(a), out, false); return; }
    const bands = Math.floor(R / q), rest = R - bands * q;
    ops.colSums(bands, q * cols, at(a), at(this.bands), false);
    ops.colSums(q, cols, at(this.bands), out, false);
    if (rest > 0) ops.colSums(rest, cols, at(a, bands * q * cols), out, true);
  }

  protected backward(): void {
    const ops = this.ops, B = this.B, C = this.C, dLogits = at(this.dLogits);
    ops.gemmTN({ m: C, n: this.top, k: B, a: dLogits, b: at(this.final), c: this.gradAt(this.thetaLayout.headW), accumulate: false });
    ops.colSums(B, C, dLogits, this.gradAt(this.thetaLayout.headB), false);
    ops.gemmNN({ m: B, n: this.top, k: C, a: dLogits, b: this.thetaAt(this.thetaLayout.headW), c: at(this.dFinal), accumulate: false });
    for (let l = 0; l < this.L; l++) ops.fill(this.R * this.sizes[l], 0, at(this.dOut[l]));
    ops.scatterAddRows(B, this.top, at(this.dFinal), at(this.finalIdx), at(this.dOut[this.L - 1]));
    for (let l = this.L - 1; l >= 0; l--) {
      // dOut[l] is complete: every block reading layer l writes a layer above l, handled already
      for (const p of this.blocks[l]) {
        // a fused block's members all see ∂L/∂out: copy it to every slice (product with [I I … I])
        if (p.fused) ops.gemmNN({ m: this.R, n: p.hidden, k: p.unit, a: at(this.dOut[l]), b: at(p.sum), c: at(this.dHSeq), accumulate: false });
        this.blockBackward(p);
      }
    }
    const from = this.fusion.fromLogical, to = this.fusion.toPhysical, phys = this.physGrad, g = this.grad;
    for (let i = 0; i < from.length; i++) g[from[i]] = phys[to[i]];
    const embedding = this.gradAt(this.thetaLayout.embedding);
    ops.fill(this.thetaLayout.embedding.length, 0, embedding);
    ops.scatterAddRows(this.R, this.E, at(this.dX0), at(this.tokens), embedding);
  }
}
