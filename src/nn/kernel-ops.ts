/**
 * The seam between the fused recurrent kernels (src/nn, plain JS orchestration of
 * the time loop) and the arithmetic backends: plain JS (float64 or float32,
 * src/nn/js-ops.ts) and WebAssembly SIMD (float32, src/nn/wasm). The fused kernel
 * only ever calls these operations on buffers it obtained from the same backend's
 * `alloc` / `allocInt`, so the wasm backend can hand its own linear memory out as
 * typed-array views and pass byte offsets to wasm without copying.
 *
 * Conventions (every operation):
 * - All matrices are row-major and dense. Sizes and offsets are in ELEMENTS.
 * - Every buffer argument `x` is followed by (or paired with) an element offset
 *   `xOff`: the operation reads/writes x[xOff …]. The engine allocates each buffer
 *   once for the largest batch shape and addresses time steps by offset, so the
 *   hot loop creates no views (no `subarray`).
 * - Sequence buffers are TIME-MAJOR and PACKED: step t occupies `rows_t`
 *   consecutive rows starting at row `off_t = Σ_{t'<t} rows_t'`. With padding
 *   "post" rows_t = B for every t; with "packed" the batch is sorted by length
 *   descending and rows_t = #{strings longer than t}, so row r of step t and row r
 *   of step t−1 are the same string. A per-step slice is therefore contiguous.
 * - A plain-JS implementation of any operation works on views of wasm memory too,
 *   so a backend may delegate operations it does not accelerate to JsOps.
 *
 * Recurrent cell (one block, hidden size H, G = GATES[mode] gate blocks, gate
 * layout within a row: G blocks of H, PyTorch order GRU r,z,n / LSTM i,f,g,o):
 *   gi = x·W_ihᵀ + b_ih   (all steps at once, before the time loop)
 *   gh = h_{t−1}·W_hhᵀ + b_hh   (per step)
 * and `cellForward` / `cellBackward` below do everything element-wise.
 *
 * Compatibility: this file only grows compatibly (new optional trailing
 * parameters, new methods). A breaking change is announced here.
 */
import type { CellMode } from "./spec";

export type Floats = Float32Array | Float64Array;

export interface KernelOps<F extends Floats = Floats> {
  readonly name: string;
  readonly precision: "f32" | "f64";

  /**
   * Reserve room for `elements` more floats (and `ints` more Int32 elements), then
   * hand out views with `alloc` / `allocInt`. Views from before a `reserve` may be
   * detached (wasm memory.grow): the engine reserves ONCE for everything it will
   * allocate (parameters and workspace for the largest batch shape), then allocates.
   */
  reserve(elements: number, ints?: number): void;
  /** A zero-filled float view of `elements` elements. */
  alloc(elements: number): F;
  /** A zero-filled Int32 view (token indices, gather/scatter rows). */
  allocInt(elements: number): Int32Array;
  /** Forget every allocation (the engine is being rebuilt). */
  reset(): void;

  // ---- matrix products (the offsets are optional and default to 0) ----

