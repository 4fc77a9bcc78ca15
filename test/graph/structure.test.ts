/**
 * The structure extensions against networkx 2.8.8 (fixtures from test/fixtures/make_structure_fixtures.py):
 * small-world generators replaying networkx's draws, the structure properties on many graphs, σ / ω and
 * their references replaying networkx's draws, and distributions where the random streams differ.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PROPERTY_COLUMNS, STRUCTURE_PROPERTY_COLUMNS, WATTS_STROGATZ_P_SWEEP, averageClustering, completeGraph, connectedErdosRenyi,
  connectedWattsStrogatz, degreeAssortativity, edgesOf, erdosRenyi, extendedGraphProperties, graphFromEdges, latticeReference,
  newmanWattsStrogatz, numpyMean, randomReference, smallWorldOmega, smallWorldSigma, spectralRadius, transitivity, triangleCount,
  averageShortestPathLengthOf, adjacencyLists, barabasiAlbert, degree, type Edge, type UGraph, type Rng,
} from "../../src/graph";
import { Random } from "../../src/data";
import { fixture, relDiff, TapeRng, TapeEntry } from "./helpers";

interface GeneratorCase {
  name: string;
  n: number;
  edges: Edge[];
  tape: TapeEntry[];
  params: { family: string; n: number; k?: number; p: number; tries?: number };
}

function generate(params: GeneratorCase["params"], rng: Rng): UGraph {
  const { family, n, k, p, tries } = params;
  if (family === "watts_strogatz") return connectedWattsStrogatz(n, k!, p, tries!, rng);
  if (family === "newman_watts_strogatz") return newmanWattsStrogatz(n, k!, p, rng);
  if (family === "erdos_renyi") return tries === undefined ? erdosRenyi(n, p, rng) : connectedErdosRenyi(n, p, tries, rng);
  throw new Error(`unknown family ${family}`);
}

test("connected Watts–Strogatz over the p sweep, Newman–Watts–Strogatz and G(n, p) replay networkx's draws exactly", () => {
  const cases = fixture<GeneratorCase[]>("graph_structure_generators.json");
  assert.ok(cases.length >= 50, `${cases.length} cases`);
  const covered = new Set<string>();
  for (const c of cases) {
    const rng = new TapeRng(c.tape, c.name);
    const g = generate(c.params, rng);
    assert.equal(g.getNodeCount(), c.n, c.name);
    assert.deepEqual(edgesOf(g), c.edges, c.name);
    assert.equal(rng.remaining, 0, `${c.name}: networkx made ${rng.remaining} more draws`);
    covered.add(`${c.params.family} ${c.params.p}`);
  }
  for (const family of ["watts_strogatz", "newman_watts_strogatz"]) {
    for (const p of WATTS_STROGATZ_P_SWEEP) assert.ok(covered.has(`${family} ${p}`), `${family} p=${p} has fixtures`);
  }
  assert.deepEqual(WATTS_STROGATZ_P_SWEEP, [0, 0.01, 0.05, 0.1, 0.3, 1]);
});

test("Newman–Watts–Strogatz keeps the ring and only adds: n·⌊k/2⌋ lattice edges, connected, shortcuts ≈ p·n·⌊k/2⌋", () => {
  const rng = new Random(9);
  const n = 40, k = 4;
  let added = 0;
  for (let i = 0; i < 50; i++) {
    const g = newmanWattsStrogatz(n, k, 0.1, rng);
    for (let u = 0; u < n; u++) for (let j = 1; j <= k / 2; j++) assert.ok(g.hasLink(u, (u + j) % n) || g.hasLink((u + j) % n, u));
    added += g.getLinkCount() - n * (k / 2);
  }
  const mean = added / 50; // expected 0.1 · 80 = 8 shortcuts
  assert.ok(Math.abs(mean - 8) < 1.5, `mean shortcuts ${mean}`);
  assert.equal(newmanWattsStrogatz(n, k, 0, rng).getLinkCount(), n * 2);
  assert.equal(newmanWattsStrogatz(6, 6, 0.5, rng).getLinkCount(), 15, "k = n: the complete graph");
  assert.throws(() => newmanWattsStrogatz(10, 11, 0.5, rng), /newmanWattsStrogatz: need an integer k with 0 ≤ k ≤ n \(networkx: "k>=n, choose smaller k or larger n"\), got n=10, k=11/);
  assert.throws(() => newmanWattsStrogatz(10, 4, 1.5, rng), /newmanWattsStrogatz: p must be a probability in \[0, 1\], got 1\.5/);
  const stuck: Rng = { nextFloat: () => 0, nextInt: () => 0 };
  assert.throws(() => newmanWattsStrogatz(10, 4, 1, stuck), /newmanWattsStrogatz: no node to join node 0 to in 2000 draws/);
});

interface PropertyCase { name: string; n: number; edges: Edge[]; properties: Record<string, number | null> }

test("average clustering, transitivity, assortativity, spectral radius and triangles equal networkx's on every fixture graph", () => {
  const cases = fixture<PropertyCase[]>("graph_structure.json");
  assert.ok(cases.length >= 80, `${cases.length} cases`);
  const worst: Record<string, number> = {};
  let nans = 0;
  for (const c of cases) {
    const g = graphFromEdges(c.n, c.edges);
    const ours: Record<string, number> = {
      average_clustering: averageClustering(g), transitivity: transitivity(g), degree_assortativity: degreeAssortativity(g),
      spectral_radius: spectralRadius(g), triangles: triangleCount(g),
    };
    assert.deepEqual(Object.keys(c.properties).sort(), Object.keys(ours).sort());
    for (const [key, expected] of Object.entries(c.properties)) {
      const got = ours[key];
      const where = `${c.name}: ${key} = ${got}, networkx ${expected}`;
      if (expected === null) {
        assert.ok(Number.isNaN(got), `${where} (networkx: nan)`);
        nans++;
        continue;
      }
      // exact: integer counts and ratios of integers; float tolerances where the summation order differs
      const d = key === "degree_assortativity" ? Math.abs(got - expected) : relDiff(got, expected);
      worst[key] = Math.max(worst[key] ?? 0, d);
      if (key === "triangles" || key === "transitivity" || key === "average_clustering") assert.equal(got, expected, where);
      else assert.ok(d <= 1e-12, `${where} (difference ${d})`);
    }
  }
  assert.ok(nans >= 3, "regular and empty graphs: assortativity nan, as networkx");
});

interface SmallWorldCase {
  name: string;
  function: "random_reference" | "lattice_reference" | "sigma" | "omega";
  options: { niter: number; nrand?: number; connectivity?: boolean };
  n: number;
  edges: Edge[];
  tape: TapeEntry[];
  reference?: Edge[];
  value?: number | "nan" | "inf" | "-inf";
  error?: string;
}

test("random and lattice references, σ and ω replay networkx's draws: the same reference graphs, σ and ω to the last bit", () => {
  const cases = fixture<SmallWorldCase[]>("graph_small_world.json");
  assert.ok(cases.length >= 50, `${cases.length} cases`);
  const counts: Record<string, number> = {};
  for (const c of cases) {
    const rng = new TapeRng(c.tape, c.name);
    const g = graphFromEdges(c.n, c.edges);
    if (c.function === "random_reference" || c.function === "lattice_reference") {
      const make = c.function === "random_reference" ? randomReference : latticeReference;
      const ref = make(g, rng, c.options);
      assert.deepEqual(edgesOf(ref), c.reference, c.name);
      for (let v = 0; v < c.n; v++) assert.equal(degree(ref, v), degree(g, v), `${c.name}: degree of ${v} kept`);
    } else {
      const f = c.function === "sigma" ? smallWorldSigma : smallWorldOmega;
      const got = f(g, rng, c.options);
      if (c.error !== undefined) assert.ok(Number.isNaN(got), `${c.name}: networkx raised ${c.error}, ours ${got}`);
      else if (typeof c.value === "string") assert.equal(String(got).toLowerCase().replace("infinity", "inf"), c.value, c.name);
      else assert.equal(got, c.value, c.name);
    }
    assert.equal(rng.remaining, 0, `${c.name}: networkx made ${rng.remaining} more draws`);
    counts[c.function] = (counts[c.function] ?? 0) + 1;
  }
  for (const fn of ["random_reference", "lattice_reference", "sigma", "omega"]) assert.ok(counts[fn] >= 8, `${fn}: ${counts[fn]} cases`);
});

interface Summary { count: number; mean?: number; std?: number }
interface Distributions {
  generators: Array<{ family: string; params: { n: number; k?: number; p: number; tries?: number }; count: number; stats: Record<string, Summary> }>;
  small_world: Array<{ name: string; function: "sigma" | "omega"; options: { niter: number; nrand: number }; n: number; edges: Edge[] } & Summary>;
}

/** |ours − networkx| within 4.5 standard errors of the difference of the means, or a small floor. */
function assertSameMean(label: string, ours: number[], theirs: Summary, floor: number): void {
  const mean = ours.reduce((s, x) => s + x, 0) / ours.length;
  const sd = Math.sqrt(ours.reduce((s, x) => s + (x - mean) ** 2, 0) / ours.length);
  const se = Math.sqrt(sd ** 2 / ours.length + theirs.std! ** 2 / theirs.count);
  assert.ok(Math.abs(mean - theirs.mean!) <= Math.max(4.5 * se, floor), `${label}: ours ${mean.toFixed(5)} (sd ${sd.toFixed(4)}), networkx ${theirs.mean!.toFixed(5)} ± ${se.toExponential(2)}`);
}

