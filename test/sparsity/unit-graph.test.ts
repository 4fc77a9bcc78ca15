import { test } from "node:test";
import assert from "node:assert/strict";
import { unitGraph } from "../../src/sparsity/unit-graph";
import { makeNet } from "./helpers";

test("a dense GRU layer of 3 units: 3 embedding dims + 3 units, 9 i2h edges and the 3 unit pairs of W_hh; connections count every gate", () => {
  const g = unitGraph(makeNet("GRU", [3]));
  assert.equal(g.nodes, 6);
  assert.equal(g.edges.length, 9 + 3);
  assert.deepEqual(g.edges.filter(([u, v]) => u >= 3 && v >= 3), [[3, 4], [3, 5], [4, 5]], "no self-loops from W_hh's diagonal");
  // an embedding dim: 3 gates × 3 units; a unit: 9 as W_ih's row, 9 as W_hh's row, 9 as W_hh's column (the diagonal counts at both ends)
  assert.deepEqual([...g.connections], [9, 9, 9, 27, 27, 27]);
});

test("gate blocks collapse: one kept weight in any gate row of a unit makes the edge; the mask's positions land on the right nodes", () => {
  const net = makeNet("LSTM", [2, 2]); // 4 gates; nodes: embedding 0–1, layer 0: 2–3, layer 1: 4–5
  const G = 4, H = 2;
  net.blocks.forEach((_, b) => net.setMasks(b, { maskIH: new Uint8Array(G * H * H), maskHH: new Uint8Array(G * H * H) }));
  const ih1 = new Uint8Array(G * H * H);
  ih1[(2 * H + 1) * H + 0] = 1; // layer 1, gate g (2), unit 1 reads unit 0 of layer 0: nodes 2 → 5
  const hh0 = new Uint8Array(G * H * H);
  hh0[(3 * H + 0) * H + 1] = 1; // layer 0, gate o (3), unit 0 reads unit 1: nodes 3 → 2
  hh0[(1 * H + 1) * H + 0] = 1; // layer 0, gate f (1), unit 1 reads unit 0: the same undirected edge
  net.setMasks(1, { maskIH: ih1 });
  net.setMasks(0, { maskHH: hh0 });
  const g = unitGraph(net);
  assert.equal(g.nodes, 6);
  assert.deepEqual(g.edges, [[2, 3], [2, 5]]);
  assert.deepEqual([...g.connections], [0, 0, 3, 2, 0, 1]);
});

test("a skip block reads its source layer's units", () => {
  const net = makeNet("RNN_TANH", [2, 2, 2], 1, [[0, 2]]); // blocks: layer0, layer1, layer2, skip0to2
  net.blocks.forEach((b, i) => net.setMasks(i, { maskIH: new Uint8Array(b.maskIH.length), maskHH: new Uint8Array(b.maskHH.length) }));
  const skip = new Uint8Array(4);
  skip[1 * 2 + 0] = 1; // unit 1 of layer 2 reads unit 0 of layer 0
  net.setMasks(3, { maskIH: skip });
  // nodes: embedding 0–1, layer 0: 2–3, layer 1: 4–5, layer 2: 6–7
  assert.deepEqual(unitGraph(net).edges, [[2, 7]]);
});
