/**
 * Compiles the AssemblyScript kernels (src/nn/wasm/assembly) into build/wasm:
 * kernels-simd.wasm (SIMD128) and kernels-relaxed.wasm (plus relaxed-SIMD FMA), with
 * the project's one build routine (src/core/assemblyscript.ts).
 * Run by `npm run build:wasm` (and the `prepare` script on install); the loader
 * also calls `ensureWasmBuilt` so a fresh clone or an edited kernel source
 * rebuilds on first use.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AssemblyScriptBuild, assemblyScriptCompiler, compileAssemblyScript, ensureAssemblyScriptBuilt } from "../../core/assemblyscript";
import { REPO_ROOT as repoRoot } from "../../core/paths";

export type WasmVariant = "simd" | "relaxed";
export const WASM_VARIANTS: readonly WasmVariant[] = ["simd", "relaxed"];

// realpath: notebooks import src/ through a symlink, the build lives at the repo root
const wasmSourceDir = fs.realpathSync(__dirname);
const assemblyDir = path.join(wasmSourceDir, "assembly");

export const WASM_BUILD_DIR = path.join(repoRoot, "build", "wasm");

export function wasmFile(variant: WasmVariant): string {
  return path.join(WASM_BUILD_DIR, `kernels-${variant}.wasm`);
}

function kernelsBuild(variant: WasmVariant): AssemblyScriptBuild {
  const config = path.join(wasmSourceDir, "asconfig.json");
  return { entry: path.join(assemblyDir, "index.ts"), config, target: variant, outFile: wasmFile(variant), sources: [assemblyDir, config], cwd: repoRoot };
}

/** Compile one variant with the AssemblyScript compiler. */
export function buildWasm(variant: WasmVariant): void {
  compileAssemblyScript(kernelsBuild(variant));
}

/**
 * Build every variant that is missing, or older than its sources when the compiler
 * is installed (an install without devDependencies uses what it has); returns the
 * variants built.
 */
export function ensureWasmBuilt(): WasmVariant[] {
  return WASM_VARIANTS.filter((variant) => ensureAssemblyScriptBuilt(kernelsBuild(variant)));
}

if (require.main === module) {
  if (assemblyScriptCompiler() === undefined) {
    // an install without devDependencies must not fail here; the backend reports it on use
    console.warn("build:wasm skipped: the AssemblyScript compiler (devDependency) is not installed");
    process.exit(0);
  }
  for (const variant of WASM_VARIANTS) {
    buildWasm(variant);
    console.log(`built ${path.relative(repoRoot, wasmFile(variant))}`);
  }
}
