import type {
  AdamStep, Capabilities, CellGradient, CellStep, ColumnBackward, ColumnForward, Floats, KernelOps, Operand, ParameterLayout, Product,
} from "../../nn/kernel-ops";
import { createOps, registerBackend } from "../../nn/backend";
import { GATES } from "../../nn/spec";
import { COLUMN_MAX_SIZE } from "../../nn/create-engine";
import { checkColumnBackward, checkColumnForward, modeCode } from "../../nn/wasm/wasm-ops";
import { SparsePattern, sparsePattern } from "./pattern";
import { sparseNN, sparseNT, sparseSampledNT, sparseTN, sparseTransposedTimes } from "./kernels";
import { WasmPattern, WasmSparseKernels } from "./wasm-sparse";

/**
 * Sparse execution of pruned networks behind the engine's KernelOps seam: a decorator
 * over any backend that runs the products with masked weight matrices on their kept
 * entries only.
 *
 * Masks are explicit state of the seam. The engine declares θ's layout and its 0/1
 * mask vector once (`bindParameters`) and says when a block's masks change
 * (`maskChanged`); its operands at θ's matrices and at their gradients carry the
 * matrix (`Operand.matrix`). Within a product such an operand is either an INPUT —
 * the weights: only kept entries are multiplied — or the OUTPUT — the gradient: only
 * kept entries are computed. A matrix's pattern is built from the mask vector on first
 * use and again after its block's masks change (that block's matrices only: dynamic
 * sparse training changes masks between steps). A matrix denser than `maxDensity`,
 * and every product without a matrix operand, goes to the wrapped backend unchanged.
 *
 * Both engine layouts are covered: the row-major engine's products (x·Wᵀ, dG·W,
 * dGᵀ·x) and the feature-major engine's whole-sequence kernels (columnForward /
 * columnBackward) and products (Wᵀ·dG, dG·xᵀ). The feature-major ones are the fast
 * path: every kept weight multiplies whole vectors of strings and nothing is
 * transposed, so `columnMaxSize` asks the engine for that layout whenever the
 * network's recurrent weights are sparse enough.
 *
 * Over a wasm backend (`base.wasm`) the products run in wasm SIMD (wasm-sparse.ts) on
 * the backend's own memory; `reserve` asks the backend for room for their patterns and
 * transposition scratch. Over the plain-JS backends they run in plain JS (kernels.ts).
 */
export interface SparseOpsOptions {
  /** run a matrix sparse when its kept fraction is at most this */
  maxDensity: number;
}

/** Counters of which path each product took and of the patterns built (benchmarks, tests). */
export interface SparseOpsStats {
  sparse: number;
  dense: number;
  patternBuilds: number;
}

export class SparseWeightOps<F extends Floats = Floats> implements KernelOps<F> {
  readonly name: string;
  readonly precision: "f32" | "f64";
  readonly capabilities: Capabilities;
  readonly stats: SparseOpsStats = { sparse: 0, dense: 0, patternBuilds: 0 };
  /** what bindParameters declared */
  private layout: ParameterLayout | null = null;
  private masks: F | null = null;
  /** per matrix of the layout: its pattern, built on first use after its mask last changed */
  private patterns: Array<SparsePattern | undefined> = [];
  /** per matrix: its pattern in wasm memory (kept across mask changes so its memory is reused) and whether it is older than the mask */
  private wasmPatterns: Array<{ copy: WasmPattern; stale: boolean } | undefined> = [];
  /**
   * Numerics version 2: a weight gradient is formed on its pattern only after the engine
   * has masked a gradient once, so every engine's first backward pass forms them dense
   * (the former backend learned the gradient's mask from that masking). Changing it
   * changes the numbers of pruned runs: keep it until the next NUMERICS_VERSION.
   */
  private gradientsOnPattern = false;
  private kernels: WasmSparseKernels | null = null;
  private wasmFailed = false;
  private reserved = 0;

