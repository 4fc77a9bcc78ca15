/**
 * The structure schema (one row per random-structure model: graph properties, test accuracy) and
 * the one reader of its tables. StructureRow is the row the sweep writes (src/experiments/sweep.ts,
 * resultRow) and the row this reader returns, under the CSV's column names: the thesis's tables
 * have its columns (mode … time), the project's own sweep the same plus seed, layout, edge_list
 * (STRUCTURE_COLUMNS). The reader needs REQUIRED_COLUMNS; the other structure columns are read
 * when the file has them, unknown columns are ignored, missing required ones are an error.
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
const REQUIRED = [VARIANT_COLUMN, ...PROPERTY_COLUMNS, TARGET_COLUMN] as const;
/** What every structure table has and the regressors need: the variant, the properties, the test accuracy. */
export const REQUIRED_COLUMNS: readonly string[] = REQUIRED;

/**
 * Every column of a structure table, in file order: the thesis's (reference/thesis/results/structure/*.csv,
 * mode … time), then the sweep's (seed, layout, edge_list). The sweep's store and results/structure/*.csv
 * hold exactly these.
 */
export const STRUCTURE_COLUMNS = ["mode", "graph", "graph_nr", ...PROPERTY_COLUMNS, "test_acc", "test_loss", "time", "seed", "layout", "edge_list"] as const;
export type StructureColumn = (typeof STRUCTURE_COLUMNS)[number];
const TEXT_COLUMNS = ["mode", "graph", "layout", "edge_list"] as const;
type RequiredColumn = (typeof REQUIRED)[number];
type Cell<C extends StructureColumn> = C extends (typeof TEXT_COLUMNS)[number] ? string : number;

/**
 * One random-structure model under its column names: the one row type of the structure experiment.
 * The sweep writes every column (`Required<StructureRow>`, src/experiments/sweep.ts resultRow); the
 * reader (parseResultsCsv, loadResultsFiles) fills the REQUIRED_COLUMNS always and the others when the
 * file has them (the thesis's tables have no seed, layout, edge_list). The variant is `mode`, the
 * target `test_acc`, the features the PROPERTY_COLUMNS (featuresOf).
 */
export type StructureRow = { [C in RequiredColumn]: Cell<C> } & { [C in Exclude<StructureColumn, RequiredColumn>]?: Cell<C> };

/** The row's values of `features`, in that order: what the regressors read of a model. */
export function featuresOf(row: StructureRow, features: readonly Property[]): number[] {
  return features.map((f) => row[f]);
}

export interface ResultsTable {
  sources: string[];
  rows: StructureRow[];
  /** Where each row came from, "file:line" (origins[i] is rows[i]'s), for messages. */
  origins: string[];
  /** Variants in order of first appearance. */
  variants: string[];
}

/** A parsed table and, per row, what identifies its model (for refusing duplicates across files too). */
interface Parsed {
  table: ResultsTable;
  /** mode/graph/graph_nr when the file has those columns, else the row's whole text */
  identities: string[];
}

/**
 * Parse one CSV text; `source` names it in errors, which give the 1-based line as an editor shows it
 * (the line a record starts on, blank lines counted) and the column name.
 * Numeric columns (the properties, test_acc and, when present, graph_nr, test_loss, time, seed) must hold
 * decimals (see parseDecimal in checks.ts: "0.91", "-3", ".5", "1e-7"; not "", "0x1", "1e", "NaN",
 * "Infinity"); test_acc must lie in [0, 1].
 */
export function parseResultsCsv(text: string, source: string): ResultsTable {
  const { table, identities } = parse(text, source);
  refuseDuplicates(table.origins, identities);
  return table;
}

