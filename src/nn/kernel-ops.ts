/**
 * The seam between the fused recurrent kernels (src/nn, plain JS orchestration of
 * the time loop) and the arithmetic backends: plain JS (float64 or float32) and
 * WebAssembly SIMD (float32, src/nn/wasm). The fused kernel only ever calls these
 * operations on buffers it obtained from the same backend's `alloc`, so the wasm
 * backend can hand its own linear memory out as typed-array views and pass byte
 * offsets to wasm without copying.
 *
 * All matrices are row-major and dense. Sizes are in elements.
 * The engine helper extends this interface with the element-wise cell
 * operations (forward/backward per mode); the wasm backend mirrors them.
 */
export type Floats = Float32Array | Float64Array;

export interface KernelOps<F extends Floats = Floats> {
  readonly name: string;
  readonly precision: "f32" | "f64";

  /**
   * Reserve room for `elements` more floats, then hand out views with `alloc`.
   * Views from before a `reserve` may be detached (wasm memory.grow): callers
   * reserve once for a batch shape, then allocate.
   */
  reserve(elements: number): void;
  alloc(elements: number): F;
  /** Forget every allocation (start of a new batch shape). */
  reset(): void;

  /** C[m×n] = (accumulate ? C : 0) + A[m×k] · B[n×k]ᵀ — inputs times weightsᵀ */
  gemmNT(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean): void;
  /** C[m×n] = (accumulate ? C : 0) + A[m×k] · B[k×n] — gate gradients times weights */
  gemmNN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean): void;
  /** C[m×n] = (accumulate ? C : 0) + A[k×m]ᵀ · B[k×n] — weight gradients over all steps */
  gemmTN(m: number, n: number, k: number, a: F, b: F, c: F, accumulate: boolean): void;
}
