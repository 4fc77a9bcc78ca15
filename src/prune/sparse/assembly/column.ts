// Sparse feature-major kernels: the time loops of src/nn/wasm/assembly/column.ts for a
// block whose W_ih / W_hh are pruned, plus the two products around them (dx = W_ihᵀ·dG
// and the weight gradient on the kept entries, sparse.ts's sddmm). Same layout, same
// cell math (src/nn/wasm/assembly/gates.ts), same ragged-vector rules (4 floats of slack
// after every sequence buffer).
//
// Why this layout for sparse weights: feature k of a sequence is one run of the batch's
// rows, so every kept weight multiplies whole vectors of strings — 2 vectors (8 rows)
// per weight load in the forward, 4 (16 rows) in the backward — and no transposes are
// needed. The gate arithmetic is gates.ts's; only the products shrink with the density.
//
// Entries: a pattern's kept weights, in CSR (rows of W: the forward products) or CSC
// (columns: the products with Wᵀ), are packed before each call by `pack` into pairs
// (i32 byte offset of the operand's feature row = index·stride, f32 weight): the inner
// loop then does one offset load, one weight broadcast and a load + multiply-add per
// vector. Packing per call costs O(kept entries); it picks up the optimizer's new
// weights and the batch's row stride.
import { madd, storeLanes } from "../../../nn/wasm/assembly/simd";
import { lstmCell, rnnCell } from "../../../nn/wasm/assembly/gates";
import {
  GRU, LSTM, RELU, ZERO, cellGradients, gruColumnCell, stepColumn, stepRows, storePrevious,
} from "../../../nn/wasm/assembly/column";

/** out[e] = (idx[e]·stride as i32, w[pos[e]] as f32) for e < nnz: 8 bytes per entry. */
export function pack(nnz: i32, idx: usize, pos: usize, w: usize, stride: i32, out: usize): void {
  for (let e = 0; e < nnz; e++) {
    const o = <usize>e << 2;
    store<i32>(out + (o << 1), load<i32>(idx + o) * stride);
    store<f32>(out + (o << 1), load<f32>(w + (<usize>load<i32>(pos + o) << 2)), 4);
  }
}

/**
 * dst[v] = (onto ? dst[v] : init) + Σ_{e ∈ [e0, e1)} w_e · src[off_e + 16v] for the V (1–4, a
 * constant after inlining) vectors at src / dst, the last with `lanes` valid lanes. The
 * backward loop and spmmColumns, whose sums go to memory anyway, take 16 rows per pass
 * this way (measured: the backward loop ~30 % faster than with 8 rows through pairSum); the forward keeps its sums in
 * registers for the cell (pairSum).
 */
// @ts-ignore: decorator
@inline function rowSum(V: i32, entries: usize, e0: i32, e1: i32, src: usize, dst: usize, lanes: i32, init: v128, onto: bool): void {
  let a0 = onto ? v128.load(dst) : init;
  let a1 = V > 1 ? (onto ? v128.load(dst, 16) : init) : ZERO;
  let a2 = V > 2 ? (onto ? v128.load(dst, 32) : init) : ZERO;
  let a3 = V > 3 ? (onto ? v128.load(dst, 48) : init) : ZERO;
  for (let e = e0; e < e1; e++) {
    const p = entries + (<usize>e << 3);
    const s = src + <usize>load<i32>(p), w = v128.load32_splat(p, 4);
    a0 = madd(w, v128.load(s), a0);
    if (V > 1) a1 = madd(w, v128.load(s, 16), a1);
    if (V > 2) a2 = madd(w, v128.load(s, 32), a2);
    if (V > 3) a3 = madd(w, v128.load(s, 48), a3);
  }
  storeLanes(dst, a0, V == 1 ? lanes : 4);
  if (V > 1) storeLanes(dst + 16, a1, V == 2 ? lanes : 4);
  if (V > 2) storeLanes(dst + 32, a2, V == 3 ? lanes : 4);
  if (V > 3) storeLanes(dst + 48, a3, lanes);
}

// @ts-ignore: decorator
@inline function first(ptr: usize, q: i32): i32 {
  return load<i32>(ptr + (<usize>q << 2));
}

// @ts-ignore: decorator
@inline function end(ptr: usize, q: i32): i32 {
  return load<i32>(ptr + (<usize>q << 2), 4);
}

/**
 * Forward time loop of a pruned block: KernelOps.columnForward with W_ih and W_hh given by
 * their packed CSR entries (ihPtr: G·H + 1 row starts; weights read from the entries, the
 * biases from bih / bhh). Like the dense kernel, rows go 8 at a time (then 4, the last
 * vector ragged) and each unit's gates are summed in registers, then run through the cell.
 */