function parse(text: string, source: string): Parsed {
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
  const present = STRUCTURE_COLUMNS.filter((c) => header.includes(c));
  const duplicated = present.filter((c) => header.indexOf(c) !== header.lastIndexOf(c));
  if (duplicated.length > 0) throw new Error(`${source}:${headerLine}: column(s) ${duplicated.join(", ")} appear more than once in the header`);
  const at = (name: string) => header.indexOf(name);
  const isText = new Set<string>(TEXT_COLUMNS);
  const rows: StructureRow[] = [];
  const origins: string[] = [];
  const identities: string[] = [];
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
    const row: Record<string, string | number> = {};
    for (const column of present) row[column] = isText.has(column) ? record[at(column)] : number(column);
    const mode = record[at(VARIANT_COLUMN)].trim();
    if (mode === "") throw new Error(`${source}:${line}: column "${VARIANT_COLUMN}" is empty`);
    row[VARIANT_COLUMN] = mode;
    const accuracy = row[TARGET_COLUMN] as number;
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new Error(`${source}:${line}: column "${TARGET_COLUMN}" is an accuracy and must be in [0, 1], got ${JSON.stringify(record[at(TARGET_COLUMN)])}`);
    }
    rows.push(row as StructureRow);
    origins.push(`${source}:${line}`);
    identities.push(row.graph !== undefined && row.graph_nr !== undefined ? `${mode}/${row.graph}/${row.graph_nr}` : record.join(","));
  }
  return { table: { sources: [source], rows, origins, variants: uniqueVariants(rows) }, identities };
}

/** Read and concatenate results files (e.g. the thesis's four per-variant tables). */
export function loadResultsFiles(paths: readonly string[]): ResultsTable {
  if (!Array.isArray(paths) || paths.length === 0) throw new Error("loadResultsFiles: no results files given");
  const parsed = paths.map((p) => {
    if (typeof p !== "string" || p === "") throw new Error(`loadResultsFiles: file names must be non-empty strings, got ${JSON.stringify(p)}`);
    let text: string;
    try {
      text = readFileSync(p, "utf8");
    } catch (e) {
      throw new Error(`results file ${p}: cannot read: ${(e as Error).message}`);
    }
    return parse(text, p);
  });
  const rows = parsed.flatMap((p) => p.table.rows);
  const origins = parsed.flatMap((p) => p.table.origins);
  refuseDuplicates(origins, parsed.flatMap((p) => p.identities));
  return { sources: parsed.flatMap((p) => p.table.sources), rows, origins, variants: uniqueVariants(rows) };
}

/**
 * A model listed twice would sit in a training fold and a test fold at once and inflate
 * every R²: refuse it, naming both places (within a file or across files).
 */
function refuseDuplicates(origins: readonly string[], identities: readonly string[]): void {
  const seen = new Map<string, string>();
  identities.forEach((identity, i) => {
    const first = seen.get(identity);
    if (first !== undefined) {
      throw new Error(`${first} and ${origins[i]} hold the same model${identity.includes(",") ? "" : ` (${identity})`}: ` +
        "remove one (a duplicate would land in both training and test folds of the cross-validation)");
    }
    seen.set(identity, origins[i]);
  });
}

/** Rows of one variant as a design matrix over `features` (featuresOf) and the target vector (test_acc). */
export function variantData(table: ResultsTable, variant: string, features: readonly Property[]): { X: number[][]; y: number[] } {
  const rows = table.rows.filter((r) => r.mode === variant);
  if (rows.length === 0) {
    throw new Error(`variantData: no rows for variant "${variant}" (have: ${table.variants.join(", ")})`);
  }
  return { X: rows.map((r) => featuresOf(r, features)), y: rows.map((r) => r.test_acc) };
}

function uniqueVariants(rows: readonly StructureRow[]): string[] {
  return [...new Set(rows.map((r) => r.mode))];
}

/** The table restricted to variants with at least `minRows` rows; reports the ones left out. */
export function variantsWithAtLeast(table: ResultsTable, minRows: number): { table: ResultsTable; dropped: Array<{ variant: string; rows: number }> } {
  const count = (v: string) => table.rows.filter((r) => r.mode === v).length;
  const keep = table.variants.filter((v) => count(v) >= minRows);
  const kept = table.rows.map((r) => keep.includes(r.mode));
  return {
    table: { sources: table.sources, rows: table.rows.filter((_, i) => kept[i]), origins: table.origins.filter((_, i) => kept[i]), variants: keep },
    dropped: table.variants.filter((v) => !keep.includes(v)).map((variant) => ({ variant, rows: count(variant) })),
  };
}
