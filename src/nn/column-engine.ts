/**
 * The feature-major engine, for networks of small layers (the random-structure
 * networks: dozens of blocks of 1–5 units). Every sequence of F features is F rows
 * of R floats (R = the batch's rows over all steps; see kernel-ops.ts), so:
 *   - a block's whole time loop, input projection included, is ONE kernel call
 *     (KernelOps.columnForward / columnBackward) whose element-wise math runs over
 *     the batch's strings in full SIMD vectors, where the row-major engine wastes
 *     most lanes on 3-unit rows and pays a few kernel calls per block per step;
 *   - weight gradients are wide products over all steps: dW_ih = dGi·xᵀ,
 *     dW_hh = dGh·hpᵀ, dx += W_ihᵀ·dGi;
 *   - bias gradients ride along in those products: every input sequence (the
 *     embedding, layer outputs, each block's h_{t−1} sequence) carries an extra row
 *     of ones after its features, so dG·[x; 1]ᵀ yields [dW | db] in one pass (over a
 *     sparse backend the two parts go straight into the gradient instead).
 * Every logical block runs alone (no fusion: nothing left to amortize); a layer's
 * output is the sum of its blocks' h. The 2-class head is a few thousand multiply-adds
 * per batch and runs as plain loops here.
 */
import type { ColumnBackward, ColumnForward, Floats, KernelOps, StepTable } from "./kernel-ops";
import { at } from "./kernel-ops";
import type { Network } from "./network";
import type { Allocator } from "./allocator";
import { allocateEngine, Capacity, EngineBase } from "./engine-base";
import { GATES, NetworkSpec } from "./spec";
import type { ThetaBlock, ThetaRange } from "./theta-layout";

/** Floats of slack after every sequence buffer: the SIMD kernels may READ up to 3 floats past a step's last row. */
const SLACK = 4;

/** Sequence buffers a gradient product reads (x0, layer outputs, hp) hold their features, then this row of ones (for the bias gradients). */
const ONES_ROW = 1;

/** One logical block: layer `target`'s own block (source = target − 1) or a skip block. */
interface BlockShape {
  source: number;
  target: number;
  hidden: number;
  inputSize: number;
}

/** A block with its arrays in θ and its sequence buffers. */
interface ColumnBlock extends BlockShape {
  theta: ThetaBlock;
  gi: Floats; hp: Floats; h: Floats; c: Floats; ghn: Floats;
}

/** A block with its kernel records (fixed buffers; the step table they share changes per batch). */
interface PlannedBlock extends ColumnBlock {
  forward: ColumnForward;
  backward: ColumnBackward;
}

/** The logical blocks of a spec in Network.blocks order: layers' own blocks, then the skips. */
function blockShapes(spec: NetworkSpec): BlockShape[] {
  const size = (l: number) => spec.layers[Math.max(l, 0)].size;
  return [
    ...spec.layers.map((layer, l) => ({ source: l - 1, target: l, hidden: layer.size, inputSize: size(l - 1) })),
    ...spec.skips.map((s) => ({ source: s.from, target: s.to, hidden: spec.layers[s.to].size, inputSize: size(s.from) })),
  ];
}

/** The widest input of a product dG·xᵀ: a block's input or its h_{t−1} sequence. */
function maxInput(blocks: ReadonlyArray<{ inputSize: number; hidden: number }>): number {
  return Math.max(...blocks.map((b) => Math.max(b.inputSize, b.hidden)));
}

/**
 * The feature-major engine's workspace (allocateEngine runs this twice, counting then for
 * real: it only allocates). Every sequence buffer has SLACK floats after it; the ones a
 * gradient product reads hold a row of ones after their features (`withOnes`).
 */
function allocateWorkspace(a: Allocator, spec: NetworkSpec, capacity: Capacity) {
  const G = GATES[spec.mode], S = capacity.batch * capacity.steps + SLACK, E = spec.layers[0].size;
  const withOnes: Array<{ buffer: Floats; features: number }> = [];
  const seq = (features: number) => a.floats(features * S);
  const input = (features: number) => {
    const buffer = a.floats((features + ONES_ROW) * S);
    withOnes.push({ buffer, features });
    return buffer;
  };
  const dummy = a.floats(0);
  const shapes = blockShapes(spec);
  // a layer's lone block's h is the layer's output, which later blocks read: it gets the ones row
  const lone = (l: number) => shapes.filter((b) => b.target === l).length === 1;
  const blocks = shapes.map((b, i) => ({
    ...b,
    gi: seq(G * b.hidden), hp: input(b.hidden), h: b.target === i && lone(i) ? input(b.hidden) : seq(b.hidden),
    c: spec.mode === "LSTM" ? seq(b.hidden) : dummy, ghn: spec.mode === "GRU" ? seq(b.hidden) : dummy,
  }));
  const out = spec.layers.map((layer, l) => {
    const own = blocks.filter((b) => b.target === l);
    return own.length === 1 ? own[0].h : input(layer.size);
  });
  const dOut = spec.layers.map((layer) => seq(layer.size));
  const x0 = input(E), dX0 = seq(E);
  const maxH = Math.max(...shapes.map((b) => b.hidden));
  const dGi = seq(G * maxH);
  const dGh = spec.mode === "GRU" ? seq(G * maxH) : dGi;
  return {
    blocks, out, dOut, x0, dX0, dGi, dGh, withOnes,
    carry: a.floats(2 * maxH * capacity.batch),
    products: a.floats(G * maxH * (maxInput(shapes) + 1)),
    steps: a.ints(2 * capacity.steps),
  };
}

