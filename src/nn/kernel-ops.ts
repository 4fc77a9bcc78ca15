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
 * - Every buffer argument is an `Operand`: a buffer and the element offset where the
 *   operand starts (`at(buffer, offset)`). The engine allocates each buffer once for
 *   the largest batch shape and addresses time steps by offset, so the hot loop
 *   creates no views (no `subarray`). Operations with more than a few arguments take
 *   one record (Product, CellStep, ColumnForward, …) whose fields are named.
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
 * Masks are explicit state: the engine declares θ's layout and mask vector once
 * (`bindParameters`) and says when a block's masks change (`maskChanged`); a backend
 * that skips pruned weights (src/prune/sparse) builds its patterns from them. What a
 * backend can do is declared in `capabilities`.
 *
 * Compatibility: this file only grows compatibly (new optional fields, new methods).
 * A breaking change is announced here. Breaking (engine numerics version 2, same
 * numbers): operands and records replaced the positional (buffer, offset) argument
 * lists; `capabilities` is required and replaced `sparseWeights`.
 */
import type { CellMode } from "./spec";

export type Floats = Float32Array | Float64Array;

/** Where an operand starts: a buffer from the backend's alloc / allocInt and an element offset into it. */
export interface Operand<B extends Floats | Int32Array = Floats> {
  readonly data: B;
  readonly offset: number;
  /**
   * Set on θ and on its gradient at one of the bound ParameterLayout's matrices: which
   * one. In a product it says the operand is that matrix's weights (an input) or its
   * gradient (the output), so a backend that skips pruned weights knows whose mask applies.
   */
  readonly matrix?: number;
}

/** `data` from element `offset` on. */
export function at<B extends Floats | Int32Array>(data: B, offset = 0): Operand<B> {
  return { data, offset };
}

/** One array of θ as a rows × cols matrix (a bias: rows × 1) at `offset` in θ and in its gradient. */
export interface MatrixLayout {
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  /** the recurrent block whose masks cover it (its W_ih and W_hh); absent for arrays never masked (biases, embedding, head) */
  readonly block?: number;
}

/** θ's arrays in Network.parameterArrays() order, as the engine declares them to its backend. */
export interface ParameterLayout {
  readonly matrices: readonly MatrixLayout[];
}

/** What a backend can do, declared as data: the engine and the trainer choose their drivers by it, never by name. */
export interface Capabilities {
  /** threads that can share a batch: 2 when DataParallel can run the second shard on a worker with the same kernels */
  readonly threads: 1 | 2;
  /** the pruned entries of masked weight matrices are skipped (bindParameters, maskChanged and gradientMasked are acted on) */
  readonly sparse: boolean;
  /** the feature-major kernels: columnForward, columnBackward, gatherColumns, scatterAddColumns */
  readonly columns: boolean;
}

/** The WebAssembly memory a backend's buffers are views of, with its allocator: other wasm kernels can run on them in place. */
export interface WasmHost {
  readonly memory: { readonly buffer: ArrayBuffer | SharedArrayBuffer };
  /** the build of the backend's kernels: "relaxed" (fused multiply-adds) or "simd" */
  readonly variant: "simd" | "relaxed";
  alloc(elements: number): Float32Array;
  allocInt(elements: number): Int32Array;
}

/** C[m×n] = (accumulate ? C : 0) + op(A)·op(B), op as the product's name says (gemmNT, gemmNN, gemmTN). */
export interface Product<F extends Floats = Floats> {
  m: number; n: number; k: number;
  a: Operand<F>; b: Operand<F>; c: Operand<F>;
  accumulate: boolean;
}

/**
 * One time step of one block over `rows` strings, row-major (rows × …, each operand at its offset):
 *   gates rows×G·H  forward: in, gi (the input projection incl. b_ih); OVERWRITTEN with
 *                   the activated gates the backward pass needs ("act"): GRU [r | z | n],
 *                   LSTM [i | f | g | o], RNN_* left unchanged. Backward: those gates.
 *   gh    rows×G·H  recurrent projection incl. b_hh (read only; GRU keeps gh_n for backward)
 *   hPrev rows×H    h_{t−1} (read by GRU)
 *   cPrev rows×H    c_{t−1} (LSTM only)
 *   h     rows×H    forward: written, h_t; backward: read
 *   c     rows×H    forward: written, c_t (LSTM only); backward: read
 * Operands a mode does not use are ignored (pass any buffer).
 */
