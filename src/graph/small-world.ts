/**
 * The small-world coefficients σ and ω and their reference graphs, as networkx 2.8.8 computes them
 * (networkx/algorithms/smallworld.py: random_reference, lattice_reference, sigma, omega), on a
 * seeded Rng.
 *
 * - σ = (C / C_r) / (L / L_r) (Humphries & Gurney 2008): C the graph's transitivity (networkx's
 *   sigma uses transitivity, not the average clustering), L its average shortest path length, C_r and
 *   L_r their means over `nrand` random references, each made with `niter` swaps per edge. σ > 1 is
 *   read as small-world.
 * - ω = L_r / L − C / C_l (Telesford et al. 2011): C the average clustering, L_r the mean path length
 *   of `nrand` random references made with 2·niter swaps per edge, C_l the largest average clustering
 *   among the graph itself and `nrand` lattice references (niter swaps per edge). ω near 0 is
 *   small-world, near −1 lattice-like, near 1 random-like.
 * - random reference (Maslov & Sneppen 2002): repeated degree-preserving double-edge swaps
 *   (a–b, c–d → a–d, c–b), each undone if it disconnects a from b; the first node of each edge is
 *   drawn by degree, its neighbour uniformly. The degree sequence is kept exactly.
 * - lattice reference (Sporns & Zwi 2004): the same swaps, made only when networkx's test
 *   D[a,b] + D[c,d] ≥ D[a,c] + D[b,d] holds, D the ring distance between node ids (networkx's default
 *   D, a ring lattice over the node order). Reproduced literally, including that the test compares
 *   a–c/b–d although the swap creates a–d/c–b.
 *
 * How this compares with networkx. The algorithm is reproduced draw for draw: the same sequence of
 * random() floats and choice() indices yields the very same references and the same σ and ω to the
 * last bit — networkx's adjacency order (Python dict insertion order, which a swap changes) is
 * tracked, the degree CDF and its bisection are computed the same way, and the means of the
 * references' metrics sum as numpy's pairwise np.mean does. The tests replay draws recorded from
 * networkx (test/fixtures/graph_small_world.json). What differs is the random stream: networkx draws
 * from Python's Mersenne Twister, we from the project's seeded Rng, so for a given seed our σ and ω are
 * other samples of the same distribution (checked against networkx's spread over many seeds). Both are
 * random quantities: with networkx's defaults the spread over seeds is a few percent for σ and a few
 * hundredths for ω on the project's graph sizes. Other differences, at the edges:
 * - the reference graphs start from the graph's edges sorted ([low, high], ascending), with nodes
 *   0 … n−1: networkx's draws depend on its graph's node and adjacency order, so parity holds for the
 *   networkx graph built with add_nodes_from(range(n)) and then the sorted edges;
 * - a graph with no two disjoint edges (a star, a triangle) has no possible swap: networkx loops
 *   forever, we throw; draws that keep failing for another reason (a broken random source) also throw
 *   after 400·m² + 1000 in a row (each attempt succeeds with probability ≥ 1/(4m²) otherwise);
 * - a uniform draw above the last value of the degree CDF (which rounding can leave just below 1;
 *   networkx raises IndexError there) picks the last node of positive degree;
 * - ω = 0/0 (no triangles in the graph nor in any lattice reference) is NaN; networkx raises
 *   ZeroDivisionError. σ with C_r = 0 is ±Infinity or NaN, as networkx's numpy division gives.
 */
import { Edge, UGraph, edgesOf, graphFromEdges, isConnected } from "./edges";
import { Rng } from "./rng";
import { adjacencyLists, averageClusteringOf, averageShortestPathLengthOf, transitivityOf } from "./metrics";

export interface ReferenceOptions {
  /** swaps per edge (approximately: niter·m rounds of up to ⌊2m/(n−1)⌋ attempts); networkx's defaults 1 (random) and 5 (lattice) */
  niter?: number;
  /** undo swaps that disconnect the graph (default true, as networkx) */
  connectivity?: boolean;
}

export interface SmallWorldOptions {
  /** swaps per edge of the references (σ: default 100; ω: default 5, random references 2·niter) */
  niter?: number;
  /** number of references (default 10) */
  nrand?: number;
}

/** A simple graph whose neighbour lists keep networkx's (Python dict) insertion order. */
class OrderedGraph {
  readonly adj: number[][];

  constructor(n: number, edges: readonly Edge[]) {
    this.adj = Array.from({ length: n }, () => []);
    for (const [u, v] of edges) this.add(u, v);
  }

  has(u: number, v: number): boolean {
    return this.adj[u].includes(v);
  }

  /** G.add_edge(u, v) for a new edge: v goes last among u's neighbours, u last among v's. */
  add(u: number, v: number): void {
    this.adj[u].push(v);
    this.adj[v].push(u);
  }

  /** G.remove_edge(u, v): the others keep their order. */
  remove(u: number, v: number): void {
    this.adj[u].splice(this.adj[u].indexOf(v), 1);
    this.adj[v].splice(this.adj[v].indexOf(u), 1);
  }

