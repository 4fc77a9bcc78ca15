// Whole-sequence time loops of one recurrent block in the FEATURE-MAJOR ("column")
// layout of KernelOps.columnForward / columnBackward (src/nn/kernel-ops.ts): feature
// k of row r of step t is at x[k·R + off_t + r], so every unit of a block is a run
// of rows_t floats and the cell math runs 4 strings per vector whatever H is.
// Mirrors JsOps.columnForward / columnBackward (src/nn/js-ops.ts).
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
import { madd, sigmoid4, storeLanes, tanh4 } from "./simd";

const RELU = 1, GRU = 2, LSTM = 3;
const ONE: v128 = f32x4.splat(1.0);
const ZERO: v128 = f32x4.splat(0.0);
/** bytes from a group's first vector of rows to its second */
const NEXT: usize = 16;

// @ts-ignore: decorator
@inline function stepRows(steps: usize, t: i32): i32 {
  return load<i32>(steps + (<usize>t << 3));
}

/** byte offset of step t's first column within a feature run */
// @ts-ignore: decorator
@inline function stepColumn(steps: usize, t: i32): usize {
  return <usize>load<i32>(steps + (<usize>t << 3), 4) << 2;
}

/**
 * Forward time loop (see KernelOps.columnForward). All pointers are byte addresses
 * of the block's first feature; R is the number of columns of every feature run.
 * h_{−1} = c_{−1} = 0 is applied by masking: at t = 0 the kernels read step 0's own
 * columns as "previous" (valid memory) and AND them (or the products) with zero.
 */
export function columnForward(mode: i32, H: i32, T: i32, R: i32, steps: usize,
                              gi: usize, w: usize, bhh: usize, hp: usize, h: usize, c: usize, ghn: usize): void {
  const stride = <usize>R << 2;
  for (let t = 0; t < T; t++) {
    const rows = stepRows(steps, t), col = stepColumn(steps, t);
    const prev = t > 0 ? stepColumn(steps, t - 1) : col;
    const mask = i32x4.splat(t > 0 ? -1 : 0);
    let r = 0;
    for (; r + 8 <= rows; r += 8) {
      const rb = <usize>r << 2;
      forwardRows(true, mode, H, stride, col + rb, 4, h + prev + rb, c + prev + rb, mask, gi, w, bhh, hp, h, c, ghn);
    }
    for (; r < rows; r += 4) {
      const rb = <usize>r << 2;
      forwardRows(false, mode, H, stride, col + rb, rows - r, h + prev + rb, c + prev + rb, mask, gi, w, bhh, hp, h, c, ghn);
    }
  }
}

/**
 * One step of one vector of rows at column byte offset `at` (its first `lanes`
 * valid), or of two (`pair`: also the full vector at at + 16). from / cFrom:
 * h_{t−1} / c_{t−1} of the same rows.
 */
// @ts-ignore: decorator
@inline function forwardRows(pair: bool, mode: i32, H: i32, stride: usize, at: usize, lanes: i32, from: usize, cFrom: usize,
                             mask: v128, gi: usize, w: usize, bhh: usize, hp: usize, h: usize, c: usize, ghn: usize): void {
  for (let k = 0; k < H; k++) {
    const o = <usize>k * stride;
    storeLanes(hp + o + at, v128.and(v128.load(from + o), mask), lanes);
    if (pair) v128.store(hp + o + at + NEXT, v128.and(v128.load(from + o + NEXT), mask));
  }
  if (mode == GRU) gruForward(pair, H, stride, at, lanes, from, mask, gi, w, bhh, h, ghn);
  else if (mode == LSTM) lstmForward(pair, H, stride, at, lanes, from, cFrom, mask, gi, w, h, c);
  else rnnForward(pair, mode == RELU, H, stride, at, lanes, from, mask, gi, w, h);
}

/** RNN_TANH h = tanh(gi + W·h_{t−1}), RNN_RELU h = max(0, gi + W·h_{t−1}) */
// @ts-ignore: decorator
@inline function rnnForward(pair: bool, relu: bool, H: i32, stride: usize, at: usize, lanes: i32, from: usize, mask: v128,
                            gi: usize, w: usize, h: usize): void {
  for (let j = 0; j < H; j++) {
    const wj = w + (<usize>(j * H) << 2);
    let a0 = ZERO, a1 = ZERO;
    for (let k = 0; k < H; k++) {
      const x = from + <usize>k * stride, wk = v128.load32_splat(wj + (<usize>k << 2));
      a0 = madd(wk, v128.load(x), a0);
      if (pair) a1 = madd(wk, v128.load(x + NEXT), a1);
    }
    const o = <usize>j * stride + at;
    rnnCell(relu, gi + o, h + o, lanes, v128.and(a0, mask));
    if (pair) rnnCell(relu, gi + o + NEXT, h + o + NEXT, 4, v128.and(a1, mask));
  }
}

