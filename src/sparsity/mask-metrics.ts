/**
 * Graph metrics of a network's masks: its unit graph (unit-graph.ts) measured with the project's graph
 * properties — the thesis's (src/graph/properties.ts) and the structure set with the small-world
 * coefficients σ and ω (src/graph/structure.ts, small-world.ts) — plus the degree distribution of its
 * connections and how heavy its tail is (degree-tail.ts).
 *
 * A sparse mask's unit graph is often not connected (isolated units at 2 % density), and path lengths,
 * closeness and σ/ω need a connected graph, so the properties are those of the **largest connected
 * component** ("giant_…" columns; ties: the component holding the lowest node), with its size and the
 * number of components beside them (largest_component, components). A property that is undefined there — a component of fewer than
 * three nodes, σ/ω on one with no two disjoint edges (a star, a triangle: no swap exists for their
 * reference graphs), an assortativity of a regular graph, σ with a triangle-free reference — is blank ("").
 */
import { Random } from "../core/random";
import { graphFromEdges, type Edge } from "../graph/edges";
import { PROPERTY_COLUMNS, graphProperties, type PropertyName } from "../graph/properties";
import { STRUCTURE_PROPERTY_COLUMNS, extendedGraphProperties, type StructurePropertyName } from "../graph/structure";
import type { SmallWorldOptions } from "../graph/small-world";
import type { Network } from "../nn/network";
import { degreeTail, formatDegreeHistogram } from "./degree-tail";
import { unitGraph } from "./unit-graph";

export type GiantColumn = `giant_${PropertyName | StructurePropertyName}`;
export const GIANT_COLUMNS: readonly GiantColumn[] = [...PROPERTY_COLUMNS, ...STRUCTURE_PROPERTY_COLUMNS].map((p) => `giant_${p}` as GiantColumn);

/** The degree columns: the connections' heavy-tail statistics and their histogram. */
export const DEGREE_COLUMNS = ["degree_cv", "degree_max_ratio", "degree_histogram"] as const;
export type DegreeColumns = { degree_cv: number; degree_max_ratio: number; degree_histogram: string };

export const MASK_GRAPH_COLUMNS = ["unit_nodes", "unit_edges", "components", "largest_component", ...GIANT_COLUMNS, ...DEGREE_COLUMNS] as const;

/** unit_nodes / unit_edges: the whole unit graph; components and the largest one's node count (its properties: giant_…) */
export type MaskGraphMetrics = { unit_nodes: number; unit_edges: number; components: number; largest_component: number }
  & Record<GiantColumn, number | "">
  & DegreeColumns;

export interface MaskMetricsOptions {
  /** the references of σ and ω (their defaults, 100 swaps per edge × 10 references for σ, are slow on hundreds of edges) */
  smallWorld: SmallWorldOptions;
  /** σ and ω's references are random: this seeds them */
  seed: number;
}

/** The heavy-tail statistics and histogram of the network's connections per unit. */
export function degreeColumns(net: Network): DegreeColumns {
  const { connections } = unitGraph(net);
  const tail = degreeTail(connections);
  return { degree_cv: tail.cv, degree_max_ratio: tail.maxRatio, degree_histogram: formatDegreeHistogram(connections) };
}

/** Node lists of the connected components, each ascending, in order of their lowest node. */
export function connectedComponents(nodes: number, edges: readonly Edge[]): number[][] {
  const adjacency: number[][] = Array.from({ length: nodes }, () => []);
  for (const [u, v] of edges) { adjacency[u].push(v); adjacency[v].push(u); }
  const seen = new Uint8Array(nodes);
  const components: number[][] = [];
  for (let s = 0; s < nodes; s++) {
    if (seen[s]) continue;
    const component = [s];
    seen[s] = 1;
    for (let head = 0; head < component.length; head++) {
      for (const w of adjacency[component[head]]) if (!seen[w]) { seen[w] = 1; component.push(w); }
    }
    components.push(component.sort((a, b) => a - b));
  }
  return components;
}

/**
 * Whether some two edges of a connected graph on `nodes` ≥ 4 nodes share no node. Edges that pairwise
 * meet form a star or a triangle, and a triangle has three nodes: so here, unless one node is on every edge.
 */
function hasTwoDisjointEdges(nodes: number, edges: readonly Edge[]): boolean {
  const degree = new Int32Array(nodes);
  for (const [u, v] of edges) { degree[u]++; degree[v]++; }
  return !degree.some((d) => d === edges.length);
}

const finiteOrBlank = (x: number): number | "" => (Number.isFinite(x) ? x : "");

/** Every graph column of the network's masks (see the file comment). Deterministic given `options.seed`. */
export function maskGraphMetrics(net: Network, options: MaskMetricsOptions): MaskGraphMetrics {
  const graph = unitGraph(net);
  const components = connectedComponents(graph.nodes, graph.edges);
  const giant = components.reduce((best, c) => (c.length > best.length ? c : best), components[0]);
  const index = new Map(giant.map((node, i) => [node, i]));
  const giantEdges = graph.edges.filter(([u]) => index.has(u)).map(([u, v]): Edge => [index.get(u)!, index.get(v)!]);
  const giantColumns = Object.fromEntries(GIANT_COLUMNS.map((c) => [c, ""])) as Record<GiantColumn, number | "">;
  if (giant.length >= 3) {
    const g = graphFromEdges(giant.length, giantEdges);
    const thesis = graphProperties(g);
    for (const p of PROPERTY_COLUMNS) giantColumns[`giant_${p}`] = finiteOrBlank(thesis[p]);
    if (giant.length >= 4 && hasTwoDisjointEdges(giant.length, giantEdges)) {
      const more = extendedGraphProperties(g, new Random(options.seed), { sigma: options.smallWorld, omega: options.smallWorld });
      for (const p of STRUCTURE_PROPERTY_COLUMNS) giantColumns[`giant_${p}`] = finiteOrBlank(more[p]);
    }
  }
  const tail = degreeTail(graph.connections);
  return {
    unit_nodes: graph.nodes, unit_edges: graph.edges.length, components: components.length, largest_component: giant.length,
    ...giantColumns,
    degree_cv: tail.cv, degree_max_ratio: tail.maxRatio, degree_histogram: formatDegreeHistogram(graph.connections),
  };
}
