/**
 * Load results tables in the thesis's structure schema (one row per random-structure model:
 * graph properties, test accuracy). The project's own sweep writes the same columns plus
 * extras (seed, …); unknown columns are ignored, missing required ones are an error.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { PROPERTY_COLUMNS, type PropertyName } from "../graph/properties";

/** The 23 predictors: 20 graph properties plus layers, source_nodes, sink_nodes (thesis appendix), from src/graph. */
export { PROPERTY_COLUMNS };
export type Property = PropertyName;

export const TARGET_COLUMN = "test_acc";
/** Column naming the RNN variant (RNN_TANH, RNN_RELU, GRU, LSTM). */
export const VARIANT_COLUMN = "mode";
export const REQUIRED_COLUMNS: readonly string[] = [VARIANT_COLUMN, ...PROPERTY_COLUMNS, TARGET_COLUMN];

export interface ResultsRow {
  variant: string;
  /** Generator name (barabasi_albert, watts_strogatz) when the file has a `graph` column. */
  graph: string;
  properties: Record<Property, number>;
  testAcc: number;
  /** "file:line" the row came from. */
  origin: string;
}

export interface ResultsTable {
  sources: string[];
  rows: ResultsRow[];
  /** Variants in order of first appearance. */
  variants: string[];
}

/** Parse one CSV text; `source` names it in errors. */
export function parseResultsCsv(text: string, source: string): ResultsTable {
  const records: string[][] = parse(text, { skip_empty_lines: true, relax_column_count: false });
  if (records.length === 0) throw new Error(`${source}: empty results file (expected a header with ${REQUIRED_COLUMNS.join(", ")})`);
  const header = records[0].map((h) => h.trim());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new Error(`${source}:1: missing required column(s) ${missing.join(", ")}; header is: ${header.join(",")}`);
  }
  const at = (name: string) => header.indexOf(name);
  const graphAt = at("graph");
  const rows: ResultsRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    const line = r + 1;
    const number = (column: string): number => {
      const raw = record[at(column)];
      const value = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
      if (!Number.isFinite(value)) {
        throw new Error(`${source}:${line}: column "${column}" must be a finite number, got ${JSON.stringify(raw)}`);
      }
      return value;
    };
    const properties = {} as Record<Property, number>;
    for (const p of PROPERTY_COLUMNS) properties[p] = number(p);
    const variant = record[at(VARIANT_COLUMN)].trim();
    if (variant === "") throw new Error(`${source}:${line}: column "${VARIANT_COLUMN}" is empty`);
    rows.push({
      variant,
      graph: graphAt >= 0 ? record[graphAt] : "",
      properties,
      testAcc: number(TARGET_COLUMN),
      origin: `${source}:${line}`,
    });
  }
  return { sources: [source], rows, variants: uniqueVariants(rows) };
}

/** Read and concatenate results files (e.g. the thesis's four per-variant tables). */
export function loadResultsFiles(paths: readonly string[]): ResultsTable {
  if (paths.length === 0) throw new Error("loadResultsFiles: no results files given");
  const tables = paths.map((p) => parseResultsCsv(readFileSync(p, "utf8"), p));
  const rows = tables.flatMap((t) => t.rows);
  return { sources: tables.flatMap((t) => t.sources), rows, variants: uniqueVariants(rows) };
}

/** Rows of one variant as a design matrix over `features` and the target vector. */
export function variantData(table: ResultsTable, variant: string, features: readonly Property[]): { X: number[][]; y: number[] } {
  const rows = table.rows.filter((r) => r.variant === variant);
  if (rows.length === 0) {
    throw new Error(`variantData: no rows for variant "${variant}" (have: ${table.variants.join(", ")})`);
  }
  return { X: rows.map((r) => features.map((f) => r.properties[f])), y: rows.map((r) => r.testAcc) };
}

function uniqueVariants(rows: readonly ResultsRow[]): string[] {
  return [...new Set(rows.map((r) => r.variant))];
}

/** The table restricted to variants with at least `minRows` rows; reports the ones left out. */
export function variantsWithAtLeast(table: ResultsTable, minRows: number): { table: ResultsTable; dropped: Array<{ variant: string; rows: number }> } {
  const count = (v: string) => table.rows.filter((r) => r.variant === v).length;
  const keep = table.variants.filter((v) => count(v) >= minRows);
  return {
    table: { sources: table.sources, rows: table.rows.filter((r) => keep.includes(r.variant)), variants: keep },
    dropped: table.variants.filter((v) => !keep.includes(v)).map((variant) => ({ variant, rows: count(variant) })),
  };
}