  constructor(readonly base: KernelOps<F>, readonly options: SparseOpsOptions) {
    if (!(options.maxDensity >= 0 && options.maxDensity <= 1)) {
      throw new Error(`SparseWeightOps: maxDensity must be a fraction in [0, 1], got ${options.maxDensity}`);
    }
    this.name = `sparse≤${options.maxDensity}(${base.name})`;
    this.precision = base.precision;
    // one thread: DataParallel's worker would run the wrapped backend's dense kernels, which round differently
    this.capabilities = { threads: 1, sparse: true, columns: base.capabilities.columns };
    if (base.capabilities.columns) {
      this.columnForward = this.sparseColumnForward;
      this.columnBackward = this.sparseColumnBackward;
      this.gatherColumns = base.gatherColumns!.bind(base);
      this.scatterAddColumns = base.scatterAddColumns!.bind(base);
    }
  }

  /** the feature-major kernels, when the wrapped backend has them */
  readonly columnForward?: KernelOps<F>["columnForward"];
  readonly columnBackward?: KernelOps<F>["columnBackward"];
  readonly gatherColumns?: KernelOps<F>["gatherColumns"];
  readonly scatterAddColumns?: KernelOps<F>["scatterAddColumns"];

  bindParameters(layout: ParameterLayout, masks: F): void {
    this.unbind();
    this.layout = layout;
    this.masks = masks;
  }

  maskChanged(block: number): void {
    this.layout?.matrices.forEach((m, i) => {
      if (m.block !== block) return;
      this.patterns[i] = undefined;
      const uploaded = this.wasmPatterns[i];
      if (uploaded) uploaded.stale = true;
    });
  }

  gradientMasked(): void {
    this.gradientsOnPattern = true;
  }

  /** The pattern of the bound matrix at x, used as a rows × cols operand, whatever its density; null when x is no matrix. */
  private pattern(x: Operand<F>, rows: number, cols: number): SparsePattern | null {
    const i = x.matrix;
    if (i === undefined || this.layout === null) return null;
    const built = this.patterns[i];
    if (built) return built;
    const m = this.layout.matrices[i];
    if (m.rows !== rows || m.cols !== cols) throw new Error(`${this.name}: matrix ${i} is ${m.rows}×${m.cols}, a product used it as ${rows}×${cols}`);
    const p = sparsePattern(this.masks!, m.rows, m.cols, m.offset);
    this.patterns[i] = p;
    this.stats.patternBuilds++;
    return p;
  }

  private sparseEnough(p: SparsePattern | null): p is SparsePattern {
    return p !== null && p.nnz <= this.options.maxDensity * p.rows * p.cols;
  }

  /** A product's weight operand: its pattern when sparse enough, else null. */
  private weightPattern(x: Operand<F>, rows: number, cols: number): SparsePattern | null {
    const p = this.pattern(x, rows, cols);
    return this.sparseEnough(p) ? p : null;
  }

  /** A product's output, a weight gradient: its pattern when sparse enough, else null. */
  private gradientPattern(x: Operand<F>, rows: number, cols: number): SparsePattern | null {
    if (!this.gradientsOnPattern) return null;
    const p = this.pattern(x, rows, cols);
    return this.sparseEnough(p) ? p : null;
  }

  /**
   * The wasm kernels when the wrapped backend is wasm (they run on its memory), else null —
   * also when they cannot be built here (no AssemblyScript compiler): the plain-JS kernels then
   * run on the same views, correct but slower.
   */
  private wasmKernels(): WasmSparseKernels | null {
    const host = this.base.wasm;
    if (this.kernels === null && !this.wasmFailed && host && this.reserved > 0) {
      try {
        this.kernels = new WasmSparseKernels(host, this.reserved);
      } catch (error) {
        this.wasmFailed = true;
        console.warn(`SparseWeightOps: wasm sparse kernels unavailable, using plain JS (${(error as Error).message.split("\n")[0]})`);
      }
    }
    return this.kernels;
  }

  /** The wasm copy of matrix i's pattern p, uploaded again when the mask changed. */
  private wasmPattern(p: SparsePattern, i: number): WasmPattern {
    let uploaded = this.wasmPatterns[i];
    if (!uploaded || uploaded.copy.nnz !== p.nnz || uploaded.stale) {
      uploaded = { copy: this.kernels!.upload(p, uploaded?.copy), stale: false };
      this.wasmPatterns[i] = uploaded;
    }
    return uploaded.copy;
  }

