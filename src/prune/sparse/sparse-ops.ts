import type { AdamStep, CellGradient, CellStep, ColumnBackward, ColumnForward, Floats, KernelOps, Operand, Product } from "../../nn/kernel-ops";
import { createOps, registerBackend } from "../../nn/backend";
import { GATES } from "../../nn/spec";
import { COLUMN_MAX_SIZE } from "../../nn/create-engine";
import { checkColumnBackward, checkColumnForward, modeCode } from "../../nn/wasm/wasm-ops";
import { SparsePattern, sparsePattern } from "./pattern";
import { sparseNN, sparseNT, sparseSampledNT, sparseTN, sparseTransposedTimes } from "./kernels";
import { WasmMemoryOps, WasmPattern, WasmSparseKernels } from "./wasm-sparse";

/**
 * Sparse execution of pruned networks behind the engine's KernelOps seam, with no
 * change to the engine: a decorator over any backend that recognises the products
 * with masked recurrent weight matrices and runs them on the kept entries only.
 *
 * How it recognises them. The engine keeps every parameter in one flat vector θ
 * with a 0/1 float mask of the same layout, applies the mask with
 * `multiply(P, mask, 0, θ, 0)` whenever it loads parameters and
 * `multiply(P, mask, 0, grad, 0)` after each backward pass. So a full-length multiply
 * tells us which buffers are masked by which mask, and within a product a masked
 * buffer is either an INPUT — θ at a weight matrix's offset: only its kept entries
 * are multiplied — or the OUTPUT — the gradient at that offset: only its kept entries
 * are computed. The pattern is read from the mask at that offset, cached per
 * (offset, shape), and rebuilt when θ's mask is applied again (new masks, e.g.
 * gradual pruning). A matrix denser than `maxDensity`, and anything unrecognised,
 * goes to the wrapped backend unchanged.
 *
 * Both engine layouts are covered: the row-major engine's products (x·Wᵀ, dG·W,
 * dGᵀ·x) and the feature-major engine's whole-sequence kernels (columnForward /
 * columnBackward) and products (Wᵀ·dG, dG·xᵀ). The feature-major ones are the fast
 * path: every kept weight multiplies whole vectors of strings and nothing is
 * transposed, so `columnMaxSize` asks the engine for that layout whenever the
 * network's recurrent weights are sparse enough.
 *
 * Over the wasm backend the products run in wasm SIMD (wasm-sparse.ts) on the
 * backend's own memory; `reserve` asks the backend for room for their patterns and
 * transposition scratch. Over the plain-JS backends they run in plain JS (kernels.ts).
 */
export interface SparseOpsOptions {
  /** run a matrix sparse when its kept fraction is at most this */
  maxDensity: number;
}

/** Counters of which path each product took (benchmarks, tests). */
export interface SparseOpsStats {
  sparse: number;
  dense: number;
}

export class SparseWeightOps<F extends Floats = Floats> implements KernelOps<F> {
  readonly name: string;
  readonly precision: "f32" | "f64";
  readonly sparseWeights = true;
  readonly stats: SparseOpsStats = { sparse: 0, dense: 0 };
  /** buffer → the 0/1 mask last multiplied into it over its full length */
  private readonly maskOf = new Map<F, F>();
  /** buffers seen as the weight operand of a product (θ) */
  private readonly weightBuffers = new Set<F>();
  /** `${offset}:${rows}x${cols}` → the mask's pattern there */
  private readonly patterns = new Map<string, SparsePattern>();
  /** wasm copies of the patterns, kept across mask changes so their memory is reused */
  private readonly wasmPatterns = new Map<string, WasmPattern>();
  private wasm: WasmSparseKernels | null = null;
  private reserved = 0;

  constructor(readonly base: KernelOps<F>, readonly options: SparseOpsOptions) {
    if (!(options.maxDensity >= 0 && options.maxDensity <= 1)) {
      throw new Error(`SparseWeightOps: maxDensity must be a fraction in [0, 1], got ${options.maxDensity}`);
    }
    // not "wasm…": the engine hands wasm-named ops to its two-thread driver, whose workers build plain wasm ops
    this.name = `sparse≤${options.maxDensity}(${base.name})`;
    this.precision = base.precision;
    if (base.columnForward && base.columnBackward && base.gatherColumns && base.scatterAddColumns) {
      this.columnForward = this.sparseColumnForward;
      this.columnBackward = this.sparseColumnBackward;
      this.gatherColumns = base.gatherColumns.bind(base);
      this.scatterAddColumns = base.scatterAddColumns.bind(base);
    }
  }

