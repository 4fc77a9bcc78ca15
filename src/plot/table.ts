/** showTable(rows): an HTML table in a notebook, an aligned text table elsewhere. */
import { escapeHtml } from "./html";
import { inNotebook, tslab } from "./notebook";

export type TableOptions = {
  title?: string;
  /** Decimal places for non-integer numbers; default 4. */
  digits?: number;
};

export function showTable(rows: Array<Record<string, unknown>>, options: TableOptions = {}): void {
  if (!Array.isArray(rows)) throw new Error(`showTable: rows must be an array of objects, got ${typeof rows}`);
  const { columns, cells } = tableCells(rows, options.digits ?? 4);
  if (inNotebook()) tslab().display.html(tableHtml(columns, cells, options.title));
  else console.log(tableText(columns, cells, options.title));
}

/** Column names (in order of first appearance) and formatted cell strings. */
export function tableCells(rows: Array<Record<string, unknown>>, digits: number): { columns: string[]; cells: string[][] } {
  if (!(Number.isInteger(digits) && digits >= 0 && digits <= 20)) throw new Error(`showTable: digits must be an integer in [0, 20], got ${digits}`);
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column], digits)));
  return { columns, cells };
}

function formatCell(value: unknown, digits: number): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const isNumeric = (cell: string) => cell !== "" && !Number.isNaN(Number(cell));

export function tableHtml(columns: string[], cells: string[][], title?: string): string {
  const align = (cell: string) => (isNumeric(cell) ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = columns.map((c) => `<th style="text-align:left">${escapeHtml(c)}</th>`).join("");
  const body = cells.map((row) => `<tr>${row.map((cell) => `<td${align(cell)}>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("\n");
  const caption = title ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(title)}</caption>` : "";
  return `<table class="sparse-rnn-table">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

export function tableText(columns: string[], cells: string[][], title?: string): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (isNumeric(cell) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [...(title ? [title] : []), line(columns), rule, ...cells.map(line)].join("\n");
}
