// The recurrent cell's equations, each written once: every kernel — the row-major cell
// (cell.ts), the whole GRU step (step.ts), the feature-major time loops (column.ts) and
// the sparse ones (src/prune/sparse/assembly/column.ts) — runs a cell through these
// functions, one vector of 4 lanes at a time (4 units of a row, or 4 strings of a unit).
// Pre-activations and states come in as vectors; outputs are stored through pointers,
// their first `lanes` lanes only (ragged ends), gate blocks `gate` bytes apart.
// The same equations in plain JS: JsOps.cellForward / cellBackward (src/nn/js-ops.ts);
// with autograd: src/nn/reference/model.ts.
//
// `fused` says how a·b + c is rounded: the column kernels fuse it (relaxed-SIMD FMA,
// one rounding), the row and step kernels round the product first, as engine numerics
// version 2 always did. (In the plain SIMD build both are the same.)
import { madd, sigmoid4, storeLanes, tanh4 } from "./simd";

const ONE: v128 = f32x4.splat(1.0);
const ZERO: v128 = f32x4.splat(0.0);

/** a·b + c, fused or with the product rounded first */
// @ts-ignore: decorator
@inline function mulAdd(fused: bool, a: v128, b: v128, c: v128): v128 {
  return fused ? madd(a, b, c) : f32x4.add(c, f32x4.mul(a, b));
}

/**
 * RNN_TANH h = tanh(a), RNN_RELU h = max(0, a) from the pre-activation a. (pmax is one
 * maxps; it differs from max only at a = −0, which no sum starting from +0 produces.)
 */
// @ts-ignore: decorator
@inline export function rnnCell(relu: bool, a: v128): v128 {
  return relu ? f32x4.pmax(a, ZERO) : tanh4(a);
}

/** The RNN pre-activation gradient from d = ∂L/∂h_t and h_t: RNN_TANH d∘(1 − h²), RNN_RELU d∘[h > 0]. */
// @ts-ignore: decorator
@inline export function rnnCellGradient(relu: bool, d: v128, h: v128): v128 {
  return relu ? v128.and(d, f32x4.gt(h, ZERO)) : f32x4.mul(d, f32x4.sub(ONE, f32x4.mul(h, h)));
}

/**
 * GRU: r = σ(ar), z = σ(az), n = tanh(ain + r∘ahn), h = n + z∘(hPrev − n), from the
 * pre-activations ar, az (input and recurrent parts summed), ain = W_in·x + b_in and
 * ahn = W_hn·h_{t−1} + b_hn. Stores r | z | n at act and h at h.
 */
// @ts-ignore: decorator
@inline export function gruCell(fused: bool, ar: v128, az: v128, ain: v128, ahn: v128, hPrev: v128,
                                act: usize, gate: usize, h: usize, lanes: i32): void {
  const rg = sigmoid4(ar);
  const zg = sigmoid4(az);
  const ng = tanh4(mulAdd(fused, rg, ahn, ain));
  storeLanes(act, rg, lanes);
  storeLanes(act + gate, zg, lanes);
  storeLanes(act + 2 * gate, ng, lanes);
  storeLanes(h, mulAdd(fused, zg, f32x4.sub(hPrev, ng), ng), lanes);
}

/**
 * GRU backward from d = ∂L/∂h_t, h_{t−1}, ahn = W_hn·h_{t−1} + b_hn and the gates r | z | n
 * at act: dn = d(1−z)(1−n²), dz = d(h_{t−1}−n)z(1−z), dr = dn·ahn·r(1−r). Stores
 * dGi = [dr | dz | dn] and dGh = [dr | dz | dn∘r]; returns d∘z, the part of ∂L/∂h_{t−1}
 * that does not pass through W_hh.
 */
