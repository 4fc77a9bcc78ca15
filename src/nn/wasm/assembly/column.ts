// Whole-sequence time loops of one recurrent block in the FEATURE-MAJOR ("column")
// layout of KernelOps.columnForward / columnBackward (src/nn/kernel-ops.ts): feature
// k of row r of step t is at x[k·R + off_t + r], so every unit of a block is a run
// of rows_t floats and the cell math runs 4 strings per vector whatever H is.
// The cell math is gates.ts's. Mirrors JsOps.columnForward / columnBackward (src/nn/js-ops.ts).
//
// Loop order: time, then rows, then units; within a group of rows the whole step
// (recurrent product and cell) runs in registers. Rows go 8 at a time (two vectors
// side by side: the gate functions are long dependent chains, and two independent
// ones keep the CPU busy; each W_hh entry, broadcast with load32_splat, then serves
// both), and the remaining 1–7 rows 4 at a time. A step's last vector may be ragged
// (rows_t not a multiple of 4): it stores only its valid lanes (the next step's
// columns follow directly) but LOADS all 4, i.e. up to 12 bytes past a run — at
// worst past the end of a buffer (ColumnEngine leaves 4 floats of slack after each
// sequence buffer, and WasmOps keeps a zeroed guard after its last allocation, so
// such loads stay inside linear memory). The garbage lanes are computed and dropped.
//
// Mode codes (wasm-ops.ts maps CellMode to them): 0 RNN_TANH, 1 RNN_RELU, 2 GRU, 3 LSTM.
import { madd, storeLanes } from "./simd";
import { gruCell, gruCellGradient, lstmCell, lstmCellGradient, rnnCell, rnnCellGradient } from "./gates";

export const RELU = 1, GRU = 2, LSTM = 3;
export const ZERO: v128 = f32x4.splat(0.0);
/** bytes from a group's first vector of rows to its second */
const NEXT: usize = 16;

// @ts-ignore: decorator
@inline export function stepRows(steps: usize, t: i32): i32 {
  return load<i32>(steps + (<usize>t << 3));
}

/** byte offset of step t's first column within a feature run */
// @ts-ignore: decorator
@inline export function stepColumn(steps: usize, t: i32): usize {
  return <usize>load<i32>(steps + (<usize>t << 3), 4) << 2;
}

/**
 * Forward time loop (see KernelOps.columnForward). All pointers are byte addresses
 * of the block's first feature; R is the number of columns of every feature run.
 * Per group of rows, hp ← h_{t−1} comes first: at t = 0 the kernel reads step 0's
 * own columns as "previous" (valid memory) and ANDs them with zero, so hp holds the
 * zero state and everything after it reads h_{t−1} from hp (just stored, so from L1).
 * The input projection W_ih·x_t is formed here too, beside the recurrent product:
 * gates whose input and recurrent parts are only ever summed share one accumulator.
 */
export function columnForward(mode: i32, H: i32, T: i32, R: i32, steps: usize, x: usize, In: i32, wih: usize, bih: usize,
                              w: usize, bhh: usize, act: usize, hp: usize, h: usize, c: usize, ghn: usize): void {
  const stride = <usize>R << 2;
  for (let t = 0; t < T; t++) {
    const rows = stepRows(steps, t), col = stepColumn(steps, t);
    const prev = t > 0 ? stepColumn(steps, t - 1) : col;
    const mask = i32x4.splat(t > 0 ? -1 : 0);
    let r = 0;
    for (; r + 8 <= rows; r += 8) {
      const rb = <usize>r << 2;
      forwardRows(true, mode, H, In, stride, col + rb, 4, h + prev + rb, c + prev + rb, mask, x, wih, bih, w, bhh, act, hp, h, c, ghn);
    }
    for (; r < rows; r += 4) {
      const rb = <usize>r << 2;
      forwardRows(false, mode, H, In, stride, col + rb, rows - r, h + prev + rb, c + prev + rb, mask, x, wih, bih, w, bhh, act, hp, h, c, ghn);
    }
  }
}

