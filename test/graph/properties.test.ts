import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import { readCsvObjects } from "../../src/core/csv";
import {
  graphProperties, graphFromEdges, PROPERTY_COLUMNS, barabasiAlbert, connectedWattsStrogatz, connectedErdosRenyi,
  layerGraph, Edge, UGraph,
} from "../../src/graph";
import { Random } from "../../src/data";
import { thesisStructureTableFile } from "../../src/thesis";
import { fixture, relDiff } from "./helpers";

interface PropertyCase { name: string; n: number; edges: Edge[]; properties: Record<string, number> }

test("the 20 properties match networkx 2.8.8 to 1e-12 relative on every fixture graph", () => {
  const cases = fixture<PropertyCase[]>("graph_properties.json");
  assert.ok(cases.length >= 40);
  let worst = 0;
  for (const c of cases) {
    const props = graphProperties(graphFromEdges(c.n, c.edges));
    for (const [key, expected] of Object.entries(c.properties)) {
      const got = props[key as keyof typeof props];
      const d = relDiff(got, expected);
      worst = Math.max(worst, d);
      assert.ok(d <= 1e-12, `${c.name}: ${key} = ${got}, networkx ${expected} (relative ${d})`);
    }
    assert.equal(Object.keys(c.properties).length, 20);
  }
  assert.ok(worst <= 1e-12);
});

test("worked example exact: layers, sources, last layer, diameter, density", () => {
  const p = graphProperties(graphFromEdges(5, [[0, 2], [1, 2], [1, 3], [2, 3], [2, 4], [3, 4]]));
  assert.deepEqual([p.layers, p.nodes, p.edges, p.source_nodes, p.sink_nodes, p.diameter, p.density], [4, 5, 6, 2, 1, 2, 0.3]);
  assert.deepEqual(Object.keys(p).sort(), [...PROPERTY_COLUMNS].sort());
});

test("graphProperties refuses a disconnected graph", () => {
  assert.throws(() => graphProperties(graphFromEdges(4, [[0, 1], [2, 3]])), /not connected/);
});

interface Distribution { family: string; n: number; params: Record<string, number>; count: number; mean: Record<string, number>; std: Record<string, number> }

test("generator property distributions match networkx's (means over 200 graphs within 4.5 standard errors or 1%)", () => {
  const rng = new Random(3);
  const dists = fixture<Distribution[]>("graph_distributions.json");
  assert.ok(dists.length >= 9, `${dists.length} distributions`);
  const count = 200;
  for (const d of dists) {
    const make = (): UGraph =>
      d.family === "barabasi_albert" ? barabasiAlbert(d.n, d.params.m, rng)
        : d.family === "watts_strogatz" ? connectedWattsStrogatz(d.n, d.params.k, d.params.p, d.params.tries, rng)
          : connectedErdosRenyi(d.n, d.params.p, d.params.tries, rng);
    const sums: Record<string, number> = {};
    for (let i = 0; i < count; i++) {
      const props = graphProperties(make()) as Record<string, number>;
      for (const key of Object.keys(d.mean)) sums[key] = (sums[key] ?? 0) + props[key];
    }
    for (const key of Object.keys(d.mean)) {
      const mean = sums[key] / count;
      const se = d.std[key] * Math.sqrt(1 / count + 1 / d.count);
      const label = `${d.family} n=${d.n} ${key}: ours ${mean.toFixed(4)}, networkx ${d.mean[key].toFixed(4)} ± ${se.toExponential(2)}`;
      // the 1% floor covers properties networkx never varied in its sample (e.g. WS n=50 diameter 3 in 1000 of 1000)
      assert.ok(Math.abs(mean - d.mean[key]) <= Math.max(4.5 * se, 0.01 * Math.abs(d.mean[key])), label);
    }
  }
});

test("the thesis's structure CSVs agree with our reading of the schema", () => {
  for (const mode of ["rnn_tanh", "rnn_relu", "gru", "lstm"]) {
    const text = fs.readFileSync(thesisStructureTableFile(mode), "utf8");
    const rows = readCsvObjects(thesisStructureTableFile(mode));
    const header = text.slice(0, text.indexOf("\n")).split(",");
    assert.deepEqual(header.slice(3, 26), [...PROPERTY_COLUMNS], `${mode}.csv property columns`);
    assert.equal(rows.length, 200);
    for (const r of rows) {
      const n = Number(r.nodes), e = Number(r.edges);
      const where = `${mode}.csv ${r.graph} #${r.graph_nr}`;
      if (r.graph === "barabasi_albert") {
        const m = Math.floor(n / 10);
        assert.equal(Number(r.source_nodes), m, `${where}: source_nodes`);
        assert.equal(e, m * (n - m), `${where}: edges`);
      } else {
        assert.equal(r.graph, "watts_strogatz");
        assert.equal(e, n * Math.floor(Math.floor(n / 5) / 2), `${where}: edges`);
      }
      assert.ok(n >= 10 && n <= 50, where);
      assert.ok(relDiff(Number(r.density), e / (n * (n - 1))) < 1e-12, `${where}: density`);
      assert.ok(relDiff(Number(r.degree_mean), (2 * e) / (n * (n - 1))) < 1e-12, `${where}: degree_mean`);
      for (const p of ["eccentricity", "degree", "closeness", "nodes_betweenness", "edge_betweenness"]) {
        assert.ok(relDiff(Number(r[`${p}_std`]) ** 2, Number(r[`${p}_var`])) < 1e-9, `${where}: ${p}_std² = ${p}_var`);
      }
      // node betweenness mean = (ASPL − 1)/(n − 2) on a connected graph (sum of interior path counts)
      assert.ok(relDiff(Number(r.nodes_betweenness_mean), (Number(r.average_shortest_path_length) - 1) / (n - 2)) < 1e-9, `${where}: betweenness mean`);
    }
  }
});

test("graphs built by our generators reproduce those thesis identities too", () => {
  const rng = new Random(4);
  for (let i = 0; i < 20; i++) {
    const n = 10 + rng.nextInt(41);
    const g = i % 2 ? barabasiAlbert(n, Math.floor(n / 10), rng) : connectedWattsStrogatz(n, Math.floor(n / 5), 1, 10, rng);
    const p = graphProperties(g);
    assert.ok(relDiff(p.nodes_betweenness_mean, (p.average_shortest_path_length - 1) / (n - 2)) < 1e-12);
    assert.equal(p.sink_nodes, layerGraph(g).layers[p.layers - 1].length);
  }
});