export interface CellStep<F extends Floats = Floats> {
  mode: CellMode; rows: number; hidden: number;
  gates: Operand<F>; gh: Operand<F>; hPrev: Operand<F>; cPrev: Operand<F>; h: Operand<F>; c: Operand<F>;
}

/**
 * A CellStep's backward (gates, h and c as the forward left them):
 *   dh  rows×H  in: ∂L/∂h_t (total). out: the part of ∂L/∂h_{t−1} that does not
 *               flow through W_hh — GRU dh∘z, other modes 0. (The engine then adds
 *               dGh·W_hh with gemmNN.)
 *   dc  rows×H  LSTM only. in: ∂L/∂c_t from step t+1. out: ∂L/∂c_{t−1}.
 *   dGi rows×G·H written: ∂L/∂gi (pre-activation gate gradients).
 *   dGh rows×G·H written: ∂L/∂gh — GRU only (it differs in the n block:
 *               dGh_n = dGi_n∘r). For the other modes ∂L/∂gh = ∂L/∂gi and dGh is
 *               NOT written: the engine passes the dGi buffer for both.
 */
export interface CellGradient<F extends Floats = Floats> extends CellStep<F> {
  dh: Operand<F>; dc: Operand<F>; dGi: Operand<F>; dGh: Operand<F>;
}

/**
 * A whole GRU step of a small block: gh = hPrev·W_hhᵀ + b_hh (w: W_hh, 3H × H; bhh: b_hh),
 * then cellForward("GRU") with the same operands. One call per step instead of three:
 * worth it for blocks of a few units, whose step costs are call overheads.
 */
export interface GruStep<F extends Floats = Floats> {
  rows: number; hidden: number;
  gates: Operand<F>; gh: Operand<F>; hPrev: Operand<F>; h: Operand<F>; w: Operand<F>; bhh: Operand<F>;
}

/** A GruStep's backward: cellBackward("GRU"), then dh += dGh·W_hh (the recurrent product's gradient into ∂L/∂h_{t−1}). */
export interface GruStepGradient<F extends Floats = Floats> {
  rows: number; hidden: number;
  gates: Operand<F>; gh: Operand<F>; hPrev: Operand<F>; w: Operand<F>; dh: Operand<F>; dGi: Operand<F>; dGh: Operand<F>;
}

/**
 * The time steps of a feature-major batch (see the column section of KernelOps): T steps
 * over R columns; `steps` holds 2·T Int32 entries [rows_0, off_0, rows_1, off_1, …].
 */
export interface StepTable {
  T: number; R: number; steps: Operand<Int32Array>;
}

/**
 * The whole forward time loop of one block (hidden size H, G gate blocks, input size In),
 * input projection included (one pass over the sequence instead of a product first):
 *   x    In × R   the input sequence (read only)
 *   wih  W_ih (G·H × In, row-major);  bih: b_ih
 *   w    W_hh (G·H × H, row-major);   bhh: b_hh
 *   act  G·H × R  written: the activated gates the backward pass needs, as cellForward
 *                 leaves them (GRU r|z|n, LSTM i|f|g|o); RNN_*: not written (it uses h)
 *   hp   H × R    written: h_{t−1} at step t's columns (0 at t = 0)
 *   h    H × R    written: h_t
 *   c    H × R    written: c_t (LSTM only)
 *   ghn  H × R    written: W_hn·h_{t−1} + b_hn (GRU only; its backward needs it)
 * Equations as cellForward with gi = x·W_ihᵀ + b_ih and gh = h_{t−1}·W_hhᵀ + b_hh.
 */
