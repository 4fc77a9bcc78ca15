/**
 * The engine's numerics version. Bump it whenever a change makes the same seed give
 * other numbers: the reduction order, kernel arithmetic, initialisation, the data order.
 * Every cache key and result record carries it (with the kernels' name, which tells
 * float64 JS from float32 wasm and plain SIMD from relaxed-SIMD fused multiply-adds),
 * so results of an older engine are recomputed, never mixed with newer ones.
 *
 *   1  the engine as of November 2026 (a batch reduced whole on one thread, in halves on two)
 *   2  every batch reduced as two fixed shards on any thread count (sharded-runner.ts)
 */
import { BackendName, createOps } from "./backend";

export const NUMERICS_VERSION = 2;

/** What decides a run's floating-point results besides its settings and data. */
export interface Numerics {
  version: number;
  /** the resolved kernels, e.g. "wasm-relaxed", "js-f64", "sparse≤0.5(wasm-relaxed)" */
  kernels: string;
}

/** The numerics a backend name resolves to in this process ("auto" → the kernels it picks here). */
export function numericsOf(backend: BackendName | string = "auto", precision?: "f32" | "f64"): Numerics {
  return { version: NUMERICS_VERSION, kernels: createOps(backend, precision).name };
}