  gemmNT(q: Product<F>): void {
    // column engine: dW = dG·xᵀ into the masked gradient (rows of length k, no transposes)
    const out = this.gradientPattern(q.c, q.m, q.n);
    if (out) {
      const wasm = this.wasmKernels();
      if (wasm) wasm.sampled(f32(q), this.wasmPattern(out, q.c.matrix!));
      else sparseSampledNT(q, out);
      this.stats.sparse++;
      return;
    }
    // row engine: x·Wᵀ
    const p = this.weightPattern(q.b, q.n, q.k);
    const wasm = p && this.wasmKernels();
    if (p && (wasm ? wasm.nt(f32(q), this.wasmPattern(p, q.b.matrix!)) : (sparseNT(q, p), true))) { this.stats.sparse++; return; }
    this.stats.dense++;
    this.base.gemmNT(q);
  }

  gemmNN(q: Product<F>): void {
    const p = this.weightPattern(q.b, q.k, q.n);
    const wasm = p && this.wasmKernels();
    if (p && (wasm ? wasm.nn(f32(q), this.wasmPattern(p, q.b.matrix!)) : (sparseNN(q, p), true))) { this.stats.sparse++; return; }
    this.stats.dense++;
    this.base.gemmNN(q);
  }

  gemmTN(q: Product<F>): void {
    // row engine: dW = dGᵀ·x into the masked gradient
    const p = this.gradientPattern(q.c, q.m, q.n);
    const wasm = p && this.wasmKernels();
    if (p && (wasm ? wasm.tn(f32(q), this.wasmPattern(p, q.c.matrix!)) : (sparseTN(q, p), true))) { this.stats.sparse++; return; }
    // column engine: dx = W_ihᵀ·dG
    const w = p ? null : this.weightPattern(q.a, q.k, q.m);
    if (w) {
      const wasm = this.wasmKernels();
      if (wasm) wasm.transposedTimes(f32(q), this.wasmPattern(w, q.a.matrix!));
      else sparseTransposedTimes(q, w);
      this.stats.sparse++;
      return;
    }
    this.stats.dense++;
    this.base.gemmTN(q);
  }

  /**
   * The network's layers that the feature-major engine should run: all of them when the
   * recurrent weights are sparse enough for the sparse column kernels (wasm only), else
   * the wrapped backend's choice.
   */
  columnMaxSize(keptFraction: number): number {
    const sparseColumns = this.base.wasm !== undefined && keptFraction <= this.options.maxDensity;
    return sparseColumns ? Infinity : this.base.columnMaxSize?.(keptFraction) ?? COLUMN_MAX_SIZE;
  }

  private sparseColumnForward(r: ColumnForward<F>): void {
    const GH = GATES[r.mode] * r.hidden;
    // both matrices' patterns (one may be dense: its full pattern then serves), when either is sparse enough
    const ih = this.pattern(r.wih, GH, r.inputSize), hh = this.pattern(r.w, GH, r.hidden);
    const wasm = ih && hh && (this.sparseEnough(ih) || this.sparseEnough(hh)) ? this.wasmKernels() : null;
    if (!wasm) {
      this.stats.dense++;
      this.base.columnForward!(r);
      return;
    }
    const record = r as unknown as ColumnForward<Float32Array>;
    if (r.schedule.T === 0) return;
    checkColumnForward(record);
    this.stats.sparse++;
    wasm.columnForward(modeCode(r.mode, "columnForward"), record, this.wasmPattern(ih!, r.wih.matrix!), this.wasmPattern(hh!, r.w.matrix!));
  }

  private sparseColumnBackward(r: ColumnBackward<F>): void {
    const hh = this.weightPattern(r.w, GATES[r.mode] * r.hidden, r.hidden);
    const wasm = hh && this.wasmKernels();
    if (!hh || !wasm) {
      this.stats.dense++;
      this.base.columnBackward!(r);
      return;
    }
    const record = r as unknown as ColumnBackward<Float32Array>;
    if (r.schedule.T === 0) return;
    checkColumnBackward(record);
    this.stats.sparse++;
    wasm.columnBackward(modeCode(r.mode, "columnBackward"), record, this.wasmPattern(hh, r.w.matrix!));
  }

