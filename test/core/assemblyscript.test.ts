/** The one AssemblyScript build routine (src/core/assemblyscript.ts) on a tiny module of its own. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assemblyScriptCompiler, AssemblyScriptBuild, compileAssemblyScript, ensureAssemblyScriptBuilt, isStale } from "../../src/core/assemblyscript";

function tinyBuild(): AssemblyScriptBuild {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asc-"));
  fs.mkdirSync(path.join(dir, "assembly"));
  fs.writeFileSync(path.join(dir, "assembly", "index.ts"), "export function add(a: i32, b: i32): i32 { return a + b; }\n");
  const config = path.join(dir, "asconfig.json");
  fs.writeFileSync(config, JSON.stringify({ options: { runtime: "stub", use: ["abort="] }, targets: { plain: {} } }));
  return { entry: path.join(dir, "assembly", "index.ts"), config, target: "plain", outFile: path.join(dir, "out", "tiny.wasm"), sources: [path.join(dir, "assembly"), config] };
}

test("builds when missing, not again while fresh, again after a source changes; the module runs", { skip: assemblyScriptCompiler() === undefined && "AssemblyScript (devDependency) not installed" }, () => {
  const build = tinyBuild();
  assert.equal(isStale(build), true);
  assert.equal(ensureAssemblyScriptBuilt(build), true);
  assert.equal(ensureAssemblyScriptBuilt(build), false);
  const W = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => unknown; Instance: new (m: unknown) => { exports: { add(a: number, b: number): number } } } }).WebAssembly;
  const add = new W.Instance(new W.Module(fs.readFileSync(build.outFile))).exports.add;
  assert.equal(add(2, 3), 5);
  const later = new Date(Date.now() + 5_000);
  fs.utimesSync(build.entry, later, later);
  assert.equal(isStale(build), true);
  assert.equal(ensureAssemblyScriptBuilt(build), true);
  assert.deepEqual(fs.readdirSync(path.dirname(build.outFile)), ["tiny.wasm"], "no temporary file left");
});

test("a compile error names the file and carries the compiler's message; nothing is left behind", { skip: assemblyScriptCompiler() === undefined && "AssemblyScript (devDependency) not installed" }, () => {
  const build = tinyBuild();
  fs.writeFileSync(build.entry, "export function broken(): i32 { return undefinedName; }\n");
  assert.throws(() => compileAssemblyScript(build), (e: Error) => e.message.includes(build.outFile) && /undefinedName/.test(e.message));
  assert.deepEqual(fs.readdirSync(path.dirname(build.outFile)), []);
});
