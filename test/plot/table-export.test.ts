/**
 * exportTable: CSV (full precision), LaTeX (booktabs, escaped, numbers right-aligned with fixed decimals) and
 * Markdown, on a real table of record (the thesis's safe pruning levels). The LaTeX is checked by a small parser
 * here (structure, balanced braces, no unescaped special character, as many cells per row as columns), and
 * compiled with pdflatex when a TeX engine is installed (texlive-latex-base + texlive-latex-recommended on Debian;
 * not installed by environment/install.sh): skipped otherwise.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "csv-parse/sync";
import { exportTable, showTable } from "../../src/plot";
import { latexEscape } from "../../src/plot/table";
import { resetOutputNames } from "../../src/plot/naming";
import { THESIS_SAFE_LEVELS, PRUNE_KINDS } from "../../src/prune";
import { CELL_MODES } from "../../src/nn/spec";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-table-export-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The thesis's safe levels per variant and kind, with a base accuracy column (a real table; numbers of the README). */
const BASE: Record<string, number> = { RNN_TANH: 0.937, RNN_RELU: 1, LSTM: 1, GRU: 0.99952 };
const rows = CELL_MODES.map((variant) => ({
  variant,
  ...Object.fromEntries(PRUNE_KINDS.map((kind) => [`safe % (${kind === "both" ? "i2h + h2h" : kind})`, THESIS_SAFE_LEVELS[kind][variant]])),
  "base test acc": BASE[variant],
  "Δ vs ours": variant === "RNN_RELU" ? -0.025 : variant === "RNN_TANH" ? -0.006 : 0,
  note: variant === "RNN_TANH" ? "i2h 90 % takes 2 epochs & more_" : "—",
}));

test("exportTable writes CSV, LaTeX and Markdown of a table of record", () => {
  const files = exportTable(rows, path.join(dir, "nested", "safe-levels"), { digits: 3, caption: "Safe pruning levels (%), the thesis", label: "tab:safe-levels" });
  assert.deepEqual(files.map((f) => path.basename(f)), ["safe-levels.csv", "safe-levels.tex", "safe-levels.md"]);
  const [csv, tex, md] = files.map((f) => fs.readFileSync(f, "utf8"));
  for (const [name, text] of [["csv", csv], ["tex", tex], ["md", md]]) console.log(`--- safe-levels.${name}\n${text}`);

  // CSV: the data, full precision, parses back
  const back = parse(csv, { columns: true }) as Array<Record<string, string>>;
  assert.equal(back.length, 4);
  assert.equal(back[2]["base test acc"], "0.99952", "CSV keeps full precision (GRU)");
  assert.equal(back[0].note, "i2h 90 % takes 2 epochs & more_");
  assert.equal(Object.keys(back[0]).join("|"), "variant|safe % (i2h + h2h)|safe % (i2h)|safe % (h2h)|base test acc|Δ vs ours|note");

  // LaTeX
  checkLatex(tex);
  assert.match(tex, /\\begin\{tabular\}\{lrrrrrl\}/, "numeric columns right-aligned");
  assert.match(tex, /\\toprule\n.*\n    \\midrule\n/);
  assert.match(tex, /\\bottomrule/);
  assert.match(tex, /\\caption\{Safe pruning levels \(\\%\), the thesis\}\n  \\label\{tab:safe-levels\}/);
  assert.match(tex, /    RNN\\_TANH & 80 & 70 & 80 & 0\.937 & \$-\$0\.006 & i2h 90 \\% takes 2 epochs \\& more\\_ \\\\/);
  assert.match(tex, /    RNN\\_RELU & 70 & 70 & 70 & 1\.000 & \$-\$0\.025 & --- \\\\/, "1 as 1.000 beside 0.937: decimal points line up");
  assert.match(tex, /\$\\Delta\$ vs ours/);

  // Markdown
  const lines = md.trimEnd().split("\n");
  assert.equal(lines[0], "Table: Safe pruning levels (%), the thesis");
  assert.equal(lines[2], "| variant | safe % (i2h + h2h) | safe % (i2h) | safe % (h2h) | base test acc | Δ vs ours | note |");
  assert.equal(lines[3], "| :--- | ---: | ---: | ---: | ---: | ---: | :--- |");
  assert.equal(lines[4], "| RNN_TANH | 80 | 70 | 80 | 0.937 | -0.006 | i2h 90 % takes 2 epochs & more_ |");
  assert.equal(lines.length, 8);
});

test("exportTable checks its options before writing, and a path's extension picks the format", () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ["t", { formats: ["xlsx"] }, /options\.formats\[0\] is "xlsx"; expected one of csv, tex, md/],
    ["t", { formats: ["tex", "tex"] }, /lists "tex" twice/],
    ["t", { formats: [] }, /options\.formats must be a non-empty array/],
    ["t", { digit: 3 }, /unknown option "digit" \(did you mean "digits"\?\)/],
    ["t", { label: "tab:a b" }, /options\.label must be letters, digits and : _ - \./],
    ["t", { digits: -1 }, /digits must be an integer in \[0, 20\], got -1/],
    ["sub/", {}, /basePath must be a path with a file name/],
  ];
  for (const [base, options, message] of bad) assert.throws(() => exportTable(rows, path.join(dir, "bad", base), options as never), message);
  assert.ok(!fs.existsSync(path.join(dir, "bad")), "nothing written");
  assert.deepEqual(exportTable(rows, path.join(dir, "only.tex")).map((f) => path.basename(f)), ["only.tex"]);
  assert.deepEqual(exportTable(rows, path.join(dir, "two.md"), { formats: ["md", "csv"] }).map((f) => path.basename(f)), ["two.md", "two.csv"]);
});

