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
 * Largest node count the generators accept. The thesis's graphs have 10–50 nodes (each node is an RNN
 * unit); 10,000 keeps every generator within seconds (G(n, p) makes n(n−1)/2 draws, a complete graph
 * has that many edges) and turns a mistyped n into an error instead of a run that never ends.
 */
export const MAX_GRAPH_NODES = 10_000;

/**
 * Draws one rejection loop may make before giving up (per redraw loop in Watts–Strogatz, per chosen
 * target in Barabási–Albert). Each draw succeeds with probability ≥ 1/n for a working random source,
 * so a valid call exceeds this with probability < e^−100; reaching it means the source is broken
 * (e.g. a constant or NaN stream).
 */
function drawBound(n: number): number {
  return 100 * n + 1000;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function checkN(n: unknown, who: string): asserts n is number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || n > MAX_GRAPH_NODES) {
    throw new Error(`${who}: n must be an integer in 1…${MAX_GRAPH_NODES}, got ${show(n)}`);
  }
}

function checkP(p: unknown, who: string): asserts p is number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new Error(`${who}: p must be a probability in [0, 1], got ${show(p)}`);
}

function checkRng(rng: unknown, who: string): void {
  const r = rng as Partial<Rng> | null;
  if (r === null || typeof r !== "object" || typeof r.nextFloat !== "function" || typeof r.nextInt !== "function") {
    throw new Error(`${who}: rng must have nextFloat() and nextInt(n) (e.g. new Random(seed)), got ${r === null ? "null" : typeof r}`);
  }
}

/** Throws unless `tries` is a positive integer (Infinity refused: every retry loop ends). */
function checkTries(tries: unknown, who: string): asserts tries is number {
  if (typeof tries !== "number" || !Number.isSafeInteger(tries) || tries < 1) {
    throw new Error(`${who}: tries must be a positive finite integer, got ${show(tries)}`);
  }
}

/**
 * Barabási–Albert as networkx ≤ 2.5 builds it (the version the thesis ran): start from
 * m isolated nodes; node m joins all of them; every later node joins m distinct nodes
 * drawn from `repeated` (each node listed once per incident edge end, i.e. by degree).
 * networkx 2.6+ starts from a star instead, which leaves 1 source node after layering
 * instead of m; hence a port rather than ngraph.generators (which has no BA generator).
 */
