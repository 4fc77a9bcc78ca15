/**
 * showTable(rows): an HTML table in a notebook, an aligned text table elsewhere; exportTable(rows, path):
 * the same table as CSV (the data, full precision), LaTeX (booktabs) and Markdown, for papers.
 *
 * Numbers: a column holding a non-integer shows every number with `digits` decimals (so 1 prints as 1.0000 beside
 * 0.9260); a column of integers only (counts, levels) prints integers. Numeric columns — numbers, with empty cells or
 * placeholders such as "—" — are right-aligned, headers included.
 */
import * as fs from "fs";
import * as path from "path";
import { formatCsv } from "../core/csv";
import { suggest } from "./figure";
import { escapeHtml } from "./html";
import { inNotebook, tslab } from "./notebook";
import { outputName } from "./naming";

/** Decimal places: one number for every column, or per column name ("*": the others). */
export type Digits = number | Readonly<Record<string, number>>;

export type TableOptions = {
  title?: string;
  /** Decimal places of the numbers in columns holding non-integers; default 4. */
  digits?: Digits;
  /** Also write the table: a base path (writes .csv, .tex and .md), or exportTable's options with `path`. */
  export?: string | (TableExportOptions & { path: string });
};

export const TABLE_FORMATS = ["csv", "tex", "md"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export type TableExportOptions = {
  /** Which files to write; default all of csv, tex, md (or the one named by the path's extension). */
  formats?: readonly TableFormat[];
  /** Decimal places in the .tex and .md tables (CSV keeps full precision); default 4. */
  digits?: Digits;
  /** The LaTeX caption and Markdown "Table:" line. */
  caption?: string;
  /** The LaTeX \label (letters, digits, and : _ - . only), e.g. "tab:safe-levels". */
  label?: string;
};

const SHOW_KEYS = ["title", "digits", "export"];
const EXPORT_KEYS = ["formats", "digits", "caption", "label"];
const DEFAULT_DIGITS = 4;

export function showTable(rows: Array<Record<string, unknown>>, options: TableOptions = {}): void {
  if (!Array.isArray(rows)) throw new Error(`showTable: rows must be an array of objects, got ${typeof rows}`);
  checkKeys(options, SHOW_KEYS, "showTable");
  const model = tableModel(rows, options.digits ?? DEFAULT_DIGITS);
  const written: string[] = [];
  if (options.export !== undefined) {
    const { path: base, ...rest } = typeof options.export === "string" ? { path: options.export } : options.export;
    written.push(...exportTable(rows, base, { digits: options.digits, caption: options.title, ...rest }));
  }
  const tablesDir = process.env.SPARSE_RNN_TABLES_DIR;
  if (tablesDir) {
    // the main job: every table a notebook shows, next to its figures (a table that cannot be written warns, and the notebook goes on)
    const name = outputName("table", process.env.SPARSE_RNN_NOTEBOOK || "table", options.title ?? "");
    try {
      exportTable(rows, path.join(tablesDir, name), { digits: options.digits, caption: options.title });
    } catch (error) {
      console.error(`showTable: table "${options.title ?? ""}" not written to ${tablesDir}: ${(error as Error).message}`);
    }
  }
  if (inNotebook()) {
    tslab().display.html(tableHtml(model.columns, model.cells, options.title, model.numeric) +
      (written.length ? `\n<div class="sparse-rnn-table-files" style="font-size:smaller">written: ${written.map(escapeHtml).join(", ")}</div>` : ""));
  } else {
    console.log(tableText(model.columns, model.cells, options.title, model.numeric) + (written.length ? `\nwritten: ${written.join(", ")}` : ""));
  }
}

export type TableModel = {
  columns: string[];
  /** Display strings, row by row. */
  cells: string[][];
  /** Per column: right-aligned numbers. */
  numeric: boolean[];
  /** The raw values, row by row (undefined where a row lacks the column). */
  values: unknown[][];
};

/** Column names (in order of first appearance) and formatted cell strings. */
export function tableCells(rows: Array<Record<string, unknown>>, digits: Digits): { columns: string[]; cells: string[][] } {
  const { columns, cells } = tableModel(rows, digits);
  return { columns, cells };
}

const PLACEHOLDERS = new Set(["", "—", "–", "-", "n/a", "N/A", "NA", "NaN", "?"]);

/** The table's columns, display strings, numeric columns and raw values. */
export function tableModel(rows: ReadonlyArray<Record<string, unknown>>, digits: Digits, who = "showTable"): TableModel {
  checkDigits(digits, who);
  const columns: string[] = [];
  for (const row of rows) {
    if (row === null || typeof row !== "object" || Array.isArray(row)) throw new Error(`${who}: every row must be an object, got ${JSON.stringify(row)}`);
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  }
  if (typeof digits === "object") {
    for (const key of Object.keys(digits)) {
      if (key !== "*" && !columns.includes(key)) throw new Error(`${who}: digits names column ${JSON.stringify(key)}, which the table does not have${suggest(key, columns)}`);
    }
  }
  const values = rows.map((row) => columns.map((column) => row[column]));
  const numeric = columns.map((_, j) => values.some((r) => typeof r[j] === "number") &&
    values.every((r) => typeof r[j] === "number" || r[j] === undefined || r[j] === null || (typeof r[j] === "string" && PLACEHOLDERS.has((r[j] as string).trim()))));
  const places = columns.map((column, j) => {
    const own = typeof digits === "number" ? undefined : digits[column];
    if (own !== undefined) return own;
    const integersOnly = values.every((r) => typeof r[j] !== "number" || Number.isInteger(r[j]) || !Number.isFinite(r[j]));
    return integersOnly ? null : typeof digits === "number" ? digits : digits["*"] ?? DEFAULT_DIGITS;
  });
  const cells = values.map((r) => r.map((value, j) => formatCell(value, places[j])));
  return { columns, cells, numeric, values };
}

function checkDigits(digits: unknown, who: string): asserts digits is Digits {
  const ok = (d: unknown) => Number.isInteger(d) && (d as number) >= 0 && (d as number) <= 20;
  if (typeof digits === "number") {
    if (!ok(digits)) throw new Error(`${who}: digits must be an integer in [0, 20], got ${digits}`);
  } else if (digits !== null && typeof digits === "object" && !Array.isArray(digits)) {
    for (const [column, d] of Object.entries(digits)) if (!ok(d)) throw new Error(`${who}: digits.${column} must be an integer in [0, 20], got ${JSON.stringify(d)}`);
  } else {
    throw new Error(`${who}: digits must be an integer in [0, 20] or an object { column: digits }, got ${JSON.stringify(digits)}`);
  }
}

/** A number with `places` decimals (null: as an integer); no "-0.000". */
export function formatNumber(value: number, places: number | null): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  const text = places === null ? String(value) : value.toFixed(places);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function formatCell(value: unknown, places: number | null): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return formatNumber(value, places);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const isNumeric = (cell: string) => cell !== "" && !Number.isNaN(Number(cell));
/** Numeric columns guessed from display strings (for callers that have only those). */
const guessNumeric = (columns: string[], cells: string[][]) =>
  columns.map((_, j) => cells.some((r) => isNumeric(r[j])) && cells.every((r) => isNumeric(r[j]) || PLACEHOLDERS.has(r[j].trim()) || r[j] === "∞" || r[j] === "-∞"));

export function tableHtml(columns: string[], cells: string[][], title?: string, numeric: boolean[] = guessNumeric(columns, cells)): string {
  const align = (j: number) => (numeric[j] ? ' style="text-align:right;font-variant-numeric:tabular-nums"' : ' style="text-align:left"');
  const head = columns.map((c, j) => `<th style="text-align:${numeric[j] ? "right" : "left"}">${escapeHtml(c)}</th>`).join("");
  const body = cells.map((row) => `<tr>${row.map((cell, j) => `<td${align(j)}>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("\n");
  const caption = title ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(title)}</caption>` : "";
  return `<table class="sparse-rnn-table">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

export function tableText(columns: string[], cells: string[][], title?: string, numeric: boolean[] = guessNumeric(columns, cells)): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [...(title ? [title] : []), line(columns), rule, ...cells.map(line)].join("\n");
}

// ---- export ---------------------------------------------------------------------------------

/**
 * Writes the table to basePath.csv, basePath.tex and basePath.md (or `formats`; a path ending in one of these
 * extensions writes that format unless `formats` says otherwise) and returns the paths written. Everything is checked
 * before anything is written. CSV holds the values at full precision; LaTeX (booktabs: \toprule, \midrule,
 * \bottomrule; special characters escaped; numeric columns right-aligned with the same decimals, so the decimal points
 * line up) and Markdown (pipe table, numeric columns right-aligned) show them with `digits` decimals.
 */
export function exportTable(rows: ReadonlyArray<Record<string, unknown>>, basePath: string, options: TableExportOptions = {}): string[] {
  if (!Array.isArray(rows)) throw new Error(`exportTable: rows must be an array of objects, got ${typeof rows}`);
  if (options === null || typeof options !== "object") throw new Error(`exportTable: options must be an object, got ${String(options)}`);
  checkKeys(options, EXPORT_KEYS, "exportTable");
  if (typeof basePath !== "string" || basePath.trim() === "" || /[\\/]$/.test(basePath) || basePath.includes("\0")) {
    throw new Error(`exportTable: basePath must be a path with a file name such as "out/tables/safe-levels", got ${JSON.stringify(basePath)}`);
  }
  const ext = /\.(csv|tex|md)$/.exec(basePath)?.[1] as TableFormat | undefined;
  const base = ext ? basePath.slice(0, -ext.length - 1) : basePath;
  if (path.basename(base).trim() === "" || path.basename(base) === "." || path.basename(base) === "..") throw new Error(`exportTable: basePath ${JSON.stringify(basePath)} has no file name`);
  const formats = options.formats ?? (ext ? [ext] : TABLE_FORMATS);
  if (!Array.isArray(formats) || formats.length === 0) throw new Error(`exportTable: options.formats must be a non-empty array of ${TABLE_FORMATS.join(", ")}, got ${JSON.stringify(formats)}`);
  formats.forEach((f, i) => {
    if (!TABLE_FORMATS.includes(f)) throw new Error(`exportTable: options.formats[${i}] is ${JSON.stringify(f)}; expected one of ${TABLE_FORMATS.join(", ")}${suggest(String(f), TABLE_FORMATS)}`);
    if (formats.indexOf(f) !== i) throw new Error(`exportTable: options.formats lists "${f}" twice`);
  });
  if (options.caption !== undefined && typeof options.caption !== "string") throw new Error(`exportTable: options.caption must be a string, got ${JSON.stringify(options.caption)}`);
  if (options.label !== undefined && (typeof options.label !== "string" || !/^[A-Za-z0-9:_.\-]+$/.test(options.label))) {
    throw new Error(`exportTable: options.label must be letters, digits and : _ - . (e.g. "tab:results"), got ${JSON.stringify(options.label)}`);
  }
  const model = tableModel(rows, options.digits ?? DEFAULT_DIGITS, "exportTable");
  if (model.columns.length === 0) throw new Error("exportTable: the table has no columns (no rows, or rows without keys)");

  fs.mkdirSync(path.dirname(path.resolve(base)), { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const text = format === "csv" ? tableCsv(model) : format === "tex" ? tableLatex(model, options) : tableMarkdown(model, options.caption);
    const file = `${base}.${format}`;
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
    written.push(file);
  }
  return written;
}

/** RFC 4180 CSV: a header, then the raw values (numbers in JavaScript's shortest round-trip form, objects as JSON). */
export function tableCsv(model: TableModel): string {
  const raw = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return formatCsv([model.columns, ...model.values.map((r) => r.map(raw))]);
}

/** A GitHub / pandoc pipe table; numeric columns right-aligned (`---:`); the caption as pandoc's "Table:" line. */
export function tableMarkdown(model: TableModel, caption?: string): string {
  const cell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = `| ${model.numeric.map((n) => (n ? "---:" : ":---")).join(" | ")} |`;
  return [...(caption ? [`Table: ${caption.replace(/\r?\n/g, " ")}`, ""] : []), line(model.columns), rule, ...model.cells.map(line)].join("\n") + "\n";
}

/**
 * A LaTeX table with booktabs rules. Numeric columns are `r` with the same decimals in every row, so their decimal
 * points line up; minus signs are math minus; text is escaped (see latexEscape). Needs \usepackage{booktabs}.
 */
export function tableLatex(model: TableModel, options: { caption?: string; label?: string } = {}): string {
  const spec = model.numeric.map((n) => (n ? "r" : "l")).join("");
  const texCell = (display: string, j: number, header = false): string => {
    if (!header && model.numeric[j]) {
      if (display === "∞") return "$\\infty$";
      if (display === "-∞") return "$-\\infty$";
      if (/^-\d/.test(display)) return `$-$${display.slice(1)}`;
    }
    return latexEscape(display);
  };
  const row = (cells: string[], header = false) => `    ${cells.map((c, j) => texCell(c, j, header)).join(" & ")} \\\\`;
  return [
    "% Written by sparse-rnn-lab (exportTable). Needs \\usepackage{booktabs}.",
    "\\begin{table}[htbp]",
    "  \\centering",
    ...(options.caption ? [`  \\caption{${latexEscape(options.caption)}}`] : []),
    ...(options.label ? [`  \\label{${options.label}}`] : []),
    `  \\begin{tabular}{${spec}}`,
    "    \\toprule",
    row(model.columns, true),
    "    \\midrule",
    ...model.cells.map((cells) => row(cells)),
    "    \\bottomrule",
    "  \\end{tabular}",
    "\\end{table}",
    "",
  ].join("\n");
}

const LATEX_SPECIALS: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}", "&": "\\&", "%": "\\%", $: "\\$", "#": "\\#", _: "\\_", "{": "\\{", "}": "\\}",
  "~": "\\textasciitilde{}", "^": "\\textasciicircum{}", "<": "\\textless{}", ">": "\\textgreater{}", "|": "\\textbar{}",
  "—": "---", "–": "--", "−": "$-$", "±": "$\\pm$", "×": "$\\times$", "·": "$\\cdot$", "…": "\\ldots{}",
  "≥": "$\\geq$", "≤": "$\\leq$", "≈": "$\\approx$", "≠": "$\\neq$", "→": "$\\rightarrow$", "←": "$\\leftarrow$", "∞": "$\\infty$",
  "²": "\\textsuperscript{2}", "³": "\\textsuperscript{3}", "½": "$\\frac{1}{2}$", "°": "$^\\circ$",
  "Σ": "$\\Sigma$", "Δ": "$\\Delta$", "α": "$\\alpha$", "β": "$\\beta$", "γ": "$\\gamma$", "δ": "$\\delta$", "ε": "$\\varepsilon$",
  "η": "$\\eta$", "θ": "$\\theta$", "λ": "$\\lambda$", "μ": "$\\mu$", "ρ": "$\\rho$", "σ": "$\\sigma$", "τ": "$\\tau$", "ω": "$\\omega$",
  "\u00a0": "~", "\r": " ", "\n": " ",
};

/** Text safe in LaTeX: the ten special characters escaped, and common symbols (—, ±, ≥, ², Greek letters …) as LaTeX. */
export function latexEscape(text: string): string {
  return Array.from(text, (c) => LATEX_SPECIALS[c] ?? c).join("");
}

function checkKeys(options: unknown, keys: readonly string[], who: string): void {
  if (options === null || typeof options !== "object") throw new Error(`${who}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new Error(`${who}: unknown option ${JSON.stringify(key)}${suggest(key, keys)}; options are ${keys.join(", ")}`);
  }
}
