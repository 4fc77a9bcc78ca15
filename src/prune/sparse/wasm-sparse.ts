/**
 * The wasm SIMD sparse kernels (assembly/): products with a masked weight matrix for
 * the row-major engine (sparse.ts) and the feature-major time loops and products for
 * the column engine (column.ts), run over the memory of the engine's wasm backend so
 * they read θ, activations and gradients in place. Built lazily with the
 * AssemblyScript compiler into build/wasm/sparse-<variant>.wasm, in the backend's
 * variant (relaxed SIMD: fused multiply-add).
 */
import { ensureAssemblyScriptBuilt } from "../../core/assemblyscript";
import * as fs from "fs";
import * as path from "path";
import type { ColumnBackward, ColumnForward, Operand, Product, WasmHost } from "../../nn/kernel-ops";
import type { SparsePattern } from "./pattern";

interface SparseExports {
  transpose(rows: number, cols: number, src: number, dst: number, ld: number): void;
  spmmT(nOut: number, ld: number, at: number, ptr: number, idx: number, pos: number, w: number, ct: number): void;
  untranspose(m: number, n: number, ct: number, ld: number, c: number, accumulate: number): void;
  sddmm(rows: number, ld: number, at: number, bt: number, ptr: number, idx: number, pos: number, c: number, accumulate: number): void;
  pack(nnz: number, idx: number, pos: number, w: number, stride: number, out: number): void;
  sparseColumnForward(mode: number, H: number, T: number, R: number, steps: number, x: number, bih: number, bhh: number,
    act: number, hp: number, h: number, c: number, ghn: number, ihPtr: number, ih: number, hhPtr: number, hh: number): void;
  sparseColumnBackward(mode: number, H: number, T: number, R: number, steps: number, act: number, hp: number, h: number, c: number, ghn: number,
    dOut: number, dGi: number, dGh: number, carry: number, hhColPtr: number, hhCol: number): void;
  spmmColumns(nOut: number, R: number, src: number, ptr: number, entries: number, dst: number, accumulate: number): void;
}

const sourceDir = fs.realpathSync(__dirname);
const repoRoot = path.resolve(sourceDir, "../../..");
const config = path.join(sourceDir, "asconfig.json");
// the sparse kernels import the dense kernels' cell math: either's sources make the build stale
const assemblyDirs = [path.join(sourceDir, "assembly"), path.join(repoRoot, "src", "nn", "wasm", "assembly")];
const wasmFile = (variant: string) => path.join(repoRoot, "build", "wasm", `sparse-${variant}.wasm`);

function ensureBuilt(variant: string): void {
  ensureAssemblyScriptBuilt({ entry: path.join(sourceDir, "assembly", "index.ts"), config, target: variant, outFile: wasmFile(variant), sources: [config, ...assemblyDirs], cwd: repoRoot });
}

const compiled = new Map<string, unknown>();

/**
 * A pattern's index arrays copied into wasm memory (capacity for a full matrix, reused when masks
 * change), and room for its entries packed (offset, weight) for one column-kernel call.
 */
export interface WasmPattern {
  nnz: number;
  rowPtr: Int32Array; colIdx: Int32Array; rowPos: Int32Array;
  colPtr: Int32Array; rowIdx: Int32Array; colPos: Int32Array;
  packed: Int32Array;
}

export class WasmSparseKernels {
  private readonly k: SparseExports;
  private scratchA: Float32Array | null = null;
  private scratchB: Float32Array | null = null;

