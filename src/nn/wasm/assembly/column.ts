// Whole-sequence time loops of one recurrent block in the FEATURE-MAJOR ("column")
// layout of KernelOps.columnForward / columnBackward (src/nn/kernel-ops.ts): feature
// k of row r of step t is at x[k·R + off_t + r], so every unit of a block is a run
// of rows_t floats and the cell math runs 4 strings per vector whatever H is.
// Mirrors JsOps.columnForward / columnBackward (src/nn/js-ops.ts).
//
// Loop order: time, then vectors of 4 rows, then units. Within a vector of rows the
// whole step (recurrent product and cell) runs in registers; W_hh entries are
// broadcast with load32_splat. A step's last vector may be ragged (rows_t not a
// multiple of 4): it stores only its valid lanes (the next step's columns follow
// directly) but LOADS all 4, i.e. up to 12 bytes past a run — at worst past the end
// of a buffer, which is still inside linear memory because WasmOps keeps a zeroed
// guard after its last allocation. The garbage lanes are computed and dropped.
//
// Mode codes (wasm-ops.ts maps CellMode to them): 0 RNN_TANH, 1 RNN_RELU, 2 GRU, 3 LSTM.
import { madd, sigmoid4, storeLanes, tanh4 } from "./simd";

const TANH = 0, RELU = 1, GRU = 2, LSTM = 3;
const ONE: v128 = f32x4.splat(1.0);
const ZERO: v128 = f32x4.splat(0.0);

// @ts-ignore: decorator
@inline function stepRows(steps: usize, t: i32): i32 {
  return load<i32>(steps + (<usize>t << 3));
}

/** byte offset of step t's first column within a feature run */
// @ts-ignore: decorator
@inline function stepColumn(steps: usize, t: i32): usize {
  return <usize>load<i32>(steps + (<usize>t << 3), 4) << 2;
}

/** Σ_k W[q, k]·x_k over one vector of rows (wq: row q of W; x_k at x + k·stride). */
// @ts-ignore: decorator
@inline function dotColumn(H: i32, wq: usize, x: usize, stride: usize): v128 {
  let acc = ZERO;
  for (let k = 0; k < H; k++) acc = madd(v128.load32_splat(wq + (<usize>k << 2)), v128.load(x + <usize>k * stride), acc);
  return acc;
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
    for (let r = 0; r < rows; r += 4) {
      const rb = <usize>r << 2, lanes = rows - r;
      const at = col + rb, from = h + prev + rb;
      for (let k = 0; k < H; k++) {
        const o = <usize>k * stride;
        storeLanes(hp + o + at, v128.and(v128.load(from + o), mask), lanes);
      }
      if (mode == GRU) gruForward(H, stride, at, lanes, from, mask, gi, w, bhh, h, ghn);
      else if (mode == LSTM) lstmForward(H, stride, at, lanes, from, c + prev + rb, mask, gi, w, h, c);
      else rnnForward(mode == RELU, H, stride, at, lanes, from, mask, gi, w, h);
    }
  }
}

/** RNN_TANH h = tanh(gi + W·h_{t−1}), RNN_RELU h = max(0, …) for one vector of rows */
// @ts-ignore: decorator
@inline function rnnForward(relu: bool, H: i32, stride: usize, at: usize, lanes: i32, from: usize, mask: v128,
                            gi: usize, w: usize, h: usize): void {
  const wRow = <usize>H << 2;
  for (let j = 0; j < H; j++) {
    const o = <usize>j * stride + at;
    const x = f32x4.add(v128.load(gi + o), v128.and(dotColumn(H, w + <usize>j * wRow, from, stride), mask));
    storeLanes(h + o, relu ? f32x4.max(x, ZERO) : tanh4(x), lanes);
  }
}