/**
 * One step of one vector of rows at column byte offset `at` (its first `lanes`
 * valid), or of two (`pair`: also the full vector at at + 16). from / cFrom:
 * h_{t−1} / c_{t−1} of the same rows (masked to zero at t = 0).
 */
// @ts-ignore: decorator
@inline function forwardRows(pair: bool, mode: i32, H: i32, In: i32, stride: usize, at: usize, lanes: i32, from: usize, cFrom: usize,
                             mask: v128, x: usize, wih: usize, bih: usize, w: usize, bhh: usize, act: usize, hp: usize, h: usize, c: usize, ghn: usize): void {
  storePrevious(pair ? 2 : 1, H, stride, at, pair ? 4 : lanes, from, mask, hp);
  if (mode == GRU) gruForward(pair, H, In, stride, at, lanes, x, wih, bih, w, bhh, act, hp, h, ghn);
  else if (mode == LSTM) lstmForward(pair, H, In, stride, at, lanes, cFrom, mask, x, wih, bih, w, bhh, act, hp, h, c);
  else rnnForward(pair, mode == RELU, H, In, stride, at, lanes, x, wih, bih, w, bhh, hp, h);
}

/**
 * hp ← h_{t−1} (masked: zero at t = 0) for `vectors` consecutive vectors of rows at column byte
 * offset `at`, the last with `lanes` valid lanes; `from` is h_{t−1} of the same rows.
 */
// @ts-ignore: decorator
@inline export function storePrevious(vectors: i32, H: i32, stride: usize, at: usize, lanes: i32, from: usize, mask: v128, hp: usize): void {
  for (let k = 0; k < H; k++) {
    const o = <usize>k * stride;
    for (let v = 0; v < vectors; v++) {
      const b = o + (<usize>v << 4);
      storeLanes(hp + b + at, v128.and(v128.load(from + b), mask), v == vectors - 1 ? lanes : 4);
    }
  }
}

/** acc + Σ_k M[k]·v_k over one vector of rows (M: a row of W_ih or W_hh; v_k at v + k·stride) */
// @ts-ignore: decorator
@inline function dotRows(n: i32, m: usize, v: usize, stride: usize, acc: v128): v128 {
  for (let k = 0; k < n; k++) acc = madd(v128.load32_splat(m + (<usize>k << 2)), v128.load(v + <usize>k * stride), acc);
  return acc;
}

/** b_ih[q] + b_hh[q] as a vector */
// @ts-ignore: decorator
@inline function biases(bih: usize, bhh: usize, q: i32): v128 {
  const qb = <usize>q << 2;
  return f32x4.add(v128.load32_splat(bih + qb), v128.load32_splat(bhh + qb));
}

/** RNN_TANH h = tanh(W_ih·x + b_ih + W_hh·h_{t−1} + b_hh), RNN_RELU h = max(0, …) */
// @ts-ignore: decorator
@inline function rnnForward(pair: bool, relu: bool, H: i32, In: i32, stride: usize, at: usize, lanes: i32,
                            x: usize, wih: usize, bih: usize, w: usize, bhh: usize, hp: usize, h: usize): void {
  const xs = x + at, hs = hp + at;
  for (let j = 0; j < H; j++) {
    const wi = wih + (<usize>(j * In) << 2), wh = w + (<usize>(j * H) << 2), b = biases(bih, bhh, j);
    const a0 = dotRows(H, wh, hs, stride, dotRows(In, wi, xs, stride, b));
    const o = <usize>j * stride + at;
    storeLanes(h + o, rnnCell(relu, a0), lanes);
    if (pair) {
      const a1 = dotRows(H, wh, hs + NEXT, stride, dotRows(In, wi, xs + NEXT, stride, b));
      v128.store(h + o + NEXT, rnnCell(relu, a1));
    }
  }
}

/**
 * GRU: r, z = σ(W_i·x + b_i + W_h·h_{t−1} + b_h) (one accumulator each), n = tanh(W_in·x + b_in
 * + r∘(W_hn·h_{t−1} + b_hn)) (two), h = n + z∘(h_{t−1} − n); act ← [r|z|n], ghn ← W_hn·h_{t−1} + b_hn
 */
