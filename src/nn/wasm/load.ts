/**
 * Loads the compiled kernels: picks the relaxed-SIMD build when the runtime can run
 * it, else the plain SIMD build, and compiles it once per process (the compiled
 * WebAssembly.Module is what a worker thread would receive).
 *
 * Relaxed SIMD (fused multiply-add) is on by default from Node 22 (V8 11.4+). Node 20
 * ships the same implementation behind --experimental-wasm-relaxed-simd; users
 * cannot pass that flag to a notebook kernel, so when the runtime lacks it we set
 * the flag through v8.setFlagsFromString before compiling (it only gates
 * validation of the new opcodes) and verify with a probe module. SPARSE_RNN_WASM=simd
 * forces the plain SIMD build, SPARSE_RNN_WASM=off disables the wasm backend.
 */
import * as fs from "node:fs";
import * as v8 from "node:v8";
import { ensureWasmBuilt, wasmFile, WasmVariant } from "./build";
import { wasmApi, WasmApi, WasmModule } from "./wasm-api";

const zeroV128 = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** A module with one function `() → ()` whose body is `code` followed by `end`. */
function probeModule(code: number[]): Uint8Array {
  const body = [0, ...code, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // magic, version
    1, 4, 1, 0x60, 0, 0, // type section: () → ()
    3, 2, 1, 0, // function section
    10, body.length + 2, 1, body.length, ...body, // code section
  ]);
}

// v128.const 0; drop
const SIMD_PROBE = probeModule([...zeroV128, 0x1a]);
// f32x4.relaxed_madd(0, 0, 0); drop
const RELAXED_PROBE = probeModule([...zeroV128, ...zeroV128, ...zeroV128, 0xfd, 0x85, 0x02, 0x1a]);

type Mode = "auto" | "simd" | "off";

function requestedMode(): Mode {
  const value = (process.env.SPARSE_RNN_WASM ?? "auto").toLowerCase();
  if (value === "auto" || value === "simd" || value === "off") return value;
  throw new Error(`SPARSE_RNN_WASM=${process.env.SPARSE_RNN_WASM}: expected auto, simd or off`);
}

/** Whether this runtime can run the wasm SIMD kernels at all (and they are not switched off). */
export function wasmAvailable(): boolean {
  return requestedMode() !== "off" && wasmApi !== undefined && wasmApi.validate(SIMD_PROBE);
}

let relaxedSupport: boolean | undefined;

/** Whether relaxed SIMD validates, enabling Node 20's experimental flag if needed. */
export function relaxedSimdSupported(): boolean {
  if (relaxedSupport === undefined) {
    const api = requireWasm();
    relaxedSupport = api.validate(RELAXED_PROBE);
    if (!relaxedSupport) {
      v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
      relaxedSupport = api.validate(RELAXED_PROBE);
    }
  }
  return relaxedSupport;
}

function requireWasm(): WasmApi {
  if (wasmApi === undefined) throw new Error("This JavaScript runtime has no WebAssembly");
  return wasmApi;
}

const compiled = new Map<WasmVariant, WasmModule>();

export interface KernelModule {
  module: WasmModule;
  variant: WasmVariant;
}

/** The compiled kernels; `variant` defaults to relaxed when supported. Builds them first if missing or stale. */
export function loadKernelModule(variant?: WasmVariant): KernelModule {
  const mode = requestedMode();
  if (mode === "off") throw new Error("The wasm backend is disabled by SPARSE_RNN_WASM=off");
  if (!wasmAvailable()) throw new Error("This JavaScript runtime does not support WebAssembly SIMD");
  const chosen: WasmVariant = variant ?? (mode === "auto" && relaxedSimdSupported() ? "relaxed" : "simd");
  if (chosen === "relaxed" && !relaxedSimdSupported()) {
    throw new Error("The relaxed-SIMD kernels were requested but this runtime does not support relaxed SIMD");
  }
  let module = compiled.get(chosen);
  if (!module) {
    ensureWasmBuilt();
    module = new (requireWasm().Module)(fs.readFileSync(wasmFile(chosen)));
    compiled.set(chosen, module);
  }
  return { module, variant: chosen };
}
