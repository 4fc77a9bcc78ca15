/**
 * The wasm SIMD sparse kernels (assembly/): products with a masked weight matrix for
 * the row-major engine (sparse.ts) and the feature-major time loops and products for
 * the column engine (column.ts), run over the memory of the engine's wasm backend so
 * they read θ, activations and gradients in place. Built lazily with the
 * AssemblyScript compiler into build/wasm/sparse-<variant>.wasm, in the backend's
 * variant (relaxed SIMD: fused multiply-add).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
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

/** What the kernels need of the backend: its memory, its allocator and its build variant. */
export interface WasmMemoryOps {
  readonly memory: { readonly buffer: ArrayBuffer | SharedArrayBuffer };
  readonly variant: "simd" | "relaxed";
  alloc(elements: number): Float32Array;
  allocInt(elements: number): Int32Array;
}

const sourceDir = fs.realpathSync(__dirname);
const repoRoot = path.resolve(sourceDir, "../../..");
const config = path.join(sourceDir, "asconfig.json");
// the sparse kernels import the dense kernels' cell math: either's sources make the build stale
const assemblyDirs = [path.join(sourceDir, "assembly"), path.join(repoRoot, "src", "nn", "wasm", "assembly")];
const wasmFile = (variant: string) => path.join(repoRoot, "build", "wasm", `sparse-${variant}.wasm`);