export interface ColumnForward<F extends Floats = Floats> {
  mode: CellMode; hidden: number; schedule: StepTable;
  x: Operand<F>; inputSize: number; wih: Operand<F>; bih: Operand<F>; w: Operand<F>; bhh: Operand<F>;
  act: Operand<F>; hp: Operand<F>; h: Operand<F>; c: Operand<F>; ghn: Operand<F>;
}

/**
 * The whole backward time loop of one block (act, w, hp, h, c, ghn as columnForward left them):
 *   dOut  H × R    ∂L/∂h_t from everything reading the block's output (read only)
 *   dGi   G·H × R  written: ∂L/∂gi (pre-activation gate gradients)
 *   dGh   G·H × R  written: ∂L/∂gh, GRU only (n block dGi_n∘r); other modes pass dGi
 *                  and it is not written separately (∂L/∂gh = ∂L/∂gi)
 *   carry 2·H·rows_0 floats of scratch (∂L/∂h and ∂L/∂c carried from step t to t−1)
 * Weight and bias gradients are NOT formed here: the engine takes them with products
 * over all steps (dW_hh = dGh·hpᵀ, dW_ih = dGi·xᵀ).
 */
export interface ColumnBackward<F extends Floats = Floats> {
  mode: CellMode; hidden: number; schedule: StepTable;
  act: Operand<F>; w: Operand<F>; hp: Operand<F>; h: Operand<F>; c: Operand<F>; ghn: Operand<F>;
  dOut: Operand<F>; dGi: Operand<F>; dGh: Operand<F>; carry: Operand<F>;
}

/**
 * One Adam step (PyTorch semantics, no weight decay) over whole flat parameter buffers:
 *   g = grad·gradScale; m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
 *   θ −= lr / (1−β1^step) · m / (√v / √(1−β2^step) + ε)
 * `step` is 1-based. gradScale carries the gradient-norm clipping factor.
 */
export interface AdamStep<F extends Floats = Floats> {
  n: number; theta: F; grad: F; m: F; v: F;
  lr: number; beta1: number; beta2: number; eps: number; step: number; gradScale: number;
}

export interface KernelOps<F extends Floats = Floats> {
  /** the kernels' name: part of a run's numerics identity (src/nn/numerics.ts) */
  readonly name: string;
  readonly precision: "f32" | "f64";
  readonly capabilities: Capabilities;
  /** present when every buffer of this backend lives in one WebAssembly memory */
  readonly wasm?: WasmHost;

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

  // ---- matrix products ----

  /** C[m×n] = (accumulate ? C : 0) + A[m×k] · B[n×k]ᵀ — inputs times weightsᵀ */
  gemmNT(p: Product<F>): void;
  /** C[m×n] = (accumulate ? C : 0) + A[m×k] · B[k×n] — gate gradients times weights */
  gemmNN(p: Product<F>): void;
  /** C[m×n] = (accumulate ? C : 0) + A[k×m]ᵀ · B[k×n] — weight gradients over all steps */
  gemmTN(p: Product<F>): void;

  // ---- vector helpers ----

  /** c[r·cols + j] += v[j] for r < rows, j < cols (bias add). */
  addRowVector(rows: number, cols: number, v: Operand<F>, c: Operand<F>): void;
  /** out[j] = (accumulate ? out : 0) + Σ_{r<rows} a[r·cols + j] (bias gradient). */
  colSums(rows: number, cols: number, a: Operand<F>, out: Operand<F>, accumulate: boolean): void;
  /** dst[i] += src[i], i < n. */
  add(n: number, src: Operand<F>, dst: Operand<F>): void;
  /** dst[i] = src[i], i < n. */
  copy(n: number, src: Operand<F>, dst: Operand<F>): void;
  /** dst[i] = value, i < n. */
  fill(n: number, value: number, dst: Operand<F>): void;
  /** dst[i] *= src[i], i < n (0/1 float masks on weights and gradients). */
  multiply(n: number, src: Operand<F>, dst: Operand<F>): void;
  /** Σ a[i]², i < n, accumulated in float64 (global gradient norm). */
  sumSquares(n: number, a: Operand<F>): number;
  /** out[r·cols + j] = table[index[r]·cols + j] (embedding lookup). */
  gatherRows(rows: number, cols: number, table: Operand<F>, index: Operand<Int32Array>, out: Operand<F>): void;
  /** table[index[r]·cols + j] += src[r·cols + j] (embedding gradient; rows in order). */
  scatterAddRows(rows: number, cols: number, src: Operand<F>, index: Operand<Int32Array>, table: Operand<F>): void;

