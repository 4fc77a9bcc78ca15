import * as fs from "fs";
import * as path from "path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

export type Cell = string | number | boolean;
export type Row = Record<string, Cell>;

/**
 * An append-only CSV of result rows that survives interruption: every append is
 * written and flushed to disk before it returns, so a run that dies loses at
 * most the work in progress, and a rerun asks `has(key)` to skip what is done.
 * A torn last line (the process died mid-write) is dropped on open.
 */
export class ResultStore {
  private readonly keys = new Set<string>();
  private readonly cache: Row[] = [];

  constructor(
    readonly file: string,
    readonly columns: readonly string[],
    /** identity of a row, e.g. row => `${row.mode}/${row.prune}/${row.epoch}` */
    private readonly keyOf: (row: Row) => string,
  ) {
    if (fs.existsSync(file)) this.load();
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, stringify([columns as string[]]));
    }
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  rows(): Row[] {
    return this.cache.slice();
  }

  append(rows: readonly Row[]): void {
    for (const row of rows) {
      const missing = this.columns.filter((c) => !(c in row));
      if (missing.length) throw new Error(`ResultStore ${this.file}: row ${JSON.stringify(row)} lacks column(s) ${missing.join(", ")}`);
    }
    const text = stringify(rows.map((row) => this.columns.map((c) => row[c])));
    const fd = fs.openSync(this.file, "a");
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    for (const row of rows) this.remember(row);
  }

  private load(): void {
    const text = fs.readFileSync(this.file, "utf8");
    const complete = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
    if (complete !== text) fs.writeFileSync(this.file, complete);
    const records: string[][] = parse(complete, { relax_column_count: false });
    const [header, ...body] = records;
    if (!header || header.join(",") !== this.columns.join(",")) {
      throw new Error(`ResultStore ${this.file}: header "${header?.join(",")}" does not match expected columns "${this.columns.join(",")}"; move the file away or use another cache folder`);
    }
    for (const record of body) {
      const row: Row = {};
      this.columns.forEach((c, i) => (row[c] = asCell(record[i])));
      this.remember(row);
    }
  }

  private remember(row: Row): void {
    this.cache.push(row);
    this.keys.add(this.keyOf(row));
  }
}

function asCell(text: string): Cell {
  if (text === "true" || text === "false") return text === "true";
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}