export function barabasiAlbert(n: number, m: number, rng: Rng): UGraph {
  checkN(n, "barabasiAlbert");
  if (typeof m !== "number" || !Number.isInteger(m) || m < 1 || m >= n) {
    // networkx: "Barabási–Albert network must have m >= 1 and m < n"
    throw new Error(`barabasiAlbert: Barabási–Albert network must have m >= 1 and m < n (m an integer), got n=${n}, m=${show(m)}`);
  }
  checkRng(rng, "barabasiAlbert");
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
  const bound = drawBound(seq.length);
  let draws = 0;
  while (chosen.length < m) {
    if (++draws > bound) {
      throw new Error(`barabasiAlbert: drew ${bound} times without finding ${m} distinct targets (${chosen.length} so far); is the random source broken?`);
    }
    const x = seq[rng.nextInt(seq.length)];
    if (!chosen.includes(x)) {
      chosen.push(x);
      draws = 0;
    }
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
  checkN(n, "wattsStrogatz");
  // networkx: k > n raises "k>n, choose smaller k or larger n"; k = n is the complete graph; an odd k
  // joins ⌊k/2⌋ neighbours on each side (networkx's k // 2), so odd k is accepted as networkx does.
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > n) {
    throw new Error(`wattsStrogatz: need an integer k with 0 ≤ k ≤ n (networkx: "k>n, choose smaller k or larger n"), got n=${n}, k=${show(k)}`);
  }
  checkP(p, "wattsStrogatz");
  checkRng(rng, "wattsStrogatz");
  if (k === n) return completeGraph(n);
  const g = emptyGraph(n);
  const half = Math.floor(k / 2);
  for (let j = 1; j <= half; j++) for (let u = 0; u < n; u++) addEdge(g, u, (u + j) % n);
  for (let j = 1; j <= half; j++) {
    for (let u = 0; u < n; u++) {
      if (rng.nextFloat() >= p) continue;
      let w = rng.nextInt(n);
      let skip = false;
      let draws = 0;
      while (w === u || hasEdge(g, u, w)) {
        if (++draws > drawBound(n)) throw new Error(`wattsStrogatz: no node to rewire node ${u} to in ${drawBound(n)} draws; is the random source broken?`);
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

/**
 * The rewiring probabilities of the small-world sweep (Watts–Strogatz's p): from the ring lattice
 * (p = 0) through the small-world regime (0.01–0.1, high clustering and short paths) to the random
 * graph (p = 1). Watts & Strogatz's (1998) Fig. 2 spans the same range on a log axis.
 */
export const WATTS_STROGATZ_P_SWEEP: readonly number[] = [0, 0.01, 0.05, 0.1, 0.3, 1];

/**
 * Newman–Watts–Strogatz as networkx's newman_watts_strogatz_graph: the ring lattice of wattsStrogatz
 * (each node joined to its ⌊k/2⌋ nearest neighbours on each side), then for each lattice edge (u, v),
 * in networkx's edge order, with probability p a shortcut (u, w) is *added* (the lattice edge stays),
 * w uniform, redrawn while it would make a self-loop or a duplicate edge (skipped when u is already
 * joined to all nodes). k = n is the complete graph (no draws). The graph keeps the ring, so it is
 * connected whenever k ≥ 2 and has n·⌊k/2⌋ edges plus the shortcuts.
 *
 * networkx's edge order is that of Graph.edges() on the lattice: nodes 0 … n−1 in turn, and for each
 * node u its neighbours v > u in the order they were added (j = 1 … ⌊k/2⌋, i = 0 … n−1, edge
 * (i, i+j mod n)) — so the wrap-around edges (u, u+j−n) of node u come before its later lattice edges.
 * Each edge is drawn for from its lower endpoint u, which receives the shortcut. Reproduced here so
 * that the same draws build the same graph (tested against recorded networkx draws).
 */
export function newmanWattsStrogatz(n: number, k: number, p: number, rng: Rng): UGraph {
  const who = "newmanWattsStrogatz";
  checkN(n, who);
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > n) {
    // networkx: k > n raises "k>=n, choose smaller k or larger n"
    throw new Error(`${who}: need an integer k with 0 ≤ k ≤ n (networkx: "k>=n, choose smaller k or larger n"), got n=${n}, k=${show(k)}`);
  }
  checkP(p, who);
  checkRng(rng, who);
  if (k === n) return completeGraph(n);
  const g = emptyGraph(n);
  const half = Math.floor(k / 2);
  // networkx's adjacency insertion order, to list the lattice's edges in its order
  const adjacency: number[][] = Array.from({ length: n }, () => []);
  for (let j = 1; j <= half; j++) {
    for (let i = 0; i < n; i++) {
      const t = (i + j) % n;
      if (hasEdge(g, i, t)) continue;
      addEdge(g, i, t);
      adjacency[i].push(t);
      adjacency[t].push(i);
    }
  }
  const lattice: Array<[number, number]> = [];
  for (let u = 0; u < n; u++) for (const v of adjacency[u]) if (v > u) lattice.push([u, v]);
  for (const [u] of lattice) {
    if (rng.nextFloat() >= p) continue;
    let w = rng.nextInt(n);
    let skip = false;
    let draws = 0;
    while (w === u || hasEdge(g, u, w)) {
      if (++draws > drawBound(n)) throw new Error(`${who}: no node to join node ${u} to in ${drawBound(n)} draws; is the random source broken?`);
      w = rng.nextInt(n);
      if (degree(g, u) >= n - 1) {
        skip = true;
        break;
      }
    }
    if (skip) continue;
    addEdge(g, u, w);
  }
  return g;
}

/** Erdős–Rényi G(n, p) as networkx's gnp_random_graph: each pair (u < v), in order, joined with probability p. */
export function erdosRenyi(n: number, p: number, rng: Rng): UGraph {
  checkN(n, "erdosRenyi");
  checkP(p, "erdosRenyi");
  checkRng(rng, "erdosRenyi");
  if (p === 1) return completeGraph(n);
  const g = emptyGraph(n);
  if (p === 0) return g;
  for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) if (rng.nextFloat() < p) addEdge(g, u, v);
  return g;
}

export function completeGraph(n: number): UGraph {
  checkN(n, "completeGraph");
  const g = emptyGraph(n);
  for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) addEdge(g, u, v);
  return g;
}

/**
 * Draw graphs until one is connected, as networkx's connected_watts_strogatz_graph does
 * (error after `tries` attempts; networkx says "Maximum number of tries exceeded"). `make` draws one
 * graph; `tries` must be a positive finite integer.
 */
export function connected(make: () => UGraph, tries: number, what = "graph"): UGraph {
  checkTries(tries, "connected");
  if (typeof make !== "function") throw new Error(`connected: make must be a function drawing one graph, got ${typeof make}`);
  for (let i = 0; i < tries; i++) {
    const g = make();
    if (isConnected(g)) return g;
  }
  throw new Error(`connected: no connected ${what} in ${tries} tries (maximum number of tries exceeded)`);
}

/**
 * Connected Watts–Strogatz (networkx's connected_watts_strogatz_graph). Arguments are checked before
 * any draw: n in 1…MAX_GRAPH_NODES, integer 0 ≤ k ≤ n, p in [0, 1], tries a positive finite integer;
 * and k ≥ 2 when n ≥ 2, since k < 2 leaves the ring lattice without edges and no draw can be connected
 * (networkx would redraw `tries` times and then fail).
 */
export function connectedWattsStrogatz(n: number, k: number, p: number, tries: number, rng: Rng): UGraph {
  const who = "connectedWattsStrogatz";
  checkN(n, who);
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > n) {
    throw new Error(`${who}: need an integer k with 0 ≤ k ≤ n (networkx: "k>n, choose smaller k or larger n"), got n=${n}, k=${show(k)}`);
  }
  if (n >= 2 && k < 2) throw new Error(`${who}: k=${k} joins no neighbours (the ring lattice has ⌊k/2⌋ = 0 per side), so no graph on n=${n} nodes can be connected; need k ≥ 2`);
  checkP(p, who);
  checkTries(tries, who);
  checkRng(rng, who);
  return connected(() => wattsStrogatz(n, k, p, rng), tries, `Watts–Strogatz graph (n=${n}, k=${k}, p=${p})`);
}

/**
 * Connected Erdős–Rényi G(n, p), redrawn up to `tries` times. Checked first: n in 1…MAX_GRAPH_NODES,
 * p in [0, 1] and p > 0 when n ≥ 2 (G(n, 0) has no edges), tries a positive finite integer.
 */
export function connectedErdosRenyi(n: number, p: number, tries: number, rng: Rng): UGraph {
  const who = "connectedErdosRenyi";
  checkN(n, who);
  checkP(p, who);
  if (n >= 2 && p === 0) throw new Error(`${who}: p=0 gives a graph without edges, so no graph on n=${n} nodes can be connected; need p > 0`);
  checkTries(tries, who);
  checkRng(rng, who);
  return connected(() => erdosRenyi(n, p, rng), tries, `Erdős–Rényi graph (n=${n}, p=${p})`);
}
