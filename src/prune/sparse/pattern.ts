/**
 * The sparsity pattern of a masked weight matrix W (rows × cols, row-major), in
 * both compressed orders: CSR (kept columns of each row) for products with Wᵀ and
 * for the weight gradient, CSC (kept rows of each column) for products with W.
 * Only indices are stored: the kernels read the values from the dense weight
 * buffer itself, so the pattern never goes stale while the optimizer updates the
 * kept weights (the masked ones stay zero and are never read).
 */
export interface SparsePattern {
  readonly rows: number;
  readonly cols: number;
  /** number of kept entries */
  readonly nnz: number;
  /** CSR: row r keeps columns colIdx[rowPtr[r] … rowPtr[r+1]) */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** CSC: column c keeps rows rowIdx[colPtr[c] … colPtr[c+1]) */
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
}

/** The pattern of the nonzero entries of mask[offset … offset + rows·cols) (a 0/1 byte or float mask). */
export function sparsePattern(mask: ArrayLike<number>, rows: number, cols: number, offset = 0): SparsePattern {
  if (mask.length < offset + rows * cols) {
    throw new Error(`sparsePattern: mask has ${mask.length} entries, expected offset + rows·cols = ${offset} + ${rows}·${cols} = ${offset + rows * cols}`);
  }
  const rowPtr = new Int32Array(rows + 1);
  const colPtr = new Int32Array(cols + 1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (mask[offset + r * cols + c]) { rowPtr[r + 1]++; colPtr[c + 1]++; }
    }
  }
  for (let r = 0; r < rows; r++) rowPtr[r + 1] += rowPtr[r];
  for (let c = 0; c < cols; c++) colPtr[c + 1] += colPtr[c];
  const nnz = rowPtr[rows];
  const colIdx = new Int32Array(nnz);
  const rowIdx = new Int32Array(nnz);
  const colFill = colPtr.slice(0, cols);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (mask[offset + r * cols + c]) { colIdx[e++] = c; rowIdx[colFill[c]++] = r; }
    }
  }
  return { rows, cols, nnz, rowPtr, colIdx, colPtr, rowIdx };
}