function ensureBuilt(variant: string): void {
  const sources = [config, ...assemblyDirs.flatMap((d) => fs.readdirSync(d).map((f) => path.join(d, f)))];
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  const file = wasmFile(variant);
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= newest) return;
  const asc = path.join(path.dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`; // concurrent builds never expose a partial file
  execFileSync(process.execPath, [asc, path.join(sourceDir, "assembly", "index.ts"), "--config", config, "--target", variant, "--outFile", temporary],
    { cwd: repoRoot, stdio: "pipe" });
  fs.renameSync(temporary, file);
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

  constructor(private readonly ops: WasmMemoryOps, private readonly scratchFloats: number) {
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

  private at(x: Float32Array | Int32Array, off: number): number {
    return x.byteOffset + 4 * off;
  }

  /** C[m×n] (+)= A[m×k]·Wᵀ (W n×k) — returns false (nothing done) when the scratch is too small. */
  nt(m: number, n: number, k: number, a: Float32Array, aOff: number, w: Float32Array, wOff: number, p: WasmPattern, c: Float32Array, cOff: number, accumulate: boolean): boolean {
    const ld = (m + 3) & ~3;
    const s = this.scratch(k * ld, n * ld);
    if (!s) return false;
    const [at, ct] = s;
    this.k.transpose(m, k, this.at(a, aOff), this.at(at, 0), ld);
    this.k.spmmT(n, ld, this.at(at, 0), this.at(p.rowPtr, 0), this.at(p.colIdx, 0), this.at(p.rowPos, 0), this.at(w, wOff), this.at(ct, 0));
    this.k.untranspose(m, n, this.at(ct, 0), ld, this.at(c, cOff), accumulate ? 1 : 0);
    return true;
  }

  /** C[m×n] (+)= A[m×k]·W (W k×n). */
  nn(m: number, n: number, k: number, a: Float32Array, aOff: number, w: Float32Array, wOff: number, p: WasmPattern, c: Float32Array, cOff: number, accumulate: boolean): boolean {
    const ld = (m + 3) & ~3;
    const s = this.scratch(k * ld, n * ld);
    if (!s) return false;
    const [at, ct] = s;
    this.k.transpose(m, k, this.at(a, aOff), this.at(at, 0), ld);
    this.k.spmmT(n, ld, this.at(at, 0), this.at(p.colPtr, 0), this.at(p.rowIdx, 0), this.at(p.colPos, 0), this.at(w, wOff), this.at(ct, 0));
    this.k.untranspose(m, n, this.at(ct, 0), ld, this.at(c, cOff), accumulate ? 1 : 0);
    return true;
  }

  /** C[m×n] (+)= A[k×m]ᵀ·B[k×n] on the pattern's entries; the others zeroed (accumulate = false) or kept. */
  tn(m: number, n: number, k: number, a: Float32Array, aOff: number, b: Float32Array, bOff: number, p: WasmPattern, c: Float32Array, cOff: number, accumulate: boolean): boolean {
    const ld = (k + 3) & ~3;
    const s = this.scratch(m * ld, n * ld);
    if (!s) return false;
    const [at, bt] = s;
    this.k.transpose(k, m, this.at(a, aOff), this.at(at, 0), ld);
    this.k.transpose(k, n, this.at(b, bOff), this.at(bt, 0), ld);
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    this.k.sddmm(m, ld, this.at(at, 0), this.at(bt, 0), this.at(p.rowPtr, 0), this.at(p.colIdx, 0), this.at(p.rowPos, 0), this.at(c, cOff), accumulate ? 1 : 0);
    return true;
  }

  // ---- the feature-major (column engine) kernels: sequences are F rows of R floats, nothing is transposed ----

  /** Pack p's entries by rows of W (CSR: products with W) or by columns (CSC: with Wᵀ) for one call; returns [starts, entries]. */
  private pack(p: WasmPattern, by: "rows" | "columns", w: Float32Array, wOff: number, rowFloats: number): [number, number] {
    const [ptr, idx, pos] = by === "rows" ? [p.rowPtr, p.colIdx, p.rowPos] : [p.colPtr, p.rowIdx, p.colPos];
    this.k.pack(p.nnz, this.at(idx, 0), this.at(pos, 0), this.at(w, wOff), 4 * rowFloats, this.at(p.packed, 0));
    return [this.at(ptr, 0), this.at(p.packed, 0)];
  }

  /** C[m×n] (+)= A[m×k]·B[n×k]ᵀ on the pattern's entries of C (the others zeroed, or kept when accumulating). */
  sampled(m: number, n: number, k: number, a: Float32Array, aOff: number, b: Float32Array, bOff: number, p: WasmPattern, c: Float32Array, cOff: number, accumulate: boolean): void {
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    this.k.sddmm(m, k, this.at(a, aOff), this.at(b, bOff), this.at(p.rowPtr, 0), this.at(p.colIdx, 0), this.at(p.rowPos, 0), this.at(c, cOff), accumulate ? 1 : 0);
  }

  /** C[m×n] (+)= W[k×m]ᵀ·B[k×n] with W sparse (pattern p; k is p.rows) and B, C feature-major sequences of n columns. */
  transposedTimes(m: number, n: number, w: Float32Array, wOff: number, p: WasmPattern, b: Float32Array, bOff: number, c: Float32Array, cOff: number, accumulate: boolean): void {
    const [starts, entries] = this.pack(p, "columns", w, wOff, n);
    this.k.spmmColumns(m, n, this.at(b, bOff), starts, entries, this.at(c, cOff), accumulate ? 1 : 0);
  }

  /** KernelOps.columnForward of a block with W_ih / W_hh of patterns ih / hh (arguments checked by the caller). */
  columnForward(code: number, H: number, T: number, R: number, steps: Int32Array, stepsOff: number, x: Float32Array, xOff: number,
    bih: Float32Array, bihOff: number, bhh: Float32Array, bhhOff: number, act: Float32Array, actOff: number, hp: Float32Array, hpOff: number,
    h: Float32Array, hOff: number, c: Float32Array, cOff: number, ghn: Float32Array, ghnOff: number,
    wih: Float32Array, wihOff: number, ih: WasmPattern, w: Float32Array, wOff: number, hh: WasmPattern): void {
    const [ihStarts, ihEntries] = this.pack(ih, "rows", wih, wihOff, R);
    const [hhStarts, hhEntries] = this.pack(hh, "rows", w, wOff, R);
    this.k.sparseColumnForward(code, H, T, R, this.at(steps, stepsOff), this.at(x, xOff), this.at(bih, bihOff), this.at(bhh, bhhOff),
      this.at(act, actOff), this.at(hp, hpOff), this.at(h, hOff), this.at(c, cOff), this.at(ghn, ghnOff), ihStarts, ihEntries, hhStarts, hhEntries);
  }

  /** KernelOps.columnBackward of a block with W_hh of pattern hh (arguments checked by the caller). */
  columnBackward(code: number, H: number, T: number, R: number, steps: Int32Array, stepsOff: number, act: Float32Array, actOff: number,
    hp: Float32Array, hpOff: number, h: Float32Array, hOff: number, c: Float32Array, cOff: number, ghn: Float32Array, ghnOff: number,
    dOut: Float32Array, dOutOff: number, dGi: Float32Array, dGiOff: number, dGh: Float32Array, dGhOff: number, carry: Float32Array, carryOff: number,
    w: Float32Array, wOff: number, hh: WasmPattern): void {
    const [starts, entries] = this.pack(hh, "columns", w, wOff, R);
    this.k.sparseColumnBackward(code, H, T, R, this.at(steps, stepsOff), this.at(act, actOff), this.at(hp, hpOff), this.at(h, hOff), this.at(c, cOff),
      this.at(ghn, ghnOff), this.at(dOut, dOutOff), this.at(dGi, dGiOff), this.at(dGh, dGhOff), this.at(carry, carryOff), starts, entries);
  }
}