/** GRU r, z = σ(gi + W·h + b), n = tanh(gi_n + r∘(W_n·h + b_n)), h = n + z∘(h_{t−1} − n); gi ← [r|z|n], ghn ← W_n·h + b_n */
// @ts-ignore: decorator
@inline function gruForward(H: i32, stride: usize, at: usize, lanes: i32, from: usize, mask: v128,
                            gi: usize, w: usize, bhh: usize, h: usize, ghn: usize): void {
  const wRow = <usize>H << 2, wGate = <usize>(H * H) << 2, gate = <usize>H * stride, bGate = <usize>H << 2;
  for (let j = 0; j < H; j++) {
    const wj = w + <usize>j * wRow, bj = bhh + (<usize>j << 2);
    // the three gates' products as independent chains
    let ar = ZERO, az = ZERO, an = ZERO;
    for (let k = 0; k < H; k++) {
      const x = v128.load(from + <usize>k * stride), wk = wj + (<usize>k << 2);
      ar = madd(v128.load32_splat(wk), x, ar);
      az = madd(v128.load32_splat(wk + wGate), x, az);
      an = madd(v128.load32_splat(wk + 2 * wGate), x, an);
    }
    ar = f32x4.add(v128.and(ar, mask), v128.load32_splat(bj));
    az = f32x4.add(v128.and(az, mask), v128.load32_splat(bj + bGate));
    an = f32x4.add(v128.and(an, mask), v128.load32_splat(bj + 2 * bGate));
    const o = <usize>j * stride + at, pr = gi + o;
    const rg = sigmoid4(f32x4.add(v128.load(pr), ar));
    const zg = sigmoid4(f32x4.add(v128.load(pr + gate), az));
    const ng = tanh4(f32x4.add(v128.load(pr + 2 * gate), f32x4.mul(rg, an)));
    storeLanes(pr, rg, lanes);
    storeLanes(pr + gate, zg, lanes);
    storeLanes(pr + 2 * gate, ng, lanes);
    storeLanes(ghn + o, an, lanes);
    const hPrev = v128.and(v128.load(from + <usize>j * stride), mask);
    storeLanes(h + o, f32x4.add(ng, f32x4.mul(zg, f32x4.sub(hPrev, ng))), lanes);
  }
}

/** LSTM i, f, o = σ(gi + W·h), g = tanh(gi_g + W_g·h), c = f∘c_{t−1} + i∘g, h = o∘tanh(c); gi ← [i|f|g|o] */
// @ts-ignore: decorator
@inline function lstmForward(H: i32, stride: usize, at: usize, lanes: i32, from: usize, cFrom: usize, mask: v128,
                             gi: usize, w: usize, h: usize, c: usize): void {
  const wRow = <usize>H << 2, wGate = <usize>(H * H) << 2, gate = <usize>H * stride;
  for (let j = 0; j < H; j++) {
    const wj = w + <usize>j * wRow;
    let ai = ZERO, af = ZERO, ag = ZERO, ao = ZERO;
    for (let k = 0; k < H; k++) {
      const x = v128.load(from + <usize>k * stride), wk = wj + (<usize>k << 2);
      ai = madd(v128.load32_splat(wk), x, ai);
      af = madd(v128.load32_splat(wk + wGate), x, af);
      ag = madd(v128.load32_splat(wk + 2 * wGate), x, ag);
      ao = madd(v128.load32_splat(wk + 3 * wGate), x, ao);
    }
    const o = <usize>j * stride + at, pi = gi + o;
    const ig = sigmoid4(f32x4.add(v128.load(pi), v128.and(ai, mask)));
    const fg = sigmoid4(f32x4.add(v128.load(pi + gate), v128.and(af, mask)));
    const gg = tanh4(f32x4.add(v128.load(pi + 2 * gate), v128.and(ag, mask)));
    const og = sigmoid4(f32x4.add(v128.load(pi + 3 * gate), v128.and(ao, mask)));
    storeLanes(pi, ig, lanes);
    storeLanes(pi + gate, fg, lanes);
    storeLanes(pi + 2 * gate, gg, lanes);
    storeLanes(pi + 3 * gate, og, lanes);
    const cPrev = v128.and(v128.load(cFrom + <usize>j * stride), mask);
    const cn = madd(fg, cPrev, f32x4.mul(ig, gg));
    storeLanes(c + o, cn, lanes);
    storeLanes(h + o, f32x4.mul(og, tanh4(cn)), lanes);
  }
}

