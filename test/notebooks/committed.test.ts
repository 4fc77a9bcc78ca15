/**
 * Committed notebooks are readable on GitHub and follow the notebook contract:
 * under 3 MB, no inlined plotly.js bundle, the project kernel, and a first code
 * cell tagged `parameters` that names the profile. Every figure they show has a
 * title and a title on every visible axis that plotly.js 4 draws, and no output gives away a path on the machine that
 * ran them.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { selectedNotebooks } from "./run-notebook";
import { drawableText, labelProblems } from "../plot/figure-labels";

const MAX_BYTES = 3 * 1024 * 1024;
/** All six notebooks showed 50 figures when this was written; far fewer means the extraction broke. */
const MIN_FIGURES_ALL_NOTEBOOKS = 40;

type Notebook = { cells: Array<{ cell_type: string; source: string | string[]; outputs?: any[]; metadata?: any }>; metadata?: any };
type ShownFigure = { cell: number; figure: { data: any[]; layout?: any } };

const joined = (value: unknown): string => (Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "");

/** The JSON value starting at text[start] ({…} or […]), found by matching brackets outside strings. */
function jsonAt(text: string, start: number): unknown {
  let depth = 0;
  for (let i = start, inString = false; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if ((c === "}" || c === "]") && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  throw new Error(`unterminated JSON at offset ${start}`);
}

/**
 * The figures show() put in the notebook's outputs. Its text/html output (src/plot/show.ts,
 * chartHtml) is a <div class="sparse-rnn-plot"> and a script holding `figure = <JSON>`
 * (JSON with "<" escaped as \u003c, src/plot/html.ts scriptJson).
 */
function shownFigures(nb: Notebook, name: string): ShownFigure[] {
  const found: ShownFigure[] = [];
  nb.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      const html = joined(output.data?.["text/html"]);
      const divs = (html.match(/class="sparse-rnn-plot"/g) ?? []).length;
      const figures = [...html.matchAll(/\bfigure = (?=\{)/g)].map((m) => jsonAt(html, m.index! + m[0].length) as ShownFigure["figure"]);
      assert.equal(figures.length, divs,
        `${name} cell ${index}: ${divs} chart div(s) but ${figures.length} figure JSON(s) found: did show()'s output format change? Update shownFigures()`);
      for (const figure of figures) found.push({ cell: index, figure });
    }
  });
  return found;
}

/** Why a shown figure's labels would not draw: a bare-string title anywhere, no figure title, a visible axis without a title. */
function titleProblems(figure: ShownFigure["figure"]): string[] {
  return labelProblems(figure, { axes: true });
}