// @ts-ignore: decorator
@inline function rnnCell(relu: bool, pi: usize, ph: usize, lanes: i32, gh: v128): void {
  const x = f32x4.add(v128.load(pi), gh);
  // pmax: one maxps, where wasm max costs several instructions for its NaN rules
  storeLanes(ph, relu ? f32x4.pmax(x, ZERO) : tanh4(x), lanes);
}

/** GRU: the three gates' recurrent products W·h_{t−1} (independent chains), then the cell */
// @ts-ignore: decorator
@inline function gruForward(pair: bool, H: i32, stride: usize, at: usize, lanes: i32, from: usize, mask: v128,
                            gi: usize, w: usize, bhh: usize, h: usize, ghn: usize): void {
  const wGate = <usize>(H * H) << 2, gate = <usize>H * stride, bGate = <usize>H << 2;
  for (let j = 0; j < H; j++) {
    const wj = w + (<usize>(j * H) << 2);
    let r0 = ZERO, z0 = ZERO, n0 = ZERO, r1 = ZERO, z1 = ZERO, n1 = ZERO;
    for (let k = 0; k < H; k++) {
      const x = from + <usize>k * stride, wk = wj + (<usize>k << 2);
      const wr = v128.load32_splat(wk), wz = v128.load32_splat(wk + wGate), wn = v128.load32_splat(wk + 2 * wGate);
      const x0 = v128.load(x);
      r0 = madd(wr, x0, r0); z0 = madd(wz, x0, z0); n0 = madd(wn, x0, n0);
      if (pair) {
        const x1 = v128.load(x + NEXT);
        r1 = madd(wr, x1, r1); z1 = madd(wz, x1, z1); n1 = madd(wn, x1, n1);
      }
    }
    const bj = bhh + (<usize>j << 2);
    const br = v128.load32_splat(bj), bz = v128.load32_splat(bj + bGate), bn = v128.load32_splat(bj + 2 * bGate);
    const o = <usize>j * stride + at, hPrev = from + <usize>j * stride;
    gruCell(gate, gi + o, h + o, ghn + o, hPrev, lanes, mask, r0, z0, n0, br, bz, bn);
    if (pair) gruCell(gate, gi + o + NEXT, h + o + NEXT, ghn + o + NEXT, hPrev + NEXT, 4, mask, r1, z1, n1, br, bz, bn);
  }
}

/** r, z = σ(gi + gh), n = tanh(gi_n + r∘gh_n), h = n + z∘(h_{t−1} − n); gi ← [r|z|n], ghn ← gh_n */
// @ts-ignore: decorator
@inline function gruCell(gate: usize, pi: usize, ph: usize, pn: usize, hPrev: usize, lanes: i32, mask: v128,
                         ar: v128, az: v128, an: v128, br: v128, bz: v128, bn: v128): void {
  const ghr = f32x4.add(v128.and(ar, mask), br);
  const ghz = f32x4.add(v128.and(az, mask), bz);
  const ghn = f32x4.add(v128.and(an, mask), bn);
  const rg = sigmoid4(f32x4.add(v128.load(pi), ghr));
  const zg = sigmoid4(f32x4.add(v128.load(pi + gate), ghz));
  const ng = tanh4(f32x4.add(v128.load(pi + 2 * gate), f32x4.mul(rg, ghn)));
  storeLanes(pi, rg, lanes);
  storeLanes(pi + gate, zg, lanes);
  storeLanes(pi + 2 * gate, ng, lanes);
  storeLanes(pn, ghn, lanes);
  const x = v128.and(v128.load(hPrev), mask);
  storeLanes(ph, f32x4.add(ng, f32x4.mul(zg, f32x4.sub(x, ng))), lanes);
}