// @ts-ignore: decorator
@inline export function gruCellGradient(d: v128, hPrev: v128, ahn: v128, act: usize, gate: usize,
                                        dGi: usize, dGh: usize, lanes: i32): v128 {
  const rg = v128.load(act), zg = v128.load(act + gate), ng = v128.load(act + 2 * gate);
  const dn = f32x4.mul(f32x4.mul(d, f32x4.sub(ONE, zg)), f32x4.sub(ONE, f32x4.mul(ng, ng)));
  const dz = f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(hPrev, ng)), zg), f32x4.sub(ONE, zg));
  const dr = f32x4.mul(f32x4.mul(f32x4.mul(dn, ahn), rg), f32x4.sub(ONE, rg));
  storeLanes(dGi, dr, lanes);
  storeLanes(dGi + gate, dz, lanes);
  storeLanes(dGi + 2 * gate, dn, lanes);
  storeLanes(dGh, dr, lanes);
  storeLanes(dGh + gate, dz, lanes);
  storeLanes(dGh + 2 * gate, f32x4.mul(dn, rg), lanes);
  return f32x4.mul(d, zg);
}

/**
 * LSTM: i, f, o = σ(ai, af, ao), g = tanh(ag) from the gates' pre-activations (input and
 * recurrent parts summed), c = f∘cPrev + i∘g, h = o∘tanh(c). Stores i | f | g | o at act, c and h.
 */
// @ts-ignore: decorator
@inline export function lstmCell(fused: bool, ai: v128, af: v128, ag: v128, ao: v128, cPrev: v128,
                                 act: usize, gate: usize, c: usize, h: usize, lanes: i32): void {
  const ig = sigmoid4(ai);
  const fg = sigmoid4(af);
  const gg = tanh4(ag);
  const og = sigmoid4(ao);
  storeLanes(act, ig, lanes);
  storeLanes(act + gate, fg, lanes);
  storeLanes(act + 2 * gate, gg, lanes);
  storeLanes(act + 3 * gate, og, lanes);
  const cn = mulAdd(fused, fg, cPrev, f32x4.mul(ig, gg));
  storeLanes(c, cn, lanes);
  storeLanes(h, f32x4.mul(og, tanh4(cn)), lanes);
}

/**
 * LSTM backward from d = ∂L/∂h_t, dc = ∂L/∂c_t (from step t+1), c_{t−1}, c_t and the gates
 * i | f | g | o at act: tc = tanh(c_t), dct = dc + d·o(1−tc²). Stores dGi =
 * [dct·g·i(1−i) | dct·c_{t−1}·f(1−f) | dct·i(1−g²) | d·tc·o(1−o)]; returns dct∘f, ∂L/∂c_{t−1}.
 * (Nothing of ∂L/∂h_{t−1} bypasses W_hh.)
 */
// @ts-ignore: decorator
@inline export function lstmCellGradient(d: v128, dc: v128, cPrev: v128, c: v128, act: usize, gate: usize,
                                         dGi: usize, lanes: i32): v128 {
  const ig = v128.load(act), fg = v128.load(act + gate), gg = v128.load(act + 2 * gate), og = v128.load(act + 3 * gate);
  const tc = tanh4(c);
  const dct = f32x4.add(dc, f32x4.mul(f32x4.mul(d, og), f32x4.sub(ONE, f32x4.mul(tc, tc))));
  storeLanes(dGi, f32x4.mul(f32x4.mul(f32x4.mul(dct, gg), ig), f32x4.sub(ONE, ig)), lanes);
  storeLanes(dGi + gate, f32x4.mul(f32x4.mul(f32x4.mul(dct, cPrev), fg), f32x4.sub(ONE, fg)), lanes);
  storeLanes(dGi + 2 * gate, f32x4.mul(f32x4.mul(dct, ig), f32x4.sub(ONE, f32x4.mul(gg, gg))), lanes);
  storeLanes(dGi + 3 * gate, f32x4.mul(f32x4.mul(f32x4.mul(d, tc), og), f32x4.sub(ONE, og)), lanes);
  return f32x4.mul(dct, fg);
}
