// Register-blocked float32 matrix products. Every product is reduced to one
// micro-kernel: a 6×8 tile of C kept in twelve f32x4 registers, updated by rank-1
// steps C += a(6) ⊗ b(8) where a is a column of an A panel (6 consecutive floats)
// and b a row slice of B (8 consecutive floats); 4-row and 4-column variants of
// the same kernel cover m divisible by 4 (32 strings a step) and ragged ends. How A and B reach that layout
// differs per product:
//   NN  C = A·B    A (m×k) is packed into 6-row panels, B (k×n) is read in place
//   TN  C = Aᵀ·B   A (k×m) and B (k×n) are both read in place (rows of A are panels)
//   NT  C = A·Bᵀ   A packed as in NN, B (n×k) packed transposed into k×n̄ (n̄ = n rounded up to 8)
// k is processed in chunks (chunkK) so a chunk of the operands stays in L1; C is
// loaded and accumulated from the second chunk on (or from the first when the
// caller asks to accumulate). Ragged edges: the tile always computes 6×8, rows
// past m come from zero padding (packed A) or neighbouring memory (TN), columns
// past n read neighbouring memory; only the valid part is ever stored, so those
// lanes never reach C. The JS side keeps a zeroed guard after the last allocation
// for the reads past the end.
import { madd, storeLanes } from "./simd";

const MR: i32 = 6;
const NR: i32 = 8;
/** floats of B (for TN also of A) one k-chunk may occupy: ≈ 48 KB, an L1 data cache */
const L1_FLOATS: i32 = 12288;
const KC_MIN: i32 = 16;
const KC_MAX: i32 = 256;
/** columns of Bᵀ packed at once for NT */
const NB: i32 = 512;

/** scratch: one A panel of ≤ KC_MAX columns, then a packed Bᵀ chunk (kc·n̄ ≤ max(L1_FLOATS, KC_MIN·NB)) */
export const SCRATCH_FLOATS: i32 = MR * KC_MAX + max(L1_FLOATS, KC_MIN * NB);

/**
 * Length of the k-chunks for operand rows of `width` floats: as long as fits
 * L1_FLOATS (within [KC_MIN, KC_MAX]), balanced so the last chunk is no sliver.
 */
// @ts-ignore: decorator
@inline function chunkK(k: i32, width: i32): i32 {
  const target = max(KC_MIN, min(KC_MAX, L1_FLOATS / max(width, 1)));
  const chunks = (k + target - 1) / target;
  return (k + chunks - 1) / chunks;
}

/** store one tile row of TV vectors (cols valid floats), adding to C's contents when `add` */
// @ts-ignore: decorator
@inline function storeRow(TV: i32, p: usize, v0: v128, v1: v128, cols: i32, add: bool): void {
  if (add) {
    v0 = f32x4.add(v0, v128.load(p));
    if (TV == 2) v1 = f32x4.add(v1, v128.load(p, 16));
  }
  if (TV == 2 && cols > 4) {
    v128.store(p, v0);
    storeLanes(p + 16, v1, cols - 4);
  } else {
    storeLanes(p, v0, cols);
  }
}

/**
 * C tile (rows ≤ TM, cols ≤ 4·TV, row stride cRow bytes) (+)= Σ_{p<kc} a_p ⊗ b_p,
 * a_p = TM floats at a + p·aStep, b_p = 4·TV floats at b + p·bStep. TM (rows) ∈ {4, 6} and
 * TV (vectors) ∈ {1, 2} are constants at every call site, so inlining specializes the body
 * (the unused accumulators and branches fold away).
 */