  // ---- recurrent cell, one time step over `rows` strings ----

  /**
   * Element-wise forward of one step (see CellStep). Equations:
   *   RNN_TANH h = tanh(gi+gh); RNN_RELU h = max(0, gi+gh);
   *   GRU r = σ(gi_r+gh_r), z = σ(gi_z+gh_z), n = tanh(gi_n + r∘gh_n), h = n + z∘(hPrev − n)
   *   LSTM i,f,o = σ(gi+gh), g = tanh(gi_g+gh_g), c = f∘cPrev + i∘g, h = o∘tanh(c).
   */
  cellForward(s: CellStep<F>): void;
  /** Element-wise backward of one step (see CellGradient). */
  cellBackward(s: CellGradient<F>): void;

  // ---- whole GRU steps of small blocks (optional: the engine composes them from the ops above when absent) ----

  gruStepForward?(s: GruStep<F>): void;
  gruStepBackward?(s: GruStepGradient<F>): void;

  // ---- whole sequences of small blocks, FEATURE-MAJOR layout (optional: ColumnEngine uses them when present) ----
  //
  // Feature-major ("column") layout: a sequence of F features over the batch's R rows
  // (R = Σ_t rows_t, the same packed time-major rows as above) is F rows of R floats:
  // feature k of row r of step t is x[k·R + off_t + r]. Each feature of each step is
  // a contiguous run of rows_t floats, so a cell's element-wise math runs over the
  // strings of the batch in full SIMD vectors however few units the block has — the
  // random-structure networks are dozens of blocks of 1–5 units.
  // The StepTable: rows_t is non-increasing in t (constant with padding "post") and row r
  // of step t is row r of step t−1 (the same string), so h_{t−1} of step t's row r is at
  // column off_{t−1} + r; h_{−1} = c_{−1} = 0.

  /** out[j·rows + r] = table[index[r]·cols + j]: gatherRows written feature-major (embedding lookup). */
  gatherColumns?(rows: number, cols: number, table: Operand<F>, index: Operand<Int32Array>, out: Operand<F>): void;
  /** table[index[r]·cols + j] += src[j·rows + r]: scatterAddRows reading feature-major (embedding gradient). */
  scatterAddColumns?(rows: number, cols: number, src: Operand<F>, index: Operand<Int32Array>, table: Operand<F>): void;
  /** The whole forward time loop of one block (see ColumnForward). */
  columnForward?(r: ColumnForward<F>): void;
  /** The whole backward time loop of one block (see ColumnBackward). */
  columnBackward?(r: ColumnBackward<F>): void;

  /**
   * Optional layout hint: the widest layer at which the feature-major kernels still beat
   * the row-major ones on this backend, for a network keeping `keptFraction` of its
   * recurrent weights (the sparse-weight backend's column kernels win at any width).
   * Without it, createEngine's "auto" uses COLUMN_MAX_SIZE.
   */
  columnMaxSize?(keptFraction: number): number;

  // ---- θ's masks, for backends that skip pruned weights (capabilities.sparse; optional otherwise) ----

  /**
   * θ's layout and its 0/1 mask vector (a buffer of this backend, θ's length), declared
   * once by the engine after allocating θ. From then on the engine's operands at θ's
   * matrices and at their gradients carry `matrix`.
   */
  bindParameters?(layout: ParameterLayout, masks: F): void;
  /** The masks of recurrent block `block` changed (the bound mask vector holds the new ones). */
  maskChanged?(block: number): void;
  /** The engine has just zeroed the gradient's masked entries (after every backward pass). */
  gradientMasked?(): void;

  // ---- optimizer ----

  /** One Adam step (see AdamStep). */
  adam(s: AdamStep<F>): void;
}