/**
 * Backward time loop (see KernelOps.columnBackward), t = T−1 … 0. Per vector of rows:
 * pass 1 forms each unit's gate gradients from d = dOut + carryH (and carryC) and
 * stores dGi / dGh; GRU leaves d∘z and LSTM the new carryC in the carry slot of the
 * same unit, whose old value only that unit reads. Pass 2 then adds the recurrent
 * product: carryH_k (+)= Σ_q dGh_q·W[q, k], reading back the dGh just stored.
 * carry: carryH[k][r] at carry[k·rows_0 + r], carryC[k][r] at carry[(H + k)·rows_0 + r].
 */
export function columnBackward(mode: i32, H: i32, T: i32, R: i32, steps: usize,
                               act: usize, w: usize, hp: usize, h: usize, c: usize, ghn: usize,
                               dOut: usize, dGi: usize, dGh: usize, carry: usize): void {
  if (T <= 0) return;
  const stride = <usize>R << 2;
  const rows0 = stepRows(steps, 0);
  const carryStride = <usize>rows0 << 2;
  const carryC = carry + <usize>H * carryStride;
  memory.fill(carry, 0, <usize>(mode == LSTM ? 2 * H : H) * carryStride);
  for (let t = T - 1; t >= 0; t--) {
    const rows = stepRows(steps, t), col = stepColumn(steps, t);
    const prev = t > 0 ? stepColumn(steps, t - 1) : col;
    const mask = i32x4.splat(t > 0 ? -1 : 0);
    for (let r = 0; r < rows; r += 4) {
      const rb = <usize>r << 2, lanes = rows - r;
      const at = col + rb;
      if (mode == GRU) gruBackward(H, stride, carryStride, at, lanes, act, hp, ghn, dOut, dGi, dGh, carry + rb);
      else if (mode == LSTM) lstmBackward(H, stride, carryStride, at, lanes, c + prev + rb, mask, act, c, dOut, dGi, carry + rb, carryC + rb);
      else rnnBackward(mode == RELU, H, stride, carryStride, at, lanes, h, dOut, dGi, carry + rb);
      // ∂L/∂h_{−1} is not needed; ∂L/∂gh is dGh for GRU, dGi for the others
      if (t > 0) recurrentBackward(H, mode == GRU ? 3 : mode == LSTM ? 4 : 1, mode == GRU, stride, carryStride, at, lanes, w, mode == GRU ? dGh : dGi, carry + rb);
    }
  }
}

/** RNN_TANH dGi = d∘(1 − h²), RNN_RELU dGi = d∘(h > 0) */
// @ts-ignore: decorator
@inline function rnnBackward(relu: bool, H: i32, stride: usize, carryStride: usize, at: usize, lanes: i32,
                             h: usize, dOut: usize, dGi: usize, carryH: usize): void {
  for (let j = 0; j < H; j++) {
    const o = <usize>j * stride + at;
    const d = f32x4.add(v128.load(dOut + o), v128.load(carryH + <usize>j * carryStride));
    const y = v128.load(h + o);
    storeLanes(dGi + o, relu ? v128.and(d, f32x4.gt(y, ZERO)) : f32x4.mul(d, f32x4.sub(ONE, f32x4.mul(y, y))), lanes);
  }
}

/**
 * GRU: dn = d(1−z)(1−n²), dz = d(h_{t−1}−n)z(1−z), dr = dn·ghn·r(1−r);
 * dGi = [dr | dz | dn], dGh = [dr | dz | dn∘r]; carryH ← d∘z (pass 2 adds the product).
 */
