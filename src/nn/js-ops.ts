/**
 * Plain-JS KernelOps for float64 and float32. The reference for the wasm backend's
 * semantics and the fallback wherever wasm is unavailable. Buffers are slices of
 * one arena per `reserve`, so the engine's whole working set is contiguous.
 */
import type { AdamStep, Capabilities, CellGradient, CellStep, ColumnBackward, ColumnForward, Floats, GruStep, GruStepGradient, KernelOps, Operand, Product } from "./kernel-ops";
import { at } from "./kernel-ops";
import { GATES } from "./spec";

type FloatCtor<F extends Floats> = { new (length: number): F };

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** out[outOff + j·rows + i] = src[srcOff + i·cols + j] */
function transpose(rows: number, cols: number, src: Floats, srcOff: number, out: Floats, outOff: number): void {
  for (let i = 0; i < rows; i++) {
    const s = srcOff + i * cols;
    for (let j = 0; j < cols; j++) out[outOff + j * rows + i] = src[s + j];
  }
}

/**
 * C[m×n] (+)= A[m×k]·B[n×k]ᵀ. Register tile of 4 rows of A × 2 rows of B: 8
 * accumulators fed by 6 loads per step of p (V8 emits no SIMD, so this is the lever).
 */
function ntKernel(m: number, n: number, k: number, a: Floats, aOff: number, b: Floats, bOff: number, c: Floats, cOff: number, acc: boolean): void {
  const m4 = m - (m % 4), n2 = n - (n % 2);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let j = 0; j < n2; j += 2) {
      const b0 = bOff + j * k, b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let p = 0; p < k; p++) {
        const y0 = b[b0 + p], y1 = b[b1 + p];
        const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
        s20 += x2 * y0; s21 += x2 * y1; s30 += x3 * y0; s31 += x3 * y1;
      }
      if (acc) {
        c[c0 + j] += s00; c[c0 + j + 1] += s01; c[c1 + j] += s10; c[c1 + j + 1] += s11;
        c[c2 + j] += s20; c[c2 + j + 1] += s21; c[c3 + j] += s30; c[c3 + j + 1] += s31;
      } else {
        c[c0 + j] = s00; c[c0 + j + 1] = s01; c[c1 + j] = s10; c[c1 + j + 1] = s11;
        c[c2 + j] = s20; c[c2 + j + 1] = s21; c[c3 + j] = s30; c[c3 + j + 1] = s31;
      }
    }
  }
  // edges: the last odd column of the tiled rows, then the rows below m4
  if (n2 < n) for (let i = 0; i < m4; i++) dotInto(i, n2, n, k, a, aOff, b, bOff, c, cOff, acc);
  for (let i = m4; i < m; i++) for (let j = 0; j < n; j++) dotInto(i, j, n, k, a, aOff, b, bOff, c, cOff, acc);
}

/** C[i, j] (+)= A[i,:]·B[j,:] */
function dotInto(i: number, j: number, n: number, k: number, a: Floats, aOff: number, b: Floats, bOff: number, c: Floats, cOff: number, acc: boolean): void {
  const ai = aOff + i * k, bj = bOff + j * k;
  let s = 0;
  for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
  const ci = cOff + i * n + j;
  c[ci] = acc ? c[ci] + s : s;
}

/** Step columns → rows: out[r·features + k] = src[srcOff + k·R + col + r] for r < rows, k < features (feature-major → row-major). */
function stepToRows(rows: number, features: number, R: number, col: number, src: Floats, srcOff: number, out: Floats): void {
  for (let k = 0; k < features; k++) {
    const s = srcOff + k * R + col;
    for (let r = 0; r < rows; r++) out[r * features + k] = src[s + r];
  }
}

/** The inverse of stepToRows: dst[dstOff + k·R + col + r] = rowsBuf[r·features + k]. */
function rowsToStep(rows: number, features: number, R: number, col: number, rowsBuf: Floats, dst: Floats, dstOff: number): void {
  for (let k = 0; k < features; k++) {
    const d = dstOff + k * R + col;
    for (let r = 0; r < rows; r++) dst[d + r] = rowsBuf[r * features + k];
  }
}

