/**
 * Backend selection. "js" = plain JS (float64 by default, or float32); "wasm" =
 * WebAssembly SIMD float32, registered by src/nn/wasm when that module loads;
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

/** Register a backend factory under a name (the wasm module calls registerBackend("wasm", …)). */
export function registerBackend(name: string, factory: Factory): void {
  registry.set(name, factory);
}

/** Try once to load src/nn/wasm, which registers "wasm" when this runtime supports it. */
function probeWasm(): void {
  if (wasmProbed) return;
  wasmProbed = true;
  try {
    // optional module: absent or unsupported runtimes simply leave "wasm" unregistered
    require("./wasm");
  } catch {
    /* no wasm backend */
  }
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