// @ts-ignore: decorator
@inline function tileBody(TM: i32, TV: i32, a: usize, aStep: usize, b: usize, bStep: usize, kc: i32,
                          c: usize, cRow: usize, rows: i32, cols: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = TV == 2 ? v128.load(b, 16) : b0;
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); if (TV == 2) c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10); if (TV == 2) c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20); if (TV == 2) c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30); if (TV == 2) c31 = madd(x, b1, c31);
    if (TM == 6) {
      x = v128.load32_splat(a, 16);
      c40 = madd(x, b0, c40); if (TV == 2) c41 = madd(x, b1, c41);
      x = v128.load32_splat(a, 20);
      c50 = madd(x, b0, c50); if (TV == 2) c51 = madd(x, b1, c51);
    }
    a += aStep;
    b += bStep;
  }
  storeRow(TV, c, c00, c01, cols, add);
  if (rows > 1) storeRow(TV, c + cRow, c10, c11, cols, add);
  if (rows > 2) storeRow(TV, c + 2 * cRow, c20, c21, cols, add);
  if (rows > 3) storeRow(TV, c + 3 * cRow, c30, c31, cols, add);
  if (TM == 6) {
    if (rows > 4) storeRow(TV, c + 4 * cRow, c40, c41, cols, add);
    if (rows > 5) storeRow(TV, c + 5 * cRow, c50, c51, cols, add);
  }
}

function tile6x8(a: usize, aStep: usize, b: usize, bStep: usize, kc: i32, c: usize, cRow: usize, rows: i32, cols: i32, add: bool): void {
  tileBody(6, 2, a, aStep, b, bStep, kc, c, cRow, rows, cols, add);
}
function tile6x4(a: usize, aStep: usize, b: usize, bStep: usize, kc: i32, c: usize, cRow: usize, rows: i32, cols: i32, add: bool): void {
  tileBody(6, 1, a, aStep, b, bStep, kc, c, cRow, rows, cols, add);
}
function tile4x8(a: usize, aStep: usize, b: usize, bStep: usize, kc: i32, c: usize, cRow: usize, rows: i32, cols: i32, add: bool): void {
  tileBody(4, 2, a, aStep, b, bStep, kc, c, cRow, rows, cols, add);
}
function tile4x4(a: usize, aStep: usize, b: usize, bStep: usize, kc: i32, c: usize, cRow: usize, rows: i32, cols: i32, add: bool): void {
  tileBody(4, 1, a, aStep, b, bStep, kc, c, cRow, rows, cols, add);
}

/**
 * One row panel (rows ≤ mr) against all n columns: 8-wide tiles, and a 4-wide
 * tile for a last block of ≤ 4 columns (less wasted work on ragged n like 50).
 */
function panelTimesB(mr: i32, a: usize, aStep: usize, b: usize, bStep: usize, kc: i32,
                     c: usize, cRow: usize, rows: i32, n: i32, add: bool): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = min(NR, n - j0);
    const bj = b + (<usize>j0 << 2), cj = c + (<usize>j0 << 2);
    if (mr == 6) {
      if (cols > 4) tile6x8(a, aStep, bj, bStep, kc, cj, cRow, rows, cols, add);
      else tile6x4(a, aStep, bj, bStep, kc, cj, cRow, rows, cols, add);
    } else {
      if (cols > 4) tile4x8(a, aStep, bj, bStep, kc, cj, cRow, rows, cols, add);
      else tile4x4(a, aStep, bj, bStep, kc, cj, cRow, rows, cols, add);
    }
  }
}

/** Panel height: 6 unless 4 divides m and 6 does not (m = 32 strings per step). */
// @ts-ignore: decorator
@inline function mainPanelRows(m: i32): i32 {
  return m % MR != 0 && m % 4 == 0 ? 4 : MR;
}

/** Height of the panel at row i0: the main height, or 4 for a remainder of ≤ 4 rows. */
// @ts-ignore: decorator
@inline function panelRows(main: i32, left: i32): i32 {
  return left >= main ? main : left <= 4 ? 4 : 6;
}

/**
 * panel[p·mr + r] = A[r, p] for r < rows, p < kc (rows past `rows`: 0); A rows are
 * aRow bytes apart. Full panels move 4 columns at a time through a 4×4 register
 * transpose (rows 0–3) and a 2×4 interleave (rows 4–5).
 */