export class JsOps<F extends Floats> implements KernelOps<F> {
  readonly name: string;
  readonly capabilities: Capabilities = { threads: 1, sparse: false, columns: true };
  private arena: F;
  private used = 0;
  private ints: Int32Array = new Int32Array(0);
  private intsUsed = 0;

  constructor(readonly precision: "f32" | "f64", private readonly Ctor: FloatCtor<F>) {
    this.name = `js-${precision}`;
    this.arena = new Ctor(0);
  }

  reserve(elements: number, ints = 0): void {
    // A fresh arena when the current one lacks room; earlier views stay valid (they
    // keep the old buffer alive) — only wasm memory detaches views.
    if (this.used + elements > this.arena.length) {
      this.arena = new this.Ctor(elements);
      this.used = 0;
    }
    if (this.intsUsed + ints > this.ints.length) {
      this.ints = new Int32Array(ints);
      this.intsUsed = 0;
    }
  }

  alloc(elements: number): F {
    if (this.used + elements > this.arena.length) this.reserve(elements);
    const view = this.arena.subarray(this.used, this.used + elements) as F;
    this.used += elements;
    view.fill(0);
    return view;
  }

  allocInt(elements: number): Int32Array {
    if (this.intsUsed + elements > this.ints.length) this.reserve(0, elements);
    const view = this.ints.subarray(this.intsUsed, this.intsUsed + elements);
    this.intsUsed += elements;
    view.fill(0);
    return view;
  }

  reset(): void {
    this.arena = new this.Ctor(0);
    this.used = 0;
    this.ints = new Int32Array(0);
    this.intsUsed = 0;
  }

  /** Scratch for transposed operands (grown, never shrunk: no allocation in steady state). */
  private scratch: Float64Array = new Float64Array(0);

  private scratchFor(elements: number): Float64Array {
    if (this.scratch.length < elements) this.scratch = new Float64Array(elements);
    return this.scratch;
  }

  // All three products run through one dot-product kernel (ntKernel): NN and TN first
  // transpose their operands into scratch, O(k·(m+n)) work against O(k·m·n), which
  // makes every inner loop two contiguous streams with no stores (≈ 2× faster here).

  gemmNT({ m, n, k, a, b, c, accumulate }: Product<F>): void {
    ntKernel(m, n, k, a.data, a.offset, b.data, b.offset, c.data, c.offset, accumulate);
  }

  gemmNN({ m, n, k, a, b, c, accumulate }: Product<F>): void {
    const bt = this.scratchFor(n * k);
    transpose(k, n, b.data, b.offset, bt, 0);
    ntKernel(m, n, k, a.data, a.offset, bt, 0, c.data, c.offset, accumulate);
  }

  gemmTN({ m, n, k, a, b, c, accumulate }: Product<F>): void {
    const t = this.scratchFor(k * (m + n));
    transpose(k, m, a.data, a.offset, t, 0);
    transpose(k, n, b.data, b.offset, t, m * k);
    ntKernel(m, n, k, t, 0, t, m * k, c.data, c.offset, accumulate);
  }

  addRowVector(rows: number, cols: number, v: Operand<F>, c: Operand<F>): void {
    const vd = v.data, vo = v.offset, cd = c.data;
    for (let r = 0; r < rows; r++) {
      const o = c.offset + r * cols;
      for (let j = 0; j < cols; j++) cd[o + j] += vd[vo + j];
    }
  }

  colSums(rows: number, cols: number, a: Operand<F>, out: Operand<F>, accumulate: boolean): void {
    const ad = a.data, od = out.data, oo = out.offset;
    if (!accumulate) od.fill(0, oo, oo + cols);
    for (let r = 0; r < rows; r++) {
      const o = a.offset + r * cols;
      for (let j = 0; j < cols; j++) od[oo + j] += ad[o + j];
    }
  }

  add(n: number, src: Operand<F>, dst: Operand<F>): void {
    const s = src.data, so = src.offset, d = dst.data, o = dst.offset;
    for (let i = 0; i < n; i++) d[o + i] += s[so + i];
  }

