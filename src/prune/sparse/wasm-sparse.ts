/**
 * The wasm SIMD sparse kernels (assembly/sparse.ts), run over the memory of the
 * engine's wasm backend so they read θ, activations and gradients in place. Built
 * lazily with the AssemblyScript compiler into build/wasm/sparse-simd.wasm.
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
}

/** What the kernels need of the backend: its memory and its allocator. */
export interface WasmMemoryOps {
  readonly memory: { readonly buffer: ArrayBuffer | SharedArrayBuffer };
  alloc(elements: number): Float32Array;
  allocInt(elements: number): Int32Array;
}

const sourceDir = fs.realpathSync(__dirname);
const repoRoot = path.resolve(sourceDir, "../../..");
const wasmFile = path.join(repoRoot, "build", "wasm", "sparse-simd.wasm");
const sources = [path.join(sourceDir, "assembly", "sparse.ts"), path.join(sourceDir, "asconfig.json")];

function ensureBuilt(): void {
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(wasmFile) && fs.statSync(wasmFile).mtimeMs >= newest) return;
  const asc = path.join(path.dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
  fs.mkdirSync(path.dirname(wasmFile), { recursive: true });
  const temporary = `${wasmFile}.${process.pid}.tmp`; // concurrent builds never expose a partial file
  execFileSync(process.execPath, [asc, sources[0], "--config", sources[1], "--outFile", temporary], { cwd: repoRoot, stdio: "pipe" });
  fs.renameSync(temporary, wasmFile);
}

let compiled: unknown;

/** A pattern's index arrays copied into wasm memory (capacity for a full matrix, reused when masks change). */
export interface WasmPattern {
  nnz: number;
  rowPtr: Int32Array; colIdx: Int32Array; rowPos: Int32Array;
  colPtr: Int32Array; rowIdx: Int32Array; colPos: Int32Array;
}

export class WasmSparseKernels {
  private readonly k: SparseExports;
  private scratchA: Float32Array | null = null;
  private scratchB: Float32Array | null = null;

  constructor(private readonly ops: WasmMemoryOps, private readonly scratchFloats: number) {
    ensureBuilt();
    const W = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => unknown; Instance: new (m: unknown, i: unknown) => { exports: unknown } } }).WebAssembly;
    compiled ??= new W.Module(fs.readFileSync(wasmFile));
    this.k = new W.Instance(compiled, { env: { memory: ops.memory } }).exports as SparseExports;
  }

  /** Copy a pattern into wasm memory, into `into` when it has room. */
  upload(p: SparsePattern, into?: WasmPattern): WasmPattern {
    const full = p.rows * p.cols;
    const w = into ?? {
      nnz: 0,
      rowPtr: this.ops.allocInt(p.rows + 1), colIdx: this.ops.allocInt(full), rowPos: this.ops.allocInt(full),
      colPtr: this.ops.allocInt(p.cols + 1), rowIdx: this.ops.allocInt(full), colPos: this.ops.allocInt(full),
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
}
