/**
 * WebAssembly SIMD float32 backend for the training engine. src/nn/backend.ts loads
 * this module on demand and registers `wasmBackend()` as the "wasm" backend, which
 * `train` then uses by default ("auto"). This module imports nothing from backend.ts.
 *
 *   createWasmOps()      KernelOps<Float32Array> over one WebAssembly.Memory
 *   wasmAvailable()      whether this runtime can run the kernels
 *   kernelVariant()      "relaxed" (fused multiply-add) or "simd"
 *   DataParallel         two threads, each batch split in halves (see data-parallel.ts)
 *
 * Environment: SPARSE_RNN_WASM=off disables the backend, =simd forces the build
 * without relaxed SIMD; SPARSE_RNN_THREADS=1 (or 2) replaces threads "auto" (one
 * thread is faster when other processes already keep every core busy).
 */
import { loadKernelModule, wasmAvailable } from "./load";
import { WasmOps } from "./wasm-ops";
import type { WasmVariant } from "./build";

export { WasmOps } from "./wasm-ops";
export { DataParallel, chooseThreads, flopsPerBatch, MIN_PARALLEL_FLOPS } from "./data-parallel";
export type { DataParallelOptions } from "./data-parallel";
export { wasmAvailable, relaxedSimdSupported, loadKernelModule } from "./load";
export { buildWasm, ensureWasmBuilt, WASM_VARIANTS } from "./build";
export type { WasmVariant } from "./build";

/** A fresh wasm backend (its own memory) using the fastest build this runtime supports. */
export function createWasmOps(): WasmOps {
  return new WasmOps(loadKernelModule());
}

/** Which build createWasmOps uses here. */
export function kernelVariant(): WasmVariant {
  return loadKernelModule().variant;
}

/**
 * The "wasm" backend's factory when this runtime can run the kernels, else undefined;
 * never throws (src/nn/backend.ts registers what it returns).
 */
export function wasmBackend(): (() => WasmOps) | undefined {
  try {
    if (!wasmAvailable()) return undefined;
    loadKernelModule(); // builds if needed and compiles once, so a broken build surfaces here
  } catch (error) {
    // training still works on the JS backend; say why it is slower
    process.emitWarning(`wasm backend unavailable, falling back to JS: ${(error as Error).message}`);
    return undefined;
  }
  return createWasmOps;
}