  copy(n: number, src: Operand<F>, dst: Operand<F>): void {
    dst.data.set(src.data.subarray(src.offset, src.offset + n), dst.offset);
  }

  fill(n: number, value: number, dst: Operand<F>): void {
    dst.data.fill(value, dst.offset, dst.offset + n);
  }

  multiply(n: number, src: Operand<F>, dst: Operand<F>): void {
    const s = src.data, so = src.offset, d = dst.data, o = dst.offset;
    for (let i = 0; i < n; i++) d[o + i] *= s[so + i];
  }

  sumSquares(n: number, a: Operand<F>): number {
    const d = a.data, o = a.offset;
    let s = 0;
    for (let i = 0; i < n; i++) { const x = d[o + i]; s += x * x; }
    return s;
  }

  gatherRows(rows: number, cols: number, table: Operand<F>, index: Operand<Int32Array>, out: Operand<F>): void {
    const t = table.data, ix = index.data, od = out.data;
    for (let r = 0; r < rows; r++) {
      const src = table.offset + ix[index.offset + r] * cols, dst = out.offset + r * cols;
      for (let j = 0; j < cols; j++) od[dst + j] = t[src + j];
    }
  }

  scatterAddRows(rows: number, cols: number, src: Operand<F>, index: Operand<Int32Array>, table: Operand<F>): void {
    const sd = src.data, ix = index.data, t = table.data;
    for (let r = 0; r < rows; r++) {
      const dst = table.offset + ix[index.offset + r] * cols, s = src.offset + r * cols;
      for (let j = 0; j < cols; j++) t[dst + j] += sd[s + j];
    }
  }

  gatherColumns(rows: number, cols: number, table: Operand<F>, index: Operand<Int32Array>, out: Operand<F>): void {
    const t = table.data, ix = index.data, od = out.data;
    for (let j = 0; j < cols; j++) {
      const dst = out.offset + j * rows, src = table.offset + j;
      for (let r = 0; r < rows; r++) od[dst + r] = t[src + ix[index.offset + r] * cols];
    }
  }

  scatterAddColumns(rows: number, cols: number, src: Operand<F>, index: Operand<Int32Array>, table: Operand<F>): void {
    const sd = src.data, ix = index.data, t = table.data;
    for (let r = 0; r < rows; r++) {
      const dst = table.offset + ix[index.offset + r] * cols;
      for (let j = 0; j < cols; j++) t[dst + j] += sd[src.offset + j * rows + r];
    }
  }

  cellForward(s: CellStep<F>): void {
    const { mode, rows, hidden: H } = s;
    const gi = s.gates.data, giOff = s.gates.offset, gh = s.gh.data, ghOff = s.gh.offset;
    const hPrev = s.hPrev.data, hPrevOff = s.hPrev.offset, cPrev = s.cPrev.data, cPrevOff = s.cPrev.offset;
    const h = s.h.data, hOff = s.h.offset, c = s.c.data, cOff = s.c.offset;
    switch (mode) {
      case "RNN_TANH":
        for (let i = 0; i < rows * H; i++) h[hOff + i] = Math.tanh(gi[giOff + i] + gh[ghOff + i]);
        return;
      case "RNN_RELU":
        for (let i = 0; i < rows * H; i++) { const x = gi[giOff + i] + gh[ghOff + i]; h[hOff + i] = x > 0 ? x : 0; }
        return;
      case "GRU":
        for (let r = 0; r < rows; r++) {
          const g = r * 3 * H, o = r * H;
          for (let j = 0; j < H; j++) {
            const ir = giOff + g + j, iz = ir + H, inn = iz + H, hr = ghOff + g + j;
            const rg = sigmoid(gi[ir] + gh[hr]);
            const zg = sigmoid(gi[iz] + gh[hr + H]);
            const ng = Math.tanh(gi[inn] + rg * gh[hr + 2 * H]);
            gi[ir] = rg; gi[iz] = zg; gi[inn] = ng;
            h[hOff + o + j] = ng + zg * (hPrev[hPrevOff + o + j] - ng);
          }
        }
        return;
      case "LSTM":
        for (let r = 0; r < rows; r++) {
          const g = r * 4 * H, o = r * H;
          for (let j = 0; j < H; j++) {
            const ii = giOff + g + j, hi = ghOff + g + j;
            const ig = sigmoid(gi[ii] + gh[hi]);
            const fg = sigmoid(gi[ii + H] + gh[hi + H]);
            const gg = Math.tanh(gi[ii + 2 * H] + gh[hi + 2 * H]);
            const og = sigmoid(gi[ii + 3 * H] + gh[hi + 3 * H]);
            gi[ii] = ig; gi[ii + H] = fg; gi[ii + 2 * H] = gg; gi[ii + 3 * H] = og;
            const cn = fg * cPrev[cPrevOff + o + j] + ig * gg;
            c[cOff + o + j] = cn;
            h[hOff + o + j] = og * Math.tanh(cn);
          }
        }
        return;
      default:
        throw new Error(`cellForward: unknown cell mode ${String(mode)}`);
    }
  }

