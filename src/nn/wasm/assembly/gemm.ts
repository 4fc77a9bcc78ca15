// Register-blocked float32 matrix products. Every product is reduced to one
// micro-kernel: a 6×8 tile of C kept in twelve f32x4 registers, updated by rank-1
// steps C += a(6) ⊗ b(8) where a is a column of an A panel (6 consecutive floats)
// and b a row slice of B (8 consecutive floats). How A and B reach that layout
// differs per product:
//   NN  C = A·B    A (m×k) is packed into 6-row panels, B (k×n) is read in place
//   TN  C = Aᵀ·B   A (k×m) and B (k×n) are both read in place (rows of A are panels)
//   NT  C = A·Bᵀ   A packed as in NN, B (n×k) packed transposed into k×n̄ (n̄ = n rounded up to 8)
// k is processed in chunks of KC so a chunk of the operands stays in L1; C is
// loaded and accumulated from the second chunk on (or from the first when the
// caller asks to accumulate). Ragged edges: the tile always computes 6×8, rows
// past m come from zero padding (packed A) or neighbouring memory (TN), columns
// past n read neighbouring memory; only the valid part is ever stored, so those
// lanes never reach C. The JS side keeps a zeroed guard after the last allocation
// for the reads past the end.
import { madd } from "./simd";

const MR: i32 = 6;
const NR: i32 = 8;
const KC: i32 = 64;
/** columns of Bᵀ packed at once for NT: scratch holds MR·KC + KC·NB floats */
const NB: i32 = 512;

export const SCRATCH_FLOATS: i32 = MR * KC + KC * NB;

// @ts-ignore: decorator
@inline function storePartial(p: usize, v: v128, lanes: i32): void {
  if (lanes >= 2) {
    v128.store64_lane(p, v, 0);
    if (lanes == 3) v128.store32_lane(p, v, 2, 8);
  } else if (lanes == 1) {
    v128.store32_lane(p, v, 0);
  }
}

// @ts-ignore: decorator
@inline function storeRow(p: usize, v0: v128, v1: v128, cols: i32, add: bool): void {
  if (add) {
    v0 = f32x4.add(v0, v128.load(p));
    v1 = f32x4.add(v1, v128.load(p, 16));
  }
  if (cols >= NR) {
    v128.store(p, v0);
    v128.store(p, v1, 16);
  } else if (cols >= 4) {
    v128.store(p, v0);
    storePartial(p + 16, v1, cols - 4);
  } else {
    storePartial(p, v0, cols);
  }
}

/**
 * C tile (rows ≤ 6, cols ≤ 8, row stride cRow bytes) (+)= Σ_{p<kc} a_p ⊗ b_p,
 * a_p = 6 floats at a + p·aStep, b_p = 8 floats at b + p·bStep.
 */
function tile(a: usize, aStep: usize, b: usize, bStep: usize, kc: i32,
              c: usize, cRow: usize, rows: i32, cols: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a, 16);
    c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a, 20);
    c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += aStep;
    b += bStep;
  }
  storeRow(c, c00, c01, cols, add);
  if (rows > 1) storeRow(c + cRow, c10, c11, cols, add);
  if (rows > 2) storeRow(c + 2 * cRow, c20, c21, cols, add);
  if (rows > 3) storeRow(c + 3 * cRow, c30, c31, cols, add);
  if (rows > 4) storeRow(c + 4 * cRow, c40, c41, cols, add);
  if (rows > 5) storeRow(c + 5 * cRow, c50, c51, cols, add);
}

/** panel[p·6 + r] = A[r, p] for r < rows, p < kc (rows ≥ rows: 0); A rows are aRow bytes apart. */
function packPanel(a: usize, aRow: usize, rows: i32, kc: i32, panel: usize): void {
  for (let r = 0; r < MR; r++) {
    let dst = panel + (<usize>r << 2);
    if (r < rows) {
      let src = a + <usize>r * aRow;
      for (let p = 0; p < kc; p++) {
        store<f32>(dst, load<f32>(src));
        src += 4;
        dst += MR << 2;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        store<f32>(dst, 0);
        dst += MR << 2;
      }
    }
  }
}

