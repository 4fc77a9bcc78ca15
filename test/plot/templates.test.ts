/**
 * Paper-ready sizes: FigureOptions on every chapter builder and on exportFigure, applied by applyFigureOptions.
 * A paper-template PDF is a 3.3 in (237.6 pt) page with its text as text in an embedded font (pdfinfo and pdffonts
 * from Debian's poppler-utils, installed by environment/install.sh); a rendering of that PDF shows the figure.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closeBrowser, exportFigure } from "../../src/plot";
import { PX_PER_PT, TEMPLATES, applyFigureOptions, checkFigureOptions, figureOptionsOf, wrapText } from "../../src/plot/figure";
import { staticFigure } from "../../src/plot/export";
import * as pruning from "../../src/plot/pruning-figures";
import * as ts from "typescript";
import * as dataset from "../../src/plot/dataset-figures";
import * as structure from "../../src/plot/structure-figures";
import * as prediction from "../../src/plot/prediction-figures";
import type { PlotlyFigure } from "../../src/plot/figure";
import { REBER } from "../../src/data/grammar";
import { graphToSpec, layerEdges } from "../../src/graph";
import { CASES, MODULES, NOT_FIGURES } from "./figure-cases";
import { svgTexts } from "./figure-labels";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-templates-"));
after(async () => {
  await closeBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
});

const build = (builder: string) => CASES.find((c) => c.builder === builder)!.build();
const poppler = (tool: string, args: string[]) => {
  const run = spawnSync(tool, args, { encoding: "utf8" });
  if (run.error) throw new Error(`${tool} is missing: install poppler-utils (bash environment/install.sh does)`);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
};

test("a paper-template PDF is one 3.3 in page (237.6 pt) with its text in an embedded font", async () => {
  const figure = build("accuracyAfterPruningFigure");
  const files = await exportFigure(figure, path.join(dir, "pruning.paper"), { template: "paper" });
  const pdf = files.find((f) => f.endsWith(".pdf"))!;
  const info = poppler("pdfinfo", [pdf]);
  const fonts = poppler("pdffonts", [pdf]);
  console.log(`pdfinfo ${path.basename(pdf)}:\n${info}\npdffonts:\n${fonts}`);
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  assert.ok(size, info);
  assert.ok(Math.abs(Number(size[1]) - 237.6) <= 1, `page width ${size[1]} pt, expected 237.6 ± 1`);
  assert.match(info, /Pages:\s+1\n/);
  const rows = fonts.trim().split("\n").slice(2);
  assert.ok(rows.length >= 1, "the PDF has fonts: its text is text, not paths");
  for (const row of rows) assert.match(row, /DejaVuSans\S*\s+.*\byes\s+yes\s+yes\b/, `font not embedded: ${row}`);

  // the PDF renders to what the figure shows: the page rasterized (pdftoppm) has ink, and the SVG has the texts at 8–9 pt
  poppler("pdftoppm", ["-png", "-r", "150", "-singlefile", pdf, path.join(dir, "pruning.paper.rendered")]);
  const png = fs.readFileSync(path.join(dir, "pruning.paper.rendered.png"));
  assert.equal(png.readUInt32BE(16), Math.round((Number(size[1]) / 72) * 150), "rendered at the page's width");
  const svg = fs.readFileSync(files.find((f) => f.endsWith(".svg"))!, "utf8");
  const sizes = [...svg.matchAll(/font-size: ([\d.]+)px/g)].map((m) => Number(m[1]) / PX_PER_PT);
  assert.ok(sizes.length > 10);
  for (const pt of sizes) assert.ok(pt >= 7.99 && pt <= 9.01, `a ${pt.toFixed(2)} pt text in the paper figure`);
  assert.ok(svgTexts(svg).some((t) => t.cls === "gtitle"), "the title is drawn");
});

test("paper-wide and slide templates, and an explicit size in inches with a font size in points", async () => {
  const figure = build("learningCurvesFigure");
  for (const [options, width] of [[{ template: "paper-wide" }, 6.9 * 72], [{ template: "slide" }, 10 * 72], [{ width: 3.3, height: 2.5, units: "in", fontSize: 7 }, 3.3 * 72]] as const) {
    const [pdf] = await exportFigure(figure, path.join(dir, `curves-${JSON.stringify(options).replace(/\W+/g, "")}`), { ...options, formats: ["pdf"] });
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(poppler("pdfinfo", [pdf]))!;
    assert.ok(Math.abs(Number(size[1]) - width) <= 1, `${JSON.stringify(options)}: page width ${size[1]} pt, expected ${width}`);
    if ("height" in options) assert.ok(Math.abs(Number(size[2]) - 2.5 * 72) <= 1, `page height ${size[2]} pt`);
  }
});

test("applyFigureOptions: the paper template sizes, scales fonts, lines and markers, and tightens the margins", () => {
  const screen = build("accuracyAfterPruningFigure");
  const paper = applyFigureOptions(screen, { template: "paper" });
  assert.equal(paper.layout.width, 316.8);
  assert.ok(paper.layout.height > 200 && paper.layout.height < 330, `height ${paper.layout.height}`);
  assert.equal(paper.layout.font.size, 8 * PX_PER_PT === 10.666666666666666 ? 10.67 : NaN);
  assert.equal(paper.layout.title.font.size, 12);
  assert.equal(paper.layout.xaxis.title.font.size, 12);
  assert.ok(paper.layout.margin.l <= 8 && paper.layout.margin.t <= 8, JSON.stringify(paper.layout.margin));
  assert.equal(paper.layout.xaxis.automargin, true);
  assert.equal(paper.layout.title.automargin, true);
  assert.deepEqual(paper.layout.legend.yref, "container", "a legend below the plot is anchored to the figure's bottom");
  const ours = paper.data.find((t: any) => t.name === "i2h + h2h (ours)");
  assert.equal(ours.line.width, 1.38);
  assert.equal(ours.marker.size, 4.2);
  assert.match(paper.layout.title.text, /<br>/, "a long title is wrapped to the column");
  assert.equal(screen.layout.width, 760, "the input figure is unchanged");
  assert.equal(paper.sizing!.template, "paper");

  // templates do not compound, and "screen" goes back to the builder's figure
  const twice = applyFigureOptions(paper, { template: "paper" });
  assert.equal(twice.data.find((t: any) => t.name === "i2h + h2h (ours)").line.width, 1.38);
  const back = applyFigureOptions(paper, { template: "screen" });
  assert.equal(back.layout.width, 760);
  assert.equal(back.layout.height, 420);
  assert.equal(back.layout.font.size, 12);
  assert.ok(Math.abs(back.data.find((t: any) => t.name === "i2h + h2h (ours)").line.width - 2.5) < 0.02);

  // an explicit size keeps the template's fonts; a font size in points moves the titles along
  const sized = applyFigureOptions(screen, { template: "paper", width: 2.5, height: 2, units: "in", fontSize: 7 });
  assert.deepEqual([sized.layout.width, sized.layout.height, sized.layout.font.size], [240, 192, 9.33]);
  assert.equal(sized.layout.title.font.size, 10.5);
  assert.equal(applyFigureOptions(screen, { title: "Own title" }).layout.title.text, "Own title");
});

test("every chapter builder takes FigureOptions (or a title string) as its last parameter", () => {
  const builders = Object.entries(MODULES).flatMap(([file, mod]) => Object.entries(mod)
    .filter(([name, value]) => typeof value === "function" && !(`${file}:${name}` in NOT_FIGURES)).map(([name]) => `${file}:${name}`));
  const lastParameters = new Map<string, string>();
  for (const file of Object.keys(MODULES)) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(__dirname, "../../src/plot", file), "utf8"), ts.ScriptTarget.Latest, true);
    for (const s of source.statements) {
      if (!ts.isFunctionDeclaration(s) || !s.name) continue;
      const last = s.parameters[s.parameters.length - 1];
      lastParameters.set(`${file}:${s.name.text}`, `${last?.name.getText(source)}: ${last?.type?.getText(source)}`);
    }
  }
  for (const key of builders) {
    assert.match(lastParameters.get(key) ?? "", /^options: .*\b(FigureOptions|PruningExplorerOptions|CvExplorerOptions)\b/, `${key}'s last parameter: ${lastParameters.get(key)}`);
  }
  assert.ok(builders.length >= 30, `${builders.length} builders`);

  // and each draws in the paper template with its own title, given the case's arguments and then the options
  const samples: Array<[string, PlotlyFigure]> = [
    ["graphFigure", structure.graphFigure(4, [[0, 1], [1, 2]], { template: "paper", title: "Paper graphFigure" })],
    ["networkFigure", structure.networkFigure(graphToSpec(layerEdges(4, [[0, 2], [1, 3]]), { mode: "GRU" }), { template: "paper", title: "Paper networkFigure" })],
    ["automatonFigure", dataset.automatonFigure(REBER, { template: "paper", title: "Paper automatonFigure" })],
    ["correlationHeatmap", prediction.correlationHeatmap([{ variant: "GRU", property: "density", r: 0.5, pValue: 0.01, ci: [0.3, 0.6], n: 100 }], { alpha: 0.01, template: "paper", title: "Paper correlationHeatmap" })],
    ["sparseSpeedFigure", pruning.sparseSpeedFigure([], { template: "paper", title: "Paper sparseSpeedFigure" })],
  ];
  for (const [name, figure] of samples) {
    assert.equal(figure.layout.width, 316.8, name);
    assert.equal(figure.layout.title.text.replace(/<br>/g, " "), name === "networkFigure" ? "Paper networkFigure — 0 skip blocks" : `Paper ${name}`);
  }
  assert.equal(structure.dagFigure(layerEdges(3, [[0, 1], [1, 2]]), "A legacy title").layout.title.text, "A legacy title");
});

test("legacy positional titles still work, and FigureOptions are checked", () => {
  assert.deepEqual(figureOptionsOf("A title"), { title: "A title" });
  assert.throws(() => checkFigureOptions({ template: "papper" }, "x"), /options\.template is "papper"; expected one of screen, paper, paper-wide, slide \(did you mean "paper"\?\)/);
  assert.throws(() => checkFigureOptions({ width: 3.3 }, "x"), /options\.width is 3\.3 px = 3\.3 px, below 50 px; for inches or points say units: "in" or "pt"/);
  assert.throws(() => checkFigureOptions({ units: "cm" }, "x"), /options\.units is "cm"; expected one of px, in, pt/);
  assert.throws(() => checkFigureOptions({ fontSize: 100 }, "x"), /fontSize is the base font in points, a number in \[4, 72\]; got 100/);
  assert.deepEqual(Object.keys(TEMPLATES), ["screen", "paper", "paper-wide", "slide"]);
  assert.equal(wrapText("one two three four", 9), "one two<br>three<br>four");
});

test("exportFigure refuses unknown options with the nearest one, and exports an interactive figure in its first state without controls", async () => {
  await assert.rejects(exportFigure(build("graphFigure"), path.join(dir, "x"), { templat: "paper" } as never), /unknown option "templat" \(did you mean "template"\?\)/);
  const explorer = pruning.pruningLevelExplorer(recordsOf());
  assert.ok(explorer.layout.sliders && explorer.layout.updatemenus);
  const still = staticFigure(explorer);
  assert.equal(still.layout.sliders, undefined);
  assert.equal(still.layout.updatemenus, undefined);
  const [svg] = await exportFigure(explorer, path.join(dir, "explorer"), { formats: ["svg"] });
  const text = fs.readFileSync(svg, "utf8");
  assert.doesNotMatch(text, /class="slider-container"|class="updatemenu-container"/);
  assert.match(text, /50 % of the weights pruned/, "the first state is named on the still image");
  assert.match(text, /GRU test accuracy/);
});

function recordsOf() {
  const row = (mode: string, prune: number, epoch: number, acc: number) => ({ mode, prune, epoch, train_loss: 0, train_acc: acc, test_loss: 0, test_acc: acc, time: 1 });
  return [row("gru", 0, 1, 0.99), ...[10, 50, 90].flatMap((p) => [row("gru_prune", p, 0, 1 - p / 200), row("gru_prune", p, 1, 0.99)])];
}