  gruStepForward(s: GruStep<F>): void {
    const { rows, hidden: H } = s;
    this.gemmNT({ m: rows, n: 3 * H, k: H, a: s.hPrev, b: s.w, c: s.gh, accumulate: false });
    this.addRowVector(rows, 3 * H, s.bhh, s.gh);
    this.cellForward({ mode: "GRU", rows, hidden: H, gates: s.gates, gh: s.gh, hPrev: s.hPrev, cPrev: s.h, h: s.h, c: s.h });
  }

  gruStepBackward(s: GruStepGradient<F>): void {
    const { rows, hidden: H } = s;
    this.cellBackward({ mode: "GRU", rows, hidden: H, gates: s.gates, gh: s.gh, hPrev: s.hPrev, cPrev: s.dh, h: s.dh, c: s.dh, dh: s.dh, dc: s.dh, dGi: s.dGi, dGh: s.dGh });
    this.gemmNN({ m: rows, n: H, k: 3 * H, a: s.dGh, b: s.w, c: s.dh, accumulate: true });
  }

  cellBackward(s: CellGradient<F>): void {
    const { mode, rows, hidden: H } = s;
    const act = s.gates.data, actOff = s.gates.offset, gh = s.gh.data, ghOff = s.gh.offset;
    const hPrev = s.hPrev.data, hPrevOff = s.hPrev.offset, h = s.h.data, hOff = s.h.offset;
    const cPrev = s.cPrev.data, cPrevOff = s.cPrev.offset, c = s.c.data, cOff = s.c.offset;
    const dh = s.dh.data, dhOff = s.dh.offset, dc = s.dc.data, dcOff = s.dc.offset;
    const dGi = s.dGi.data, dGiOff = s.dGi.offset, dGh = s.dGh.data, dGhOff = s.dGh.offset;
    switch (mode) {
      case "RNN_TANH":
        for (let i = 0; i < rows * H; i++) {
          const y = h[hOff + i];
          dGi[dGiOff + i] = dh[dhOff + i] * (1 - y * y);
          dh[dhOff + i] = 0;
        }
        return;
      case "RNN_RELU":
        for (let i = 0; i < rows * H; i++) {
          dGi[dGiOff + i] = h[hOff + i] > 0 ? dh[dhOff + i] : 0;
          dh[dhOff + i] = 0;
        }
        return;
      case "GRU":
        for (let r = 0; r < rows; r++) {
          const g = r * 3 * H, o = r * H;
          for (let j = 0; j < H; j++) {
            const ar = actOff + g + j;
            const rg = act[ar], zg = act[ar + H], ng = act[ar + 2 * H];
            const d = dh[dhOff + o + j];
            const dn = d * (1 - zg) * (1 - ng * ng);
            const dz = d * (hPrev[hPrevOff + o + j] - ng) * zg * (1 - zg);
            const dr = dn * gh[ghOff + g + 2 * H + j] * rg * (1 - rg);
            const gi0 = dGiOff + g + j, gh0 = dGhOff + g + j;
            dGi[gi0] = dr; dGi[gi0 + H] = dz; dGi[gi0 + 2 * H] = dn;
            dGh[gh0] = dr; dGh[gh0 + H] = dz; dGh[gh0 + 2 * H] = dn * rg;
            dh[dhOff + o + j] = d * zg;
          }
        }
        return;
      case "LSTM":
        for (let r = 0; r < rows; r++) {
          const g = r * 4 * H, o = r * H;
          for (let j = 0; j < H; j++) {
            const ai = actOff + g + j;
            const ig = act[ai], fg = act[ai + H], gg = act[ai + 2 * H], og = act[ai + 3 * H];
            const tc = Math.tanh(c[cOff + o + j]);
            const d = dh[dhOff + o + j];
            const dct = dc[dcOff + o + j] + d * og * (1 - tc * tc);
            const gi0 = dGiOff + g + j;
            dGi[gi0] = dct * gg * ig * (1 - ig);
            dGi[gi0 + H] = dct * cPrev[cPrevOff + o + j] * fg * (1 - fg);
            dGi[gi0 + 2 * H] = dct * ig * (1 - gg * gg);
            dGi[gi0 + 3 * H] = d * tc * og * (1 - og);
            dc[dcOff + o + j] = dct * fg;
            dh[dhOff + o + j] = 0;
          }
        }
        return;
      default:
        throw new Error(`cellBackward: unknown cell mode ${String(mode)}`);
    }
  }

