/**
 * Compiles the AssemblyScript kernels (src/nn/wasm/assembly) into build/wasm:
 * kernels-simd.wasm (SIMD128) and kernels-relaxed.wasm (plus relaxed-SIMD FMA).
 * Run by `npm run build:wasm` (and the `prepare` script on install); the loader
 * also calls `ensureWasmBuilt` so a fresh clone or an edited kernel source
 * rebuilds on first use.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export type WasmVariant = "simd" | "relaxed";
export const WASM_VARIANTS: readonly WasmVariant[] = ["simd", "relaxed"];

// realpath: notebooks import src/ through a symlink, the build lives at the repo root
const wasmSourceDir = fs.realpathSync(__dirname);
const assemblyDir = path.join(wasmSourceDir, "assembly");
const repoRoot = path.resolve(wasmSourceDir, "../../..");

export const WASM_BUILD_DIR = path.join(repoRoot, "build", "wasm");

export function wasmFile(variant: WasmVariant): string {
  return path.join(WASM_BUILD_DIR, `kernels-${variant}.wasm`);
}

function newestSourceTime(): number {
  const files = fs.readdirSync(assemblyDir).map((f) => path.join(assemblyDir, f));
  files.push(path.join(wasmSourceDir, "asconfig.json"));
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

function isStale(variant: WasmVariant, sourceTime: number): boolean {
  const file = wasmFile(variant);
  return !fs.existsSync(file) || fs.statSync(file).mtimeMs < sourceTime;
}

/** the AssemblyScript compiler's entry point, if installed (it is a devDependency) */
function compilerPath(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
  } catch {
    return undefined;
  }
}

/** Compile one variant with the AssemblyScript compiler. */
export function buildWasm(variant: WasmVariant): void {
  const asc = compilerPath();
  if (asc === undefined) {
    throw new Error(
      `Cannot build the wasm kernels: the AssemblyScript compiler is not installed ` +
        `(run npm install, then npm run build:wasm; missing ${wasmFile(variant)})`,
    );
  }
  fs.mkdirSync(WASM_BUILD_DIR, { recursive: true });
  // write then rename: concurrent processes (parallel test files) never read a partial file
  const temporary = `${wasmFile(variant)}.${process.pid}.tmp`;
  const args = [asc, path.join(assemblyDir, "index.ts"), "--config", path.join(wasmSourceDir, "asconfig.json"),
    "--target", variant, "--outFile", temporary];
  try {
    execFileSync(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`AssemblyScript build of ${wasmFile(variant)} failed:\n${stderr}`);
  }
  fs.renameSync(temporary, wasmFile(variant));
}

/**
 * Build every variant that is missing, or older than its sources when the compiler
 * is installed (an install without devDependencies uses what it has); returns the
 * variants built.
 */
export function ensureWasmBuilt(): WasmVariant[] {
  const sourceTime = newestSourceTime();
  const canBuild = compilerPath() !== undefined;
  const built: WasmVariant[] = [];
  for (const variant of WASM_VARIANTS) {
    if (!fs.existsSync(wasmFile(variant)) || (canBuild && isStale(variant, sourceTime))) {
      buildWasm(variant);
      built.push(variant);
    }
  }
  return built;
}

if (require.main === module) {
  if (compilerPath() === undefined) {
    // an install without devDependencies must not fail here; the backend reports it on use
    console.warn("build:wasm skipped: the AssemblyScript compiler (devDependency) is not installed");
    process.exit(0);
  }
  for (const variant of WASM_VARIANTS) {
    buildWasm(variant);
    console.log(`built ${path.relative(repoRoot, wasmFile(variant))}`);
  }
}