  /** the feature-major kernels, when the wrapped backend has them */
  readonly columnForward?: KernelOps<F>["columnForward"];
  readonly columnBackward?: KernelOps<F>["columnBackward"];
  readonly gatherColumns?: KernelOps<F>["gatherColumns"];
  readonly scatterAddColumns?: KernelOps<F>["scatterAddColumns"];

  /** The pattern of the mask of x's buffer at x (rows × cols), whatever its density; null when unmasked. */
  private pattern(x: Operand<F>, rows: number, cols: number): SparsePattern | null {
    const mask = this.maskOf.get(x.data);
    if (!mask) return null;
    const offset = x.offset, key = `${offset}:${rows}x${cols}`;
    let p = this.patterns.get(key);
    if (p === undefined) {
      p = sparsePattern(mask, rows, cols, offset);
      this.patterns.set(key, p);
    }
    return p;
  }

  private sparseEnough(p: SparsePattern | null): p is SparsePattern {
    return p !== null && p.nnz <= this.options.maxDensity * p.rows * p.cols;
  }

  /** A masked weight operand (θ at a matrix), recorded as such: its pattern whatever its density; null when unmasked. */
  private maskedWeights(x: Operand<F>, rows: number, cols: number): SparsePattern | null {
    if (!this.maskOf.has(x.data)) return null;
    this.weightBuffers.add(x.data);
    return this.pattern(x, rows, cols);
  }

  /** A product's masked weight operand: its pattern when sparse enough, else null. */
  private weightPattern(x: Operand<F>, rows: number, cols: number): SparsePattern | null {
    const p = this.maskedWeights(x, rows, cols);
    return this.sparseEnough(p) ? p : null;
  }

  /** A product's masked output (the gradient at a matrix): its pattern when sparse enough, else null. */
  private outputPattern(x: Operand<F>, rows: number, cols: number): SparsePattern | null {
    if (this.weightBuffers.has(x.data)) return null;
    const p = this.pattern(x, rows, cols);
    return this.sparseEnough(p) ? p : null;
  }

  /**
   * The wasm kernels when the wrapped backend is wasm (float32 views of its memory), else null —
   * also when they cannot be built here (no AssemblyScript compiler): the plain-JS kernels then
   * run on the same views, correct but slower.
   */
  private wasmKernels(): WasmSparseKernels | null {
    if (this.wasm === null && !this.wasmFailed && "memory" in this.base && this.precision === "f32" && this.reserved > 0) {
      try {
        this.wasm = new WasmSparseKernels(this.base as unknown as WasmMemoryOps, this.reserved);
      } catch (error) {
        this.wasmFailed = true;
        console.warn(`SparseWeightOps: wasm sparse kernels unavailable, using plain JS (${(error as Error).message.split("\n")[0]})`);
      }
    }
    return this.wasm;
  }
  private wasmFailed = false;

  private wasmPattern(p: SparsePattern, offset: number): WasmPattern {
    const key = `${offset}:${p.rows}x${p.cols}`;
    let w = this.wasmPatterns.get(key);
    if (!w || w.nnz !== p.nnz || this.stale.has(key)) {
      w = this.wasm!.upload(p, w);
      this.wasmPatterns.set(key, w);
      this.stale.delete(key);
    }
    return w;
  }

  /** keys whose wasm copy predates the last mask change */
  private readonly stale = new Set<string>();

  gemmNT(q: Product<F>): void {
    // column engine: dW = dG·xᵀ into the masked gradient (rows of length k, no transposes)
    const out = this.outputPattern(q.c, q.m, q.n);
    if (out) {
      const wasm = this.wasmKernels();
      if (wasm) wasm.sampled(f32(q), this.wasmPattern(out, q.c.offset));
      else sparseSampledNT(q, out);
      this.stats.sparse++;
      return;
    }
    // row engine: x·Wᵀ
    const p = this.weightPattern(q.b, q.n, q.k);
    const wasm = p && this.wasmKernels();
    if (p && (wasm ? wasm.nt(f32(q), this.wasmPattern(p, q.b.offset)) : (sparseNT(q, p), true))) { this.stats.sparse++; return; }
    this.stats.dense++;
    this.base.gemmNT(q);
  }