function packPanel(a: usize, aRow: usize, rows: i32, mr: i32, kc: i32, panel: usize): void {
  const step = <usize>mr << 2;
  let p = 0;
  if (rows == mr) {
    const r0 = a, r1 = r0 + aRow, r2 = r1 + aRow, r3 = r2 + aRow;
    for (; p + 4 <= kc; p += 4) {
      const o = <usize>p << 2;
      const dst = panel + <usize>p * step;
      const v0 = v128.load(r0 + o), v1 = v128.load(r1 + o), v2 = v128.load(r2 + o), v3 = v128.load(r3 + o);
      const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5), t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
      v128.store(dst + step, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
      v128.store(dst + 2 * step, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
      v128.store(dst + 3 * step, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
      if (mr == 6) {
        const r4 = r3 + aRow, r5 = r4 + aRow;
        const v4 = v128.load(r4 + o), v5 = v128.load(r5 + o);
        const u0 = i32x4.shuffle(v4, v5, 0, 4, 1, 5), u1 = i32x4.shuffle(v4, v5, 2, 6, 3, 7);
        v128.store64_lane(dst, u0, 0, 16);
        v128.store64_lane(dst + step, u0, 1, 16);
        v128.store64_lane(dst + 2 * step, u1, 0, 16);
        v128.store64_lane(dst + 3 * step, u1, 1, 16);
      }
    }
  }
  // remaining columns (and ragged panels) element by element
  for (let r = 0; r < mr; r++) {
    let dst = panel + <usize>p * step + (<usize>r << 2);
    if (r < rows) {
      let src = a + <usize>r * aRow + (<usize>p << 2);
      for (let q = p; q < kc; q++) {
        store<f32>(dst, load<f32>(src));
        src += 4;
        dst += step;
      }
    } else {
      for (let q = p; q < kc; q++) {
        store<f32>(dst, 0);
        dst += step;
      }
    }
  }
}

/** C[m×n] (+)= A[m×k]·B[k×n]; pointers are byte offsets, scratch holds SCRATCH_FLOATS. */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (k == 0) { if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 2); return; }
  const nBytes = <usize>n << 2;
  const kBytes = <usize>k << 2;
  const kcMax = chunkK(k, n);
  for (let p0 = 0; p0 < k; p0 += kcMax) {
    const kc = min(kcMax, k - p0);
    const add = accumulate || p0 > 0;
    const main = mainPanelRows(m);
    for (let i0 = 0; i0 < m; ) {
      const mr = panelRows(main, m - i0);
      const rows = min(mr, m - i0);
      packPanel(a + <usize>i0 * kBytes + (<usize>p0 << 2), kBytes, rows, mr, kc, scratch);
      panelTimesB(mr, scratch, <usize>mr << 2, b + <usize>p0 * nBytes, nBytes, kc,
                  c + <usize>i0 * nBytes, nBytes, rows, n, add);
      i0 += rows;
    }
  }
}

/** C[m×n] (+)= A[k×m]ᵀ·B[k×n] (weight gradients: k = all rows of all steps). */
export function gemmTN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (k == 0) { if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 2); return; }
  const nBytes = <usize>n << 2;
  const mBytes = <usize>m << 2;
  const kcMax = chunkK(k, m + n);
  for (let p0 = 0; p0 < k; p0 += kcMax) {
    const kc = min(kcMax, k - p0);
    const add = accumulate || p0 > 0;
    const aChunk = a + <usize>p0 * mBytes;
    const bChunk = b + <usize>p0 * nBytes;
    const main = mainPanelRows(m);
    for (let i0 = 0; i0 < m; ) {
      const mr = panelRows(main, m - i0);
      const rows = min(mr, m - i0);
      panelTimesB(mr, aChunk + (<usize>i0 << 2), mBytes, bChunk, nBytes, kc,
                  c + <usize>i0 * nBytes, nBytes, rows, n, add);
      i0 += rows;
    }
  }
}

/**
 * bt[p·n̄ + j] = B[j, p] for j < nb, p < kc (zero for nb ≤ j < n̄); B rows are bRow
 * bytes apart. Groups of 4 rows × 4 columns go through a 4×4 register transpose.
 */
