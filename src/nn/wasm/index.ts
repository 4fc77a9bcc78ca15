/**
 * WebAssembly SIMD float32 backend for the training engine. Loading this module
 * registers it as the "wasm" backend (src/nn/backend.ts loads it on demand), which
 * `train` then uses by default ("auto").
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
import { registerBackend } from "../backend";
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

/** Register "wasm" when usable; never throws (src/nn imports this module for the side effect). */
function register(): void {
  try {
    if (!wasmAvailable()) return;
    loadKernelModule(); // builds if needed and compiles once, so a broken build surfaces here
  } catch (error) {
    // training still works on the JS backend; say why it is slower
    process.emitWarning(`wasm backend unavailable, falling back to JS: ${(error as Error).message}`);
    return;
  }
  registerBackend("wasm", createWasmOps);
}

register();