export function sparseColumnForward(mode: i32, H: i32, T: i32, R: i32, steps: usize, x: usize, bih: usize, bhh: usize,
                                    act: usize, hp: usize, h: usize, c: usize, ghn: usize,
                                    ihPtr: usize, ih: usize, hhPtr: usize, hh: usize): void {
  const stride = <usize>R << 2;
  for (let t = 0; t < T; t++) {
    const rows = stepRows(steps, t), col = stepColumn(steps, t);
    const prev = t > 0 ? stepColumn(steps, t - 1) : col;
    const mask = i32x4.splat(t > 0 ? -1 : 0);
    let r = 0;
    for (; r + 8 <= rows; r += 8) {
      const rb = <usize>r << 2;
      forwardRows(true, 4, mode, H, stride, col + rb, h + prev + rb, c + prev + rb, mask, x, bih, bhh, act, hp, h, c, ghn, ihPtr, ih, hhPtr, hh);
    }
    for (; r < rows; r += 4) {
      const rb = <usize>r << 2;
      forwardRows(false, min(rows - r, 4), mode, H, stride, col + rb, h + prev + rb, c + prev + rb, mask, x, bih, bhh, act, hp, h, c, ghn, ihPtr, ih, hhPtr, hh);
    }
  }
}

/**
 * init0 + Σ_{e ∈ [e0, e1)} w_e · src[off_e] over one vector of rows, returned; with `pair`
 * also init1 + … over the next vector (src + 16), stored at `park` (a full vector's room in
 * an output the caller fills later): each weight entry loaded serves both vectors.
 */
// @ts-ignore: decorator
@inline function pairSum(pair: bool, entries: usize, e0: i32, e1: i32, src: usize, init0: v128, init1: v128, park: usize): v128 {
  let a0 = init0, a1 = init1;
  for (let e = e0; e < e1; e++) {
    const p = entries + (<usize>e << 3);
    const s = src + <usize>load<i32>(p), w = v128.load32_splat(p, 4);
    a0 = madd(w, v128.load(s), a0);
    if (pair) a1 = madd(w, v128.load(s, 16), a1);
  }
  if (pair) v128.store(park, a1);
  return a0;
}

/** b_ih[q] + b_hh[q] + W_ih[q]·x + W_hh[q]·h_{t−1} over one vector (returned), or two (the second's at `park`, as pairSum) */
// @ts-ignore: decorator
@inline function gateSum(pair: bool, q: i32, bih: usize, bhh: usize, ihPtr: usize, ih: usize, hhPtr: usize, hh: usize,
                         xs: usize, hs: usize, park: usize): v128 {
  const qb = <usize>q << 2, b = f32x4.add(v128.load32_splat(bih + qb), v128.load32_splat(bhh + qb));
  const a0 = pairSum(pair, ih, first(ihPtr, q), end(ihPtr, q), xs, b, b, park);
  return pairSum(pair, hh, first(hhPtr, q), end(hhPtr, q), hs, a0, pair ? v128.load(park) : ZERO, park);
}

/**
 * One step of one vector of rows at column byte offset `at` (its first `lanes` valid), or of
 * two (`pair`): each unit's gate sums, then its cell (gates.ts). The second vector's sums
 * wait in its own output slots (act, ghn or h at +16) and are read back for its cell.
 */
// @ts-ignore: decorator
@inline function forwardRows(pair: bool, lanes: i32, mode: i32, H: i32, stride: usize, at: usize, from: usize, cFrom: usize, mask: v128,
                             x: usize, bih: usize, bhh: usize, act: usize, hp: usize, h: usize, c: usize, ghn: usize,
                             ihPtr: usize, ih: usize, hhPtr: usize, hh: usize): void {
  storePrevious(pair ? 2 : 1, H, stride, at, lanes, from, mask, hp);
  const xs = x + at, hs = hp + at, gate = <usize>H * stride;
  for (let j = 0; j < H; j++) {
    const o = <usize>j * stride + at, a = act + o + 16;
    if (mode == GRU) {
      const r0 = gateSum(pair, j, bih, bhh, ihPtr, ih, hhPtr, hh, xs, hs, a);
      const z0 = gateSum(pair, H + j, bih, bhh, ihPtr, ih, hhPtr, hh, xs, hs, a + gate);
      // the n gate keeps its parts apart: n = tanh(W_in·x + b_in + r∘(W_hn·h + b_hn))
      const q = 2 * H + j, bin = v128.load32_splat(bih + (<usize>q << 2)), bhn = v128.load32_splat(bhh + (<usize>q << 2));
      const i0 = pairSum(pair, ih, first(ihPtr, q), end(ihPtr, q), xs, bin, bin, a + 2 * gate);
      const n0 = pairSum(pair, hh, first(hhPtr, q), end(hhPtr, q), hs, bhn, bhn, ghn + o + 16);
      gruColumnCell(gate, o, lanes, r0, z0, i0, n0, act, hp, h, ghn);
      if (pair) gruColumnCell(gate, o + 16, 4, v128.load(a), v128.load(a + gate), v128.load(a + 2 * gate), v128.load(ghn + o + 16), act, hp, h, ghn);
    } else if (mode == LSTM) {
      const i0 = gateSum(pair, j, bih, bhh, ihPtr, ih, hhPtr, hh, xs, hs, a);
      const f0 = gateSum(pair, H + j, bih, bhh, ihPtr, ih, hhPtr, hh, xs, hs, a + gate);
      const g0 = gateSum(pair, 2 * H + j, bih, bhh, ihPtr, ih, hhPtr, hh, xs, hs, a + 2 * gate);
      const o0 = gateSum(pair, 3 * H + j, bih, bhh, ihPtr, ih, hhPtr, hh, xs, hs, a + 3 * gate);
      const cPrev = cFrom + <usize>j * stride;
      lstmCell(true, i0, f0, g0, o0, v128.and(v128.load(cPrev), mask), act + o, gate, c + o, h + o, lanes);
      if (pair) {
        lstmCell(true, v128.load(a), v128.load(a + gate), v128.load(a + 2 * gate), v128.load(a + 3 * gate),
          v128.and(v128.load(cPrev + 16), mask), a, gate, c + o + 16, h + o + 16, 4);
      }
    } else {
      const a0 = gateSum(pair, j, bih, bhh, ihPtr, ih, hhPtr, hh, xs, hs, h + o + 16);
      storeLanes(h + o, rnnCell(mode == RELU, a0), lanes);
      if (pair) v128.store(h + o + 16, rnnCell(mode == RELU, v128.load(h + o + 16)));
    }
  }
}

