/**
 * Every figure label draws: each exported figure builder of src/plot, called on small
 * hand-made inputs (test/plot/figure-cases.ts), gives a figure whose title and visible
 * axis titles are in the form plotly.js 4 draws, and its SVG, rendered through
 * exportFigure (the project's Chromium export path), contains those texts.
 * Needs a browser for the SVG part (`bash environment/install.sh`).
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { closeBrowser, exportFigure } from "../../src/plot";
import { CASES, MODULES, NOT_FIGURES, figureModuleFiles } from "./figure-cases";
import { bareStringTitles, labelProblems, missingSvgLabels, normalize, svgTexts } from "./figure-labels";

const SRC_PLOT = path.join(__dirname, "../../src/plot");
/** Functions outside *-figures.ts that return a PlotlyFigure but build none of their own. */
const FIGURE_TRANSFORMS = new Set(["figure.ts:withPlatformDefaults", "figure.ts:applyFigureOptions", "export.ts:staticFigure"]);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-figure-labels-"));
after(async () => {
  await closeBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function renderSvg(figure: { data: any[]; layout?: any }, name: string): Promise<string> {
  const [file] = await exportFigure(figure, path.join(dir, name), { formats: ["svg"] });
  return fs.readFileSync(file, "utf8");
}

/** Exported functions of src/plot/<file> whose declared return type mentions PlotlyFigure. */
function declaredFigureFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(SRC_PLOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  return source.statements
    .filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && !!s.name &&
      !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && /\bPlotlyFigure\b/.test(s.type?.getText(source) ?? ""))
    .map((s) => s.name!.text);
}

test("every exported figure builder of src/plot has a case in figure-cases.ts", () => {
  assert.deepEqual(Object.keys(MODULES).sort(), figureModuleFiles(),
    "every src/plot/*-figures.ts module must be listed in MODULES of test/plot/figure-cases.ts");

  const exported = Object.entries(MODULES).flatMap(([file, mod]) =>
    Object.entries(mod).filter(([, value]) => typeof value === "function").map(([name]) => `${file}:${name}`));
  for (const key of Object.keys(NOT_FIGURES)) assert.ok(exported.includes(key), `NOT_FIGURES names ${key}, which is not exported (stale entry)`);
  const builders = exported.filter((key) => !(key in NOT_FIGURES)).sort();

  // Figure-returning functions elsewhere in src/plot count too.
  const elsewhere = fs.readdirSync(SRC_PLOT).filter((f) => f.endsWith(".ts") && !f.endsWith("-figures.ts")).sort()
    .flatMap((file) => declaredFigureFunctions(file).map((name) => `${file}:${name}`)).filter((key) => !FIGURE_TRANSFORMS.has(key));
  assert.deepEqual(elsewhere, [], "exported functions returning a PlotlyFigure outside *-figures.ts: add them to figure-cases.ts");
  for (const key of FIGURE_TRANSFORMS) {
    const [file, name] = key.split(":");
    assert.ok(declaredFigureFunctions(file).includes(name), `FIGURE_TRANSFORMS names ${key}, which does not exist (stale entry)`);
  }
  // ...and a builder declared to return a PlotlyFigure must not hide in NOT_FIGURES.
  for (const file of Object.keys(MODULES)) {
    for (const name of declaredFigureFunctions(file)) assert.ok(!(`${file}:${name}` in NOT_FIGURES), `${file}:${name} returns a PlotlyFigure but is in NOT_FIGURES`);
  }

  const tested = new Set(CASES.map((c) => `${c.module}:${c.builder}`));
  for (const key of tested) assert.ok(builders.includes(key), `figure-cases.ts has a case for ${key}, which is not an exported builder`);
  assert.deepEqual(builders.filter((key) => !tested.has(key)), [], "exported builders without a case in test/plot/figure-cases.ts");
  assert.ok(tested.size >= builders.length, `${tested.size} builders tested, ${builders.length} exported`);
  assert.ok(builders.length >= 27, `only ${builders.length} builders found: discovery is broken`);
});

test("no builder gives a bare-string title; each gives a figure title and titles on every visible axis", () => {
  const problems = CASES.flatMap((c) => labelProblems(c.build()).map((p) => `${c.builder} (${c.label}): ${p}`));
  assert.deepEqual(problems, []);
});

test("the checks catch what plotly.js 4 drops: bare-string titles are not drawn", async () => {
  const bare = {
    data: [{ type: "scatter", y: [1, 2] }, { type: "heatmap", z: [[1, 2]], colorbar: { title: "r" } }],
    layout: { title: "Bare figure title", xaxis: { title: "bare x" }, yaxis: { title: { text: "object y" } }, width: 400, height: 300 },
  };
  assert.deepEqual(bareStringTitles(bare), [
    'figure.data[1].colorbar.title = "r"', 'figure.layout.title = "Bare figure title"', 'figure.layout.xaxis.title = "bare x"',
  ]);
  const svg = await renderSvg(bare, "bare");
  const texts = svgTexts(svg).map((t) => t.text);
  assert.ok(texts.includes(normalize("object y")), "the object title is drawn");
  for (const text of ["Bare figure title", "bare x"]) assert.ok(!texts.includes(normalize(text)), `plotly drew the bare string "${text}" after all`);
  assert.equal(missingSvgLabels(bare, svg).length, 3, missingSvgLabels(bare, svg).join("\n"));
});

for (const [i, c] of CASES.entries()) {
  test(`${c.module} ${c.builder} (${c.label}): title and axis titles are in the SVG`, async () => {
    const figure = c.build();
    const svg = await renderSvg(figure, `${String(i).padStart(2, "0")}-${c.builder}`);
    assert.match(svg, /^<svg/);
    assert.deepEqual(missingSvgLabels(figure, svg), []);
  });
}