/** LSTM: the four gates' recurrent products W·h_{t−1} (independent chains), then the cell */
// @ts-ignore: decorator
@inline function lstmForward(pair: bool, H: i32, stride: usize, at: usize, lanes: i32, from: usize, cFrom: usize, mask: v128,
                             gi: usize, w: usize, h: usize, c: usize): void {
  const wGate = <usize>(H * H) << 2, gate = <usize>H * stride;
  for (let j = 0; j < H; j++) {
    const wj = w + (<usize>(j * H) << 2);
    let i0 = ZERO, f0 = ZERO, g0 = ZERO, o0 = ZERO, i1 = ZERO, f1 = ZERO, g1 = ZERO, o1 = ZERO;
    for (let k = 0; k < H; k++) {
      const x = from + <usize>k * stride, wk = wj + (<usize>k << 2);
      const wi = v128.load32_splat(wk), wf = v128.load32_splat(wk + wGate);
      const wg = v128.load32_splat(wk + 2 * wGate), wo = v128.load32_splat(wk + 3 * wGate);
      const x0 = v128.load(x);
      i0 = madd(wi, x0, i0); f0 = madd(wf, x0, f0); g0 = madd(wg, x0, g0); o0 = madd(wo, x0, o0);
      if (pair) {
        const x1 = v128.load(x + NEXT);
        i1 = madd(wi, x1, i1); f1 = madd(wf, x1, f1); g1 = madd(wg, x1, g1); o1 = madd(wo, x1, o1);
      }
    }
    const o = <usize>j * stride + at, cPrev = cFrom + <usize>j * stride;
    lstmCell(gate, gi + o, h + o, c + o, cPrev, lanes, mask, i0, f0, g0, o0);
    if (pair) lstmCell(gate, gi + o + NEXT, h + o + NEXT, c + o + NEXT, cPrev + NEXT, 4, mask, i1, f1, g1, o1);
  }
}

/** i, f, o = σ(gi + gh), g = tanh(gi_g + gh_g), c = f∘c_{t−1} + i∘g, h = o∘tanh(c); gi ← [i|f|g|o] */
// @ts-ignore: decorator
@inline function lstmCell(gate: usize, pi: usize, ph: usize, pc: usize, cPrev: usize, lanes: i32, mask: v128,
                          ai: v128, af: v128, ag: v128, ao: v128): void {
  const ig = sigmoid4(f32x4.add(v128.load(pi), v128.and(ai, mask)));
  const fg = sigmoid4(f32x4.add(v128.load(pi + gate), v128.and(af, mask)));
  const gg = tanh4(f32x4.add(v128.load(pi + 2 * gate), v128.and(ag, mask)));
  const og = sigmoid4(f32x4.add(v128.load(pi + 3 * gate), v128.and(ao, mask)));
  storeLanes(pi, ig, lanes);
  storeLanes(pi + gate, fg, lanes);
  storeLanes(pi + 2 * gate, gg, lanes);
  storeLanes(pi + 3 * gate, og, lanes);
  const cn = madd(fg, v128.and(v128.load(cPrev), mask), f32x4.mul(ig, gg));
  storeLanes(pc, cn, lanes);
  storeLanes(ph, f32x4.mul(og, tanh4(cn)), lanes);
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
  const carryC = carryH + <usize>H * carryStride;
  if (mode == GRU) {
    for (let j = 0; j < H; j++) {
      const o = <usize>j * stride + at, pc = carryH + <usize>j * carryStride;
      gruCellBackward(H, stride, o, lanes, pc, act, hp, ghn, dOut, dGi, dGh);
      if (pair) gruCellBackward(H, stride, o + NEXT, 4, pc + NEXT, act, hp, ghn, dOut, dGi, dGh);
    }
    // ∂L/∂h_{−1} is not needed
    if (carryBack) recurrentBackward(pair, 3, true, H, stride, carryStride, at, lanes, w, dGh, carryH);
  } else if (mode == LSTM) {
    for (let j = 0; j < H; j++) {
      const o = <usize>j * stride + at, pc = carryH + <usize>j * carryStride, pcc = carryC + <usize>j * carryStride;
      const cPrev = cFrom + <usize>j * stride;
      lstmCellBackward(H, stride, o, lanes, pc, pcc, cPrev, mask, act, c, dOut, dGi);
      if (pair) lstmCellBackward(H, stride, o + NEXT, 4, pc + NEXT, pcc + NEXT, cPrev + NEXT, mask, act, c, dOut, dGi);
    }
    if (carryBack) recurrentBackward(pair, 4, false, H, stride, carryStride, at, lanes, w, dGi, carryH);
  } else {
    const relu = mode == RELU;
    for (let j = 0; j < H; j++) {
      const o = <usize>j * stride + at, pc = carryH + <usize>j * carryStride;
      rnnCellBackward(relu, o, lanes, pc, h, dOut, dGi);
      if (pair) rnnCellBackward(relu, o + NEXT, 4, pc + NEXT, h, dOut, dGi);
    }
    if (carryBack) recurrentBackward(pair, 1, false, H, stride, carryStride, at, lanes, w, dGi, carryH);
  }
}