// @ts-ignore: decorator
@inline function gruForward(pair: bool, H: i32, In: i32, stride: usize, at: usize, lanes: i32,
                            x: usize, wih: usize, bih: usize, w: usize, bhh: usize, act: usize, hp: usize, h: usize, ghn: usize): void {
  const wiGate = <usize>(H * In) << 2, whGate = <usize>(H * H) << 2, gate = <usize>H * stride;
  const xs = x + at, hs = hp + at;
  for (let j = 0; j < H; j++) {
    const wi = wih + (<usize>(j * In) << 2), wh = w + (<usize>(j * H) << 2);
    const br = biases(bih, bhh, j), bz = biases(bih, bhh, H + j);
    const bin = v128.load32_splat(bih + (<usize>(2 * H + j) << 2)), bhn = v128.load32_splat(bhh + (<usize>(2 * H + j) << 2));
    let r0 = br, z0 = bz, i0 = bin, n0 = bhn, r1 = br, z1 = bz, i1 = bin, n1 = bhn;
    for (let part = 0; part < 2; part++) {
      // part 0: W_ih·x (the n gate's into i), part 1: W_hh·h_{t−1} (the n gate's into n)
      const input = part == 0;
      const n = input ? In : H, vs = input ? xs : hs, ms = input ? wi : wh, mGate = input ? wiGate : whGate;
      for (let k = 0; k < n; k++) {
        const v = vs + <usize>k * stride, m = ms + (<usize>k << 2);
        const wr = v128.load32_splat(m), wz = v128.load32_splat(m + mGate), wn = v128.load32_splat(m + 2 * mGate);
        const v0 = v128.load(v);
        r0 = madd(wr, v0, r0); z0 = madd(wz, v0, z0);
        if (input) i0 = madd(wn, v0, i0); else n0 = madd(wn, v0, n0);
        if (pair) {
          const v1 = v128.load(v + NEXT);
          r1 = madd(wr, v1, r1); z1 = madd(wz, v1, z1);
          if (input) i1 = madd(wn, v1, i1); else n1 = madd(wn, v1, n1);
        }
      }
    }
    const o = <usize>j * stride + at;
    gruColumnCell(gate, o, lanes, r0, z0, i0, n0, act, hp, h, ghn);
    if (pair) gruColumnCell(gate, o + NEXT, 4, r1, z1, i1, n1, act, hp, h, ghn);
  }
}

/** The GRU cell of one vector of rows at byte offset o of every feature run; ghn keeps W_hn·h_{t−1} + b_hn for the backward. */
// @ts-ignore: decorator
@inline export function gruColumnCell(gate: usize, o: usize, lanes: i32, ar: v128, az: v128, ain: v128, ahn: v128,
                                      act: usize, hp: usize, h: usize, ghn: usize): void {
  storeLanes(ghn + o, ahn, lanes);
  gruCell(true, ar, az, ain, ahn, v128.load(hp + o), act + o, gate, h + o, lanes);
}

