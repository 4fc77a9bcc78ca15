/**
 * The one AssemblyScript build routine: compile an entry file with an asconfig target into
 * a .wasm file, written whole (a temporary file renamed into place, so processes building
 * at once never read a partial file), and rebuild only when a source is newer. Used by the
 * dense kernels (src/nn/wasm/build.ts, `npm run build:wasm`) and the sparse kernels
 * (src/prune/sparse/wasm-sparse.ts, built on first use).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface AssemblyScriptBuild {
  /** the entry file (an assembly/index.ts) */
  entry: string;
  /** the asconfig.json holding the options and targets */
  config: string;
  /** the asconfig target, e.g. "simd" or "relaxed" */
  target: string;
  /** the .wasm file to write */
  outFile: string;
  /** files and folders (their files, not recursively) whose change makes the build stale */
  sources: readonly string[];
  /** the compiler's working folder (default: the config's folder) */
  cwd?: string;
}

/** The AssemblyScript compiler's entry point, if installed (it is a devDependency). */
export function assemblyScriptCompiler(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
  } catch {
    return undefined;
  }
}

/** The newest modification time (ms) of a build's sources. */
export function newestSourceTime(build: AssemblyScriptBuild): number {
  const files = build.sources.flatMap((source) =>
    fs.statSync(source).isDirectory() ? fs.readdirSync(source).map((f) => path.join(source, f)) : [source]);
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

/** Whether the .wasm file is missing or older than a source. */
export function isStale(build: AssemblyScriptBuild): boolean {
  return !fs.existsSync(build.outFile) || fs.statSync(build.outFile).mtimeMs < newestSourceTime(build);
}

/** Compile now; errors carry the compiler's message. */
export function compileAssemblyScript(build: AssemblyScriptBuild): void {
  const asc = assemblyScriptCompiler();
  if (asc === undefined) {
    throw new Error(
      `Cannot build ${build.outFile}: the AssemblyScript compiler is not installed (run npm install, then npm run build:wasm)`,
    );
  }
  fs.mkdirSync(path.dirname(build.outFile), { recursive: true });
  const temporary = `${build.outFile}.${process.pid}.tmp`;
  const args = [asc, build.entry, "--config", build.config, "--target", build.target, "--outFile", temporary];
  try {
    execFileSync(process.execPath, args, { cwd: build.cwd ?? path.dirname(build.config), stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`AssemblyScript build of ${build.outFile} failed:\n${stderr || (error as Error).message}`);
  }
  fs.renameSync(temporary, build.outFile);
}

/**
 * Build when the .wasm file is missing, or older than its sources while the compiler is
 * installed (an install without devDependencies uses what it has); returns whether it built.
 */
export function ensureAssemblyScriptBuilt(build: AssemblyScriptBuild): boolean {
  const exists = fs.existsSync(build.outFile);
  if (exists && (assemblyScriptCompiler() === undefined || !isStale(build))) return false;
  compileAssemblyScript(build);
  return true;
}