  reserve(elements: number, ints?: number): void {
    // a reserve may move the backend's memory: every view we hold is void
    this.forget();
    if (this.base.wasm) {
      // room for the wasm kernels' transposition scratch (never more than the engine's own
      // reservation, which holds every activation buffer) and their patterns: ≤ 7 ints per
      // recurrent weight (indices in both orders, positions, packed entries) plus a few per
      // row and column, while the engine reserves ≥ 5 floats per parameter (θ, its gradient,
      // its mask, Adam's two moments) — so 2 ints per reserved float always suffice
      this.reserved = elements;
      this.base.reserve(2 * elements, (ints ?? 0) + 2 * elements);
    } else this.base.reserve(elements, ints);
  }

  reset(): void {
    this.forget();
    this.base.reset();
  }

  private forget(): void {
    this.unbind();
    this.kernels = null;
    this.reserved = 0;
  }

  /** Drop the bound layout and everything built from it. */
  private unbind(): void {
    this.layout = null;
    this.masks = null;
    this.patterns = [];
    this.wasmPatterns = [];
    this.gradientsOnPattern = false;
  }

  // ---- everything else is the wrapped backend's ----
  alloc(elements: number): F { return this.base.alloc(elements); }
  allocInt(elements: number): Int32Array { return this.base.allocInt(elements); }
  addRowVector(rows: number, cols: number, v: Operand<F>, c: Operand<F>): void { this.base.addRowVector(rows, cols, v, c); }
  colSums(rows: number, cols: number, a: Operand<F>, out: Operand<F>, accumulate: boolean): void { this.base.colSums(rows, cols, a, out, accumulate); }
  add(n: number, src: Operand<F>, dst: Operand<F>): void { this.base.add(n, src, dst); }
  copy(n: number, src: Operand<F>, dst: Operand<F>): void { this.base.copy(n, src, dst); }
  fill(n: number, value: number, dst: Operand<F>): void { this.base.fill(n, value, dst); }
  multiply(n: number, src: Operand<F>, dst: Operand<F>): void { this.base.multiply(n, src, dst); }
  sumSquares(n: number, a: Operand<F>): number { return this.base.sumSquares(n, a); }
  gatherRows(rows: number, cols: number, table: Operand<F>, index: Operand<Int32Array>, out: Operand<F>): void {
    this.base.gatherRows(rows, cols, table, index, out);
  }
  scatterAddRows(rows: number, cols: number, src: Operand<F>, index: Operand<Int32Array>, table: Operand<F>): void {
    this.base.scatterAddRows(rows, cols, src, index, table);
  }
  cellForward(s: CellStep<F>): void { this.base.cellForward(s); }
  cellBackward(s: CellGradient<F>): void { this.base.cellBackward(s); }
  adam(s: AdamStep<F>): void { this.base.adam(s); }
}

/** A product over the wasm backend's memory, as the wasm sparse kernels take it. */
function f32<F extends Floats>(q: Product<F>): Product<Float32Array> {
  return q as unknown as Product<Float32Array>;
}

/**
 * Register a sparse backend over `base` ("auto", "js", "js-f32", "wasm", …) with the
 * engine's backend registry and return its name, for TrainOptions.backend /
 * EvaluateOptions.backend. The engine then runs every masked matrix at most
 * `maxDensity` dense sparse, in training and inference.
 */
export function sparseBackend(base: string = "auto", maxDensity = defaultMaxDensity(base)): string {
  const name = `sparse(${base},${maxDensity})`;
  registerBackend(name, () => new SparseWeightOps(createOps(base), { maxDensity }));
  return name;
}

/**
 * Break-even density of the sparse kernels against the dense ones, measured with
 * bench/sparse.ts on the thesis's 3×50 GRU/LSTM: plain JS (row-major products) wins
 * from about 40 % density down; over wasm the sparse feature-major loops against the
 * dense row-major kernels break even at 60–70 % (GRU 1.01× at 70 %, LSTM 1.06× at 60 %),
 * so they take over from 50 %, with a margin.
 */
export function defaultMaxDensity(base: string): number {
  return base === "js" || base === "js-f64" || base === "js-f32" ? 0.4 : 0.5;
}
