/**
 * The thesis's feature-set variants (appendix tables), as data.
 * "Without nodes and edges" drops exactly `nodes` and `edges` (the thesis's wording);
 * edit or extend this table to try other subsets.
 */
import { PROPERTY_COLUMNS, type Property } from "./results-table";

export interface FeatureSet {
  name: string;
  label: string;
  features: readonly Property[];
}

const SIZE: readonly Property[] = ["nodes", "edges", "source_nodes", "sink_nodes"];

export const FEATURE_SETS: readonly FeatureSet[] = [
  { name: "all", label: "All properties", features: PROPERTY_COLUMNS },
  { name: "nodes_edges", label: "Only nodes and edges (+ source and sink nodes)", features: SIZE },
  {
    name: "without_nodes_edges",
    label: "Without nodes and edges",
    features: PROPERTY_COLUMNS.filter((p) => p !== "nodes" && p !== "edges"),
  },
  { name: "variances", label: "Only the variances", features: PROPERTY_COLUMNS.filter((p) => p.endsWith("_var")) },
];

export function featureSet(name: string): FeatureSet {
  const found = FEATURE_SETS.find((s) => s.name === name);
  if (!found) throw new Error(`Unknown feature set "${name}"; expected one of: ${FEATURE_SETS.map((s) => s.name).join(", ")}`);
  return found;
}