/** LSTM: i, f, g, o = W_i·x + b_i + W_h·h_{t−1} + b_h (one accumulator each), then the cell */
// @ts-ignore: decorator
@inline function lstmForward(pair: bool, H: i32, In: i32, stride: usize, at: usize, lanes: i32, cFrom: usize, mask: v128,
                             x: usize, wih: usize, bih: usize, w: usize, bhh: usize, act: usize, hp: usize, h: usize, c: usize): void {
  const wiGate = <usize>(H * In) << 2, whGate = <usize>(H * H) << 2, gate = <usize>H * stride;
  const xs = x + at, hs = hp + at;
  for (let j = 0; j < H; j++) {
    const wi = wih + (<usize>(j * In) << 2), wh = w + (<usize>(j * H) << 2);
    const bi = biases(bih, bhh, j), bf = biases(bih, bhh, H + j), bg = biases(bih, bhh, 2 * H + j), bo = biases(bih, bhh, 3 * H + j);
    let i0 = bi, f0 = bf, g0 = bg, o0 = bo, i1 = bi, f1 = bf, g1 = bg, o1 = bo;
    for (let part = 0; part < 2; part++) {
      // part 0: W_ih·x, part 1: W_hh·h_{t−1}
      const n = part == 0 ? In : H, vs = part == 0 ? xs : hs, ms = part == 0 ? wi : wh, mGate = part == 0 ? wiGate : whGate;
      for (let k = 0; k < n; k++) {
        const v = vs + <usize>k * stride, m = ms + (<usize>k << 2);
        const wI = v128.load32_splat(m), wF = v128.load32_splat(m + mGate);
        const wG = v128.load32_splat(m + 2 * mGate), wO = v128.load32_splat(m + 3 * mGate);
        const v0 = v128.load(v);
        i0 = madd(wI, v0, i0); f0 = madd(wF, v0, f0); g0 = madd(wG, v0, g0); o0 = madd(wO, v0, o0);
        if (pair) {
          const v1 = v128.load(v + NEXT);
          i1 = madd(wI, v1, i1); f1 = madd(wF, v1, f1); g1 = madd(wG, v1, g1); o1 = madd(wO, v1, o1);
        }
      }
    }
    const o = <usize>j * stride + at, cPrev = cFrom + <usize>j * stride;
    lstmCell(true, i0, f0, g0, o0, v128.and(v128.load(cPrev), mask), act + o, gate, c + o, h + o, lanes);
    if (pair) lstmCell(true, i1, f1, g1, o1, v128.and(v128.load(cPrev + NEXT), mask), act + o + NEXT, gate, c + o + NEXT, h + o + NEXT, 4);
  }
}

/**
 * Backward time loop (see KernelOps.columnBackward), t = T−1 … 0. Per group of rows:
 * pass 1 forms each unit's gate gradients from d = dOut + carryH (and carryC) and
 * stores dGi / dGh; GRU leaves d∘z and LSTM the new carryC in the carry slot of the
 * same unit, whose old value only that unit reads. Pass 2 then adds the recurrent
 * product: carryH_k (+)= Σ_q ∂L/∂gh_q·W[q, k], reading back the gradients just stored.
 * carry: carryH[k][r] at carry[k·rows_0 + r], carryC[k][r] at carry[(H + k)·rows_0 + r].
 */
export function columnBackward(mode: i32, H: i32, T: i32, R: i32, steps: usize,
                               act: usize, w: usize, hp: usize, h: usize, c: usize, ghn: usize,
                               dOut: usize, dGi: usize, dGh: usize, carry: usize): void {
  if (T <= 0) return;
  const stride = <usize>R << 2;
  const carryStride = <usize>stepRows(steps, 0) << 2;
  memory.fill(carry, 0, <usize>(mode == LSTM ? 2 * H : H) * carryStride);
  for (let t = T - 1; t >= 0; t--) {
    const rows = stepRows(steps, t), col = stepColumn(steps, t);
    const prev = t > 0 ? stepColumn(steps, t - 1) : col;
    const mask = i32x4.splat(t > 0 ? -1 : 0);
    let r = 0;
    for (; r + 8 <= rows; r += 8) {
      const rb = <usize>r << 2;
      backwardRows(true, mode, t > 0, H, stride, carryStride, col + rb, 4, c + prev + rb, mask,
        act, w, hp, h, c, ghn, dOut, dGi, dGh, carry + rb);
    }
    for (; r < rows; r += 4) {
      const rb = <usize>r << 2;
      backwardRows(false, mode, t > 0, H, stride, carryStride, col + rb, rows - r, c + prev + rb, mask,
        act, w, hp, h, c, ghn, dOut, dGi, dGh, carry + rb);
    }
  }
}