/** RNN_TANH dGi = d∘(1 − h²), RNN_RELU dGi = d∘(h > 0), d = dOut + carryH */
// @ts-ignore: decorator
@inline function rnnCellBackward(relu: bool, o: usize, lanes: i32, pc: usize, h: usize, dOut: usize, dGi: usize): void {
  const d = f32x4.add(v128.load(dOut + o), v128.load(pc));
  const y = v128.load(h + o);
  storeLanes(dGi + o, relu ? v128.and(d, f32x4.gt(y, ZERO)) : f32x4.mul(d, f32x4.sub(ONE, f32x4.mul(y, y))), lanes);
}

/**
 * GRU: dn = d(1−z)(1−n²), dz = d(h_{t−1}−n)z(1−z), dr = dn·ghn·r(1−r);
 * dGi = [dr | dz | dn], dGh = [dr | dz | dn∘r]; carryH ← d∘z (pass 2 adds the product).
 */
// @ts-ignore: decorator
@inline function gruCellBackward(H: i32, stride: usize, o: usize, lanes: i32, pc: usize,
                                 act: usize, hp: usize, ghn: usize, dOut: usize, dGi: usize, dGh: usize): void {
  const gate = <usize>H * stride;
  const d = f32x4.add(v128.load(dOut + o), v128.load(pc));
  const pa = act + o;
  const rg = v128.load(pa), zg = v128.load(pa + gate), ng = v128.load(pa + 2 * gate);
  const dn = f32x4.mul(f32x4.mul(d, f32x4.sub(ONE, zg)), f32x4.sub(ONE, f32x4.mul(ng, ng)));
  const dz = f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(v128.load(hp + o), ng)), zg), f32x4.sub(ONE, zg));
  const dr = f32x4.mul(f32x4.mul(f32x4.mul(dn, v128.load(ghn + o)), rg), f32x4.sub(ONE, rg));
  const pi = dGi + o, ph = dGh + o;
  storeLanes(pi, dr, lanes);
  storeLanes(pi + gate, dz, lanes);
  storeLanes(pi + 2 * gate, dn, lanes);
  storeLanes(ph, dr, lanes);
  storeLanes(ph + gate, dz, lanes);
  storeLanes(ph + 2 * gate, f32x4.mul(dn, rg), lanes);
  storeLanes(pc, f32x4.mul(d, zg), lanes);
}

/**
 * LSTM: tc = tanh(c), dct = carryC + d·o(1−tc²);
 * dGi = [dct·g·i(1−i) | dct·c_{t−1}·f(1−f) | dct·i(1−g²) | d·tc·o(1−o)]; carryC ← dct∘f.
 */
// @ts-ignore: decorator
@inline function lstmCellBackward(H: i32, stride: usize, o: usize, lanes: i32, pc: usize, pcc: usize, cPrev: usize, mask: v128,
                                  act: usize, c: usize, dOut: usize, dGi: usize): void {
  const gate = <usize>H * stride;
  const d = f32x4.add(v128.load(dOut + o), v128.load(pc));
  const pa = act + o;
  const ig = v128.load(pa), fg = v128.load(pa + gate), gg = v128.load(pa + 2 * gate), og = v128.load(pa + 3 * gate);
  const tc = tanh4(v128.load(c + o));
  const dct = f32x4.add(v128.load(pcc), f32x4.mul(f32x4.mul(d, og), f32x4.sub(ONE, f32x4.mul(tc, tc))));
  const x = v128.and(v128.load(cPrev), mask);
  const pi = dGi + o;
  storeLanes(pi, f32x4.mul(f32x4.mul(f32x4.mul(dct, gg), ig), f32x4.sub(ONE, ig)), lanes);
  storeLanes(pi + gate, f32x4.mul(f32x4.mul(f32x4.mul(dct, x), fg), f32x4.sub(ONE, fg)), lanes);
  storeLanes(pi + 2 * gate, f32x4.mul(f32x4.mul(dct, ig), f32x4.sub(ONE, f32x4.mul(gg, gg))), lanes);
  storeLanes(pi + 3 * gate, f32x4.mul(f32x4.mul(f32x4.mul(d, tc), og), f32x4.sub(ONE, og)), lanes);
  storeLanes(pcc, f32x4.mul(dct, fg), lanes);
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