export class ColumnEngine extends EngineBase {
  readonly layout = "columns";
  private readonly G: number;
  /** per layer: its blocks (its own first) */
  private readonly layers: PlannedBlock[][];
  /** per layer: output sequence (its lone block's h, or a sum buffer) and ∂L/∂ of it */
  private readonly out: Floats[];
  private readonly dOut: Floats[];
  private readonly x0: Floats;
  private readonly dX0: Floats;
  private readonly dGi: Floats;
  private readonly dGh: Floats;
  private readonly carry: Floats;
  /** one block's gradient products [dW | db] (G·H × (n + 1)) */
  private readonly products: Floats;
  /** every buffer with a row of ones after `features` rows (refilled per batch: the stride R changes) */
  private readonly withOnes: Array<{ buffer: Floats; features: number }>;
  /** [rows_0, off_0, rows_1, off_1, …] of the scheduled batch */
  private readonly steps: Int32Array;
  /** the scheduled batch's steps, as every kernel record reads them */
  private readonly stepTable: StepTable;

  constructor(net: Network, ops: KernelOps, capacity: Capacity) {
    if (!ops.capabilities.columns) {
      throw new Error(`ColumnEngine: backend ${ops.name} has no feature-major kernels (columnForward / columnBackward / gatherColumns / scatterAddColumns)`);
    }
    const { base, workspace: w } = allocateEngine(ops, net.spec, capacity, (a) => allocateWorkspace(a, net.spec, capacity));
    super(net, ops, capacity, base);
    this.G = GATES[net.spec.mode];
    this.out = w.out; this.dOut = w.dOut; this.x0 = w.x0; this.dX0 = w.dX0; this.dGi = w.dGi; this.dGh = w.dGh;
    this.carry = w.carry; this.products = w.products; this.withOnes = w.withOnes; this.steps = w.steps;
    this.stepTable = { T: 0, R: 0, steps: at(this.steps) };
    const blocks: ColumnBlock[] = w.blocks.map((b, i) => ({ ...b, theta: this.thetaLayout.blocks[i] }));
    this.layers = net.spec.layers.map((_, l) => blocks.filter((b) => b.target === l).map((b) => this.plan(b, l)));
  }

  /** The kernel records of block b, which writes layer l. */
  private plan(b: ColumnBlock, l: number): PlannedBlock {
    const { mode } = this, th = (r: ThetaRange) => this.thetaAt(r), schedule = this.stepTable;
    const [x] = this.input(b.source);
    const act = at(b.gi), hp = at(b.hp), h = at(b.h), c = at(b.c), ghn = at(b.ghn), w = th(b.theta.wHH);
    return {
      ...b,
      forward: { mode, hidden: b.hidden, schedule, x: at(x), inputSize: b.inputSize, wih: th(b.theta.wIH), bih: th(b.theta.bIH), w, bhh: th(b.theta.bHH), act, hp, h, c, ghn },
      backward: {
        mode, hidden: b.hidden, schedule, act, w, hp, h, c, ghn,
        dOut: at(this.dOut[l]), dGi: at(this.dGi), dGh: at(this.dGh), carry: at(this.carry),
      },
    };
  }

  /** A block's input sequence: [buffer, its ∂L/∂ buffer]. */
  private input(source: number): [Floats, Floats] {
    return source < 0 ? [this.x0, this.dX0] : [this.out[source], this.dOut[source]];
  }

