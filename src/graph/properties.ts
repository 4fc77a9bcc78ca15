import { UGraph, isConnected } from "./edges";
import { layerGraph } from "./layering";
import { averageShortestPathLengthOf } from "./metrics";

// ngraph.centrality ships no type declarations; this is the part we use.
type NodeScores = Record<string, number>;
const centrality: {
  degree(g: UGraph): NodeScores;
  closeness(g: UGraph, oriented?: boolean): NodeScores;
  betweenness(g: UGraph, oriented?: boolean): NodeScores;
  eccentricity(g: UGraph, oriented?: boolean): NodeScores;
} = require("ngraph.centrality");

/** The thesis's graph columns, in its CSV order (results/structure/*.csv). */
export const PROPERTY_COLUMNS = [
  "layers", "nodes", "edges", "source_nodes", "sink_nodes", "diameter", "density", "average_shortest_path_length",
  "eccentricity_mean", "eccentricity_var", "eccentricity_std",
  "degree_mean", "degree_var", "degree_std",
  "closeness_mean", "closeness_var", "closeness_std",
  "nodes_betweenness_mean", "nodes_betweenness_var", "nodes_betweenness_std",
  "edge_betweenness_mean", "edge_betweenness_var", "edge_betweenness_std",
] as const;

export type PropertyName = (typeof PROPERTY_COLUMNS)[number];
export type GraphProperties = Record<PropertyName, number>;

/**
 * The thesis's graph properties, with networkx's semantics on the undirected graph:
 * density = edges / (n(n−1)) (the thesis's formula, half the undirected density);
 * degree centrality = degree / (n−1); closeness as networkx's closeness_centrality;
 * node betweenness normalized by (n−1)(n−2) over ordered pairs and edge betweenness by
 * n(n−1) (networkx normalized=True); variance and std are sample statistics (n−1).
 * Plus the layering's `layers`, `source_nodes` (first-layer size) and `sink_nodes`
 * (last-layer size — the thesis's column, not the number of sinks).
 * Like networkx, distances need a connected graph.
 */
export function graphProperties(g: UGraph): GraphProperties {
  const n = g.getNodeCount();
  const m = g.getLinkCount();
  if (n < 3) throw new Error(`graphProperties: need at least 3 nodes, got ${n}`);
  if (!isConnected(g)) throw new Error(`graphProperties: graph (n=${n}, ${m} edges) is not connected; distances are infinite`);
  const layering = layerGraph(g);

  // ngraph.centrality's degree, closeness and eccentricity equal networkx's on connected
  // graphs; its betweenness is networkx's unnormalized undirected value (halved), so
  // scaling by 2/((n−1)(n−2)) gives networkx's normalized one.
  const degree = values(centrality.degree(g), n).map((d) => d / (n - 1));
  const closeness = values(centrality.closeness(g), n);
  const eccentricity = values(centrality.eccentricity(g), n);
  const betweenness = values(centrality.betweenness(g), n).map((b) => (b * 2) / ((n - 1) * (n - 2)));
  const edgeBetweenness = edgeBetweennessCentrality(g);
  const sizes = layering.layers.map((layer) => layer.length);

  return {
    layers: sizes.length,
    nodes: n,
    edges: m,
    source_nodes: sizes[0],
    sink_nodes: sizes[sizes.length - 1],
    diameter: Math.max(...eccentricity),
    density: m / (n * (n - 1)),
    average_shortest_path_length: averageShortestPathLengthOf(adjacency(g)),
    ...summary("eccentricity", eccentricity),
    ...summary("degree", degree),
    ...summary("closeness", closeness),
    ...summary("nodes_betweenness", betweenness),
    ...summary("edge_betweenness", edgeBetweenness),
  } as GraphProperties;
}

function values(scores: NodeScores, n: number): number[] {
  const out = new Array<number>(n);
  for (let v = 0; v < n; v++) out[v] = scores[v];
  return out;
}

/** mean, sample variance and sample standard deviation, as Python's statistics module. */
export function summary(prefix: string, xs: readonly number[]): Record<string, number> {
  const n = xs.length;
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const variance = ss / (n - 1);
  return { [`${prefix}_mean`]: mean, [`${prefix}_var`]: variance, [`${prefix}_std`]: Math.sqrt(variance) };
}

/** Adjacency lists in ngraph's neighbour order. */
function adjacency(g: UGraph): number[][] {
  const n = g.getNodeCount();
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) g.forEachLinkedNode(v, (node) => void adj[v].push(node.id as number));
  return adj;
}

/**
 * Edge betweenness normalized by n(n−1), as networkx's edge_betweenness_centrality.
 * ngraph.centrality has node betweenness only; this is Brandes's algorithm with the
 * dependencies accumulated on edges. One value per edge.
 */
export function edgeBetweennessCentrality(g: UGraph): number[] {
  const adj = adjacency(g);
  const n = adj.length;
  const edgeIndex = new Map<number, number>();
  let count = 0;
  g.forEachLink((link) => void edgeIndex.set(pairKey(link.fromId as number, link.toId as number, n), count++));
  const score = new Float64Array(count);
  const sigma = new Float64Array(n), delta = new Float64Array(n);
  const dist = new Int32Array(n), order = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    dist.fill(-1);
    sigma.fill(0);
    delta.fill(0);
    dist[s] = 0;
    sigma[s] = 1;
    order[0] = s;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const v = order[head];
      for (const w of adj[v]) {
        if (dist[w] < 0) (dist[w] = dist[v] + 1), (order[tail++] = w);
        if (dist[w] === dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    for (let i = tail - 1; i > 0; i--) {
      const w = order[i];
      const coeff = (1 + delta[w]) / sigma[w];
      for (const v of adj[w]) {
        if (dist[v] !== dist[w] - 1) continue;
        const c = sigma[v] * coeff;
        score[edgeIndex.get(pairKey(v, w, n))!] += c;
        delta[v] += c;
      }
    }
  }
  const scale = 1 / (n * (n - 1));
  return Array.from(score, (x) => x * scale);
}

function pairKey(u: number, v: number, n: number): number {
  return u < v ? u * n + v : v * n + u;
}
