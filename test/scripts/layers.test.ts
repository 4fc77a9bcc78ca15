/**
 * The module graph of src/ (scripts/layers.ts): no cycle, no import of a higher layer — and
 * the check itself fails on small trees that have a cycle or a data → nn import.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { checkLayers, findCycles, importSpecifiers, LAYERS, moduleGraph } from "../../scripts/layers";

const SRC = path.join(__dirname, "..", "..", "src");

/** A throw-away src/ tree from { "data/a.ts": "…" }. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "layers-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

test("src/ has no import cycle and no folder imports its own or a higher layer", () => {
  const graph = moduleGraph(SRC);
  assert.ok(graph.size >= 100, `${graph.size} modules read`);
  assert.deepEqual(checkLayers(SRC), []);
});

test("every folder of src/ is placed in LAYERS", () => {
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  assert.ok(folders.length >= 10, folders.join(", "));
  assert.deepEqual(LAYERS.flat().slice().sort(), folders);
});

test("a cycle fails the check, also through a lazy require and an index file", () => {
  const root = tree({
    "nn/a.ts": `import { b } from "./b";\nexport const a = 1;`,
    "nn/b.ts": `export function b() { return (require("./c") as typeof import("./c")).c; }`,
    "nn/c/index.ts": `export { a as c } from "../a";`,
  });
  const cycles = findCycles(moduleGraph(root));
  assert.equal(cycles.length, 1);
  assert.deepEqual(cycles[0].map((f) => path.relative(root, f).split(path.sep).join("/")), ["nn/a.ts", "nn/b.ts", "nn/c/index.ts"]);
  assert.match(checkLayers(root).join("\n"), /^cycle: nn\/a\.ts ↔ nn\/b\.ts ↔ nn\/c\/index\.ts$/m);
});

test("data importing nn fails the check, a type-only import too; nn importing data does not", () => {
  const root = tree({
    "data/batch.ts": `import type { Padding } from "../nn/spec";\nexport type P = Padding;`,
    "nn/spec.ts": `import type { Sample } from "../data/types";\nexport type Padding = "post";\nexport type S = Sample;`,
    "data/types.ts": `export interface Sample { text: string }`,
  });
  const problems = checkLayers(root);
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], /^data\/batch\.ts → nn\/spec\.ts: data \(layer 2\) imports nn \(layer 3\)/);
});

test("siblings of one layer may not import each other, and an unplaced folder is named", () => {
  const root = tree({
    "graph/a.ts": `export * from "../prune/b";`,
    "prune/b.ts": `export const b = 1;`,
    "extra/c.ts": `import "../core/d";`,
    "core/d.ts": `export {};`,
  });
  const problems = checkLayers(root).join("\n");
  assert.match(problems, /graph\/a\.ts → prune\/b\.ts: graph \(layer 4\) imports prune \(layer 4\)/);
  assert.match(problems, /extra\/c\.ts → core\/d\.ts: folder extra is not in LAYERS/);
});

test("every form of import is read", () => {
  const text = [
    `import a from "./a";`, `import type { B } from "./b";`, `export * as c from "./c";`, `export { d } from "./d";`,
    `import e = require("./e");`, `const f = require("./f");`, `const g = import("./g");`, `type H = typeof import("./h");`,
    `import "./i";`, `const notAnImport = "./j";`,
  ].join("\n");
  assert.deepEqual(importSpecifiers("x.ts", text), ["./a", "./b", "./c", "./d", "./e", "./f", "./g", "./h", "./i"]);
});

test("the command line: --help prints usage, an unknown option is refused with exit 2 and names it", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "..", "..", "scripts", "layers.ts"), ...args], { encoding: "utf8" });
  const help = run("--help");
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: /);
  const bogus = run("--bogus");
  assert.equal(bogus.status, 2);
  assert.match(bogus.stderr, /Unknown option '--bogus'/);
});