  protected forward(): void {
    const ops = this.ops, th = this.theta, R = this.R, E = this.E;
    for (let t = 0; t < this.T; t++) { this.steps[2 * t] = this.rowsAt[t]; this.steps[2 * t + 1] = this.offAt[t]; }
    this.stepTable.T = this.T;
    this.stepTable.R = R;
    for (const { buffer, features } of this.withOnes) ops.fill(R, 1, at(buffer, features * R));
    ops.gatherColumns!(R, E, this.thetaAt(this.thetaLayout.embedding), at(this.tokens), at(this.x0));
    this.layers.forEach((blocks, l) => {
      const out = this.out[l];
      blocks.forEach((p, i) => {
        ops.columnForward!(p.forward);
        if (p.h === out) return;
        if (i === 0) ops.copy(p.hidden * R, at(p.h), at(out));
        else ops.add(p.hidden * R, at(p.h), at(out));
      });
    });
    // the head: logits = headW · (last layer at each string's final row) + headB
    const top = this.top, C = this.C, last = this.out[this.out.length - 1];
    const headW = this.thetaLayout.headW.offset, headB = this.thetaLayout.headB.offset;
    for (let b = 0; b < this.B; b++) {
      const col = this.finalIdx[b];
      for (let c = 0; c < C; c++) {
        let s = th[headB + c];
        for (let k = 0; k < top; k++) s += th[headW + c * top + k] * last[k * R + col];
        this.logits[b * C + c] = s;
      }
    }
  }

  /** The gradient at weights w = dG·xᵀ (GH × n) and at bias b = dG·1 (GH, x's row of ones) over all steps. */
  private weightGradient(GH: number, n: number, dG: Floats, x: Floats, w: ThetaRange, b: ThetaRange): void {
    const ops = this.ops, dW = this.gradAt(w), db = this.gradAt(b), R = this.R;
    if (ops.capabilities.sparse) {
      // straight into the gradient: the sparse backend sees the masked output and forms only its kept entries
      ops.gemmNT({ m: GH, n, k: R, a: at(dG), b: at(x), c: dW, accumulate: false });
      ops.gemmNT({ m: GH, n: 1, k: R, a: at(dG), b: at(x, n * R), c: db, accumulate: false });
      return;
    }
    const P = this.products, g = this.grad;
    ops.gemmNT({ m: GH, n: n + 1, k: R, a: at(dG), b: at(x), c: at(P), accumulate: false });
    for (let q = 0; q < GH; q++) {
      for (let c = 0; c < n; c++) g[dW.offset + q * n + c] = P[q * (n + 1) + c];
      g[db.offset + q] = P[q * (n + 1) + n];
    }
  }

  protected backward(): void {
    const ops = this.ops, th = this.theta, g = this.grad, R = this.R, E = this.E;
    const top = this.top, C = this.C, L = this.layers.length, last = this.out[L - 1], dz = this.dLogits;
    this.dOut.forEach((d, l) => ops.fill(this.layers[l][0].hidden * R, 0, at(d)));
    const dLast = this.dOut[L - 1];
    const headW = this.thetaLayout.headW.offset, headB = this.thetaLayout.headB.offset;
    for (let c = 0; c < C; c++) {
      let db = 0;
      for (let b = 0; b < this.B; b++) db += dz[b * C + c];
      g[headB + c] = db;
      for (let k = 0; k < top; k++) {
        let dw = 0;
        for (let b = 0; b < this.B; b++) dw += dz[b * C + c] * last[k * R + this.finalIdx[b]];
        g[headW + c * top + k] = dw;
      }
    }
    for (let b = 0; b < this.B; b++) {
      for (let k = 0; k < top; k++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += dz[b * C + c] * th[headW + c * top + k];
        dLast[k * R + this.finalIdx[b]] += s;
      }
    }
    for (let l = L - 1; l >= 0; l--) {
      // dOut[l] is complete: every block reading layer l belongs to a layer above l, done already
      for (const p of this.layers[l]) {
        const GH = this.G * p.hidden;
        ops.columnBackward!(p.backward);
        const [X, dX] = this.input(p.source);
        // [dW_hh | db_hh] = dGh·[hp; 1]ᵀ and [dW_ih | db_ih] = dGi·[x; 1]ᵀ (dGh is dGi unless GRU: then db_hh = db_ih)
        this.weightGradient(GH, p.hidden, this.dGh, p.hp, p.theta.wHH, p.theta.bHH);
        this.weightGradient(GH, p.inputSize, this.dGi, X, p.theta.wIH, p.theta.bIH);
        // only layer 0's block reads the embedding, so dX0 is written once; layer outputs collect every reader
        ops.gemmTN({ m: p.inputSize, n: R, k: GH, a: this.thetaAt(p.theta.wIH), b: at(this.dGi), c: at(dX), accumulate: p.source >= 0 });
      }
    }
    const embedding = this.gradAt(this.thetaLayout.embedding);
    ops.fill(this.thetaLayout.embedding.length, 0, embedding);
    ops.scatterAddColumns!(R, E, at(this.dX0), at(this.tokens), embedding);
  }
}
