/**
 * Backend selection. "js" = plain JS (float64 by default, or float32); "wasm" =
 * WebAssembly SIMD float32 (src/nn/wasm, loaded on first use and registered here);
 * "auto" = wasm when available, else js float64. Every engine gets its own ops
 * instance (its own arena).
 */
import type { KernelOps } from "./kernel-ops";
import { jsOps } from "./js-ops";
import type { Precision } from "./network";

export type BackendName = "auto" | "js" | "wasm";

type Factory = () => KernelOps;
const registry = new Map<string, Factory>();
let wasmProbed = false;

/** Register a backend factory under a name (e.g. sparseBackend in src/prune/sparse). */
export function registerBackend(name: string, factory: Factory): void {
  registry.set(name, factory);
}

/** Try once to load src/nn/wasm and register "wasm" when this runtime supports it. */
function probeWasm(): void {
  if (wasmProbed) return;
  wasmProbed = true;
  let factory: Factory | undefined;
  try {
    // optional module: absent or unsupported runtimes simply leave "wasm" unregistered
    factory = (require("./wasm") as typeof import("./wasm")).wasmBackend();
  } catch {
    /* no wasm backend */
  }
  if (factory) registry.set("wasm", factory);
}

/** Names of the backends usable in this process. */
export function availableBackends(): string[] {
  probeWasm();
  return ["js-f64", "js-f32", ...registry.keys()];
}

/** Create KernelOps for a backend. `precision` applies to "js" (default f64); wasm is f32. */
export function createOps(backend: BackendName | string = "auto", precision?: Precision): KernelOps {
  if (backend === "js") return jsOps(precision ?? "f64");
  if (backend === "js-f64") return jsOps("f64");
  if (backend === "js-f32") return jsOps("f32");
  probeWasm();
  if (backend === "auto") {
    if (precision === "f64") return jsOps("f64");
    const wasm = registry.get("wasm");
    return wasm ? wasm() : jsOps(precision ?? "f64");
  }
  const factory = registry.get(backend);
  if (!factory) throw new Error(`Backend "${backend}" is not available here; available: ${availableBackends().join(", ")}`);
  return factory();
}