test("structure property distributions over the small-world sweep match networkx's (300 graphs per setting)", () => {
  const { generators } = fixture<Distributions>("graph_structure_distributions.json");
  assert.ok(generators.length >= 12);
  const rng = new Random(29);
  for (const d of generators) {
    const family = d.family;
    const samples: Record<string, number[]> = {};
    for (let i = 0; i < 300; i++) {
      const g = generate({ family, ...d.params }, rng);
      const adj = adjacencyLists(g);
      const values: Record<string, number> = {
        average_clustering: averageClustering(g), transitivity: transitivity(g), degree_assortativity: degreeAssortativity(g),
        spectral_radius: spectralRadius(g), triangles: triangleCount(g), average_shortest_path_length: averageShortestPathLengthOf(adj),
        edges: g.getLinkCount(),
      };
      for (const [key, x] of Object.entries(values)) (samples[key] ??= []).push(x);
    }
    for (const [key, theirs] of Object.entries(d.stats)) {
      const label = `${family} ${JSON.stringify(d.params)} ${key}`;
      const finite = samples[key].filter((x) => !Number.isNaN(x));
      if (theirs.count === 0) {
        assert.equal(finite.length, 0, `${label}: networkx always nan (a regular graph), ours not`);
        continue;
      }
      assert.ok(finite.length >= 0.9 * 300 * (theirs.count / d.count), `${label}: ${finite.length} finite values`);
      assertSameMean(label, finite, theirs, 1e-9 + 1e-6 * Math.abs(theirs.mean!));
    }
  }
});

