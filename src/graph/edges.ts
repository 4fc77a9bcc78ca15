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

/** Throws unless n is a positive integer (a node count); `who` starts the message. */
export function checkNodeCount(n: unknown, who: string): asserts n is number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) throw new Error(`${who}: n (the node count) must be a positive integer, got ${show(n)}`);
}

/**
 * Throws unless `edges` is a list of undirected edges [u, v] of a simple graph: u and v non-negative
 * safe integers, below n when n is given, u ≠ v (no self-loops), and no edge twice in either
 * orientation ([1, 2] and [2, 1] are the same edge). Errors name `who`, the edge's index and value.
 */
export function checkEdges(edges: readonly (readonly number[])[], n: number | undefined, who: string): void {
  if (!Array.isArray(edges)) throw new Error(`${who}: edges must be an array of [u, v] pairs, got ${show(edges)}`);
  const seen = new Map<string, number>();
  edges.forEach((edge, i) => {
    if (!Array.isArray(edge) || edge.length !== 2) throw new Error(`${who}: edge ${i} must be a pair [u, v], got ${show(edge)}`);
    const [u, v] = edge;
    for (const id of [u, v]) {
      if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) {
        throw new Error(`${who}: edge ${i} = [${show(u)}, ${show(v)}]: node id ${show(id)} is not a non-negative integer`);
      }
      if (n !== undefined && id >= n) throw new Error(`${who}: edge [${u}, ${v}] names node ${id} but the graph has ${n} nodes (ids 0…${n - 1})`);
    }
    if (u === v) throw new Error(`${who}: edge ${i} = [${u}, ${v}] is a self-loop at node ${u}`);
    const key = u < v ? `${u}-${v}` : `${v}-${u}`;
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${who}: edge ${i} = [${u}, ${v}] duplicates edge ${first} = [${edges[first][0]}, ${edges[first][1]}] (edges are undirected)`);
    seen.set(key, i);
  });
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (value === null || typeof value !== "object") return String(value);
  return "an object";
}

/** The graph on nodes 0 … n−1 with these edges; rejects self-loops, duplicates and out-of-range ids. */
export function graphFromEdges(n: number, edges: readonly (readonly number[])[]): UGraph {
  checkNodeCount(n, "graphFromEdges");
  checkEdges(edges, n, "graphFromEdges");
  const g = emptyGraph(n);
  for (const [u, v] of edges) g.addLink(u, v);
  return g;
}

/** Compact text form for CSV cells: "0-2 1-2 1-3". */
export function formatEdges(edges: readonly Edge[]): string {
  return edges.map(([u, v]) => `${u}-${v}`).join(" ");
}

/**
 * Parse formatEdges' text: whitespace-separated "u-v" pairs of non-negative decimal integers. Rejects
 * anything else (negative or fractional ids, other separators), self-loops, duplicate edges in either
 * orientation, and — when the node count `n` is given — ids ≥ n. Errors quote the pair and its position.
 */
export function parseEdges(text: string, n?: number): Edge[] {
  if (typeof text !== "string") throw new Error(`parseEdges: expected a string like "0-2 1-2", got ${show(text)}`);
  if (n !== undefined) checkNodeCount(n, "parseEdges");
  if (text.trim() === "") return [];
  const pairs = text.trim().split(/\s+/);
  const edges = pairs.map((pair, i): Edge => {
    const m = /^(\d+)-(\d+)$/.exec(pair);
    if (!m) throw new Error(`parseEdges: "${pair}" (pair ${i + 1} of ${pairs.length}) is not an edge like "3-7" (two non-negative integer node ids)`);
    const u = Number(m[1]), v = Number(m[2]);
    if (!Number.isSafeInteger(u) || !Number.isSafeInteger(v)) throw new Error(`parseEdges: "${pair}" (pair ${i + 1} of ${pairs.length}) has a node id too large`);
    if (u === v) throw new Error(`parseEdges: "${pair}" (pair ${i + 1} of ${pairs.length}) is a self-loop at node ${u}`);
    if (n !== undefined && Math.max(u, v) >= n) {
      throw new Error(`parseEdges: "${pair}" (pair ${i + 1} of ${pairs.length}) names node ${Math.max(u, v)} but the graph has ${n} nodes (ids 0…${n - 1})`);
    }
    return u < v ? [u, v] : [v, u];
  });
  const seen = new Map<string, number>();
  edges.forEach(([u, v], i) => {
    const first = seen.get(`${u}-${v}`);
    if (first !== undefined) throw new Error(`parseEdges: "${pairs[i]}" (pair ${i + 1} of ${pairs.length}) repeats "${pairs[first]}" (pair ${first + 1}; edges are undirected)`);
    seen.set(`${u}-${v}`, i);
  });
  return edges;
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
