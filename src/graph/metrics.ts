/**
 * Graph metrics with networkx 2.8.8's definitions, on neighbour lists (so the small-world references
 * can evaluate their rewired graphs without building ngraph graphs) and on ngraph graphs. Used by
 * properties.ts (the thesis's average_shortest_path_length), structure.ts (the structure property
 * columns) and small-world.ts (σ, ω).
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { UGraph } from "./edges";

/** Neighbour lists of nodes 0 … n−1 (order irrelevant to every function here). */
export function adjacencyLists(g: UGraph): number[][] {
  const n = g.getNodeCount();
  const adj: number[][] = Array.from({ length: n }, () => []);
  g.forEachLink((link) => {
    const u = link.fromId as number, v = link.toId as number;
    adj[u].push(v);
    adj[v].push(u);
  });
  return adj;
}

/**
 * Twice the number of triangles through each node (networkx's `t` in _triangles_and_degree_iter:
 * for each neighbour w of v, the neighbours of w that are neighbours of v).
 */
export function triangleCounts2(adj: readonly (readonly number[])[]): Int32Array {
  const n = adj.length;
  const mark = new Int32Array(n).fill(-1);
  const t = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    for (const w of adj[v]) mark[w] = v;
    let count = 0;
    for (const w of adj[v]) for (const x of adj[w]) if (mark[x] === v) count++;
    t[v] = count;
  }
  return t;
}

/** Number of triangles (3-cycles) of the graph: networkx's sum(triangles(G).values()) // 3. */
export function triangleCount(g: UGraph): number {
  return trianglesOf(adjacencyLists(g));
}

export function trianglesOf(adj: readonly (readonly number[])[]): number {
  let total = 0;
  for (const t of triangleCounts2(adj)) total += t;
  return total / 6;
}

/** Local clustering of each node, networkx's clustering(G): 2T(v) / (d(d−1)), 0 when no triangle. */
export function clusteringOf(adj: readonly (readonly number[])[]): number[] {
  const t = triangleCounts2(adj);
  return adj.map((nbrs, v) => (t[v] === 0 ? 0 : t[v] / (nbrs.length * (nbrs.length - 1))));
}

/** Average clustering, networkx's average_clustering(G) (count_zeros=True; summed in node order). */
export function averageClusteringOf(adj: readonly (readonly number[])[]): number {
  const c = clusteringOf(adj);
  let sum = 0;
  for (const x of c) sum += x;
  return sum / c.length;
}

export function averageClustering(g: UGraph): number {
  return averageClusteringOf(adjacencyLists(g));
}

/** Transitivity, networkx's transitivity(G): 3·triangles / triads (connected triples); 0 without triangles. */
export function transitivityOf(adj: readonly (readonly number[])[]): number {
  if (adj.length === 0) return 0;
  const t = triangleCounts2(adj);
  let triangles = 0, contri = 0;
  adj.forEach((nbrs, v) => {
    triangles += t[v];
    contri += nbrs.length * (nbrs.length - 1);
  });
  return triangles === 0 ? 0 : triangles / contri;
}

export function transitivity(g: UGraph): number {
  return transitivityOf(adjacencyLists(g));
}

/**
 * Degree assortativity, networkx's degree_assortativity_coefficient(G): the Pearson correlation of
 * the degrees at the two ends of an edge, over both orientations of every edge. Computed centred
 * (Σ over edge ends of (d_u − μ)(d_v − μ) over Σ of (d_u − μ)²) rather than from networkx's
 * degree-mixing matrix; equal to it within rounding (≤ 1e-12 absolute on the fixtures). NaN when
 * every edge end has the same degree (a regular graph) or there are no edges: networkx returns nan
 * there too (0/0, with a RuntimeWarning).
 */
export function degreeAssortativityOf(adj: readonly (readonly number[])[]): number {
  let ends = 0, sum = 0;
  for (const nbrs of adj) {
    ends += nbrs.length;
    sum += nbrs.length * nbrs.length; // each node is the end of d edges, each with degree d
  }
  if (ends === 0) return NaN;
  const mu = sum / ends;
  let variance = 0, covariance = 0;
  adj.forEach((nbrs, u) => {
    const du = nbrs.length - mu;
    variance += nbrs.length * du * du;
    for (const v of nbrs) covariance += du * (adj[v].length - mu);
  });
  return variance === 0 ? NaN : covariance / variance;
}

export function degreeAssortativity(g: UGraph): number {
  return degreeAssortativityOf(adjacencyLists(g));
}

/**
 * Spectral radius of the adjacency matrix: its largest eigenvalue in absolute value — for the
 * symmetric non-negative adjacency matrix, its largest eigenvalue (Perron–Frobenius). ml-matrix's
 * symmetric eigendecomposition (Householder tridiagonalization + QL); networkx has no single function,
 * the fixtures use max |numpy.linalg.eigvalsh(nx.to_numpy_array(G))|, equal to max |nx.adjacency_spectrum(G)|.
 * 0 for a graph without edges.
 */
export function spectralRadiusOf(adj: readonly (readonly number[])[]): number {
  const n = adj.length;
  const a = Matrix.zeros(n, n);
  let edges = 0;
  adj.forEach((nbrs, u) => nbrs.forEach((v) => (a.set(u, v, 1), edges++)));
  if (edges === 0) return 0;
  const evd = new EigenvalueDecomposition(a, { assumeSymmetric: true });
  let radius = 0;
  for (const x of evd.realEigenvalues) radius = Math.max(radius, Math.abs(x));
  return radius;
}

export function spectralRadius(g: UGraph): number {
  return spectralRadiusOf(adjacencyLists(g));
}

/**
 * Average shortest-path length over ordered pairs of distinct nodes, networkx's
 * average_shortest_path_length(G) (an exact integer sum over breadth-first searches, divided by
 * n(n−1)); Infinity when the graph is not connected (networkx raises).
 */
export function averageShortestPathLengthOf(adj: readonly (readonly number[])[]): number {
  const n = adj.length;
  const dist = new Int32Array(n);
  const queue = new Int32Array(n);
  let total = 0;
  for (let s = 0; s < n; s++) {
    dist.fill(-1);
    dist[s] = 0;
    queue[0] = s;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const v = queue[head];
      total += dist[v];
      for (const w of adj[v]) if (dist[w] < 0) (dist[w] = dist[v] + 1), (queue[tail++] = w);
    }
    if (tail < n) return Infinity;
  }
  return total / (n * (n - 1));
}
