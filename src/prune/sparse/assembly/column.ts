// Sparse feature-major kernels: the time loops of src/nn/wasm/assembly/column.ts for a
// block whose W_ih / W_hh are pruned, plus the two products around them (dx = W_ihᵀ·dG
// and the weight gradient on the kept entries, sparse.ts's sddmm). Same layout, same
// cell math (imported from there), same ragged-vector rules (4 floats of slack after
// every sequence buffer).
//
// Why this layout for sparse weights: feature k of a sequence is one run of the batch's
// rows, so every kept weight multiplies whole vectors of strings — up to 4 vectors (16
// rows) per weight load here — and no transposes are needed. The gate arithmetic is
// unchanged; only the products shrink with the density.
//
// Entries: a pattern's kept weights, in CSR (rows of W: the forward products) or CSC
// (columns: the products with Wᵀ), are packed before each call by `pack` into pairs
// (i32 byte offset of the operand's feature row = index·stride, f32 weight): the inner
// loop then does one offset load, one weight broadcast and a load + multiply-add per
// vector. Packing per call costs O(kept entries); it picks up the optimizer's new
// weights and the batch's row stride.
import { madd, storeLanes, tanh4 } from "../../../nn/wasm/assembly/simd";
import {
  GRU, LSTM, RELU, ZERO, gruCell, gruCellBackward, lstmCell, lstmCellBackward, rnnCellBackward,
  stepColumn, stepRows, storePrevious,
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
 * constant after inlining) vectors at src / dst, the last with `lanes` valid lanes.
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
 * biases from bih / bhh). Each group of rows first writes its gates' pre-activations into
 * their own slots (act, or h for the RNN modes; GRU's hidden n part into ghn), then runs
 * the cell over them.
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
    for (; r + 16 <= rows; r += 16) {
      const rb = <usize>r << 2;
      forwardGroup(4, 4, mode, H, stride, col + rb, h + prev + rb, c + prev + rb, mask, x, bih, bhh, act, hp, h, c, ghn, ihPtr, ih, hhPtr, hh);
    }
    for (; r < rows; r += 4) {
      const rb = <usize>r << 2;
      forwardGroup(1, min(rows - r, 4), mode, H, stride, col + rb, h + prev + rb, c + prev + rb, mask, x, bih, bhh, act, hp, h, c, ghn, ihPtr, ih, hhPtr, hh);
    }
  }
}

// @ts-ignore: decorator
@inline function forwardGroup(V: i32, lanes: i32, mode: i32, H: i32, stride: usize, at: usize, from: usize, cFrom: usize, mask: v128,
                              x: usize, bih: usize, bhh: usize, act: usize, hp: usize, h: usize, c: usize, ghn: usize,
                              ihPtr: usize, ih: usize, hhPtr: usize, hh: usize): void {
  storePrevious(V, H, stride, at, lanes, from, mask, hp);
  const G = mode == GRU ? 3 : mode == LSTM ? 4 : 1, GH = G * H, gate = <usize>H * stride;
  // pre-activations: gate row q ← b_ih[q] + W_ih[q]·x (+ b_hh[q] + W_hh[q]·h_{t−1}, GRU's n gate into ghn)
  for (let q = 0; q < GH; q++) {
    // RNN modes keep no activations: their pre-activation goes to h, activated in place below
    const qb = <usize>q << 2, slot = (G == 1 ? h : act) + <usize>q * stride + at;
    const bi = v128.load32_splat(bih + qb), bh = v128.load32_splat(bhh + qb);
    const separate = mode == GRU && q >= 2 * H;
    rowSum(V, ih, first(ihPtr, q), end(ihPtr, q), x + at, slot, lanes, separate ? bi : f32x4.add(bi, bh), false);
    const hidden = separate ? ghn + <usize>(q - 2 * H) * stride + at : slot;
    rowSum(V, hh, first(hhPtr, q), end(hhPtr, q), hp + at, hidden, lanes, bh, !separate);
  }
  for (let j = 0; j < H; j++) {
    for (let v = 0; v < V; v++) {
      const o = <usize>j * stride + at + (<usize>v << 4), n = v == V - 1 ? lanes : 4, pa = act + o;
      if (mode == GRU) {
        gruCell(gate, pa, h + o, ghn + o, hp + o, n, v128.load(pa), v128.load(pa + gate), v128.load(pa + 2 * gate), v128.load(ghn + o));
      } else if (mode == LSTM) {
        lstmCell(gate, pa, h + o, c + o, cFrom + <usize>j * stride + (<usize>v << 4), n, mask,
          v128.load(pa), v128.load(pa + gate), v128.load(pa + 2 * gate), v128.load(pa + 3 * gate));
      } else {
        const a = v128.load(h + o);
        storeLanes(h + o, mode == RELU ? f32x4.pmax(a, ZERO) : tanh4(a), n);
      }
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
  const carryC = carryH + <usize>H * carryStride;
  for (let j = 0; j < H; j++) {
    for (let v = 0; v < V; v++) {
      const vb = <usize>v << 4, o = <usize>j * stride + at + vb, n = v == V - 1 ? lanes : 4;
      const pc = carryH + <usize>j * carryStride + vb;
      if (mode == GRU) gruCellBackward(H, stride, o, n, pc, act, hp, ghn, dOut, dGi, dGh);
      else if (mode == LSTM) {
        lstmCellBackward(H, stride, o, n, pc, carryC + <usize>j * carryStride + vb, cFrom + <usize>j * stride + vb, mask, act, c, dOut, dGi);
      } else rnnCellBackward(mode == RELU, o, n, pc, h, dOut, dGi);
    }
  }
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
