// SIMD kernels for products with a masked (sparse) weight matrix, float32, over the
// engine backend's own memory (imported). Vectors run along the batch dimension:
// activations are first transposed to batch-minor layout, so every kept weight
// multiplies one contiguous run of the batch (4 lanes at a time). All pointers are
// byte addresses; pattern arrays (ptr, idx, pos) are i32; pos is the element offset
// of the kept entry inside its weight matrix.
import { madd } from "../../../nn/wasm/assembly/simd";
import { horizontalSum, storeDot } from "../../../nn/wasm/assembly/gemm";

// @ts-ignore: decorator
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize, accumulate: i32): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  let c0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), c1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  let c2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), c3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  if (accumulate) {
    c0 = f32x4.add(c0, v128.load(dst)); c1 = f32x4.add(c1, v128.load(dst + stride));
    c2 = f32x4.add(c2, v128.load(dst + 2 * stride)); c3 = f32x4.add(c3, v128.load(dst + 3 * stride));
  }
  v128.store(dst, c0); v128.store(dst + stride, c1); v128.store(dst + 2 * stride, c2); v128.store(dst + 3 * stride, c3);
}

/**
 * dst[j·ldDst + i] (+)= src[i·ldSrc + j] for i < rows, j < cols, in 4×4 SIMD blocks (scalar edges).
 */
function transposeBlocks(rows: i32, cols: i32, src: usize, ldSrc: i32, dst: usize, ldDst: i32, accumulate: i32): void {
  const rs = <usize>ldSrc << 2, rd = <usize>ldDst << 2;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const s0 = src + <usize>i * rs;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const s = s0 + (<usize>j << 2);
      transpose4(v128.load(s), v128.load(s + rs), v128.load(s + 2 * rs), v128.load(s + 3 * rs), dst + <usize>j * rd + (<usize>i << 2), rd, accumulate);
    }
    for (; j < cols; j++) {
      for (let r = i; r < i + 4; r++) {
        const q = dst + <usize>j * rd + (<usize>r << 2);
        const v = load<f32>(src + <usize>r * rs + (<usize>j << 2));
        store<f32>(q, accumulate ? load<f32>(q) + v : v);
      }
    }
  }
  for (; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const q = dst + <usize>j * rd + (<usize>i << 2);
      const v = load<f32>(src + <usize>i * rs + (<usize>j << 2));
      store<f32>(q, accumulate ? load<f32>(q) + v : v);
    }
  }
}

/** dst[j·ld + i] = src[i·cols + j] for i < rows, j < cols (dst rows padded to ld ≥ rows, pad lanes zeroed). */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize, ld: i32): void {
  transposeBlocks(rows, cols, src, cols, dst, ld, 0);
  if (ld > rows) for (let j = 0; j < cols; j++) for (let i = rows; i < ld; i++) store<f32>(dst + (<usize>(j * ld + i) << 2), 0);
}

/**
 * ct[o·ld + i] = Σ_{e ∈ [ptr[o], ptr[o+1])} w[pos[e]] · at[idx[e]·ld + i] for o < nOut, i < ld (ld a multiple of 4).
 */
export function spmmT(nOut: i32, ld: i32, at: usize, ptr: usize, idx: usize, pos: usize, w: usize, ct: usize): void {
  for (let o = 0; o < nOut; o++) {
    const e0 = load<i32>(ptr + (<usize>o << 2)), e1 = load<i32>(ptr + (<usize>(o + 1) << 2));
    const out = ct + (<usize>(o * ld) << 2);
    let i = 0;
    for (; i + 16 <= ld; i += 16) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let e = e0; e < e1; e++) {
        const s = f32x4.splat(load<f32>(w + (<usize>load<i32>(pos + (<usize>e << 2)) << 2)));
        const p = at + (<usize>(load<i32>(idx + (<usize>e << 2)) * ld + i) << 2);
        a0 = f32x4.add(a0, f32x4.mul(s, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(s, v128.load(p, 16)));
        a2 = f32x4.add(a2, f32x4.mul(s, v128.load(p, 32)));
        a3 = f32x4.add(a3, f32x4.mul(s, v128.load(p, 48)));
      }
      const q = out + (<usize>i << 2);
      v128.store(q, a0); v128.store(q, a1, 16); v128.store(q, a2, 32); v128.store(q, a3, 48);
    }
    for (; i < ld; i += 4) {
      let a = f32x4.splat(0);
      for (let e = e0; e < e1; e++) {
        const s = f32x4.splat(load<f32>(w + (<usize>load<i32>(pos + (<usize>e << 2)) << 2)));
        a = f32x4.add(a, f32x4.mul(s, v128.load(at + (<usize>(load<i32>(idx + (<usize>e << 2)) * ld + i) << 2))));
      }
      v128.store(out + (<usize>i << 2), a);
    }
  }
}

