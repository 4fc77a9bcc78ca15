/**
 * Plain-JS KernelOps for float64 and float32. The reference for the wasm backend's
 * semantics and the fallback wherever wasm is unavailable. Buffers are slices of
 * one arena per `reserve`, so the engine's whole working set is contiguous.
 */
import type { Floats, KernelOps } from "./kernel-ops";
import { CellMode, GATES } from "./spec";

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

  gemmNT(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    ntKernel(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  }

  gemmNN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    const bt = this.scratchFor(n * k);
    transpose(k, n, b, bOff, bt, 0);
    ntKernel(m, n, k, a, aOff, bt, 0, c, cOff, accumulate);
  }

  gemmTN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    const t = this.scratchFor(k * (m + n));
    transpose(k, m, a, aOff, t, 0);
    transpose(k, n, b, bOff, t, m * k);
    ntKernel(m, n, k, t, 0, t, m * k, c, cOff, accumulate);
  }

  addRowVector(rows: number, cols: number, v: F, vOff: number, c: F, cOff: number): void {
    for (let r = 0; r < rows; r++) {
      const o = cOff + r * cols;
      for (let j = 0; j < cols; j++) c[o + j] += v[vOff + j];
    }
  }

  colSums(rows: number, cols: number, a: F, aOff: number, out: F, outOff: number, accumulate: boolean): void {
    if (!accumulate) out.fill(0, outOff, outOff + cols);
    for (let r = 0; r < rows; r++) {
      const o = aOff + r * cols;
      for (let j = 0; j < cols; j++) out[outOff + j] += a[o + j];
    }
  }

  add(n: number, src: F, srcOff: number, dst: F, dstOff: number): void {
    for (let i = 0; i < n; i++) dst[dstOff + i] += src[srcOff + i];
  }

  copy(n: number, src: F, srcOff: number, dst: F, dstOff: number): void {
    dst.set(src.subarray(srcOff, srcOff + n), dstOff);
  }

  fill(n: number, value: number, dst: F, dstOff: number): void {
    dst.fill(value, dstOff, dstOff + n);
  }

  multiply(n: number, src: F, srcOff: number, dst: F, dstOff: number): void {
    for (let i = 0; i < n; i++) dst[dstOff + i] *= src[srcOff + i];
  }

  sumSquares(n: number, a: F, aOff: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) { const x = a[aOff + i]; s += x * x; }
    return s;
  }

  gatherRows(rows: number, cols: number, table: F, tableOff: number, index: Int32Array, indexOff: number, out: F, outOff: number): void {
    for (let r = 0; r < rows; r++) {
      const src = tableOff + index[indexOff + r] * cols, dst = outOff + r * cols;
      for (let j = 0; j < cols; j++) out[dst + j] = table[src + j];
    }
  }

  scatterAddRows(rows: number, cols: number, src: F, srcOff: number, index: Int32Array, indexOff: number, table: F, tableOff: number): void {
    for (let r = 0; r < rows; r++) {
      const dst = tableOff + index[indexOff + r] * cols, s = srcOff + r * cols;
      for (let j = 0; j < cols; j++) table[dst + j] += src[s + j];
    }
  }

  gatherColumns(rows: number, cols: number, table: F, tableOff: number, index: Int32Array, indexOff: number, out: F, outOff: number): void {
    for (let j = 0; j < cols; j++) {
      const dst = outOff + j * rows, src = tableOff + j;
      for (let r = 0; r < rows; r++) out[dst + r] = table[src + index[indexOff + r] * cols];
    }
  }

  scatterAddColumns(rows: number, cols: number, src: F, srcOff: number, index: Int32Array, indexOff: number, table: F, tableOff: number): void {
    for (let r = 0; r < rows; r++) {
      const dst = tableOff + index[indexOff + r] * cols;
      for (let j = 0; j < cols; j++) table[dst + j] += src[srcOff + j * rows + r];
    }
  }

  cellForward(
    mode: CellMode, rows: number, H: number,
    gi: F, giOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, cPrev: F, cPrevOff: number,
    h: F, hOff: number, c: F, cOff: number,
  ): void {
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

  gruStepForward(
    rows: number, H: number, gi: F, giOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, w: F, wOff: number, bhh: F, bhhOff: number, h: F, hOff: number,
  ): void {
    this.gemmNT(rows, 3 * H, H, hPrev, w, gh, false, hPrevOff, wOff, ghOff);
    this.addRowVector(rows, 3 * H, bhh, bhhOff, gh, ghOff);
    this.cellForward("GRU", rows, H, gi, giOff, gh, ghOff, hPrev, hPrevOff, h, 0, h, hOff, h, 0);
  }

  gruStepBackward(
    rows: number, H: number, act: F, actOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, w: F, wOff: number, dh: F, dhOff: number,
    dGi: F, dGiOff: number, dGh: F, dGhOff: number,
  ): void {
    this.cellBackward("GRU", rows, H, act, actOff, gh, ghOff, hPrev, hPrevOff, dh, 0, dh, 0, dh, 0, dh, dhOff, dh, 0, dGi, dGiOff, dGh, dGhOff);
    this.gemmNN(rows, H, 3 * H, dGh, w, dh, true, dGhOff, wOff, dhOff);
  }

  cellBackward(
    mode: CellMode, rows: number, H: number,
    act: F, actOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, h: F, hOff: number,
    cPrev: F, cPrevOff: number, c: F, cOff: number,
    dh: F, dhOff: number, dc: F, dcOff: number,
    dGi: F, dGiOff: number, dGh: F, dGhOff: number,
  ): void {
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
    let at = 0;
    return sizes.map((n) => { const v = this.stepScratch!.subarray(at, at + n) as F; at += n; return v; });
  }

  // The column ops gather each step's columns into rows and run the row-major cell
  // above on them: one definition of the cell math, at the cost of transposes (this
  // backend is the oracle and the fallback, not the fast path).
  columnForward(
    mode: CellMode, H: number, T: number, R: number, steps: Int32Array, stepsOff: number,
    x: F, xOff: number, In: number, wih: F, wihOff: number, bih: F, bihOff: number,
    w: F, wOff: number, bhh: F, bhhOff: number,
    act: F, actOff: number, hp: F, hpOff: number, h: F, hOff: number, c: F, cOff: number, ghn: F, ghnOff: number,
  ): void {
    const GH = GATES[mode] * H, gru = mode === "GRU", lstm = mode === "LSTM";
    const [giRows, ghRows, , , hPrev, cPrev, hRows, cRows, , , xRows] = this.stepBuffers(steps[stepsOff], H, GH, In);
    for (let t = 0; t < T; t++) {
      const n = steps[stepsOff + 2 * t], o = steps[stepsOff + 2 * t + 1], p = t > 0 ? steps[stepsOff + 2 * t - 1] : -1;
      if (t === 0) { hPrev.fill(0, 0, n * H); cPrev.fill(0, 0, n * H); } else {
        stepToRows(n, H, R, p, h, hOff, hPrev);
        if (lstm) stepToRows(n, H, R, p, c, cOff, cPrev);
      }
      rowsToStep(n, H, R, o, hPrev, hp, hpOff);
      stepToRows(n, In, R, o, x, xOff, xRows);
      this.gemmNT(n, GH, In, xRows, wih, giRows, false, 0, wihOff, 0);
      this.addRowVector(n, GH, bih, bihOff, giRows, 0);
      this.gemmNT(n, GH, H, hPrev, w, ghRows, false, 0, wOff, 0);
      this.addRowVector(n, GH, bhh, bhhOff, ghRows, 0);
      this.cellForward(mode, n, H, giRows, 0, ghRows, 0, hPrev, 0, cPrev, 0, hRows, 0, cRows, 0);
      if (gru || lstm) rowsToStep(n, GH, R, o, giRows, act, actOff);
      rowsToStep(n, H, R, o, hRows, h, hOff);
      if (lstm) rowsToStep(n, H, R, o, cRows, c, cOff);
      if (gru) for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) ghn[ghnOff + k * R + o + r] = ghRows[r * GH + 2 * H + k];
    }
  }

  columnBackward(
    mode: CellMode, H: number, T: number, R: number, steps: Int32Array, stepsOff: number,
    act: F, actOff: number, w: F, wOff: number,
    hp: F, hpOff: number, h: F, hOff: number, c: F, cOff: number, ghn: F, ghnOff: number,
    dOut: F, dOutOff: number, dGi: F, dGiOff: number, dGh: F, dGhOff: number, carry: F, carryOff: number,
  ): void {
    const GH = GATES[mode] * H, gru = mode === "GRU", lstm = mode === "LSTM", rows0 = steps[stepsOff];
    const [actRows, ghRows, dGiRows, dGhRows, hPrev, cPrev, hRows, cRows, dh, dc] = this.stepBuffers(rows0, H, GH);
    const carryC = carryOff + H * rows0;
    carry.fill(0, carryOff, carryOff + 2 * H * rows0);
    for (let t = T - 1; t >= 0; t--) {
      const n = steps[stepsOff + 2 * t], o = steps[stepsOff + 2 * t + 1], p = t > 0 ? steps[stepsOff + 2 * t - 1] : -1;
      stepToRows(n, H, R, o, dOut, dOutOff, dh);
      for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) {
        dh[r * H + k] += carry[carryOff + k * rows0 + r];
        dc[r * H + k] = carry[carryC + k * rows0 + r];
      }
      stepToRows(n, GH, R, o, act, actOff, actRows);
      if (gru) for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) ghRows[r * GH + 2 * H + k] = ghn[ghnOff + k * R + o + r];
      stepToRows(n, H, R, o, hp, hpOff, hPrev);
      stepToRows(n, H, R, o, h, hOff, hRows);
      if (lstm) {
        stepToRows(n, H, R, o, c, cOff, cRows);
        if (t === 0) cPrev.fill(0, 0, n * H); else stepToRows(n, H, R, p, c, cOff, cPrev);
      }
      const dGhStep = gru ? dGhRows : dGiRows;
      this.cellBackward(mode, n, H, actRows, 0, ghRows, 0, hPrev, 0, hRows, 0, cPrev, 0, cRows, 0, dh, 0, dc, 0, dGiRows, 0, dGhStep, 0);
      this.gemmNN(n, H, GH, dGhStep, w, dh, true, 0, wOff, 0);
      rowsToStep(n, GH, R, o, dGiRows, dGi, dGiOff);
      if (gru) rowsToStep(n, GH, R, o, dGhRows, dGh, dGhOff);
      for (let k = 0; k < H; k++) for (let r = 0; r < n; r++) {
        carry[carryOff + k * rows0 + r] = dh[r * H + k];
        carry[carryC + k * rows0 + r] = dc[r * H + k];
      }
    }
  }

  adam(n: number, theta: F, grad: F, m: F, v: F, lr: number, beta1: number, beta2: number, eps: number, step: number, gradScale: number): void {
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