  /** Whether b is reachable from a (networkx: local_edge_connectivity(G, a, b) > 0). */
  reaches(a: number, b: number, seen: Int32Array, queue: Int32Array, stamp: number): boolean {
    seen[a] = stamp;
    queue[0] = a;
    for (let head = 0, tail = 1; head < tail; head++) {
      for (const w of this.adj[queue[head]]) {
        if (w === b) return true;
        if (seen[w] !== stamp) (seen[w] = stamp), (queue[tail++] = w);
      }
    }
    return false;
  }

  edges(): Edge[] {
    const out: Edge[] = [];
    this.adj.forEach((nbrs, u) => nbrs.forEach((v) => void (u < v && out.push([u, v]))));
    return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  }
}

/** networkx's cumulative_distribution(degrees): [0, d₀/Σ, d₀/Σ + d₁/Σ, …], summed left to right. */
function cumulativeDistribution(degrees: readonly number[]): number[] {
  let total = 0;
  for (const d of degrees) total += d;
  const cdf = [0];
  for (let i = 0; i < degrees.length; i++) cdf.push(cdf[i] + degrees[i] / total);
  return cdf;
}

/** One index of networkx's discrete_sequence(…, cdistribution=cdf): bisect_left(cdf, random()) − 1. */
function drawByDegree(cdf: readonly number[], degrees: readonly number[], rng: Rng): number {
  const s = rng.nextFloat();
  let lo = 0, hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  const n = degrees.length;
  let i = lo - 1;
  if (i < 0) i += n; // s = 0: Python's keys[-1], the last node
  if (i >= n) { // s above the rounded cdf's last value: networkx raises IndexError
    i = n - 1;
    while (i > 0 && degrees[i] === 0) i--;
  }
  return i;
}

/** Throws unless two edges share no node (else no double-edge swap exists and networkx loops forever). */
function checkSwappable(edges: readonly Edge[], who: string): void {
  if (edges.length >= 2) {
    const [u, v] = edges[0];
    if (edges.some(([x, y]) => x !== u && x !== v && y !== u && y !== v)) return;
    // every edge touches u or v: a disjoint pair is (u, x), (v, y) with x ≠ y
    const fromU = new Set<number>(), fromV = new Set<number>();
    for (const [x, y] of edges) {
      const [end, other] = x === u || y === u ? [u, x === u ? y : x] : [v, x === v ? y : x];
      if (other === u || other === v) continue;
      (end === u ? fromU : fromV).add(other);
    }
    for (const x of fromU) for (const y of fromV) if (x !== y) return;
  }
  throw new Error(`${who}: no two edges of the graph are disjoint (a star or a triangle, ${edges.length} edges), so no double-edge swap is possible (networkx would loop forever)`);
}

