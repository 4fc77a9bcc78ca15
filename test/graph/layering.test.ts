import { test } from "node:test";
import assert from "node:assert/strict";
import { layerEdges, layerGraph, graphFromEdges, Edge } from "../../src/graph";
import { fixture } from "./helpers";

test("the thesis's worked example: layers 0,0,1,2,3; four layers; skip pairs (0,2) and (1,3)", () => {
  const edges: Edge[] = [[0, 2], [1, 2], [1, 3], [2, 3], [2, 4], [3, 4]];
  const layering = layerGraph(graphFromEdges(5, edges));
  assert.deepEqual(Array.from(layering.layerOf), [0, 0, 1, 2, 3]);
  assert.deepEqual(layering.layers, [[0, 1], [2], [3], [4]]);
  assert.deepEqual(Array.from(layering.indexInLayer), [0, 1, 0, 0, 0]);
  assert.deepEqual(layering.skips, [[0, 2], [1, 3]]);
});

test("edge direction is by id, whatever order the pair is given in", () => {
  const a = layerEdges(4, [[3, 1], [1, 0], [2, 3]]);
  assert.deepEqual(Array.from(a.layerOf), [0, 1, 0, 2]);
  assert.deepEqual(a.edges, [[0, 1], [1, 3], [2, 3]]);
  assert.deepEqual(a.skips, [[0, 2]]); // edge 2-3 jumps from layer 0 to layer 2
});

test("layering matches the networkx reference on every fixture graph", () => {
  const cases = fixture<Array<{ name: string; n: number; edges: Edge[]; layering: { layerOf: number[]; sizes: number[]; skips: Array<[number, number]> } }>>("graph_properties.json");
  assert.ok(cases.length >= 40);
  for (const c of cases) {
    const layering = layerEdges(c.n, c.edges);
    assert.deepEqual(Array.from(layering.layerOf), c.layering.layerOf, c.name);
    assert.deepEqual(layering.layers.map((l) => l.length), c.layering.sizes, c.name);
    assert.deepEqual(layering.skips, c.layering.skips, c.name);
  }
});

test("layerEdges names a node outside the graph", () => {
  assert.throws(() => layerEdges(3, [[0, 5]]), /edge \[0, 5\] names node 5 but the graph has 3 nodes/);
});
