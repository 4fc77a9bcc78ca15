import type { Product } from "../../nn/kernel-ops";
import type { SparsePattern } from "./pattern";

/**
 * The products of a recurrent block with a masked weight matrix W, doing work only
 * for W's kept entries (same contracts as KernelOps.gemmNT / gemmNN / gemmTN with W
 * in the weight slot, or W's gradient the output). Each walks 4 rows of the dense
 * operand per pass so every index and weight loaded is used 4 times. Hand-written
 * because no JS sparse library offers products against a mask over a live dense buffer.
 */

/** C[m×n] (+)= A[m×k]·Wᵀ, W n×k with pattern p (forward: x·W_ihᵀ, h·W_hhᵀ). */
export function sparseNT(product: Product, p: SparsePattern): void {
  const { m, n, k, accumulate } = product, { data: a, offset: aOff } = product.a, { data: w, offset: wOff } = product.b, { data: c, offset: cOff } = product.c;
  const { rowPtr, colIdx } = p;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = aOff + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let j = 0; j < n; j++) {
      const wRow = wOff + j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let e = rowPtr[j], end = rowPtr[j + 1]; e < end; e++) {
        const col = colIdx[e], x = w[wRow + col];
        s0 += a[a0 + col] * x; s1 += a[a1 + col] * x; s2 += a[a2 + col] * x; s3 += a[a3 + col] * x;
      }
      if (accumulate) { c[c0 + j] += s0; c[c1 + j] += s1; c[c2 + j] += s2; c[c3 + j] += s3; }
      else { c[c0 + j] = s0; c[c1 + j] = s1; c[c2 + j] = s2; c[c3 + j] = s3; }
    }
  }
  for (; i < m; i++) {
    const a0 = aOff + i * k, c0 = cOff + i * n;
    for (let j = 0; j < n; j++) {
      const wRow = wOff + j * k;
      let s = 0;
      for (let e = rowPtr[j], end = rowPtr[j + 1]; e < end; e++) { const col = colIdx[e]; s += a[a0 + col] * w[wRow + col]; }
      c[c0 + j] = accumulate ? c[c0 + j] + s : s;
    }
  }
}

/** C[m×n] (+)= A[m×k]·W, W k×n with pattern p (backward: dGates·W into dh / dx). */
export function sparseNN(product: Product, p: SparsePattern): void {
  const { m, n, k, accumulate } = product, { data: a, offset: aOff } = product.a, { data: w, offset: wOff } = product.b, { data: c, offset: cOff } = product.c;
  const { colPtr, rowIdx } = p;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = aOff + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let col = 0; col < n; col++) {
      const wCol = wOff + col;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let e = colPtr[col], end = colPtr[col + 1]; e < end; e++) {
        const r = rowIdx[e], x = w[wCol + r * n];
        s0 += a[a0 + r] * x; s1 += a[a1 + r] * x; s2 += a[a2 + r] * x; s3 += a[a3 + r] * x;
      }
      if (accumulate) { c[c0 + col] += s0; c[c1 + col] += s1; c[c2 + col] += s2; c[c3 + col] += s3; }
      else { c[c0 + col] = s0; c[c1 + col] = s1; c[c2 + col] = s2; c[c3 + col] = s3; }
    }
  }
  for (; i < m; i++) {
    const a0 = aOff + i * k, c0 = cOff + i * n;
    for (let col = 0; col < n; col++) {
      const wCol = wOff + col;
      let s = 0;
      for (let e = colPtr[col], end = colPtr[col + 1]; e < end; e++) { const r = rowIdx[e]; s += a[a0 + r] * w[wCol + r * n]; }
      c[c0 + col] = accumulate ? c[c0 + col] + s : s;
    }
  }
}

/**
 * C[m×n] (+)= A[k×m]ᵀ·B[k×n] on the kept entries of pattern p (m×n) only — the
 * weight gradient of a masked matrix, which is zero elsewhere: entries outside the
 * pattern are zeroed (accumulate = false) or left as they are (accumulate = true).
 */
export function sparseTN(product: Product, p: SparsePattern): void {
  const { m, n, k, accumulate } = product, { data: a, offset: aOff } = product.a, { data: b, offset: bOff } = product.b, { data: c, offset: cOff } = product.c;
  const { rowPtr, colIdx } = p;
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  let q = 0;
  for (; q + 3 < k; q += 4) {
    const a0 = aOff + q * m, a1 = a0 + m, a2 = a1 + m, a3 = a2 + m;
    const b0 = bOff + q * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    for (let j = 0; j < m; j++) {
      const x0 = a[a0 + j], x1 = a[a1 + j], x2 = a[a2 + j], x3 = a[a3 + j];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const cRow = cOff + j * n;
      for (let e = rowPtr[j], end = rowPtr[j + 1]; e < end; e++) {
        const col = colIdx[e];
        c[cRow + col] += x0 * b[b0 + col] + x1 * b[b1 + col] + x2 * b[b2 + col] + x3 * b[b3 + col];
      }
    }
  }
  for (; q < k; q++) {
    const a0 = aOff + q * m, b0 = bOff + q * n;
    for (let j = 0; j < m; j++) {
      const x = a[a0 + j];
      if (x === 0) continue;
      const cRow = cOff + j * n;
      for (let e = rowPtr[j], end = rowPtr[j + 1]; e < end; e++) { const col = colIdx[e]; c[cRow + col] += x * b[b0 + col]; }
    }
  }
}

/**
 * C[m×n] (+)= A[m×k]·B[n×k]ᵀ on the kept entries of pattern p (m×n) only: the column
 * engine's weight gradient dG·xᵀ (rows of A and B are whole sequences); entries
 * outside the pattern are zeroed (accumulate = false) or left as they are.
 */
export function sparseSampledNT(product: Product, p: SparsePattern): void {
  const { m, n, k, accumulate } = product, { data: a, offset: aOff } = product.a, { data: b, offset: bOff } = product.b, { data: c, offset: cOff } = product.c;
  const { rowPtr, colIdx } = p;
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  for (let j = 0; j < m; j++) {
    const aRow = aOff + j * k;
    for (let e = rowPtr[j], end = rowPtr[j + 1]; e < end; e++) {
      const col = colIdx[e], bRow = bOff + col * k;
      let s = 0;
      for (let i = 0; i < k; i++) s += a[aRow + i] * b[bRow + i];
      c[cOff + j * n + col] += s;
    }
  }
}

/** C[m×n] (+)= W[k×m]ᵀ·B[k×n], W with pattern p (k×m): the column engine's dx = W_ihᵀ·dG. */
export function sparseTransposedTimes(product: Product, p: SparsePattern): void {
  const { m, n, accumulate } = product, { data: w, offset: wOff } = product.a, { data: b, offset: bOff } = product.b, { data: c, offset: cOff } = product.c;
  const { rowPtr, colIdx } = p;
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  for (let q = 0; q < p.rows; q++) {
    const bRow = bOff + q * n;
    for (let e = rowPtr[q], end = rowPtr[q + 1]; e < end; e++) {
      const col = colIdx[e], x = w[wOff + q * m + col], cRow = cOff + col * n;
      for (let i = 0; i < n; i++) c[cRow + i] += x * b[bRow + i];
    }
  }
}