  /** C[m×n] = (accumulate ? C : 0) + A[m×k] · B[n×k]ᵀ — inputs times weightsᵀ */
  gemmNT(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff?: number, bOff?: number, cOff?: number): void;
  /** C[m×n] = (accumulate ? C : 0) + A[m×k] · B[k×n] — gate gradients times weights */
  gemmNN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff?: number, bOff?: number, cOff?: number): void;
  /** C[m×n] = (accumulate ? C : 0) + A[k×m]ᵀ · B[k×n] — weight gradients over all steps */
  gemmTN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff?: number, bOff?: number, cOff?: number): void;

  // ---- vector helpers ----

  /** c[cOff + r·cols + j] += v[vOff + j] for r < rows, j < cols (bias add). */
  addRowVector(rows: number, cols: number, v: F, vOff: number, c: F, cOff: number): void;
  /** out[outOff + j] = (accumulate ? out : 0) + Σ_{r<rows} a[aOff + r·cols + j] (bias gradient). */
  colSums(rows: number, cols: number, a: F, aOff: number, out: F, outOff: number, accumulate: boolean): void;
  /** dst[dstOff + i] += src[srcOff + i], i < n. */
  add(n: number, src: F, srcOff: number, dst: F, dstOff: number): void;
  /** dst[dstOff + i] = src[srcOff + i], i < n. */
  copy(n: number, src: F, srcOff: number, dst: F, dstOff: number): void;
  /** dst[dstOff + i] = value, i < n. */
  fill(n: number, value: number, dst: F, dstOff: number): void;
  /** dst[dstOff + i] *= src[srcOff + i], i < n (0/1 float masks on weights and gradients). */
  multiply(n: number, src: F, srcOff: number, dst: F, dstOff: number): void;
  /** Σ a[aOff + i]², i < n, accumulated in float64 (global gradient norm). */
  sumSquares(n: number, a: F, aOff: number): number;
  /** out[outOff + r·cols + j] = table[tableOff + index[indexOff + r]·cols + j] (embedding lookup). */
  gatherRows(rows: number, cols: number, table: F, tableOff: number, index: Int32Array, indexOff: number, out: F, outOff: number): void;
  /** table[tableOff + index[indexOff + r]·cols + j] += src[srcOff + r·cols + j] (embedding gradient; rows in order). */
  scatterAddRows(rows: number, cols: number, src: F, srcOff: number, index: Int32Array, indexOff: number, table: F, tableOff: number): void;

  // ---- recurrent cell, one time step over `rows` strings ----

  /**
   * Element-wise forward of one step. Shapes (rows × …, each at its offset):
   *   gi   rows×G·H  input projection incl. b_ih. OVERWRITTEN with the activated
   *                  gates needed by the backward pass ("act"):
   *                  GRU [r | z | n], LSTM [i | f | g | o], RNN_* left unchanged.
   *   gh   rows×G·H  recurrent projection incl. b_hh (read only; GRU keeps gh_n for backward)
   *   hPrev rows×H   h_{t−1} (read by GRU)
   *   cPrev rows×H   c_{t−1} (LSTM only)
   *   h    rows×H    written: h_t
   *   c    rows×H    written: c_t (LSTM only)
   * Equations: RNN_TANH h = tanh(gi+gh); RNN_RELU h = max(0, gi+gh);
   *   GRU r = σ(gi_r+gh_r), z = σ(gi_z+gh_z), n = tanh(gi_n + r∘gh_n), h = n + z∘(hPrev − n)
   *   LSTM i,f,o = σ(gi+gh), g = tanh(gi_g+gh_g), c = f∘cPrev + i∘g, h = o∘tanh(c).
   * Arguments a mode does not use are ignored (pass any buffer and 0).
   */
  cellForward(
    mode: CellMode, rows: number, hidden: number,
    gi: F, giOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, cPrev: F, cPrevOff: number,
    h: F, hOff: number, c: F, cOff: number,
  ): void;

  /**
   * Element-wise backward of one step (buffers as in cellForward; `act` is the gi
   * buffer after cellForward, h and c the step's outputs).
   *   dh  rows×H  in: ∂L/∂h_t (total). out: the part of ∂L/∂h_{t−1} that does not
   *               flow through W_hh — GRU dh∘z, other modes 0. (The engine then adds
   *               dGh·W_hh with gemmNN.)
   *   dc  rows×H  LSTM only. in: ∂L/∂c_t from step t+1. out: ∂L/∂c_{t−1}.
   *   dGi rows×G·H written: ∂L/∂gi (pre-activation gate gradients).
   *   dGh rows×G·H written: ∂L/∂gh — GRU only (it differs in the n block:
   *               dGh_n = dGi_n∘r). For the other modes ∂L/∂gh = ∂L/∂gi and dGh is
   *               NOT written: the engine passes the dGi buffer for both.
   */
  cellBackward(
    mode: CellMode, rows: number, hidden: number,
    act: F, actOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, h: F, hOff: number,
    cPrev: F, cPrevOff: number, c: F, cOff: number,
    dh: F, dhOff: number, dc: F, dcOff: number,
    dGi: F, dGiOff: number, dGh: F, dGhOff: number,
  ): void;

  // ---- whole GRU steps of small blocks (optional: the engine composes them from the ops above when absent) ----

  /**
   * gh = hPrev·W_hhᵀ + b_hh (W_hh = w[wOff …], 3H × H; b_hh = bhh[bhhOff …]), then
   * cellForward("GRU", …) with the same buffers. One call per step instead of three:
   * worth it for blocks of a few units, whose step costs are call overheads.
   */
  gruStepForward?(
    rows: number, hidden: number, gi: F, giOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, w: F, wOff: number, bhh: F, bhhOff: number, h: F, hOff: number,
  ): void;

  /** cellBackward("GRU", …), then dh += dGh·W_hh (the recurrent product's gradient into ∂L/∂h_{t−1}). */
  gruStepBackward?(
    rows: number, hidden: number, act: F, actOff: number, gh: F, ghOff: number,
    hPrev: F, hPrevOff: number, w: F, wOff: number, dh: F, dhOff: number,
    dGi: F, dGiOff: number, dGh: F, dGhOff: number,
  ): void;

  // ---- whole sequences of small blocks, FEATURE-MAJOR layout (optional: ColumnEngine uses them when present) ----
  //
  // Feature-major ("column") layout: a sequence of F features over the batch's R rows
  // (R = Σ_t rows_t, the same packed time-major rows as above) is F rows of R floats:
  // feature k of row r of step t is x[k·R + off_t + r]. Each feature of each step is
  // a contiguous run of rows_t floats, so a cell's element-wise math runs over the
  // strings of the batch in full SIMD vectors however few units the block has — the
  // random-structure networks are dozens of blocks of 1–5 units.
  // `steps` (Int32Array at stepsOff) holds 2·T entries [rows_0, off_0, rows_1, off_1, …]:
  // rows_t is non-increasing in t (constant with padding "post") and row r of step t
  // is row r of step t−1 (the same string), so h_{t−1} of step t's row r is at
  // column off_{t−1} + r; h_{−1} = c_{−1} = 0.

  /**
   * The whole forward time loop of one block (hidden size H, G gate blocks, input size In),
   * input projection included (one pass over the sequence instead of a product first):
   *   x    In × R   the input sequence (read only)
   *   wih  W_ih (G·H × In, row-major) at wihOff;  bih: b_ih at bihOff
   *   w    W_hh (G·H × H, row-major) at wOff;  bhh: b_hh at bhhOff
   *   act  G·H × R  written: the activated gates the backward pass needs, as cellForward
   *                 leaves them (GRU r|z|n, LSTM i|f|g|o); RNN_*: not written (it uses h)
   *   hp   H × R    written: h_{t−1} at step t's columns (0 at t = 0)
   *   h    H × R    written: h_t
   *   c    H × R    written: c_t (LSTM only)
   *   ghn  H × R    written: W_hn·h_{t−1} + b_hn (GRU only; its backward needs it)
   * Equations as cellForward with gi = x·W_ihᵀ + b_ih and gh = h_{t−1}·W_hhᵀ + b_hh.
   */
  /** out[outOff + j·rows + r] = table[tableOff + index[indexOff + r]·cols + j]: gatherRows written feature-major (embedding lookup). */
  gatherColumns?(rows: number, cols: number, table: F, tableOff: number, index: Int32Array, indexOff: number, out: F, outOff: number): void;
  /** table[tableOff + index[indexOff + r]·cols + j] += src[srcOff + j·rows + r]: scatterAddRows reading feature-major (embedding gradient). */
  scatterAddColumns?(rows: number, cols: number, src: F, srcOff: number, index: Int32Array, indexOff: number, table: F, tableOff: number): void;

  columnForward?(
    mode: CellMode, hidden: number, T: number, R: number, steps: Int32Array, stepsOff: number,
    x: F, xOff: number, inputSize: number, wih: F, wihOff: number, bih: F, bihOff: number,
    w: F, wOff: number, bhh: F, bhhOff: number,
    act: F, actOff: number, hp: F, hpOff: number, h: F, hOff: number, c: F, cOff: number, ghn: F, ghnOff: number,
  ): void;

  /**
   * The whole backward time loop of one block (buffers as left by columnForward):
   *   dOut  H × R    ∂L/∂h_t from everything reading the block's output (read only)
   *   dGi   G·H × R  written: ∂L/∂gi (pre-activation gate gradients)
   *   dGh   G·H × R  written: ∂L/∂gh, GRU only (n block dGi_n∘r); other modes pass dGi
   *                  and it is not written separately (∂L/∂gh = ∂L/∂gi)
   *   carry 2·H·rows_0 floats of scratch (∂L/∂h and ∂L/∂c carried from step t to t−1)
   * Weight and bias gradients are NOT formed here: the engine takes them with gemms
   * over all steps (dW_hh = dGhᵀ·hp, dW_ih = dGiᵀ·x) and rowSums.
   */
  columnBackward?(
    mode: CellMode, hidden: number, T: number, R: number, steps: Int32Array, stepsOff: number,
    act: F, actOff: number, w: F, wOff: number,
    hp: F, hpOff: number, h: F, hOff: number, c: F, cOff: number, ghn: F, ghnOff: number,
    dOut: F, dOutOff: number, dGi: F, dGiOff: number, dGh: F, dGhOff: number, carry: F, carryOff: number,
  ): void;

  /**
   * Optional layout hint: the widest layer at which the feature-major kernels still beat
   * the row-major ones on this backend, for a network keeping `keptFraction` of its
   * recurrent weights (the sparse-weight backend's column kernels win at any width).
   * Without it, createEngine's "auto" uses COLUMN_MAX_SIZE.
   */
  columnMaxSize?(keptFraction: number): number;

  /**
   * Optional: true when the backend skips the pruned entries of masked weight matrices
   * (src/prune/sparse). The feature-major engine then forms each weight gradient straight
   * in the (masked) gradient, so only kept entries are computed; otherwise it takes
   * [dW | db] in one product over [x; 1], one pass over dG instead of two.
   */
  readonly sparseWeights?: boolean;

  // ---- optimizer ----

  /**
   * One Adam step (PyTorch semantics, no weight decay) over a flat parameter vector:
   *   g = grad·gradScale; m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
   *   θ −= lr / (1−β1^step) · m / (√v / √(1−β2^step) + ε)
   * `step` is 1-based. gradScale carries the gradient-norm clipping factor.
   */
  adam(n: number, theta: F, grad: F, m: F, v: F, lr: number, beta1: number, beta2: number, eps: number, step: number, gradScale: number): void;
}
