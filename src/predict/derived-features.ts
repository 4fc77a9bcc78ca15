/**
 * Features a structure row does not list but its graph determines: the trainable parameter count of the
 * network the graph becomes (model size) and the graph's average clustering (C of You et al. 2020's
 * (C, L) plane; L, the average shortest path length, is already a column). Only rows that carry their
 * graph (edge_list, as this project's sweep writes) have them; the thesis's tables do not.
 */
import { averageClustering, graphFromEdges, graphToSpec, layerEdges, parseEdges, type GateLayout, type GraphMapping } from "../graph";
import { trainableParameters } from "../nn/theta-layout";
import type { CellMode } from "../nn/spec";

export const DERIVED_FEATURES = ["parameters", "average_clustering"] as const;
export type DerivedFeature = (typeof DERIVED_FEATURES)[number];

export interface GraphRow {
  mode: string;
  nodes: number;
  edge_list?: string;
  layout?: string;
}

/**
 * The derived features of a row with an edge list (layered mapping unless told: the thesis's and the
 * sweep's), or undefined when the row has no edge list.
 */
export function derivedFeatures(row: GraphRow, mapping: GraphMapping = "layered"): Record<DerivedFeature, number> | undefined {
  if (row.edge_list === undefined) return undefined;
  const edges = parseEdges(row.edge_list, row.nodes);
  const layout = row.layout as GateLayout | undefined;
  const spec = mapping === "layered"
    ? graphToSpec(layerEdges(row.nodes, edges), { mode: row.mode as CellMode, layout })
    : graphToSpec(graphFromEdges(row.nodes, edges), { mode: row.mode as CellMode, mapping, layout });
  return { parameters: trainableParameters(spec), average_clustering: averageClustering(graphFromEdges(row.nodes, edges)) };
}

/** The rows with their derived features added (rows without an edge list are returned as they are). */
export function withDerivedFeatures<R extends GraphRow>(rows: readonly R[], mapping: GraphMapping = "layered"): Array<R & Partial<Record<DerivedFeature, number>>> {
  return rows.map((row) => ({ ...row, ...derivedFeatures(row, mapping) }));
}
