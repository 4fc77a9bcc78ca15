/**
 * The structure study's one row type (structure-study.ts writes it, notebooks and the record read it):
 * one trained model — which part of the study, variant, graph → network mapping, graph family and
 * rewiring probability, graph number and training replicate — with every property of its graph (the
 * thesis's 23, the structure properties of src/graph/structure.ts: C, transitivity, σ, ω, assortativity,
 * spectral radius, triangles), the network's trainable parameters, and the test result.
 *
 * Values that do not exist are null (an empty CSV cell, "" in the result store): the rewiring probability
 * of a non-Watts–Strogatz graph, the degree assortativity of a regular graph (the ring lattice: 0/0, NaN
 * in networkx), σ or ω where their references have no triangles. `structureStudyCsv` writes the rows,
 * `parseStructureStudyCsv` reads them back with every value checked.
 */
import { parseCsv, formatCsv } from "../core/csv";
import type { Row } from "../core/result-store";
import { GATE_LAYOUTS, GRAPH_MAPPINGS, PROPERTY_COLUMNS, STRUCTURE_PROPERTY_COLUMNS, type GateLayout, type GraphMapping, type PropertyName } from "../graph";
import { CELL_MODES, type CellMode } from "../nn/spec";
import { parseDecimal } from "../predict/checks";

export const STUDY_PARTS = ["small_world", "ceiling"] as const;
/** `small_world`: the WS rewiring sweep with BA/ER at matched density; `ceiling`: replicate seeds of the sweep of record's configuration */
export type StudyPart = (typeof STUDY_PARTS)[number];

export const STUDY_FAMILIES = ["watts_strogatz", "barabasi_albert", "erdos_renyi"] as const;
export type StudyFamily = (typeof STUDY_FAMILIES)[number];

const NULLABLE = ["rewiring_p", "small_world_sigma", "small_world_omega", "degree_assortativity"] as const;
type NullableColumn = (typeof NULLABLE)[number];

/** Every column, in file order. */
export const STRUCTURE_STUDY_COLUMNS = [
  "part", "mode", "mapping", "layout", "graph", "rewiring_p", "graph_nr", "replicate", "seed", "parameters",
  ...PROPERTY_COLUMNS, ...STRUCTURE_PROPERTY_COLUMNS, "test_acc", "test_loss", "time", "edge_list",
] as const;
export type StructureStudyColumn = (typeof STRUCTURE_STUDY_COLUMNS)[number];

type Numeric = Exclude<StructureStudyColumn, "part" | "mode" | "mapping" | "layout" | "graph" | "edge_list" | NullableColumn>;

/** One trained model of the structure study. */
export type StructureStudyRow = {
  part: StudyPart;
  mode: CellMode;
  mapping: GraphMapping;
  layout: GateLayout;
  graph: StudyFamily;
  edge_list: string;
} & { [C in Numeric]: number } & { [C in NullableColumn]: number | null };

/** The property columns a row holds (the thesis's and the structure properties). */
export type StudyProperty = PropertyName | (typeof STRUCTURE_PROPERTY_COLUMNS)[number];

/** A row as the result store holds it: null as "". */
export function toStoreRow(row: StructureStudyRow): Row {
  return Object.fromEntries(STRUCTURE_STUDY_COLUMNS.map((c) => [c, row[c] === null ? "" : row[c]])) as Row;
}

const TEXT: Record<string, readonly string[]> = { part: STUDY_PARTS, mode: CELL_MODES, mapping: GRAPH_MAPPINGS, layout: GATE_LAYOUTS, graph: STUDY_FAMILIES };

/** A row from named cells (store values or CSV text), every value checked; `at` names it in errors. */
function typedRow(cell: (column: string) => string | number | boolean | undefined, at: string): StructureStudyRow {
  const row: Record<string, unknown> = {};
  for (const column of STRUCTURE_STUDY_COLUMNS) {
    const raw = cell(column);
    if (raw === undefined) throw new Error(`${at}: column "${column}" is missing`);
    if (column in TEXT) {
      if (!TEXT[column].includes(String(raw))) throw new Error(`${at}: column "${column}" must be one of ${TEXT[column].join(", ")}, got ${JSON.stringify(raw)}`);
      row[column] = String(raw);
    } else if (column === "edge_list") {
      row[column] = String(raw);
    } else if (raw === "" && (NULLABLE as readonly string[]).includes(column)) {
      row[column] = null;
    } else {
      const value = typeof raw === "number" ? raw : parseDecimal(String(raw));
      if (value === undefined || !Number.isFinite(value)) throw new Error(`${at}: column "${column}" must be a finite number${(NULLABLE as readonly string[]).includes(column) ? " or empty" : ""}, got ${JSON.stringify(raw)}`);
      row[column] = value;
    }
  }
  const acc = row.test_acc as number;
  if (!(acc >= 0 && acc <= 1)) throw new Error(`${at}: column "test_acc" is an accuracy and must be in [0, 1], got ${acc}`);
  return row as StructureStudyRow;
}

/** A row read back from the result store ("" as null, every value checked). */
export function fromStoreRow(row: Readonly<Row>, at: string): StructureStudyRow {
  return typedRow((c) => row[c], at);
}

/** The rows as CSV text (STRUCTURE_STUDY_COLUMNS; null as an empty cell; numbers in full). */
export function structureStudyCsv(rows: readonly StructureStudyRow[]): string {
  return formatCsv([STRUCTURE_STUDY_COLUMNS, ...rows.map((r) => STRUCTURE_STUDY_COLUMNS.map((c) => (r[c] === null ? "" : typeof r[c] === "number" ? String(r[c]) : r[c])))]);
}

/** Parse CSV text written by structureStudyCsv; errors name `source`, the line and the column. */
export function parseStructureStudyCsv(text: string, source: string): StructureStudyRow[] {
  const records = parseCsv(text, source);
  if (records.length === 0) throw new Error(`${source}: empty (expected the header ${STRUCTURE_STUDY_COLUMNS.join(",")})`);
  const header = records[0].fields;
  if (header.join(",") !== STRUCTURE_STUDY_COLUMNS.join(",")) throw new Error(`${source}:${records[0].line}: header must be ${STRUCTURE_STUDY_COLUMNS.join(",")}, got ${header.join(",")}`);
  return records.slice(1).map(({ fields, line }) => typedRow((c) => fields[header.indexOf(c)], `${source}:${line}`));
}