/** C[m×n] (+)= A[m×k]·B[k×n]; pointers are byte offsets, scratch holds SCRATCH_FLOATS. */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (k == 0) { if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 2); return; }
  const nBytes = <usize>n << 2;
  const kBytes = <usize>k << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const add = accumulate || p0 > 0;
    for (let i0 = 0; i0 < m; i0 += MR) {
      const rows = min(MR, m - i0);
      packPanel(a + <usize>i0 * kBytes + (<usize>p0 << 2), kBytes, rows, kc, scratch);
      const bChunk = b + <usize>p0 * nBytes;
      const cRow = c + <usize>i0 * nBytes;
      for (let j0 = 0; j0 < n; j0 += NR) {
        tile(scratch, MR << 2, bChunk + (<usize>j0 << 2), nBytes, kc,
             cRow + (<usize>j0 << 2), nBytes, rows, min(NR, n - j0), add);
      }
    }
  }
}

/** C[m×n] (+)= A[k×m]ᵀ·B[k×n] (weight gradients: k = all rows of all steps). */
export function gemmTN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (k == 0) { if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 2); return; }
  const nBytes = <usize>n << 2;
  const mBytes = <usize>m << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const add = accumulate || p0 > 0;
    const aChunk = a + <usize>p0 * mBytes;
    const bChunk = b + <usize>p0 * nBytes;
    for (let i0 = 0; i0 < m; i0 += MR) {
      const rows = min(MR, m - i0);
      const cRow = c + <usize>i0 * nBytes;
      for (let j0 = 0; j0 < n; j0 += NR) {
        tile(aChunk + (<usize>i0 << 2), mBytes, bChunk + (<usize>j0 << 2), nBytes, kc,
             cRow + (<usize>j0 << 2), nBytes, rows, min(NR, n - j0), add);
      }
    }
  }
}

/** C[m×n] (+)= A[m×k]·B[n×k]ᵀ (inputs times weightsᵀ). */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (k == 0) { if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 2); return; }
  const nBytes = <usize>n << 2;
  const kBytes = <usize>k << 2;
  const panel = scratch;
  const bt = scratch + (<usize>(MR * KC) << 2);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const add = accumulate || p0 > 0;
    for (let j1 = 0; j1 < n; j1 += NB) {
      const nb = min(NB, n - j1);
      const nbPad = (nb + NR - 1) & ~(NR - 1);
      const btRow = <usize>nbPad << 2;
      // bt[p·n̄ + j] = B[j1 + j, p0 + p], zero for j ≥ nb
      for (let j = 0; j < nbPad; j++) {
        let dst = bt + (<usize>j << 2);
        if (j < nb) {
          let src = b + <usize>(j1 + j) * kBytes + (<usize>p0 << 2);
          for (let p = 0; p < kc; p++) {
            store<f32>(dst, load<f32>(src));
            src += 4;
            dst += btRow;
          }
        } else {
          for (let p = 0; p < kc; p++) {
            store<f32>(dst, 0);
            dst += btRow;
          }
        }
      }
      for (let i0 = 0; i0 < m; i0 += MR) {
        const rows = min(MR, m - i0);
        packPanel(a + <usize>i0 * kBytes + (<usize>p0 << 2), kBytes, rows, kc, panel);
        const cRow = c + <usize>i0 * nBytes + (<usize>j1 << 2);
        for (let j0 = 0; j0 < nb; j0 += NR) {
          tile(panel, MR << 2, bt + (<usize>j0 << 2), btRow, kc,
               cRow + (<usize>j0 << 2), nBytes, rows, min(NR, nb - j0), add);
        }
      }
    }
  }
}