function checkCount(value: unknown, name: string, min: number, who: string): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new Error(`${who}: ${name} must be an integer ≥ ${min}, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
  }
}

function checkRng(rng: unknown, who: string): void {
  const r = rng as Partial<Rng> | null;
  if (r === null || typeof r !== "object" || typeof r.nextFloat !== "function" || typeof r.nextInt !== "function") {
    throw new Error(`${who}: rng must have nextFloat() and nextInt(n) (e.g. new Random(seed)), got ${r === null ? "null" : typeof r}`);
  }
}

/**
 * networkx's random_reference / lattice_reference loop on the graph (n, edges), edges in networkx's
 * insertion order. `lattice` adds the ring-distance test.
 */
function rewire(n: number, edges: readonly Edge[], rng: Rng, niter: number, connectivity: boolean, lattice: boolean, who: string): OrderedGraph {
  if (n < 4) throw new Error(`${who}: graph has less than four nodes (n=${n})`);
  const g = new OrderedGraph(n, edges);
  const degrees = g.adj.map((nbrs) => nbrs.length);
  const cdf = cumulativeDistribution(degrees);
  const m = edges.length;
  const rounds = niter * m;
  // networkx: int(nnodes * nedges / (nnodes * (nnodes - 1) / 2)), the same float operations
  const attempts = Math.trunc((n * m) / ((n * (n - 1)) / 2));
  if (rounds === 0 || attempts === 0) return g;
  checkSwappable(edges, who);
  const bound = 400 * m * m + 1000;
  const ring = (x: number, y: number): number => Math.min(Math.abs(x - y), n - Math.abs(x - y));
  const seen = new Int32Array(n), queue = new Int32Array(n);
  let stamp = 0;
  for (let round = 0; round < rounds; round++) {
    let tries = 0, idle = 0;
    while (tries < attempts) {
      if (++idle > bound) throw new Error(`${who}: ${bound} draws in a row found no two disjoint edges; is the random source broken?`);
      const a = drawByDegree(cdf, degrees, rng);
      const c = drawByDegree(cdf, degrees, rng);
      if (a === c) continue;
      const b = g.adj[a][rng.nextInt(g.adj[a].length)];
      const d = g.adj[c][rng.nextInt(g.adj[c].length)];
      if (b === a || b === c || b === d || d === a || d === c) continue;
      idle = 0;
      if (!g.has(a, d) && !g.has(c, b) && (!lattice || ring(a, b) + ring(c, d) >= ring(a, c) + ring(b, d))) {
        g.add(a, d);
        g.add(c, b);
        g.remove(a, b);
        g.remove(c, d);
        if (connectivity && !g.reaches(a, b, seen, queue, ++stamp)) {
          g.remove(a, d);
          g.remove(c, b);
          g.add(a, b);
          g.add(c, d);
        } else {
          break;
        }
      }
      tries++;
    }
  }
  return g;
}

/**
 * numpy's np.mean of a float64 vector: its pairwise sum (blocks of 8 partial sums up to 128 values,
 * halves beyond), divided by the count — so means of references match networkx's bit for bit.
 */
export function numpyMean(xs: readonly number[]): number {
  return pairwiseSum(xs, 0, xs.length) / xs.length;
}

function pairwiseSum(a: readonly number[], start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = a.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

function referenceOf(g: UGraph, rng: Rng, options: ReferenceOptions, lattice: boolean, who: string): UGraph {
  checkRng(rng, who);
  const { niter = lattice ? 5 : 1, connectivity = true } = options;
  checkCount(niter, "niter", 0, who);
  const n = g.getNodeCount();
  return graphFromEdges(n, rewire(n, edgesOf(g), rng, niter, connectivity, lattice, who).edges());
}

/**
 * A random reference of g (networkx's random_reference(G, niter, connectivity)): the same degrees,
 * edges shuffled by about niter swaps per edge. n ≥ 4. See the module comment for networkx parity.
 */
export function randomReference(g: UGraph, rng: Rng, options: ReferenceOptions = {}): UGraph {
  return referenceOf(g, rng, options, false, "randomReference");
}

/** A lattice reference of g (networkx's lattice_reference(G, niter, connectivity=…), default D): swaps towards the ring. */
export function latticeReference(g: UGraph, rng: Rng, options: ReferenceOptions = {}): UGraph {
  return referenceOf(g, rng, options, true, "latticeReference");
}

function checkSmallWorld(g: UGraph, rng: Rng, options: SmallWorldOptions, niterDefault: number, who: string): { niter: number; nrand: number; n: number; edges: Edge[] } {
  const { niter = niterDefault, nrand = 10 } = options;
  checkCount(niter, "niter", 0, who);
  checkCount(nrand, "nrand", 1, who);
  checkRng(rng, who);
  const n = g.getNodeCount();
  if (n < 4) throw new Error(`${who}: graph has less than four nodes (n=${n})`);
  if (!isConnected(g)) throw new Error(`${who}: graph (n=${n}, ${g.getLinkCount()} edges) is not connected; path lengths are infinite`);
  return { niter, nrand, n, edges: edgesOf(g) };
}

/**
 * Small-world coefficient σ = (C/C_r)/(L/L_r), networkx's sigma(G, niter=100, nrand=10): C the
 * transitivity, L the average shortest path length, C_r and L_r their means over nrand random
 * references of niter swaps per edge. Connected graphs with n ≥ 4. Seeded by `rng`; see the module
 * comment for how it compares with networkx.
 */
export function smallWorldSigma(g: UGraph, rng: Rng, options: SmallWorldOptions = {}): number {
  const who = "smallWorldSigma";
  const { niter, nrand, n, edges } = checkSmallWorld(g, rng, options, 100, who);
  const cs: number[] = [], ls: number[] = [];
  for (let i = 0; i < nrand; i++) {
    const reference = rewire(n, edges, rng, niter, true, false, who);
    cs.push(transitivityOf(reference.adj));
    ls.push(averageShortestPathLengthOf(reference.adj));
  }
  const adj = adjacencyLists(g);
  const c = transitivityOf(adj), l = averageShortestPathLengthOf(adj);
  return c / numpyMean(cs) / (l / numpyMean(ls));
}

/**
 * Small-world coefficient ω = L_r/L − C/C_l, networkx's omega(G, niter=5, nrand=10): L_r the mean
 * path length of nrand random references (2·niter swaps per edge), C the average clustering, C_l the
 * largest average clustering of the graph and nrand lattice references (niter swaps per edge), the
 * references drawn alternately (random, lattice, random, …) as networkx does. Connected graphs with
 * n ≥ 4. Seeded by `rng`; see the module comment for how it compares with networkx.
 */
export function smallWorldOmega(g: UGraph, rng: Rng, options: SmallWorldOptions = {}): number {
  const who = "smallWorldOmega";
  const { niter, nrand, n, edges } = checkSmallWorld(g, rng, options, 5, who);
  const adj = adjacencyLists(g);
  const c = averageClusteringOf(adj);
  let cl = c;
  const ls: number[] = [];
  for (let i = 0; i < nrand; i++) {
    ls.push(averageShortestPathLengthOf(rewire(n, edges, rng, 2 * niter, true, false, who).adj));
    const clustering = averageClusteringOf(rewire(n, edges, rng, niter, true, true, who).adj);
    if (clustering > cl) cl = clustering;
  }
  return numpyMean(ls) / averageShortestPathLengthOf(adj) - c / cl;
}