function packTransposed(b: usize, bRow: usize, nb: i32, nbPad: i32, kc: i32, bt: usize): void {
  const btRow = <usize>nbPad << 2;
  let j = 0;
  for (; j + 4 <= nb; j += 4) {
    const r0 = b + <usize>j * bRow, r1 = r0 + bRow, r2 = r1 + bRow, r3 = r2 + bRow;
    let dst = bt + (<usize>j << 2);
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      const o = <usize>p << 2;
      const v0 = v128.load(r0 + o), v1 = v128.load(r1 + o), v2 = v128.load(r2 + o), v3 = v128.load(r3 + o);
      const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5), t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
      v128.store(dst + btRow, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
      v128.store(dst + 2 * btRow, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
      v128.store(dst + 3 * btRow, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
      dst += 4 * btRow;
    }
    for (; p < kc; p++) {
      const o = <usize>p << 2;
      store<f32>(dst, load<f32>(r0 + o));
      store<f32>(dst, load<f32>(r1 + o), 4);
      store<f32>(dst, load<f32>(r2 + o), 8);
      store<f32>(dst, load<f32>(r3 + o), 12);
      dst += btRow;
    }
  }
  for (; j < nbPad; j++) {
    let dst = bt + (<usize>j << 2);
    if (j < nb) {
      let src = b + <usize>j * bRow;
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
}

/** C[m×n] (+)= A[m×k]·B[n×k]ᵀ (inputs times weightsᵀ). */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, scratch: usize): void {
  if (k == 0) { if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 2); return; }
  if (n == 1) { rowDots(m, k, a, b, c, accumulate); return; }
  if (n <= DOT_MAX_N && k >= DOT_MIN_K) { dotProducts(m, n, k, a, b, c, accumulate); return; }
  const nBytes = <usize>n << 2;
  const kBytes = <usize>k << 2;
  const panel = scratch;
  const bt = scratch + (<usize>(MR * KC_MAX) << 2);
  const kcMax = chunkK(k, (min(n, NB) + NR - 1) & ~(NR - 1));
  for (let p0 = 0; p0 < k; p0 += kcMax) {
    const kc = min(kcMax, k - p0);
    const add = accumulate || p0 > 0;
    for (let j1 = 0; j1 < n; j1 += NB) {
      const nb = min(NB, n - j1);
      const nbPad = (nb + NR - 1) & ~(NR - 1);
      const btRow = <usize>nbPad << 2;
      packTransposed(b + <usize>j1 * kBytes + (<usize>p0 << 2), kBytes, nb, nbPad, kc, bt);
      const main = mainPanelRows(m);
      for (let i0 = 0; i0 < m; ) {
        const mr = panelRows(main, m - i0);
        const rows = min(mr, m - i0);
        packPanel(a + <usize>i0 * kBytes + (<usize>p0 << 2), kBytes, rows, mr, kc, panel);
        panelTimesB(mr, panel, <usize>mr << 2, bt, btRow, kc,
                    c + <usize>i0 * nBytes + (<usize>j1 << 2), nBytes, rows, nb, add);
        i0 += rows;
      }
    }
  }
}

// ---- NT with a few long rows: dot products ----
//
// The feature-major engine's weight and bias gradients are C = A·Bᵀ with m, n ≤ a
// few dozen and k = all rows of a batch (thousands): the packed path above would
// re-pack both operands for every 256-wide chunk of k and run 6×8 tiles on a 9×3 C.
// Here each C entry is a dot product streamed straight from A's and B's rows, 2 rows
// of A by 4 rows of B at a time (8 accumulators fed by 6 loads).

/** NT takes the dot-product path when n is at most this and k at least DOT_MIN_K. */
const DOT_MAX_N: i32 = 32;
const DOT_MIN_K: i32 = 512;

// @ts-ignore: decorator
@inline export function horizontalSum(v: v128): f32 {
  const s = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(s, v128.shuffle<f32>(s, s, 1, 0, 3, 2)), 0);
}

// @ts-ignore: decorator
@inline export function storeDot(c: usize, value: f32, accumulate: bool): void {
  store<f32>(c, accumulate ? load<f32>(c) + value : value);
}

/**
 * C[m×n] (+)= A[m×k]·B[n×k]ᵀ as dot products. Missing rows of a 2×4 group (ragged
 * m or n) repeat the group's first row and are not stored.
 */