  gemmNN(q: Product<F>): void {
    const p = this.weightPattern(q.b, q.k, q.n);
    const wasm = p && this.wasmKernels();
    if (p && (wasm ? wasm.nn(f32(q), this.wasmPattern(p, q.b.offset)) : (sparseNN(q, p), true))) { this.stats.sparse++; return; }
    this.stats.dense++;
    this.base.gemmNN(q);
  }

  gemmTN(q: Product<F>): void {
    // row engine: dW = dGᵀ·x into the masked gradient
    const p = this.outputPattern(q.c, q.m, q.n);
    const wasm = p && this.wasmKernels();
    if (p && (wasm ? wasm.tn(f32(q), this.wasmPattern(p, q.c.offset)) : (sparseTN(q, p), true))) { this.stats.sparse++; return; }
    // column engine: dx = W_ihᵀ·dG
    const w = p ? null : this.weightPattern(q.a, q.k, q.m);
    if (w) {
      const wasm = this.wasmKernels();
      if (wasm) wasm.transposedTimes(f32(q), this.wasmPattern(w, q.a.offset));
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
    const sparseColumns = "memory" in this.base && this.precision === "f32" && keptFraction <= this.options.maxDensity;
    return sparseColumns ? Infinity : this.base.columnMaxSize?.(keptFraction) ?? COLUMN_MAX_SIZE;
  }

  private sparseColumnForward(r: ColumnForward<F>): void {
    const GH = GATES[r.mode] * r.hidden;
    // both matrices' patterns (one may be dense: its full pattern then serves), when either is sparse enough
    const ih = this.maskedWeights(r.wih, GH, r.inputSize), hh = this.maskedWeights(r.w, GH, r.hidden);
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
    wasm.columnForward(modeCode(r.mode, "columnForward"), record, this.wasmPattern(ih!, r.wih.offset), this.wasmPattern(hh!, r.w.offset));
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
    wasm.columnBackward(modeCode(r.mode, "columnBackward"), record, this.wasmPattern(hh, r.w.offset));
  }

  multiply(n: number, src: Operand<F>, dst: Operand<F>): void {
    this.base.multiply(n, src, dst);
    if (src.offset === 0 && dst.offset === 0 && n === dst.data.length && n === src.data.length) {
      this.maskOf.set(dst.data, src.data);
      if (this.weightBuffers.has(dst.data)) { // θ's mask re-applied: masks may have changed
        this.patterns.clear();
        for (const key of this.wasmPatterns.keys()) this.stale.add(key);
      }
    }
  }

  // ---- everything else is the wrapped backend's ----
  reserve(elements: number, ints?: number): void {
    // a reserve may move the backend's memory: every view we hold is void
    this.forget();
    if ("memory" in this.base && this.precision === "f32") {
      // room for the wasm kernels' transposition scratch (never more than the engine's own
      // reservation, which holds every activation buffer) and their patterns: ≤ 7 ints per
      // recurrent weight (indices in both orders, positions, packed entries) plus a few per
      // row and column, while the engine reserves ≥ 5 floats per parameter (θ, its gradient,
      // its mask, Adam's two moments) — so 2 ints per reserved float always suffice
      this.reserved = elements;
      this.base.reserve(2 * elements, (ints ?? 0) + 2 * elements);
    } else this.base.reserve(elements, ints);
  }
  alloc(elements: number): F { return this.base.alloc(elements); }
  allocInt(elements: number): Int32Array { return this.base.allocInt(elements); }
  reset(): void {
    this.forget();
    this.base.reset();
  }
  private forget(): void {
    this.maskOf.clear(); this.weightBuffers.clear(); this.patterns.clear();
    this.wasmPatterns.clear(); this.stale.clear(); this.wasm = null; this.reserved = 0;
  }
  addRowVector(rows: number, cols: number, v: Operand<F>, c: Operand<F>): void { this.base.addRowVector(rows, cols, v, c); }
  colSums(rows: number, cols: number, a: Operand<F>, out: Operand<F>, accumulate: boolean): void { this.base.colSums(rows, cols, a, out, accumulate); }
  add(n: number, src: Operand<F>, dst: Operand<F>): void { this.base.add(n, src, dst); }
  copy(n: number, src: Operand<F>, dst: Operand<F>): void { this.base.copy(n, src, dst); }
  fill(n: number, value: number, dst: Operand<F>): void { this.base.fill(n, value, dst); }
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