/** c[i·n + o] (+)= ct[o·ld + i] for i < m, o < n. */
export function untranspose(m: i32, n: i32, ct: usize, ld: i32, c: usize, accumulate: i32): void {
  transposeBlocks(n, m, ct, ld, c, n, accumulate);
}

/**
 * Weight gradient on the kept entries only: c[pos[e]] (+)= at[j·ld ..]·bt[idx[e]·ld ..] (dot products of
 * length ld) for the entries e of each row j < rows. Entries outside the pattern are left alone.
 * A row's entries go 4 at a time: each vector of row j, loaded once, feeds 4 dot products
 * (8 independent accumulators over two vectors, so the adds never wait on each other).
 */
export function sddmm(rows: i32, ld: i32, at: usize, bt: usize, ptr: usize, idx: usize, pos: usize, c: usize, accumulate: bool): void {
  for (let j = 0; j < rows; j++) {
    const e1 = load<i32>(ptr + (<usize>(j + 1) << 2));
    const a = at + (<usize>(j * ld) << 2);
    let e = load<i32>(ptr + (<usize>j << 2));
    for (; e + 4 <= e1; e += 4) entryDots(4, e, ld, a, bt, idx, pos, c, accumulate);
    for (; e < e1; e++) entryDots(1, e, ld, a, bt, idx, pos, c, accumulate);
  }
}

/** sddmm's dot products of row a with the B rows of entries e … e + E − 1 (E = 1 or 4, a constant after inlining). */
// @ts-ignore: decorator
@inline function entryDots(E: i32, e: i32, ld: i32, a: usize, bt: usize, idx: usize, pos: usize, c: usize, accumulate: bool): void {
  const row = <usize>ld << 2, ib = idx + (<usize>e << 2);
  const b0 = bt + <usize>load<i32>(ib) * row;
  const b1 = E > 1 ? bt + <usize>load<i32>(ib, 4) * row : b0;
  const b2 = E > 1 ? bt + <usize>load<i32>(ib, 8) * row : b0;
  const b3 = E > 1 ? bt + <usize>load<i32>(ib, 12) * row : b0;
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
  let q = 0;
  for (; q + 8 <= ld; q += 8) {
    const o = <usize>q << 2;
    const x = v128.load(a + o), y = v128.load(a + o, 16);
    s0 = madd(x, v128.load(b0 + o), s0); t0 = madd(y, v128.load(b0 + o, 16), t0);
    if (E > 1) {
      s1 = madd(x, v128.load(b1 + o), s1); t1 = madd(y, v128.load(b1 + o, 16), t1);
      s2 = madd(x, v128.load(b2 + o), s2); t2 = madd(y, v128.load(b2 + o, 16), t2);
      s3 = madd(x, v128.load(b3 + o), s3); t3 = madd(y, v128.load(b3 + o, 16), t3);
    }
  }
  for (; q + 4 <= ld; q += 4) {
    const o = <usize>q << 2, x = v128.load(a + o);
    s0 = madd(x, v128.load(b0 + o), s0);
    if (E > 1) { s1 = madd(x, v128.load(b1 + o), s1); s2 = madd(x, v128.load(b2 + o), s2); s3 = madd(x, v128.load(b3 + o), s3); }
  }
  let d0 = horizontalSum(f32x4.add(s0, t0)), d1 = horizontalSum(f32x4.add(s1, t1));
  let d2 = horizontalSum(f32x4.add(s2, t2)), d3 = horizontalSum(f32x4.add(s3, t3));
  for (; q < ld; q++) {
    const o = <usize>q << 2, x = load<f32>(a + o);
    d0 += x * load<f32>(b0 + o);
    if (E > 1) { d1 += x * load<f32>(b1 + o); d2 += x * load<f32>(b2 + o); d3 += x * load<f32>(b3 + o); }
  }
  const pe = pos + (<usize>e << 2);
  storeDot(c + (<usize>load<i32>(pe) << 2), d0, accumulate);
  if (E > 1) {
    storeDot(c + (<usize>load<i32>(pe, 4) << 2), d1, accumulate);
    storeDot(c + (<usize>load<i32>(pe, 8) << 2), d2, accumulate);
    storeDot(c + (<usize>load<i32>(pe, 12) << 2), d3, accumulate);
  }
}
