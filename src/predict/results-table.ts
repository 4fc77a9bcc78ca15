/**
 * The structure schema (one row per random-structure model: graph properties, test accuracy) and
 * the one reader of its tables. The thesis's tables have its columns; the project's own sweep
 * writes the same plus extras (seed, layout, edge_list): STRUCTURE_COLUMNS, StructureRow. The
 * reader needs REQUIRED_COLUMNS; unknown columns are ignored, missing required ones are an error.
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../core/csv";
import { PROPERTY_COLUMNS, type PropertyName } from "../graph/properties";
import { parseDecimal } from "./checks";

/** The 23 predictors: 20 graph properties plus layers, source_nodes, sink_nodes (thesis appendix), from src/graph. */
export { PROPERTY_COLUMNS };
export type Property = PropertyName;

export const TARGET_COLUMN = "test_acc";
/** Column naming the RNN variant (RNN_TANH, RNN_RELU, GRU, LSTM). */
export const VARIANT_COLUMN = "mode";
export const REQUIRED_COLUMNS: readonly string[] = [VARIANT_COLUMN, ...PROPERTY_COLUMNS, TARGET_COLUMN];

/**
 * Every column of a structure table, in file order: the thesis's (reference/thesis/results/structure/*.csv,
 * mode … time), then the sweep's (seed, layout, edge_list). The sweep's store and results/structure/*.csv
 * hold exactly these.
 */
export const STRUCTURE_COLUMNS = ["mode", "graph", "graph_nr", ...PROPERTY_COLUMNS, "test_acc", "test_loss", "time", "seed", "layout", "edge_list"] as const;
export type StructureColumn = (typeof STRUCTURE_COLUMNS)[number];
const TEXT_COLUMNS = ["mode", "graph", "layout", "edge_list"] as const;

/** One random-structure model under its column names, as the sweep writes it (src/experiments/sweep.ts, resultRow). */
export type StructureRow = { [C in StructureColumn]: C extends (typeof TEXT_COLUMNS)[number] ? string : number };

/**
 * A structure table's row as the regressors read it (parseResultsCsv): `variant` is the `mode` column,
 * `testAcc` the `test_acc` column, `properties` the PROPERTY_COLUMNS of a StructureRow.
 */
export interface ResultsRow {
  variant: string;
  /** Generator name (barabasi_albert, watts_strogatz) when the file has a `graph` column. */
  graph: string;
  properties: Record<Property, number>;
  testAcc: number;
  /** "file:line" the row came from. */
  origin: string;
  /** what identifies the model: mode/graph/graph_nr when the file has those columns, else the row's whole text */
  identity: string;
}

export interface ResultsTable {
  sources: string[];
  rows: ResultsRow[];
  /** Variants in order of first appearance. */
  variants: string[];
}

/**
 * Parse one CSV text; `source` names it in errors, which give the 1-based line as an editor shows it
 * (the line a record starts on, blank lines counted) and the column name.
 * Numeric columns (the properties and test_acc) must hold decimals (see parseDecimal in checks.ts:
 * "0.91", "-3", ".5", "1e-7"; not "", "0x1", "1e", "NaN", "Infinity"); test_acc must lie in [0, 1].
 */
export function parseResultsCsv(text: string, source: string): ResultsTable {
  if (typeof text !== "string") throw new Error(`${source}: expected CSV text, got ${text === null ? "null" : typeof text}`);
  const parsed = parseCsv(text, source);
  const startLine = (r: number) => parsed[r].line;
  const records = parsed.map((p) => p.fields);
  if (records.length === 0) throw new Error(`${source}: empty results file (expected a header with ${REQUIRED_COLUMNS.join(", ")})`);
  const header = records[0].map((h) => h.trim());
  const headerLine = startLine(0);
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new Error(`${source}:${headerLine}: missing required column(s) ${missing.join(", ")}; header is: ${header.join(",")}`);
  }
  const duplicated = REQUIRED_COLUMNS.filter((c) => header.indexOf(c) !== header.lastIndexOf(c));
  if (duplicated.length > 0) throw new Error(`${source}:${headerLine}: column(s) ${duplicated.join(", ")} appear more than once in the header`);
  const at = (name: string) => header.indexOf(name);
  const graphAt = at("graph");
  const numberAt = at("graph_nr");
  const rows: ResultsRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    const line = startLine(r);
    const number = (column: string): number => {
      const raw = record[at(column)];
      const value = parseDecimal(raw);
      if (value === undefined) {
        throw new Error(`${source}:${line}: column "${column}" must be a finite number, got ${JSON.stringify(raw ?? "")} (expected a decimal such as 0.91, -3 or 1e-3)`);
      }
      return value;
    };
    const properties = {} as Record<Property, number>;
    for (const p of PROPERTY_COLUMNS) properties[p] = number(p);
    const variant = record[at(VARIANT_COLUMN)].trim();
    if (variant === "") throw new Error(`${source}:${line}: column "${VARIANT_COLUMN}" is empty`);
    const testAcc = number(TARGET_COLUMN);
    if (!(testAcc >= 0 && testAcc <= 1)) {
      throw new Error(`${source}:${line}: column "${TARGET_COLUMN}" is an accuracy and must be in [0, 1], got ${JSON.stringify(record[at(TARGET_COLUMN)])}`);
    }
    rows.push({
      variant,
      graph: graphAt >= 0 ? record[graphAt] : "",
      properties,
      testAcc,
      origin: `${source}:${line}`,
      identity: graphAt >= 0 && numberAt >= 0 ? `${variant}/${record[graphAt]}/${record[numberAt]}` : record.join(","),
    });
  }
  refuseDuplicates(rows);
  return { sources: [source], rows, variants: uniqueVariants(rows) };
}

/** Read and concatenate results files (e.g. the thesis's four per-variant tables). */
export function loadResultsFiles(paths: readonly string[]): ResultsTable {
  if (!Array.isArray(paths) || paths.length === 0) throw new Error("loadResultsFiles: no results files given");
  const tables = paths.map((p) => {
    if (typeof p !== "string" || p === "") throw new Error(`loadResultsFiles: file names must be non-empty strings, got ${JSON.stringify(p)}`);
    let text: string;
    try {
      text = readFileSync(p, "utf8");
    } catch (e) {
      throw new Error(`results file ${p}: cannot read: ${(e as Error).message}`);
    }
    return parseResultsCsv(text, p);
  });
  const rows = tables.flatMap((t) => t.rows);
  refuseDuplicates(rows);
  return { sources: tables.flatMap((t) => t.sources), rows, variants: uniqueVariants(rows) };
}

/**
 * A model listed twice would sit in a training fold and a test fold at once and inflate
 * every R²: refuse it, naming both places (within a file or across files).
 */
function refuseDuplicates(rows: readonly ResultsRow[]): void {
  const seen = new Map<string, string>();
  for (const row of rows) {
    const first = seen.get(row.identity);
    if (first !== undefined) {
      throw new Error(`${first} and ${row.origin} hold the same model${row.identity.includes(",") ? "" : ` (${row.identity})`}: ` +
        "remove one (a duplicate would land in both training and test folds of the cross-validation)");
    }
    seen.set(row.identity, row.origin);
  }
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