/** Absolute paths of a machine: /a/b/…, one folder under a usual root (/tmp/x, /home/me), file:// URLs. http(s) URLs and relative paths don't match. */
const MACHINE_PATH = /(?:^|[\s"'(=:,;[{`]|file:\/\/)(\/(?:[A-Za-z0-9_.~-]+\/){2,}[^\s"'<>)\]}`]*|\/(?:home|Users|tmp|root|work|mnt|srv|opt|var)\/[A-Za-z0-9_.~-][^\s"'<>)\]}`]*)/g;

/** Every textual piece of an output: stream text, each data MIME type but base64 images, error name/value/traceback. */
function outputTexts(output: any): Array<{ where: string; text: string }> {
  const texts: Array<{ where: string; text: string }> = [];
  if (output.text !== undefined) texts.push({ where: `${output.output_type} ${output.name ?? ""}`.trim(), text: joined(output.text) });
  for (const [mime, value] of Object.entries<any>(output.data ?? {})) {
    if (/^image\/(?!svg)/.test(mime)) continue; // base64
    texts.push({ where: mime, text: typeof value === "string" || Array.isArray(value) ? joined(value) : JSON.stringify(value) });
  }
  if (output.output_type === "error") texts.push({ where: "error", text: [output.ename, output.evalue, ...(output.traceback ?? [])].join("\n") });
  return texts;
}

/** "<notebook> cell <i> (<where>): …snippet…" for every machine path in the notebook's outputs. */
function machinePaths(nb: Notebook, name: string): string[] {
  const hits: string[] = [];
  nb.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      for (const { where, text } of outputTexts(output)) {
        const scanned = text.replace(/\bdata:[\w.+-]+\/[\w.+-]+(?:;[\w=.+-]+)*,[^\s"'<>)]*/g, "data:…"); // inline images
        for (const m of scanned.matchAll(MACHINE_PATH)) {
          const at = m.index! + m[0].indexOf(m[1]);
          const snippet = scanned.slice(Math.max(0, at - 50), at + m[1].length + 20).replace(/\s+/g, " ");
          hits.push(`${name} cell ${index} (${where}): ${m[1]} in ${JSON.stringify(snippet)}`);
        }
      }
    }
  });
  return hits;
}

const notebooks = selectedNotebooks();

test("the notebooks are found (all 6, or the NOTEBOOKS selection)", () => {
  assert.ok(notebooks.length >= (process.env.NOTEBOOKS ? 1 : 6), `${notebooks.length} notebooks`);
});
const figureCounts = new Map<string, number>();

for (const file of notebooks) {
  const name = path.basename(file);
  test(`${name} is small, has no plotly bundle and follows the notebook contract`, () => {
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.length < MAX_BYTES, `${name} is ${(text.length / 2 ** 20).toFixed(1)} MB; must be < 3 MB`);
    assert.doesNotMatch(text, /plotly\.js v\d/, `${name} contains the plotly.js bundle in an output`);
    const nb = JSON.parse(text);
    assert.equal(nb.metadata?.kernelspec?.name, "tslab-sparse-rnn", `${name}: kernelspec.name`);
    const firstCode = nb.cells.find((c: any) => c.cell_type === "code");
    assert.ok(firstCode, `${name} has no code cell`);
    assert.ok(firstCode.metadata?.tags?.includes("parameters"), `${name}: the first code cell must be tagged "parameters"`);
    assert.match([].concat(firstCode.source).join(""), /\bprofile\b/, `${name}: the parameters cell must set \`profile\``);
  });

  test(`${name}: every figure shown has a title and axis titles plotly.js 4 draws, no bare-string title`, () => {
    const figures = shownFigures(JSON.parse(fs.readFileSync(file, "utf8")), name);
    figureCounts.set(name, figures.length);
    const problems = figures.flatMap(({ cell, figure }, i) => titleProblems(figure).map((p) =>
      `${name} cell ${cell}, figure ${i + 1} of ${figures.length} (${JSON.stringify(drawableText(figure.layout?.title) ?? figure.layout?.title ?? null)}): ${p}`));
    assert.ok(problems.length === 0,
      `${problems.length} figure label(s) in ${name} would not be drawn (cells are 0-based; regenerate the notebook after fixing the figure):\n  ${problems.join("\n  ")}`);
  });

  test(`${name}: no output holds an absolute path of the machine`, () => {
    const hits = machinePaths(JSON.parse(fs.readFileSync(file, "utf8")), name);
    assert.ok(hits.length === 0,
      `${hits.length} machine path(s) in the outputs of ${name} (cells are 0-based; print paths relative to the repository, or leave them out):\n  ${hits.join("\n  ")}`);
  });
}

test("the figure checks saw the notebooks' figures (not vacuous)", { skip: process.env.NOTEBOOKS ? "NOTEBOOKS selects some notebooks only" : false }, () => {
  const total = notebooks.reduce((sum, file) => {
    const name = path.basename(file);
    return sum + (figureCounts.get(name) ?? shownFigures(JSON.parse(fs.readFileSync(file, "utf8")), name).length);
  }, 0);
  assert.ok(total >= MIN_FIGURES_ALL_NOTEBOOKS,
    `found ${total} shown figure(s) in ${notebooks.length} notebooks, expected at least ${MIN_FIGURES_ALL_NOTEBOOKS}: is show()'s output format still what shownFigures() reads?`);
});