  /** Row-major per-step scratch of the column ops (grown, never shrunk). */
  private stepScratch: F | undefined;

  private stepBuffers(rows: number, H: number, GH: number, In = 0): F[] {
    const sizes = [rows * GH, rows * GH, rows * GH, rows * GH, rows * H, rows * H, rows * H, rows * H, rows * H, rows * H, rows * In];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (this.stepScratch === undefined || this.stepScratch.length < total) this.stepScratch = new this.Ctor(total);
    let start = 0;
    return sizes.map((n) => { const v = this.stepScratch!.subarray(start, start + n) as F; start += n; return v; });
  }

  // The column ops gather each step's columns into rows and run the row-major cell
  // above on them: one definition of the cell math, at the cost of transposes (this
  // backend is the oracle and the fallback, not the fast path).
  columnForward(q: ColumnForward<F>): void {
    const { mode, hidden: H, inputSize: In } = q, { T, R } = q.schedule;
    const steps = q.schedule.steps.data, stepsOff = q.schedule.steps.offset;
    const GH = GATES[mode] * H, gru = mode === "GRU", lstm = mode === "LSTM";
    const [giRows, ghRows, , , hPrev, cPrev, hRows, cRows, , , xRows] = this.stepBuffers(steps[stepsOff], H, GH, In);
    const gates = at(giRows), gh = at(ghRows), hPrevRows = at(hPrev), cPrevRows = at(cPrev);
    for (let t = 0; t < T; t++) {
      const n = steps[stepsOff + 2 * t], o = steps[stepsOff + 2 * t + 1], p = t > 0 ? steps[stepsOff + 2 * t - 1] : -1;
      if (t === 0) { hPrev.fill(0, 0, n * H); cPrev.fill(0, 0, n * H); } else {
        stepToRows(n, H, R, p, q.h.data, q.h.offset, hPrev);
        if (lstm) stepToRows(n, H, R, p, q.c.data, q.c.offset, cPrev);
      }
      rowsToStep(n, H, R, o, hPrev, q.hp.data, q.hp.offset);
      stepToRows(n, In, R, o, q.x.data, q.x.offset, xRows);
      this.gemmNT({ m: n, n: GH, k: In, a: at(xRows), b: q.wih, c: gates, accumulate: false });
      this.addRowVector(n, GH, q.bih, gates);
      this.gemmNT({ m: n, n: GH, k: H, a: hPrevRows, b: q.w, c: gh, accumulate: false });
      this.addRowVector(n, GH, q.bhh, gh);
      this.cellForward({ mode, rows: n, hidden: H, gates, gh, hPrev: hPrevRows, cPrev: cPrevRows, h: at(hRows), c: at(cRows) });
      if (gru || lstm) rowsToStep(n, GH, R, o, giRows, q.act.data, q.act.offset);
      rowsToStep(n, H, R, o, hRows, q.h.data, q.h.offset);
      if (lstm) rowsToStep(n, H, R, o, cRows, q.c.data, q.c.offset);
      if (gru) for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) q.ghn.data[q.ghn.offset + k * R + o + r] = ghRows[r * GH + 2 * H + k];
    }
  }

  columnBackward(q: ColumnBackward<F>): void {
    const { mode, hidden: H } = q, { T, R } = q.schedule;
    const steps = q.schedule.steps.data, stepsOff = q.schedule.steps.offset;
    const GH = GATES[mode] * H, gru = mode === "GRU", lstm = mode === "LSTM", rows0 = steps[stepsOff];
    const [actRows, ghRows, dGiRows, dGhRows, hPrev, cPrev, hRows, cRows, dh, dc] = this.stepBuffers(rows0, H, GH);
    const carry = q.carry.data, carryOff = q.carry.offset, carryC = carryOff + H * rows0;
    const dGhStep = at(gru ? dGhRows : dGiRows), dhRows = at(dh);
    carry.fill(0, carryOff, carryOff + 2 * H * rows0);
    for (let t = T - 1; t >= 0; t--) {
      const n = steps[stepsOff + 2 * t], o = steps[stepsOff + 2 * t + 1], p = t > 0 ? steps[stepsOff + 2 * t - 1] : -1;
      stepToRows(n, H, R, o, q.dOut.data, q.dOut.offset, dh);
      for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) {
        dh[r * H + k] += carry[carryOff + k * rows0 + r];
        dc[r * H + k] = carry[carryC + k * rows0 + r];
      }
      stepToRows(n, GH, R, o, q.act.data, q.act.offset, actRows);
      if (gru) for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) ghRows[r * GH + 2 * H + k] = q.ghn.data[q.ghn.offset + k * R + o + r];
      stepToRows(n, H, R, o, q.hp.data, q.hp.offset, hPrev);
      stepToRows(n, H, R, o, q.h.data, q.h.offset, hRows);
      if (lstm) {
        stepToRows(n, H, R, o, q.c.data, q.c.offset, cRows);
        if (t === 0) cPrev.fill(0, 0, n * H); else stepToRows(n, H, R, p, q.c.data, q.c.offset, cPrev);
      }
      this.cellBackward({
        mode, rows: n, hidden: H, gates: at(actRows), gh: at(ghRows), hPrev: at(hPrev), h: at(hRows), cPrev: at(cPrev), c: at(cRows),
        dh: dhRows, dc: at(dc), dGi: at(dGiRows), dGh: dGhStep,
      });
      this.gemmNN({ m: n, n: H, k: GH, a: dGhStep, b: q.w, c: dhRows, accumulate: true });
      rowsToStep(n, GH, R, o, dGiRows, q.dGi.data, q.dGi.offset);
      if (gru) rowsToStep(n, GH, R, o, dGhRows, q.dGh.data, q.dGh.offset);
      for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) {
        carry[carryOff + k * rows0 + r] = dh[r * H + k];
        carry[carryC + k * rows0 + r] = dc[r * H + k];
      }
    }
  }

  adam({ n, theta, grad, m, v, lr, beta1, beta2, eps, step, gradScale }: AdamStep<F>): void {
    const stepSize = lr / (1 - Math.pow(beta1, step));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    for (let i = 0; i < n; i++) {
      const g = grad[i] * gradScale;
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi; v[i] = vi;
      theta[i] -= stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  }
}

export function jsOps(precision: "f32"): JsOps<Float32Array>;
export function jsOps(precision: "f64"): JsOps<Float64Array>;
export function jsOps(precision: "f32" | "f64"): JsOps<Floats>;
export function jsOps(precision: "f32" | "f64"): JsOps<Floats> {
  return precision === "f64"
    ? (new JsOps<Float64Array>("f64", Float64Array) as unknown as JsOps<Floats>)
    : (new JsOps<Float32Array>("f32", Float32Array) as unknown as JsOps<Floats>);
}
