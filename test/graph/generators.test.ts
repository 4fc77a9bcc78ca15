import { test } from "node:test";
import assert from "node:assert/strict";
import {
  barabasiAlbert, connectedWattsStrogatz, connectedErdosRenyi, wattsStrogatz, edgesOf, isConnected, layerGraph, UGraph,
} from "../../src/graph";
import { fixture, TapeRng, TapeEntry } from "./helpers";
import { Random } from "../../src/data";

interface GeneratorCase {
  name: string;
  n: number;
  edges: Array<[number, number]>;
  params: { family: string; n: number; m?: number; k?: number; p?: number; tries?: number };
  tape: TapeEntry[];
}

function build(c: GeneratorCase, rng: TapeRng): UGraph {
  const { family, n, m, k, p, tries } = c.params;
  if (family === "barabasi_albert") return barabasiAlbert(n, m!, rng);
  if (family === "watts_strogatz") return connectedWattsStrogatz(n, k!, p!, tries!, rng);
  return connectedErdosRenyi(n, p!, tries!, rng);
}

test("generators replaying networkx's draws build networkx's graphs exactly", () => {
  const cases = fixture<GeneratorCase[]>("graph_generators.json");
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const rng = new TapeRng(c.tape, c.name);
    const g = build(c, rng);
    assert.deepEqual(edgesOf(g), c.edges, c.name);
    assert.equal(rng.remaining, 0, `${c.name}: networkx made ${rng.remaining} more draws`);
  }
});

test("Barabási–Albert (networkx 2.5): m·(n−m) edges, connected, exactly m = n//10 sources after layering", () => {
  const rng = new Random(1);
  for (let n = 10; n <= 50; n++) {
    const m = Math.floor(n / 10);
    const g = barabasiAlbert(n, m, rng);
    assert.equal(g.getNodeCount(), n);
    assert.equal(g.getLinkCount(), m * (n - m), `n=${n}`);
    assert.ok(isConnected(g));
    assert.equal(layerGraph(g).layers[0].length, m, `n=${n}: source nodes`);
  }
});

test("connected Watts–Strogatz: n·⌊k/2⌋ edges, connected, no duplicates; error after `tries`", () => {
  const rng = new Random(2);
  for (let n = 10; n <= 50; n++) {
    const k = Math.floor(n / 5);
    const g = connectedWattsStrogatz(n, k, 1, 10, rng);
    assert.equal(g.getLinkCount(), n * Math.floor(k / 2), `n=${n}`);
    assert.equal(new Set(edgesOf(g).map(String)).size, g.getLinkCount());
    assert.ok(isConnected(g));
  }
  // the ring lattice itself, p = 0
  assert.deepEqual(edgesOf(wattsStrogatz(6, 4, 0, rng)).map(String), ["0,1", "0,2", "0,4", "0,5", "1,2", "1,3", "2,3", "2,4", "3,4", "3,5", "4,5", "1,5"].sort());
  // k = 0 leaves no edges: refused before any draw instead of redrawing `tries` times
  assert.throws(() => connectedWattsStrogatz(40, 0, 1, 3, rng), /k=0 joins no neighbours .* no graph on n=40 nodes can be connected; need k ≥ 2/);
  // a ring with every edge rewired is rarely connected: this seed's first 3 draws are not
  assert.throws(() => connectedWattsStrogatz(40, 2, 1, 3, new Random(7)), /no connected Watts–Strogatz graph \(n=40, k=2, p=1\) in 3 tries \(maximum number of tries exceeded\)/);
});