// @ts-ignore: decorator
@inline function gruBackward(H: i32, stride: usize, carryStride: usize, at: usize, lanes: i32,
                             act: usize, hp: usize, ghn: usize, dOut: usize, dGi: usize, dGh: usize, carryH: usize): void {
  const gate = <usize>H * stride;
  for (let j = 0; j < H; j++) {
    const o = <usize>j * stride + at, pc = carryH + <usize>j * carryStride;
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
}

/**
 * LSTM: tc = tanh(c), dct = carryC + d·o(1−tc²);
 * dGi = [dct·g·i(1−i) | dct·c_{t−1}·f(1−f) | dct·i(1−g²) | d·tc·o(1−o)]; carryC ← dct∘f.
 */
// @ts-ignore: decorator
@inline function lstmBackward(H: i32, stride: usize, carryStride: usize, at: usize, lanes: i32, cFrom: usize, mask: v128,
                              act: usize, c: usize, dOut: usize, dGi: usize, carryH: usize, carryC: usize): void {
  const gate = <usize>H * stride;
  for (let j = 0; j < H; j++) {
    const o = <usize>j * stride + at, pcc = carryC + <usize>j * carryStride;
    const d = f32x4.add(v128.load(dOut + o), v128.load(carryH + <usize>j * carryStride));
    const pa = act + o;
    const ig = v128.load(pa), fg = v128.load(pa + gate), gg = v128.load(pa + 2 * gate), og = v128.load(pa + 3 * gate);
    const tc = tanh4(v128.load(c + o));
    const dct = f32x4.add(v128.load(pcc), f32x4.mul(f32x4.mul(d, og), f32x4.sub(ONE, f32x4.mul(tc, tc))));
    const cPrev = v128.and(v128.load(cFrom + <usize>j * stride), mask);
    const pi = dGi + o;
    storeLanes(pi, f32x4.mul(f32x4.mul(f32x4.mul(dct, gg), ig), f32x4.sub(ONE, ig)), lanes);
    storeLanes(pi + gate, f32x4.mul(f32x4.mul(f32x4.mul(dct, cPrev), fg), f32x4.sub(ONE, fg)), lanes);
    storeLanes(pi + 2 * gate, f32x4.mul(f32x4.mul(dct, ig), f32x4.sub(ONE, f32x4.mul(gg, gg))), lanes);
    storeLanes(pi + 3 * gate, f32x4.mul(f32x4.mul(f32x4.mul(d, tc), og), f32x4.sub(ONE, og)), lanes);
    storeLanes(pcc, f32x4.mul(dct, fg), lanes);
  }
}

/**
 * carryH_k = (keep ? carryH_k : 0) + Σ_q dGh_q·W[q, k] over the G·H gate units q,
 * one accumulator per gate block (independent chains).
 */
// @ts-ignore: decorator
@inline function recurrentBackward(H: i32, G: i32, keep: bool, stride: usize, carryStride: usize, at: usize, lanes: i32,
                                   w: usize, dGh: usize, carryH: usize): void {
  const wGate = <usize>(H * H) << 2, gate = <usize>H * stride, wRow = <usize>H << 2;
  for (let k = 0; k < H; k++) {
    const pc = carryH + <usize>k * carryStride;
    let a0 = keep ? v128.load(pc) : ZERO, a1 = ZERO, a2 = ZERO, a3 = ZERO;
    const wk = w + (<usize>k << 2);
    for (let j = 0; j < H; j++) {
      const pd = dGh + <usize>j * stride + at, pw = wk + <usize>j * wRow;
      a0 = madd(v128.load(pd), v128.load32_splat(pw), a0);
      if (G > 1) {
        a1 = madd(v128.load(pd + gate), v128.load32_splat(pw + wGate), a1);
        a2 = madd(v128.load(pd + 2 * gate), v128.load32_splat(pw + 2 * wGate), a2);
        if (G > 3) a3 = madd(v128.load(pd + 3 * gate), v128.load32_splat(pw + 3 * wGate), a3);
      }
    }
    storeLanes(pc, f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), lanes);
  }
}