/**
 * Backward time loop of a pruned block: KernelOps.columnBackward with W_hh given by its packed
 * CSC entries (hhColPtr: H + 1 column starts, entry offsets index the gate rows of dG).
 * Per group of rows: the cell gradients unit by unit (as the dense kernel), then
 * carryH_k (+)= Σ_q W[q, k]·dG_q over column k's kept entries.
 */
export function sparseColumnBackward(mode: i32, H: i32, T: i32, R: i32, steps: usize, act: usize, hp: usize, h: usize, c: usize, ghn: usize,
                                     dOut: usize, dGi: usize, dGh: usize, carry: usize, hhColPtr: usize, hhCol: usize): void {
  if (T <= 0) return;
  const stride = <usize>R << 2;
  const carryStride = <usize>stepRows(steps, 0) << 2;
  memory.fill(carry, 0, <usize>(mode == LSTM ? 2 * H : H) * carryStride);
  for (let t = T - 1; t >= 0; t--) {
    const rows = stepRows(steps, t), col = stepColumn(steps, t);
    const prev = t > 0 ? stepColumn(steps, t - 1) : col;
    const mask = i32x4.splat(t > 0 ? -1 : 0);
    let r = 0;
    for (; r + 16 <= rows; r += 16) {
      const rb = <usize>r << 2;
      backwardGroup(4, 4, mode, t > 0, H, stride, carryStride, col + rb, c + prev + rb, mask, act, hp, h, c, ghn, dOut, dGi, dGh, carry + rb, hhColPtr, hhCol);
    }
    for (; r < rows; r += 4) {
      const rb = <usize>r << 2;
      backwardGroup(1, min(rows - r, 4), mode, t > 0, H, stride, carryStride, col + rb, c + prev + rb, mask, act, hp, h, c, ghn, dOut, dGi, dGh, carry + rb, hhColPtr, hhCol);
    }
  }
}

// @ts-ignore: decorator
@inline function backwardGroup(V: i32, lanes: i32, mode: i32, carryBack: bool, H: i32, stride: usize, carryStride: usize, at: usize,
                               cFrom: usize, mask: v128, act: usize, hp: usize, h: usize, c: usize, ghn: usize,
                               dOut: usize, dGi: usize, dGh: usize, carryH: usize, hhColPtr: usize, hhCol: usize): void {
  cellGradients(V, lanes, mode, H, stride, carryStride, at, cFrom, mask, act, hp, h, c, ghn, dOut, dGi, dGh, carryH);
  // ∂L/∂h_{−1} is not needed; GRU's carry already holds d∘z, the others' is replaced
  if (!carryBack) return;
  const dG = (mode == GRU ? dGh : dGi) + at;
  for (let k = 0; k < H; k++) {
    rowSum(V, hhCol, first(hhColPtr, k), end(hhColPtr, k), dG, carryH + <usize>k * carryStride, lanes, ZERO, mode == GRU);
  }
}

/**
 * dst[o·R + r] = (accumulate ? dst : 0) + Σ_{e ∈ [ptr[o], ptr[o+1])} w_e · src[off_e + r] for o < nOut, r < R:
 * a sparse matrix (packed entries) times a feature-major sequence, e.g. dx = W_ihᵀ·dG with W_ih's CSC entries.
 */
export function spmmColumns(nOut: i32, R: i32, src: usize, ptr: usize, entries: usize, dst: usize, accumulate: bool): void {
  const stride = <usize>R << 2;
  for (let o = 0; o < nOut; o++) {
    const e0 = first(ptr, o), e1 = end(ptr, o);
    const out = dst + <usize>o * stride;
    let r = 0;
    for (; r + 16 <= R; r += 16) rowSum(4, entries, e0, e1, src + (<usize>r << 2), out + (<usize>r << 2), 4, ZERO, accumulate);
    for (; r < R; r += 4) rowSum(1, entries, e0, e1, src + (<usize>r << 2), out + (<usize>r << 2), min(R - r, 4), ZERO, accumulate);
  }
}