/** One backward step of one vector of rows (or two: `pair`, as forwardRows); carryH: this group's carry column. */
// @ts-ignore: decorator
@inline function backwardRows(pair: bool, mode: i32, carryBack: bool, H: i32, stride: usize, carryStride: usize, at: usize, lanes: i32,
                              cFrom: usize, mask: v128, act: usize, w: usize, hp: usize, h: usize, c: usize, ghn: usize,
                              dOut: usize, dGi: usize, dGh: usize, carryH: usize): void {
  cellGradients(pair ? 2 : 1, lanes, mode, H, stride, carryStride, at, cFrom, mask, act, hp, h, c, ghn, dOut, dGi, dGh, carryH);
  // ∂L/∂h_{−1} is not needed
  if (!carryBack) return;
  if (mode == GRU) recurrentBackward(pair, 3, true, H, stride, carryStride, at, lanes, w, dGh, carryH);
  else recurrentBackward(pair, mode == LSTM ? 4 : 1, false, H, stride, carryStride, at, lanes, w, dGi, carryH);
}

/**
 * Pass 1 of a backward step, shared with the sparse kernels: every unit's gate gradients
 * (dGi, GRU's dGh) for `vectors` consecutive vectors of rows at column byte offset `at`, the
 * last with `lanes` valid lanes; GRU leaves d∘z and LSTM the new carryC in the unit's carry slots.
 */
// @ts-ignore: decorator
@inline export function cellGradients(vectors: i32, lanes: i32, mode: i32, H: i32, stride: usize, carryStride: usize, at: usize,
                                      cFrom: usize, mask: v128, act: usize, hp: usize, h: usize, c: usize, ghn: usize,
                                      dOut: usize, dGi: usize, dGh: usize, carryH: usize): void {
  const carryC = carryH + <usize>H * carryStride;
  for (let j = 0; j < H; j++) {
    for (let v = 0; v < vectors; v++) {
      const vb = <usize>v << 4, o = <usize>j * stride + at + vb, n = v == vectors - 1 ? lanes : 4;
      const pc = carryH + <usize>j * carryStride + vb;
      if (mode == GRU) gruCellBackward(H, stride, o, n, pc, act, hp, ghn, dOut, dGi, dGh);
      else if (mode == LSTM) {
        lstmCellBackward(H, stride, o, n, pc, carryC + <usize>j * carryStride + vb, cFrom + <usize>j * stride + vb, mask, act, c, dOut, dGi);
      } else rnnCellBackward(mode == RELU, o, n, pc, h, dOut, dGi);
    }
  }
}

/** RNN: dGi from d = dOut + carryH (pass 2 replaces carryH with the product) */
// @ts-ignore: decorator
@inline function rnnCellBackward(relu: bool, o: usize, lanes: i32, pc: usize, h: usize, dOut: usize, dGi: usize): void {
  const d = f32x4.add(v128.load(dOut + o), v128.load(pc));
  storeLanes(dGi + o, rnnCellGradient(relu, d, v128.load(h + o)), lanes);
}

/** GRU: dGi, dGh from d = dOut + carryH; carryH ← d∘z (pass 2 adds the product) */
// @ts-ignore: decorator
@inline function gruCellBackward(H: i32, stride: usize, o: usize, lanes: i32, pc: usize,
                                 act: usize, hp: usize, ghn: usize, dOut: usize, dGi: usize, dGh: usize): void {
  const d = f32x4.add(v128.load(dOut + o), v128.load(pc));
  storeLanes(pc, gruCellGradient(d, v128.load(hp + o), v128.load(ghn + o), act + o, <usize>H * stride, dGi + o, dGh + o, lanes), lanes);
}

/** LSTM: dGi from d = dOut + carryH and carryC; carryC ← ∂L/∂c_{t−1} (pass 2 replaces carryH) */
// @ts-ignore: decorator
@inline function lstmCellBackward(H: i32, stride: usize, o: usize, lanes: i32, pc: usize, pcc: usize, cPrev: usize, mask: v128,
                                  act: usize, c: usize, dOut: usize, dGi: usize): void {
  const d = f32x4.add(v128.load(dOut + o), v128.load(pc));
  const carry = lstmCellGradient(d, v128.load(pcc), v128.and(v128.load(cPrev), mask), v128.load(c + o), act + o, <usize>H * stride, dGi + o, lanes);
  storeLanes(pcc, carry, lanes);
}