  constructor(private readonly ops: WasmHost, private readonly scratchFloats: number) {
    ensureBuilt(ops.variant);
    const W = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => unknown; Instance: new (m: unknown, i: unknown) => { exports: unknown } } }).WebAssembly;
    if (!compiled.has(ops.variant)) compiled.set(ops.variant, new W.Module(fs.readFileSync(wasmFile(ops.variant))));
    this.k = new W.Instance(compiled.get(ops.variant), { env: { memory: ops.memory } }).exports as SparseExports;
  }

  /** Copy a pattern into wasm memory, into `into` when it has room. */
  upload(p: SparsePattern, into?: WasmPattern): WasmPattern {
    const full = p.rows * p.cols;
    const w = into ?? {
      nnz: 0,
      rowPtr: this.ops.allocInt(p.rows + 1), colIdx: this.ops.allocInt(full), rowPos: this.ops.allocInt(full),
      colPtr: this.ops.allocInt(p.cols + 1), rowIdx: this.ops.allocInt(full), colPos: this.ops.allocInt(full),
      packed: this.ops.allocInt(2 * full),
    };
    w.nnz = p.nnz;
    w.rowPtr.set(p.rowPtr); w.colIdx.set(p.colIdx); w.colPtr.set(p.colPtr); w.rowIdx.set(p.rowIdx);
    for (let r = 0; r < p.rows; r++) for (let e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++) w.rowPos[e] = r * p.cols + p.colIdx[e];
    for (let c = 0; c < p.cols; c++) for (let e = p.colPtr[c]; e < p.colPtr[c + 1]; e++) w.colPos[e] = p.rowIdx[e] * p.cols + c;
    return w;
  }

  /** Two scratch buffers of at least `a` and `b` floats, or null when the reservation cannot hold them. */
  private scratch(a: number, b: number): [Float32Array, Float32Array] | null {
    if (a + b > this.scratchFloats) return null;
    if (!this.scratchA) {
      const all = this.ops.alloc(this.scratchFloats);
      this.scratchA = all; this.scratchB = all;
    }
    const all = this.scratchA!;
    return [all.subarray(0, a), all.subarray(all.length - b)];
  }

  /** byte address of x[off] */
  private addr(x: Float32Array | Int32Array, off = 0): number {
    return x.byteOffset + 4 * off;
  }

  /** byte address where an operand starts */
  private ptr(x: Operand<Float32Array | Int32Array>): number {
    return this.addr(x.data, x.offset);
  }

  /** C[m×n] (+)= A[m×k]·Wᵀ (W = B, n×k, of pattern p) — returns false (nothing done) when the scratch is too small. */
  nt({ m, n, k, a, b: w, c, accumulate }: Product<Float32Array>, p: WasmPattern): boolean {
    const ld = (m + 3) & ~3;
    const s = this.scratch(k * ld, n * ld);
    if (!s) return false;
    const [at, ct] = s;
    this.k.transpose(m, k, this.ptr(a), this.addr(at), ld);
    this.k.spmmT(n, ld, this.addr(at), this.addr(p.rowPtr), this.addr(p.colIdx), this.addr(p.rowPos), this.ptr(w), this.addr(ct));
    this.k.untranspose(m, n, this.addr(ct), ld, this.ptr(c), accumulate ? 1 : 0);
    return true;
  }

  /** C[m×n] (+)= A[m×k]·W (W = B, k×n, of pattern p). */
  nn({ m, n, k, a, b: w, c, accumulate }: Product<Float32Array>, p: WasmPattern): boolean {
    const ld = (m + 3) & ~3;
    const s = this.scratch(k * ld, n * ld);
    if (!s) return false;
    const [at, ct] = s;
    this.k.transpose(m, k, this.ptr(a), this.addr(at), ld);
    this.k.spmmT(n, ld, this.addr(at), this.addr(p.colPtr), this.addr(p.rowIdx), this.addr(p.colPos), this.ptr(w), this.addr(ct));
    this.k.untranspose(m, n, this.addr(ct), ld, this.ptr(c), accumulate ? 1 : 0);
    return true;
  }

  /** C[m×n] (+)= A[k×m]ᵀ·B[k×n] on the entries of C's pattern p; the others zeroed (accumulate = false) or kept. */
  tn({ m, n, k, a, b, c, accumulate }: Product<Float32Array>, p: WasmPattern): boolean {
    const ld = (k + 3) & ~3;
    const s = this.scratch(m * ld, n * ld);
    if (!s) return false;
    const [at, bt] = s;
    this.k.transpose(k, m, this.ptr(a), this.addr(at), ld);
    this.k.transpose(k, n, this.ptr(b), this.addr(bt), ld);
    if (!accumulate) c.data.fill(0, c.offset, c.offset + m * n);
    this.k.sddmm(m, ld, this.addr(at), this.addr(bt), this.addr(p.rowPtr), this.addr(p.colIdx), this.addr(p.rowPos), this.ptr(c), accumulate ? 1 : 0);
    return true;
  }

  // ---- the feature-major (column engine) kernels: sequences are F rows of R floats, nothing is transposed ----

  /** Pack p's entries by rows of W (CSR: products with W) or by columns (CSC: with Wᵀ) for one call; returns [starts, entries]. */
  private pack(p: WasmPattern, by: "rows" | "columns", w: Operand<Float32Array>, rowFloats: number): [number, number] {
    const [ptr, idx, pos] = by === "rows" ? [p.rowPtr, p.colIdx, p.rowPos] : [p.colPtr, p.rowIdx, p.colPos];
    this.k.pack(p.nnz, this.addr(idx), this.addr(pos), this.ptr(w), 4 * rowFloats, this.addr(p.packed));
    return [this.addr(ptr), this.addr(p.packed)];
  }

  /** C[m×n] (+)= A[m×k]·B[n×k]ᵀ on the entries of C's pattern p (the others zeroed, or kept when accumulating). */
  sampled({ m, n, k, a, b, c, accumulate }: Product<Float32Array>, p: WasmPattern): void {
    if (!accumulate) c.data.fill(0, c.offset, c.offset + m * n);
    this.k.sddmm(m, k, this.ptr(a), this.ptr(b), this.addr(p.rowPtr), this.addr(p.colIdx), this.addr(p.rowPos), this.ptr(c), accumulate ? 1 : 0);
  }

  /** C[m×n] (+)= W[k×m]ᵀ·B[k×n] with W = A sparse (pattern p; k is p.rows) and B, C feature-major sequences of n columns. */
  transposedTimes({ m, n, a: w, b, c, accumulate }: Product<Float32Array>, p: WasmPattern): void {
    const [starts, entries] = this.pack(p, "columns", w, n);
    this.k.spmmColumns(m, n, this.ptr(b), starts, entries, this.ptr(c), accumulate ? 1 : 0);
  }

  /** KernelOps.columnForward of a block whose W_ih / W_hh have patterns ih / hh (the record checked by the caller). */
  columnForward(code: number, r: ColumnForward<Float32Array>, ih: WasmPattern, hh: WasmPattern): void {
    const { T, R } = r.schedule;
    const [ihStarts, ihEntries] = this.pack(ih, "rows", r.wih, R);
    const [hhStarts, hhEntries] = this.pack(hh, "rows", r.w, R);
    this.k.sparseColumnForward(code, r.hidden, T, R, this.ptr(r.schedule.steps), this.ptr(r.x), this.ptr(r.bih), this.ptr(r.bhh),
      this.ptr(r.act), this.ptr(r.hp), this.ptr(r.h), this.ptr(r.c), this.ptr(r.ghn), ihStarts, ihEntries, hhStarts, hhEntries);
  }

  /** KernelOps.columnBackward of a block whose W_hh has pattern hh (the record checked by the caller). */
  columnBackward(code: number, r: ColumnBackward<Float32Array>, hh: WasmPattern): void {
    const { T, R } = r.schedule;
    const [starts, entries] = this.pack(hh, "columns", r.w, R);
    this.k.sparseColumnBackward(code, r.hidden, T, R, this.ptr(r.schedule.steps), this.ptr(r.act), this.ptr(r.hp), this.ptr(r.h), this.ptr(r.c),
      this.ptr(r.ghn), this.ptr(r.dOut), this.ptr(r.dGi), this.ptr(r.dGh), this.ptr(r.carry), starts, entries);
  }
}
