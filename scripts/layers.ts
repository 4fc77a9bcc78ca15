/**
 * The library's module graph, checked: no import cycles anywhere, and every folder of
 * src/ imports only the layers below it (LAYERS). Imports are read from the TypeScript
 * compiler's syntax tree: `import`, `import type`, `export … from`, `import x = require()`,
 * and require() / import() calls and `typeof import()` types with a literal path, so a
 * lazy `require` counts like an import.
 *
 *   node --import tsx scripts/layers.ts     prints the folder graph; exits 1 on a cycle or a back-reference
 *
 * test/scripts/layers.test.ts runs the same check on src/ and on small trees that break it.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as ts from "typescript";

/**
 * The layers of src/, lowest first: a folder may import only folders of a lower rank (not
 * its siblings of the same rank); src/index.ts, the package's entry, may import any.
 * core and thesis are the bottom (core: hash, RNG, CSV, store, workers, build; thesis: the
 * thesis's published constants and where its data is).
 */
export const LAYERS: ReadonlyArray<readonly string[]> = [
  ["core"],
  ["thesis"],
  ["data"],
  ["nn"],
  ["graph", "prune"],
  ["sparsity", "predict"],
  ["experiments"],
  ["plot"],
];

/** module (absolute path) → the modules it imports (absolute paths, resolved files only) */
export type ModuleGraph = Map<string, Set<string>>;

const SOURCE = /\.(ts|js)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(file));
    else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(file);
  }
  return out.sort();
}

/** The file a relative specifier names (as Node and tsx resolve it), or undefined for packages and built-ins. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.js")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve import "${specifier}"`);
}

/** The module specifiers a file names, in order of appearance. */
export function importSpecifiers(file: string, text: string = fs.readFileSync(file, "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const out: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) out.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node) && node.arguments.length >= 1
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) {
      literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Every .ts/.js module under `root` with its relative imports. */
export function moduleGraph(root: string): ModuleGraph {
  const graph: ModuleGraph = new Map();
  for (const file of sourceFiles(root)) {
    const imports = new Set<string>();
    for (const specifier of importSpecifiers(file)) {
      const target = resolveSpecifier(file, specifier);
      if (target !== undefined && target !== file) imports.add(target);
    }
    graph.set(file, imports);
  }
  return graph;
}

/** The import cycles: every strongly connected component of more than one module (Tarjan), each sorted. */
export function findCycles(graph: ModuleGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The top-level folder of src/ a module belongs to ("" for files directly in src/). */
export function layerOf(srcRoot: string, file: string): string {
  const parts = path.relative(srcRoot, file).split(path.sep);
  return parts.length === 1 ? "" : parts[0];
}

export interface Violation {
  from: string;
  to: string;
  /** e.g. "data imports nn (rank 3 ≥ its own 2)" */
  why: string;
}

/** Imports of a folder of src/ that reach a folder of the same or a higher layer, or one LAYERS does not list. */
export function layerViolations(srcRoot: string, graph: ModuleGraph, layers: ReadonlyArray<readonly string[]> = LAYERS): Violation[] {
  const rank = new Map<string, number>();
  layers.forEach((names, i) => names.forEach((name) => rank.set(name, i)));
  const out: Violation[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(srcRoot, from);
    if (a === "") continue; // src/index.ts: the entry point re-exports every layer
    for (const to of targets) {
      const b = layerOf(srcRoot, to);
      if (a === b) continue;
      const ra = rank.get(a);
      const rb = rank.get(b);
      if (ra === undefined) out.push({ from, to, why: `folder ${a} is not in LAYERS (scripts/layers.ts)` });
      else if (rb === undefined) out.push({ from, to, why: `${a} imports ${b === "" ? "src/index.ts" : b}, which is not in LAYERS` });
      else if (rb >= ra) out.push({ from, to, why: `${a} (layer ${ra}) imports ${b} (layer ${rb}): a layer imports only the layers below it` });
    }
  }
  return out;
}

/** Folder → the folders it imports, for the printout and ARCHITECTURE.md. */
export function folderGraph(srcRoot: string, graph: ModuleGraph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [from, targets] of graph) {
    const a = layerOf(srcRoot, from) || "(index)";
    if (!out.has(a)) out.set(a, new Set());
    for (const to of targets) {
      const b = layerOf(srcRoot, to) || "(index)";
      if (b !== a) out.get(a)!.add(b);
    }
  }
  return out;
}

/** Cycles and back-references under a source root, as readable lines (empty: all well). */
export function checkLayers(srcRoot: string, layers: ReadonlyArray<readonly string[]> = LAYERS): string[] {
  const graph = moduleGraph(srcRoot);
  const rel = (f: string) => path.relative(srcRoot, f).split(path.sep).join("/");
  return [
    ...findCycles(graph).map((c) => `cycle: ${c.map(rel).join(" ↔ ")}`),
    ...layerViolations(srcRoot, graph, layers).map((v) => `${rel(v.from)} → ${rel(v.to)}: ${v.why}`),
  ];
}

const USAGE = `Usage: node --import tsx scripts/layers.ts

  prints which src/ folder imports which, then checks the module graph: no cycle, no import of a higher layer (LAYERS);
  exit 1 on a problem, 2 on a bad argument`;

if (require.main === module) {
  try {
    const { values } = parseArgs({ options: { help: { type: "boolean" } }, strict: true, allowPositionals: false });
    if (values.help) { console.log(USAGE); process.exit(0); }
  } catch (error) {
    console.error(`scripts/layers.ts: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const src = path.join(__dirname, "..", "src");
  const graph = moduleGraph(src);
  for (const [folder, targets] of [...folderGraph(src, graph)].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${folder.padEnd(12)} → ${[...targets].sort().join(", ") || "(nothing)"}`);
  }
  const problems = checkLayers(src);
  for (const line of problems) console.error(line);
  console.log(problems.length === 0 ? `${graph.size} modules: no cycle, no back-reference` : `${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