/**
 * carryH_k = (keep ? carryH_k : 0) + Σ_q dG_q·W[q, k] over the G·H gate units q
 * (dG = ∂L/∂gh; W is G·H × H). Units k go 4 at a time, then the last 1–3 together:
 * each dG_q vector loaded then feeds that many (×2 with `pair`) independent
 * accumulators, each W entry a splat.
 */
// @ts-ignore: decorator
@inline function recurrentBackward(pair: bool, G: i32, keep: bool, H: i32, stride: usize, carryStride: usize, at: usize, lanes: i32,
                                   w: usize, dG: usize, carryH: usize): void {
  let k = 0;
  for (; k + 4 <= H; k += 4) recurrentUnits(4, pair, keep, G * H, H, k, stride, carryStride, at, lanes, w, dG, carryH);
  const rest = H - k;
  if (rest == 3) recurrentUnits(3, pair, keep, G * H, H, k, stride, carryStride, at, lanes, w, dG, carryH);
  else if (rest == 2) recurrentUnits(2, pair, keep, G * H, H, k, stride, carryStride, at, lanes, w, dG, carryH);
  else if (rest == 1) recurrentUnits(1, pair, keep, G * H, H, k, stride, carryStride, at, lanes, w, dG, carryH);
}

/** recurrentBackward for units k … k + width − 1 (width 1–4, a constant after inlining) */
// @ts-ignore: decorator
@inline function recurrentUnits(width: i32, pair: bool, keep: bool, units: i32, H: i32, k: i32, stride: usize, carryStride: usize,
                                at: usize, lanes: i32, w: usize, dG: usize, carryH: usize): void {
  const p0 = carryH + <usize>k * carryStride, p1 = p0 + carryStride, p2 = p1 + carryStride, p3 = p2 + carryStride;
  // keep (GRU): carryH already holds d∘z
  let a0 = keep ? v128.load(p0) : ZERO, a1 = keep && width > 1 ? v128.load(p1) : ZERO;
  let a2 = keep && width > 2 ? v128.load(p2) : ZERO, a3 = keep && width > 3 ? v128.load(p3) : ZERO;
  let b0 = keep && pair ? v128.load(p0 + NEXT) : ZERO, b1 = keep && pair && width > 1 ? v128.load(p1 + NEXT) : ZERO;
  let b2 = keep && pair && width > 2 ? v128.load(p2 + NEXT) : ZERO, b3 = keep && pair && width > 3 ? v128.load(p3 + NEXT) : ZERO;
  const wRow = <usize>H << 2;
  let pd = dG + at, pw = w + (<usize>k << 2);
  for (let q = 0; q < units; q++) {
    const d0 = v128.load(pd), d1 = pair ? v128.load(pd + NEXT) : ZERO;
    const w0 = v128.load32_splat(pw);
    a0 = madd(d0, w0, a0);
    if (pair) b0 = madd(d1, w0, b0);
    if (width > 1) {
      const w1 = v128.load32_splat(pw, 4);
      a1 = madd(d0, w1, a1);
      if (pair) b1 = madd(d1, w1, b1);
    }
    if (width > 2) {
      const w2 = v128.load32_splat(pw, 8);
      a2 = madd(d0, w2, a2);
      if (pair) b2 = madd(d1, w2, b2);
    }
    if (width > 3) {
      const w3 = v128.load32_splat(pw, 12);
      a3 = madd(d0, w3, a3);
      if (pair) b3 = madd(d1, w3, b3);
    }
    pd += stride;
    pw += wRow;
  }
  storeCarry(pair, p0, lanes, a0, b0);
  if (width > 1) storeCarry(pair, p1, lanes, a1, b1);
  if (width > 2) storeCarry(pair, p2, lanes, a2, b2);
  if (width > 3) storeCarry(pair, p3, lanes, a3, b3);
}

// @ts-ignore: decorator
@inline function storeCarry(pair: bool, p: usize, lanes: i32, a: v128, b: v128): void {
  storeLanes(p, a, lanes);
  if (pair) v128.store(p + NEXT, b);
}