test("σ and ω over 40 seeds match networkx's over 40 seeds on fixed graphs (the random streams differ, the distributions agree)", () => {
  const { small_world } = fixture<Distributions>("graph_structure_distributions.json");
  assert.ok(small_world.length >= 6);
  for (const d of small_world) {
    const g = graphFromEdges(d.n, d.edges);
    const f = d.function === "sigma" ? smallWorldSigma : smallWorldOmega;
    const values = Array.from({ length: 40 }, (_, seed) => f(g, new Random(1000 + seed), d.options));
    assertSameMean(`${d.function} ${JSON.stringify(d.options)} on ${d.name}`, values, d, 0);
  }
});

test("structure properties: known values, separate columns from the thesis's, seeded and reproducible", () => {
  const k5 = completeGraph(5);
  assert.equal(averageClustering(k5), 1);
  assert.equal(transitivity(k5), 1);
  assert.equal(triangleCount(k5), 10);
  assert.ok(Math.abs(spectralRadius(k5) - 4) < 1e-12);
  assert.ok(Number.isNaN(degreeAssortativity(k5)), "regular: nan as networkx");
  const star = graphFromEdges(5, [[0, 1], [0, 2], [0, 3], [0, 4]]);
  assert.equal(degreeAssortativity(star), -1);
  assert.ok(Math.abs(spectralRadius(star) - 2) < 1e-12);

  assert.equal(PROPERTY_COLUMNS.length, 23, "the thesis's columns are untouched");
  assert.deepEqual([...STRUCTURE_PROPERTY_COLUMNS], ["average_clustering", "transitivity", "small_world_sigma", "small_world_omega", "degree_assortativity", "spectral_radius", "triangles"]);
  assert.ok(STRUCTURE_PROPERTY_COLUMNS.every((c) => !(PROPERTY_COLUMNS as readonly string[]).includes(c)));

  const g = connectedWattsStrogatz(24, 4, 0.1, 50, new Random(3));
  const options = { sigma: { niter: 10, nrand: 3 }, omega: { niter: 2, nrand: 3 } };
  const a = extendedGraphProperties(g, new Random(4), options);
  const b = extendedGraphProperties(g, new Random(4), options);
  assert.deepEqual(a, b, "same seed, same values");
  assert.deepEqual(Object.keys(a), [...STRUCTURE_PROPERTY_COLUMNS]);
  const c = extendedGraphProperties(g, new Random(5), options);
  assert.notEqual(a.small_world_sigma, c.small_world_sigma, "σ is random");
  assert.equal(a.average_clustering, c.average_clustering, "the rest is not");
  assert.ok(a.small_world_sigma > 1, `a WS graph at p = 0.1 is small-world: σ = ${a.small_world_sigma}`);
});

