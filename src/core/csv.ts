/**
 * CSV in and out for the whole project (RFC 4180: quoted fields may hold commas, quotes and
 * line breaks), over csv-parse / csv-stringify. Every reader gets the 1-based line each
 * record starts on (blank lines counted, as an editor shows it) for its messages; blank lines
 * and a byte-order mark are skipped; a record whose width differs from the first record's is
 * an error naming its line unless `widths: "any"` (the caller checks widths itself).
 *
 *   parseCsv(text, "file.csv")        records { fields, line }
 *   readCsvObjects("file.csv")        rows keyed by the header
 *   writeCsv("out/x.csv", [header, ...rows])
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

/** One record: its fields and the line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

export interface CsvParseOptions {
  /** "equal" (default): every record as wide as the first, else an error; "any": no check here */
  widths?: "equal" | "any";
}

/** Parse CSV text into records; `source` names it in errors ("<source>: not a valid CSV table: …"). */
export function parseCsv(text: string, source = "<csv>", options: CsvParseOptions = {}): CsvRecord[] {
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // with `info`, csv-parse returns { record, info } pairs; its typings only know string[][]
    parsed = parse(text, { skip_empty_lines: true, relax_column_count: options.widths === "any", bom: true, info: true }) as unknown as typeof parsed;
  } catch (e) {
    throw new Error(`${source}: not a valid CSV table: ${(e as Error).message}`);
  }
  // info.lines is the line a record ends on; a quoted field spanning lines moves its start up
  return parsed.map(({ record, info }) => ({
    fields: record,
    line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
  }));
}

/** Read and parse a CSV file; errors name the file. */
export function readCsv(file: string, options: CsvParseOptions = {}): CsvRecord[] {
  return parseCsv(fs.readFileSync(file, "utf8"), file, options);
}

/** Rows keyed by the first record (the header), as strings; an empty text gives no rows. */
export function csvObjects(records: readonly CsvRecord[]): Array<Record<string, string>> {
  if (records.length === 0) return [];
  const header = records[0].fields;
  return records.slice(1).map(({ fields }) => Object.fromEntries(header.map((column, j) => [column, fields[j]])));
}

/** readCsv then csvObjects: a table with a header row, e.g. the thesis's logs. */
export function readCsvObjects(file: string): Array<Record<string, string>> {
  return csvObjects(readCsv(file));
}

/** CSV text of records (the first usually the header): "\n" line ends, fields quoted only where needed. */
export function formatCsv(records: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return stringify(records as unknown[][], { record_delimiter: "unix" });
}

/** Write records as CSV, creating the folder; written whole (a temporary file renamed into place). */
export function writeCsv(file: string, records: ReadonlyArray<ReadonlyArray<unknown>>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, formatCsv(records));
  fs.renameSync(partial, file);
}
