import createGraph, { Graph } from "ngraph.graph";

/** An undirected edge as [lower id, higher id]. */
export type Edge = [number, number];

/** Graphs here are ngraph graphs over the integer nodes 0 … n−1, one link per undirected edge. */
export type UGraph = Graph<undefined, undefined>;

/** An empty graph with nodes 0 … n−1. */
export function emptyGraph(n: number): UGraph {
  if (!Number.isInteger(n) || n < 1) throw new Error(`emptyGraph: n must be a positive integer, got ${n}`);
  const g = createGraph<undefined, undefined>();
  for (let v = 0; v < n; v++) g.addNode(v);
  return g;
}

/** ngraph stores every link with a direction; an undirected edge may be stored either way round. */
export function hasEdge(g: UGraph, u: number, v: number): boolean {
  return g.hasLink(u, v) !== undefined || g.hasLink(v, u) !== undefined;
}

export function addEdge(g: UGraph, u: number, v: number): void {
  if (u === v) throw new Error(`addEdge: self-loop at node ${u}`);
  if (!hasEdge(g, u, v)) g.addLink(u, v);
}

export function removeEdge(g: UGraph, u: number, v: number): void {
  const link = g.getLink(u, v) ?? g.getLink(v, u);
  if (!link) throw new Error(`removeEdge: no edge ${u}-${v}`);
  g.removeLink(link);
}

export function degree(g: UGraph, v: number): number {
  return g.getLinks(v)?.size ?? 0;
}

/** The graph's edges as sorted [low, high] pairs. */
export function edgesOf(g: UGraph): Edge[] {
  const edges: Edge[] = [];
  g.forEachLink((link) => {
    const u = link.fromId as number, v = link.toId as number;
    edges.push(u < v ? [u, v] : [v, u]);
  });
  return edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** The graph on nodes 0 … n−1 with these edges; rejects self-loops, duplicates and out-of-range ids. */
export function graphFromEdges(n: number, edges: readonly (readonly number[])[]): UGraph {
  const g = emptyGraph(n);
  edges.forEach(([u, v], i) => {
    if (!Number.isInteger(u) || !Number.isInteger(v) || u < 0 || v < 0 || u >= n || v >= n || u === v) {
      throw new Error(`graphFromEdges: edge ${i} = [${u}, ${v}] is not a pair of distinct nodes in 0…${n - 1}`);
    }
    if (hasEdge(g, u, v)) throw new Error(`graphFromEdges: edge ${i} = [${u}, ${v}] is a duplicate`);
    g.addLink(u, v);
  });
  return g;
}

/** Compact text form for CSV cells: "0-2 1-2 1-3". */
export function formatEdges(edges: readonly Edge[]): string {
  return edges.map(([u, v]) => `${u}-${v}`).join(" ");
}

export function parseEdges(text: string): Edge[] {
  if (text.trim() === "") return [];
  return text.trim().split(/\s+/).map((pair) => {
    const m = /^(\d+)-(\d+)$/.exec(pair);
    if (!m) throw new Error(`parseEdges: "${pair}" is not an edge like "3-7"`);
    const u = Number(m[1]), v = Number(m[2]);
    return u < v ? [u, v] : [v, u];
  });
}

/** Whether every node is reachable from node 0 (breadth-first search). */
export function isConnected(g: UGraph): boolean {
  const n = g.getNodeCount();
  const seen = new Uint8Array(n);
  const queue = [0];
  seen[0] = 1;
  for (let head = 0; head < queue.length; head++) {
    g.forEachLinkedNode(queue[head], (node) => {
      const w = node.id as number;
      if (!seen[w]) {
        seen[w] = 1;
        queue.push(w);
      }
    });
  }
  return queue.length === n;
}