test("showTable exports in the same call, and under SPARSE_RNN_TABLES_DIR every table as <notebook>--<title slug>", () => {
  const log = console.log;
  const printed: string[] = [];
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  process.env.SPARSE_RNN_TABLES_DIR = path.join(dir, "main-job");
  process.env.SPARSE_RNN_NOTEBOOK = "03-pruning";
  resetOutputNames();
  try {
    showTable(rows.slice(0, 2), { title: "Safe levels, the thesis", digits: 2, export: path.join(dir, "same-call") });
    showTable(rows.slice(0, 2), { title: "Safe levels, the thesis" });
  } finally {
    console.log = log;
    delete process.env.SPARSE_RNN_TABLES_DIR;
    delete process.env.SPARSE_RNN_NOTEBOOK;
  }
  assert.match(printed[0], /written: .*same-call\.csv, .*same-call\.tex, .*same-call\.md/);
  assert.match(fs.readFileSync(path.join(dir, "same-call.tex"), "utf8"), /\\caption\{Safe levels, the thesis\}/);
  assert.deepEqual(fs.readdirSync(path.join(dir, "main-job")).sort(), [
    "03-pruning--safe-levels-the-thesis-2.csv", "03-pruning--safe-levels-the-thesis-2.md", "03-pruning--safe-levels-the-thesis-2.tex",
    "03-pruning--safe-levels-the-thesis.csv", "03-pruning--safe-levels-the-thesis.md", "03-pruning--safe-levels-the-thesis.tex",
  ]);
});

test("latexEscape escapes the ten special characters and writes common symbols as LaTeX", () => {
  assert.equal(latexEscape("a_b & c% $d #e {f} ~g ^h \\i"), "a\\_b \\& c\\% \\$d \\#e \\{f\\} \\textasciitilde{}g \\textasciicircum{}h \\textbackslash{}i");
  assert.equal(latexEscape("R² ≥ 0.5 ± 0.1 — 3×50"), "R\\textsuperscript{2} $\\geq$ 0.5 $\\pm$ 0.1 --- 3$\\times$50");
  checkLatex(`\\begin{table}\n  \\begin{tabular}{ll}\n    ${latexEscape("#$%&_{}~^\\<>|")} & x \\\\\n  \\end{tabular}\n\\end{table}\n`);
});

test("the LaTeX compiles with pdflatex (when a TeX engine is installed)", (t) => {
  if (spawnSync("pdflatex", ["--version"]).status !== 0) return t.skip("no pdflatex (Debian: texlive-latex-base texlive-latex-recommended)");
  const [tex] = exportTable(rows, path.join(dir, "compile", "table"), { formats: ["tex"], digits: 3, caption: "Safe pruning levels (%) — thesis", label: "tab:safe" });
  const doc = path.join(dir, "compile", "doc.tex");
  fs.writeFileSync(doc, "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{table.tex}\n\\end{document}\n");
  const run = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"], { cwd: path.dirname(doc), encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, run.stdout.slice(-3000));
  assert.doesNotMatch(run.stdout, /Missing character|Undefined control sequence/);
  assert.ok(fs.statSync(path.join(dir, "compile", "doc.pdf")).size > 1000);
  assert.ok(fs.existsSync(tex));
});

/**
 * A small structural parser for the LaTeX exportTable writes: environments nest and close, braces balance (escaped
 * \{ \} aside), math $ pairs up on each line, no unescaped # % & _ ^ ~ outside a command's argument except & as the
 * column separator, and every tabular row has as many cells as the column spec.
 */
function checkLatex(tex: string): void {
  const stack: string[] = [];
  let columns = 0;
  let inTabular = false;
  tex.split("\n").forEach((line, n) => {
    const where = `line ${n + 1}: ${line}`;
    if (line.trimStart().startsWith("%")) return;
    for (const m of line.matchAll(/\\(begin|end)\{(\w+)\}(?:\{([^}]*)\})?/g)) {
      if (m[1] === "begin") {
        stack.push(m[2]);
        if (m[2] === "tabular") { inTabular = true; columns = (m[3] ?? "").replace(/[^lcrp]/g, "").length; assert.ok(columns > 0, `tabular without columns: ${where}`); }
      } else {
        assert.equal(stack.pop(), m[2], `\\end{${m[2]}} closes another environment: ${where}`);
        if (m[2] === "tabular") inTabular = false;
      }
    }
    const bare = line.replace(/\\[{}%&_#$]/g, "").replace(/\\[a-zA-Z]+/g, "");
    let depth = 0;
    for (const c of bare) { depth += c === "{" ? 1 : c === "}" ? -1 : 0; assert.ok(depth >= 0, `unbalanced }: ${where}`); }
    assert.equal(depth, 0, `unbalanced {: ${where}`);
    assert.equal((bare.match(/\$/g) ?? []).length % 2, 0, `unpaired $: ${where}`);
    assert.doesNotMatch(bare.replace(/\$[^$]*\$/g, ""), /[#%_^~]/, `unescaped special character: ${where}`);
    if (inTabular && /\\\\\s*$/.test(line)) {
      const cells = line.replace(/\\\\\s*$/, "").replace(/\\&/g, "").split("&").length;
      assert.equal(cells, columns, `${cells} cells, ${columns} columns: ${where}`);
    }
  });
  assert.deepEqual(stack, [], "every environment is closed");
}
