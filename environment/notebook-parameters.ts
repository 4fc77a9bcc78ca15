/**
 * Parameters injected into a notebook, papermill-style, for environment/run_notebooks.py (-p NAME VALUE, PARAMS):
 * reads the notebook's `parameters` cell with the TypeScript compiler, refuses names the cell does not declare
 * (naming the nearest one) and values whose type does not fit the declaration (naming the parameter and the
 * value), and writes the cell injected after it: each parameter redeclared with the type it had, so that the rest of
 * the notebook type-checks as before (a `const profile = "quick"` is a string parameter, `const overrides = {}`
 * stays `{}`, `"linear" as const` stays "linear"; tslab lets a later cell redeclare a name).
 *
 * Run by the runner before any kernel starts:
 *   node --import tsx environment/notebook-parameters.ts < {"source": "...", "dir": "...", "values": {...}}
 * prints {"names": [...], "cell": "...", "problems": [...]}.
 */
import * as path from "path";
import * as ts from "typescript";
import { nearest } from "../src/core/settings";

export type ParameterRequest = { source: string; dir: string; values: Record<string, unknown> };
export type ParameterAnswer = { names: string[]; cell: string; problems: string[]; types: Record<string, string> };

type Declaration = { name: string; keyword: "const" | "let" | "var"; annotation?: string; node: ts.VariableDeclaration };

const CHECK_PREFIX = "__sparseRnnInjected_";

/** The parameter names the cell declares at top level, with their declarations. */
function declarations(file: ts.SourceFile): Declaration[] {
  const found: Declaration[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const flags = statement.declarationList.flags;
    const keyword = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
    for (const node of statement.declarationList.declarations) {
      if (ts.isIdentifier(node.name)) found.push({ name: node.name.text, keyword, annotation: node.type?.getText(file), node });
    }
  }
  return found;
}

function program(fileName: string, text: string): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ["lib.es2022.d.ts"], types: [], strict: true, noEmit: true,
    esModuleInterop: true, skipLibCheck: true, moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => (path.resolve(name) === fileName ? ts.createSourceFile(name, text, version, true) : getSourceFile(name, version, onError));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === fileName ? text : readFile(name));
  return ts.createProgram([fileName], options, host);
}

/** The type a parameter keeps when injected: its annotation, else its inferred type with literals widened ("quick" → string). */
function declaredType(checker: ts.TypeChecker, d: Declaration): string {
  if (d.annotation !== undefined) return d.annotation;
  let type = checker.getTypeAtLocation(d.node.name);
  const init = d.node.initializer;
  const asConst = init !== undefined && ts.isAsExpression(init) && ts.isTypeReferenceNode(init.type) && init.type.typeName.getText() === "const";
  if (!asConst) type = checker.getBaseTypeOfLiteralType(type); // `as const` asked for the literal type: kept
  const text = checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType);
  // a type that names something outside the cell cannot be written down in it: let the value decide (still checked at run time)
  return /\bimport\(|\btypeof\b|__/.test(text) ? "any" : text;
}

function literal(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 100 ? JSON.stringify(value, null, 2) : json;
}


export function injectParameters(request: ParameterRequest): ParameterAnswer {
  const fileName = path.resolve(request.dir, "__notebook_parameters__.ts");
  const parsed = ts.createSourceFile(fileName, request.source, ts.ScriptTarget.ES2022, true);
  const decls = declarations(parsed);
  const names = decls.map((d) => d.name);
  const problems: string[] = [];
  const known = Object.keys(request.values).filter((name) => {
    if (names.includes(name)) return true;
    const near = nearest(name, names);
    problems.push(`unknown parameter "${name}"${near ? `; did you mean "${near}"?` : ""} (the parameters cell declares: ${names.join(", ") || "nothing"})`);
    return false;
  });
  if (known.length === 0) return { names, cell: "", problems, types: {} };

  // the parameters' types, from the cell alone (declarations of the program's own source file: the checker knows only those nodes)
  const base = program(fileName, request.source + "\nexport {};\n");
  const checker = base.getTypeChecker();
  const types: Record<string, string> = {};
  for (const d of declarations(base.getSourceFile(fileName)!)) if (known.includes(d.name)) types[d.name] = declaredType(checker, d);

  // each value checked against its type, in the context of the cell (its own types and imports)
  const checks = known.map((name) => `const ${CHECK_PREFIX}${name}: ${types[name]} = ${JSON.stringify(request.values[name])};`);
  const checkedText = request.source + "\n" + checks.join("\n") + "\nexport {};\n";
  const checked = program(fileName, checkedText);
  const start = request.source.length + 1;
  for (const diagnostic of ts.getPreEmitDiagnostics(checked, checked.getSourceFile(fileName))) {
    if (diagnostic.start === undefined || diagnostic.start < start) continue;
    const line = checkedText.slice(0, diagnostic.start).split("\n").length - request.source.split("\n").length - 1;
    const name = known[line];
    if (name === undefined) continue;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "; ");
    const type = types[name].length > 120 ? `${types[name].slice(0, 117)}…` : types[name];
    problems.push(`parameter "${name}" = ${JSON.stringify(request.values[name])} does not fit its declared type ${type}: ${message}`);
  }
  const lines = known.map((name) => {
    const d = decls.find((x) => x.name === name)!;
    return `${d.keyword} ${name}: ${types[name]} = ${literal(request.values[name])};`;
  });
  const cell = ["// Parameters injected by the notebook runner (-p NAME VALUE / PARAMS); they replace the defaults above.", ...lines].join("\n");
  return { names, cell, problems: [...new Set(problems)], types };
}

if (require.main === module) {
  let input = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (input += chunk));
  process.stdin.on("end", () => {
    const answer = injectParameters(JSON.parse(input) as ParameterRequest);
    process.stdout.write(JSON.stringify(answer));
  });
}
