import { Edge, UGraph, checkEdges, checkNodeCount, edgesOf } from "./edges";

/**
 * A graph read as a layered DAG, the thesis's way: each edge points from the lower node
 * id to the higher (so the result is acyclic), and a node's layer is the length of the
 * longest directed path ending at it (0 for sources).
 */
export interface Layering {
  /** layer index of each node */
  layerOf: Int32Array;
  /** node ids of each layer, ascending; layers[l][i] is unit i of network layer l */
  layers: number[][];
  /** position of each node within its layer */
  indexInLayer: Int32Array;
  /** directed edges [from, to] with from < to */
  edges: Edge[];
  /** layer pairs (s, t), t − s ≥ 2, joined by at least one edge; sorted */
  skips: Array<[number, number]>;
}

export function layerGraph(g: UGraph): Layering {
  return layerEdges(g.getNodeCount(), edgesOf(g));
}

/**
 * Layering of the graph on nodes 0 … n−1 with these undirected edges. The edges must form a simple
 * graph (checked first, as graphFromEdges does): ids integers in 0…n−1, no self-loops (which would
 * add a phantom layer), no edge twice in either orientation.
 */
export function layerEdges(n: number, undirected: readonly Edge[]): Layering {
  checkNodeCount(n, "layerEdges");
  checkEdges(undirected, n, "layerEdges");
  const edges: Edge[] = undirected
    .map(([u, v]): Edge => (u < v ? [u, v] : [v, u]))
    .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  // ids ascending are a topological order, so one pass over edges sorted by head suffices
  const layerOf = new Int32Array(n);
  for (const [u, v] of edges) {
    if (layerOf[u] + 1 > layerOf[v]) layerOf[v] = layerOf[u] + 1;
  }
  let count = 0;
  for (let v = 0; v < n; v++) count = Math.max(count, layerOf[v] + 1);
  const layers: number[][] = Array.from({ length: count }, () => []);
  const indexInLayer = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    indexInLayer[v] = layers[layerOf[v]].length;
    layers[layerOf[v]].push(v);
  }
  const skipKeys = new Set<number>();
  for (const [u, v] of edges) if (layerOf[v] - layerOf[u] >= 2) skipKeys.add(layerOf[u] * count + layerOf[v]);
  const skips = [...skipKeys].sort((a, b) => a - b).map((key): [number, number] => [Math.floor(key / count), key % count]);
  return { layerOf, layers, indexInLayer, edges: edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]), skips };
}
