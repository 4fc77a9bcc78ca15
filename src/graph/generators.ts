/**
 * Seeded random-graph generators with networkx's semantics, on ngraph.graph.
 *
 * Our PRNG cannot reproduce Python's random stream, so graphs differ from networkx's for
 * the same seed; what matches is the algorithm: given the same sequence of draws
 * (random() floats and choice() indices) each generator builds the very same graph
 * networkx builds. The tests replay draws recorded from networkx to check that, and
 * compare property distributions over many graphs.
 */
import { Rng } from "./rng";
import { UGraph, emptyGraph, addEdge, hasEdge, removeEdge, degree, isConnected } from "./edges";

/**
 * Barabási–Albert as networkx ≤ 2.5 builds it (the version the thesis ran): start from
 * m isolated nodes; node m joins all of them; every later node joins m distinct nodes
 * drawn from `repeated` (each node listed once per incident edge end, i.e. by degree).
 * networkx 2.6+ starts from a star instead, which leaves 1 source node after layering
 * instead of m; hence a port rather than ngraph.generators (which has no BA generator).
 */
export function barabasiAlbert(n: number, m: number, rng: Rng): UGraph {
  if (!Number.isInteger(m) || m < 1 || m >= n) throw new Error(`barabasiAlbert: need 1 ≤ m < n, got n=${n}, m=${m}`);
  const g = emptyGraph(n);
  let targets: number[] = [];
  for (let v = 0; v < m; v++) targets.push(v);
  const repeated: number[] = [];
  for (let source = m; source < n; source++) {
    for (const t of targets) addEdge(g, source, t);
    for (const t of targets) repeated.push(t);
    for (let i = 0; i < m; i++) repeated.push(source);
    targets = randomSubset(repeated, m, rng);
  }
  return g;
}

/** networkx's _random_subset: m distinct elements of seq, drawn with repetition until distinct. */
function randomSubset(seq: readonly number[], m: number, rng: Rng): number[] {
  const chosen: number[] = [];
  while (chosen.length < m) {
    const x = seq[rng.nextInt(seq.length)];
    if (!chosen.includes(x)) chosen.push(x);
  }
  return chosen;
}

/**
 * Watts–Strogatz as networkx's watts_strogatz_graph: a ring lattice joining each node to
 * its ⌊k/2⌋ nearest neighbours on each side, then for each neighbour distance j and each
 * node u in order, with probability p the edge (u, u+j) is replaced by (u, w), w uniform,
 * redrawn while it would make a self-loop or a duplicate edge (skipped when u is already
 * joined to all nodes). Written here because ngraph.generators.wattsStrogatz differs:
 * it tests for duplicates in one link direction only (so it can create multi-edges), checks
 * the full-degree escape before rather than inside the redraw loop, and draws from its
 * own fixed PRNG (ngraph.random) that cannot take our seeded generator.
 */
export function wattsStrogatz(n: number, k: number, p: number, rng: Rng): UGraph {
  if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`wattsStrogatz: need 0 ≤ k ≤ n, got n=${n}, k=${k}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`wattsStrogatz: p must be in [0, 1], got ${p}`);
  if (k === n) return completeGraph(n);
  const g = emptyGraph(n);
  const half = Math.floor(k / 2);
  for (let j = 1; j <= half; j++) for (let u = 0; u < n; u++) addEdge(g, u, (u + j) % n);
  for (let j = 1; j <= half; j++) {
    for (let u = 0; u < n; u++) {
      if (rng.nextFloat() >= p) continue;
      let w = rng.nextInt(n);
      let skip = false;
      while (w === u || hasEdge(g, u, w)) {
        w = rng.nextInt(n);
        if (degree(g, u) >= n - 1) {
          skip = true;
          break;
        }
      }
      if (skip) continue;
      removeEdge(g, u, (u + j) % n);
      addEdge(g, u, w);
    }
  }
  return g;
}

/** Erdős–Rényi G(n, p) as networkx's gnp_random_graph: each pair (u < v), in order, joined with probability p. */
export function erdosRenyi(n: number, p: number, rng: Rng): UGraph {
  if (!(p >= 0 && p <= 1)) throw new Error(`erdosRenyi: p must be in [0, 1], got ${p}`);
  if (p === 1) return completeGraph(n);
  const g = emptyGraph(n);
  if (p === 0) return g;
  for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) if (rng.nextFloat() < p) addEdge(g, u, v);
  return g;
}

export function completeGraph(n: number): UGraph {
  const g = emptyGraph(n);
  for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) addEdge(g, u, v);
  return g;
}

/**
 * Draw graphs until one is connected, as networkx's connected_watts_strogatz_graph does
 * (error after `tries` attempts). `make` draws one graph.
 */
export function connected(make: () => UGraph, tries: number, what = "graph"): UGraph {
  for (let i = 0; i < tries; i++) {
    const g = make();
    if (isConnected(g)) return g;
  }
  throw new Error(`connected: no connected ${what} in ${tries} tries`);
}

/** Connected Watts–Strogatz (networkx's connected_watts_strogatz_graph). */
export function connectedWattsStrogatz(n: number, k: number, p: number, tries: number, rng: Rng): UGraph {
  return connected(() => wattsStrogatz(n, k, p, rng), tries, `Watts–Strogatz graph (n=${n}, k=${k}, p=${p})`);
}

/** Connected Erdős–Rényi G(n, p), redrawn up to `tries` times. */
export function connectedErdosRenyi(n: number, p: number, tries: number, rng: Rng): UGraph {
  return connected(() => erdosRenyi(n, p, rng), tries, `Erdős–Rényi graph (n=${n}, p=${p})`);
}