test("references and σ / ω refuse what networkx cannot do or loops forever on", () => {
  const rng = new Random(1);
  const star = graphFromEdges(6, [[0, 1], [0, 2], [0, 3], [0, 4], [0, 5]]);
  assert.throws(() => randomReference(star, rng), /randomReference: no two edges of the graph are disjoint \(a star or a triangle, 5 edges\).*networkx would loop forever/);
  assert.throws(() => latticeReference(graphFromEdges(4, [[0, 1], [1, 2], [0, 2]]), rng), /latticeReference: no two edges of the graph are disjoint/);
  assert.throws(() => randomReference(graphFromEdges(3, [[0, 1], [1, 2]]), rng), /randomReference: graph has less than four nodes \(n=3\)/);
  assert.throws(() => smallWorldSigma(graphFromEdges(6, [[0, 1], [1, 2], [3, 4], [4, 5]]), rng), /smallWorldSigma: graph \(n=6, 4 edges\) is not connected/);
  assert.throws(() => smallWorldOmega(completeGraph(6), rng, { nrand: 0 }), /smallWorldOmega: nrand must be an integer ≥ 1, got 0/);
  assert.throws(() => smallWorldSigma(completeGraph(6), rng, { niter: 1.5 }), /smallWorldSigma: niter must be an integer ≥ 0, got 1\.5/);
  assert.throws(() => smallWorldSigma(completeGraph(6), {} as Rng), /smallWorldSigma: rng must have nextFloat\(\) and nextInt\(n\)/);
  assert.throws(() => extendedGraphProperties(graphFromEdges(3, [[0, 1], [1, 2]]), rng), /extendedGraphProperties: need at least 4 nodes/);
  // a path has disjoint edges: swaps are possible (none keeps it connected, every one is undone)
  const path = graphFromEdges(6, [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
  assert.equal(randomReference(path, rng, { niter: 3 }).getLinkCount(), 5);
  // niter = 0: the graph itself, no draws
  const none: Rng = { nextFloat: () => { throw new Error("drew"); }, nextInt: () => { throw new Error("drew"); } };
  assert.deepEqual(edgesOf(randomReference(path, none, { niter: 0 })), edgesOf(path));
  // a broken random source is an error after a bounded number of draws, not a hang
  const stuck: Rng = { nextFloat: () => 0.5, nextInt: () => 0 };
  assert.throws(() => randomReference(graphFromEdges(4, [[0, 1], [2, 3], [1, 2]]), stuck), /draws in a row found no two disjoint edges; is the random source broken\?/);
});

test("numpyMean sums as numpy's pairwise np.mean (beyond 8 values it differs from a running sum)", () => {
  assert.equal(numpyMean([1, 2, 3]), 2);
  const xs = Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1) + 1e-3 / (i + 1));
  const sequential = xs.reduce((s, x) => s + x, 0) / xs.length;
  const r = xs.slice(0, 8);
  const pairwise = (((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + xs[8] + xs[9]) / 10;
  assert.equal(numpyMean(xs), pairwise);
  assert.ok(Math.abs(numpyMean(xs) - sequential) < 1e-15);
  const big = Array.from({ length: 300 }, (_, i) => Math.sin(i));
  assert.ok(Math.abs(numpyMean(big) - big.reduce((s, x) => s + x, 0) / 300) < 1e-15);
});

test("barabasiAlbert graphs: σ, ω and the rest are finite (the thesis's family)", () => {
  const g = barabasiAlbert(30, 3, new Random(6));
  const p = extendedGraphProperties(g, new Random(7), { sigma: { niter: 5, nrand: 2 }, omega: { niter: 1, nrand: 2 } });
  for (const key of STRUCTURE_PROPERTY_COLUMNS) assert.ok(Number.isFinite(p[key]), `${key} = ${p[key]}`);
});
