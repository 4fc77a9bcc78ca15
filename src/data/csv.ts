/**
 * Samples as CSV in the thesis's two formats:
 *   plain    `string,valid`         (reber_sequences.csv)
 *   indexed  `,string,valid`        (train_data.csv, test_data.csv; the first column is
 *                                   the row's index in the shuffled full set)
 * `valid` is 1 or 0. Bad rows are refused with the file, line and value named.
 */
import * as fs from "fs";
import * as path from "path";
import { formatCsv, parseCsv } from "../core/csv";
import type { Sample } from "./types";

export type CsvFormat = "plain" | "indexed";

/** Parse CSV text; `source` names the file in error messages. */
export function parseSamplesCsv(text: string, source = "<csv>"): { samples: Sample[]; format: CsvFormat; indices?: number[] } {
  const records = parseCsv(text, source, { widths: "any" }); // column counts are checked below, with our own message
  if (records.length === 0) throw new Error(`${source}: empty file, expected a header "string,valid" or ",string,valid"`);
  const header = records[0].fields.join(",");
  const format: CsvFormat | undefined = header === "string,valid" ? "plain" : header === ",string,valid" ? "indexed" : undefined;
  if (!format) throw new Error(`${source}, line ${records[0].line}: header "${header}" is neither "string,valid" nor ",string,valid"`);
  const width = format === "plain" ? 2 : 3;
  const samples: Sample[] = [];
  const indices: number[] = [];
  for (const { fields: record, line } of records.slice(1)) {
    const where = `${source}, line ${line}`;
    if (record.length !== width) throw new Error(`${where}: expected ${width} columns (${header}), got ${record.length}: ${JSON.stringify(record.join(","))}`);
    const [index, text, label] = format === "plain" ? [undefined, record[0], record[1]] : record;
    if (index !== undefined) {
      if (!/^\d+$/.test(index)) throw new Error(`${where}: index ${JSON.stringify(index)} is not a non-negative integer`);
      indices.push(Number(index));
    }
    checkText(text, where);
    if (label !== "0" && label !== "1") throw new Error(`${where}: valid must be 0 or 1, got ${JSON.stringify(label)} (string ${JSON.stringify(text)})`);
    samples.push({ text, valid: label === "1" });
  }
  return format === "indexed" ? { samples, format, indices } : { samples, format };
}

/** Read a samples CSV in either thesis format. */
export function readSamplesCsv(file: string): Sample[] {
  return parseSamplesCsv(fs.readFileSync(file, "utf8"), file).samples;
}

/** CSV text of `samples`; indexed numbers rows from `firstIndex` (0). */
export function formatSamplesCsv(samples: readonly Sample[], options: { indexed?: boolean; firstIndex?: number } = {}): string {
  const indexed = options.indexed ?? false;
  const first = options.firstIndex ?? 0;
  const rows = samples.map((s, i) => {
    checkText(s.text, `sample ${i}`);
    const label = s.valid ? "1" : "0";
    return indexed ? [String(first + i), s.text, label] : [s.text, label];
  });
  return formatCsv([indexed ? ["", "string", "valid"] : ["string", "valid"], ...rows]);
}

/** Write samples in the thesis's format (creates the folder). */
export function writeSamplesCsv(file: string, samples: readonly Sample[], options: { indexed?: boolean; firstIndex?: number } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, formatSamplesCsv(samples, options));
}

function checkText(text: string, where: string): void {
  if (text.length === 0) throw new Error(`${where}: empty string`);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 1 || code > 127) throw new Error(`${where}: character ${JSON.stringify(text[i])} (code ${code}) at position ${i} of ${JSON.stringify(text)} is not ASCII 1 … 127`);
  }
}
