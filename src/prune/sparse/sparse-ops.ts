import type { Floats, KernelOps } from "../../nn/kernel-ops";
import { createOps, registerBackend } from "../../nn/backend";
import type { CellMode } from "../../nn/spec";
import { SparsePattern, sparsePattern } from "./pattern";
import { sparseNN, sparseNT, sparseTN } from "./kernels";
import { WasmMemoryOps, WasmPattern, WasmSparseKernels } from "./wasm-sparse";

/**
 * Sparse execution of pruned networks behind the engine's KernelOps seam, with no
 * change to the engine: a decorator over any backend that recognises the products
 * with masked recurrent weight matrices and runs them on the kept entries only.
 *
 * How it recognises them. The engine keeps every parameter in one flat vector θ
 * with a 0/1 float mask of the same layout, applies the mask with
 * `multiply(P, mask, 0, θ, 0)` whenever it loads parameters and
 * `multiply(P, mask, 0, grad, 0)` after each backward pass, and passes θ (at the
 * matrix's offset) as the weight operand of gemmNT / gemmNN and the gradient (at
 * the same offset) as the output of gemmTN. So a full-length multiply tells us
 * which buffers are masked by which mask; a product whose weight operand (or
 * gradient output) is such a buffer reads its pattern from the mask at that
 * offset. The pattern is cached per (offset, shape) and rebuilt when θ's mask is
 * applied again (new masks, e.g. gradual pruning). A matrix denser than
 * `maxDensity`, and anything unrecognised, goes to the wrapped backend unchanged.
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
  readonly stats: SparseOpsStats = { sparse: 0, dense: 0 };
  /** buffer → the 0/1 mask last multiplied into it over its full length */
  private readonly maskOf = new Map<F, F>();
  /** buffers seen as the weight operand of a product (θ) */
  private readonly weightBuffers = new Set<F>();
  /** `${offset}:${rows}x${cols}` → pattern, or null for "too dense, run dense" */
  private readonly patterns = new Map<string, SparsePattern | null>();
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
  }

  private pattern(buffer: F, offset: number, rows: number, cols: number): SparsePattern | null {
    const mask = this.maskOf.get(buffer);
    if (!mask) return null;
    const key = `${offset}:${rows}x${cols}`;
    let p = this.patterns.get(key);
    if (p === undefined) {
      const candidate = sparsePattern(mask, rows, cols, offset);
      p = candidate.nnz <= this.options.maxDensity * rows * cols ? candidate : null;
      this.patterns.set(key, p);
    }
    return p;
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

  private wasmPattern(p: SparsePattern, key: string): WasmPattern {
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

  gemmNT(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    this.weightBuffers.add(b);
    const p = this.pattern(b, bOff, n, k);
    const wasm = p && this.wasmKernels();
    if (p && (wasm
      ? wasm.nt(m, n, k, a as Float32Array, aOff, b as Float32Array, bOff, this.wasmPattern(p, `${bOff}:${n}x${k}`), c as Float32Array, cOff, accumulate)
      : (sparseNT(m, n, k, a, aOff, b, bOff, p, c, cOff, accumulate), true))) { this.stats.sparse++; return; }
    this.stats.dense++;
    this.base.gemmNT(m, n, k, a, b, c, accumulate, aOff, bOff, cOff);
  }

  gemmNN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    this.weightBuffers.add(b);
    const p = this.pattern(b, bOff, k, n);
    const wasm = p && this.wasmKernels();
    if (p && (wasm
      ? wasm.nn(m, n, k, a as Float32Array, aOff, b as Float32Array, bOff, this.wasmPattern(p, `${bOff}:${k}x${n}`), c as Float32Array, cOff, accumulate)
      : (sparseNN(m, n, k, a, aOff, b, bOff, p, c, cOff, accumulate), true))) { this.stats.sparse++; return; }
    this.stats.dense++;
    this.base.gemmNN(m, n, k, a, b, c, accumulate, aOff, bOff, cOff);
  }

  gemmTN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    // c is the gradient, masked like θ: only its kept entries need computing
    const p = this.weightBuffers.has(c) ? null : this.pattern(c, cOff, m, n);
    const wasm = p && this.wasmKernels();
    if (p && (wasm
      ? wasm.tn(m, n, k, a as Float32Array, aOff, b as Float32Array, bOff, this.wasmPattern(p, `${cOff}:${m}x${n}`), c as Float32Array, cOff, accumulate)
      : (sparseTN(m, n, k, a, aOff, b, bOff, p, c, cOff, accumulate), true))) { this.stats.sparse++; return; }
    this.stats.dense++;
    this.base.gemmTN(m, n, k, a, b, c, accumulate, aOff, bOff, cOff);
  }

  multiply(n: number, src: F, srcOff: number, dst: F, dstOff: number): void {
    this.base.multiply(n, src, srcOff, dst, dstOff);
    if (srcOff === 0 && dstOff === 0 && n === dst.length && n === src.length) {
      this.maskOf.set(dst, src);
      if (this.weightBuffers.has(dst)) { // θ's mask re-applied: masks may have changed
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
      // reservation, which holds every activation buffer) and their pattern indices (≤ 4 per weight)
      this.reserved = elements;
      this.base.reserve(2 * elements, (ints ?? 0) + elements);
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
  addRowVector(rows: number, cols: number, v: F, vOff: number, c: F, cOff: number): void { this.base.addRowVector(rows, cols, v, vOff, c, cOff); }
  colSums(rows: number, cols: number, a: F, aOff: number, out: F, outOff: number, accumulate: boolean): void { this.base.colSums(rows, cols, a, aOff, out, outOff, accumulate); }
  add(n: number, src: F, srcOff: number, dst: F, dstOff: number): void { this.base.add(n, src, srcOff, dst, dstOff); }
  copy(n: number, src: F, srcOff: number, dst: F, dstOff: number): void { this.base.copy(n, src, srcOff, dst, dstOff); }
  fill(n: number, value: number, dst: F, dstOff: number): void { this.base.fill(n, value, dst, dstOff); }
  sumSquares(n: number, a: F, aOff: number): number { return this.base.sumSquares(n, a, aOff); }
  gatherRows(rows: number, cols: number, table: F, tableOff: number, index: Int32Array, indexOff: number, out: F, outOff: number): void {
    this.base.gatherRows(rows, cols, table, tableOff, index, indexOff, out, outOff);
  }
  scatterAddRows(rows: number, cols: number, src: F, srcOff: number, index: Int32Array, indexOff: number, table: F, tableOff: number): void {
    this.base.scatterAddRows(rows, cols, src, srcOff, index, indexOff, table, tableOff);
  }
  cellForward(mode: CellMode, rows: number, hidden: number, gi: F, giOff: number, gh: F, ghOff: number, hPrev: F, hPrevOff: number,
    cPrev: F, cPrevOff: number, h: F, hOff: number, c: F, cOff: number): void {
    this.base.cellForward(mode, rows, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, cPrev, cPrevOff, h, hOff, c, cOff);
  }
  cellBackward(mode: CellMode, rows: number, hidden: number, act: F, actOff: number, gh: F, ghOff: number, hPrev: F, hPrevOff: number,
    h: F, hOff: number, cPrev: F, cPrevOff: number, c: F, cOff: number, dh: F, dhOff: number, dc: F, dcOff: number,
    dGi: F, dGiOff: number, dGh: F, dGhOff: number): void {
    this.base.cellBackward(mode, rows, hidden, act, actOff, gh, ghOff, hPrev, hPrevOff, h, hOff, cPrev, cPrevOff, c, cOff,
      dh, dhOff, dc, dcOff, dGi, dGiOff, dGh, dGhOff);
  }
  adam(n: number, theta: F, grad: F, m: F, v: F, lr: number, beta1: number, beta2: number, eps: number, step: number, gradScale: number): void {
    this.base.adam(n, theta, grad, m, v, lr, beta1, beta2, eps, step, gradScale);
  }
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
 * bench/sparse.ts on the thesis's 3×50 GRU/LSTM (busy machine, noisy): plain JS wins
 * from about 40 % density down, the wasm SIMD sparse kernels against the wasm SIMD
 * dense ones from about 30 % down.
 */
export function defaultMaxDensity(base: string): number {
  return base === "js" || base === "js-f64" || base === "js-f32" ? 0.4 : 0.3;
}