function dotProducts(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool): void {
  const row = <usize>k << 2, k4 = k & ~3;
  for (let i = 0; i < m; i += 2) {
    const a0 = a + <usize>i * row, a1 = i + 1 < m ? a0 + row : a0;
    for (let j = 0; j < n; j += 4) {
      const b0 = b + <usize>j * row;
      const b1 = j + 1 < n ? b0 + row : b0, b2 = j + 2 < n ? b0 + 2 * row : b0, b3 = j + 3 < n ? b0 + 3 * row : b0;
      let s00 = f32x4.splat(0), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (let p = 0; p < k4; p += 4) {
        const o = <usize>p << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o), y2 = v128.load(b2 + o), y3 = v128.load(b3 + o);
        s00 = madd(x0, y0, s00); s01 = madd(x0, y1, s01); s02 = madd(x0, y2, s02); s03 = madd(x0, y3, s03);
        s10 = madd(x1, y0, s10); s11 = madd(x1, y1, s11); s12 = madd(x1, y2, s12); s13 = madd(x1, y3, s13);
      }
      let t00 = horizontalSum(s00), t01 = horizontalSum(s01), t02 = horizontalSum(s02), t03 = horizontalSum(s03);
      let t10 = horizontalSum(s10), t11 = horizontalSum(s11), t12 = horizontalSum(s12), t13 = horizontalSum(s13);
      for (let p = k4; p < k; p++) {
        const o = <usize>p << 2;
        const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
        const y0 = load<f32>(b0 + o), y1 = load<f32>(b1 + o), y2 = load<f32>(b2 + o), y3 = load<f32>(b3 + o);
        t00 += x0 * y0; t01 += x0 * y1; t02 += x0 * y2; t03 += x0 * y3;
        t10 += x1 * y0; t11 += x1 * y1; t12 += x1 * y2; t13 += x1 * y3;
      }
      const c0 = c + (<usize>(i * n + j) << 2), c1 = c0 + (<usize>n << 2);
      storeDot(c0, t00, accumulate);
      if (j + 1 < n) storeDot(c0 + 4, t01, accumulate);
      if (j + 2 < n) storeDot(c0 + 8, t02, accumulate);
      if (j + 3 < n) storeDot(c0 + 12, t03, accumulate);
      if (i + 1 < m) {
        storeDot(c1, t10, accumulate);
        if (j + 1 < n) storeDot(c1 + 4, t11, accumulate);
        if (j + 2 < n) storeDot(c1 + 8, t12, accumulate);
        if (j + 3 < n) storeDot(c1 + 12, t13, accumulate);
      }
    }
  }
}

/**
 * C[m] (+)= A[m×k]·b (NT with n = 1: the feature-major engine's bias gradients dG·1), 4 rows of
 * A at a time against each vector of b; missing rows of a group repeat its first and are not stored.
 */
function rowDots(m: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool): void {
  const row = <usize>k << 2, k4 = k & ~3;
  for (let i = 0; i < m; i += 4) {
    const a0 = a + <usize>i * row;
    const a1 = i + 1 < m ? a0 + row : a0, a2 = i + 2 < m ? a0 + 2 * row : a0, a3 = i + 3 < m ? a0 + 3 * row : a0;
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (let p = 0; p < k4; p += 4) {
      const o = <usize>p << 2, y = v128.load(b + o);
      s0 = madd(v128.load(a0 + o), y, s0); s1 = madd(v128.load(a1 + o), y, s1);
      s2 = madd(v128.load(a2 + o), y, s2); s3 = madd(v128.load(a3 + o), y, s3);
    }
    let t0 = horizontalSum(s0), t1 = horizontalSum(s1), t2 = horizontalSum(s2), t3 = horizontalSum(s3);
    for (let p = k4; p < k; p++) {
      const o = <usize>p << 2, y = load<f32>(b + o);
      t0 += load<f32>(a0 + o) * y; t1 += load<f32>(a1 + o) * y; t2 += load<f32>(a2 + o) * y; t3 += load<f32>(a3 + o) * y;
    }
    const ci = c + (<usize>i << 2);
    storeDot(ci, t0, accumulate);
    if (i + 1 < m) storeDot(ci + 4, t1, accumulate);
    if (i + 2 < m) storeDot(ci + 8, t2, accumulate);
    if (i + 3 < m) storeDot(ci + 12, t3, accumulate);
  }
}
