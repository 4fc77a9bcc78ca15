import { test } from "node:test";
import assert from "node:assert/strict";
import { connectedComponents, degreeColumns, maskGraphMetrics, GIANT_COLUMNS } from "../../src/sparsity/mask-metrics";
import { makeNet } from "./helpers";

const options = { smallWorld: { niter: 1, nrand: 2 }, seed: 3 };

test("connectedComponents: node lists ascending, in order of their lowest node", () => {
  assert.deepEqual(connectedComponents(6, [[4, 1], [0, 5], [5, 2]]), [[0, 2, 5], [1, 4], [3]]);
});

test("a dense GRU layer of 3 units: one component of 6 nodes and 12 edges, the thesis's density, σ/μ of the connections 0.5", () => {
  const m = maskGraphMetrics(makeNet("GRU", [3]), options);
  assert.deepEqual([m.unit_nodes, m.unit_edges, m.components, m.largest_component, m.giant_nodes], [6, 12, 1, 6, 6]);
  assert.equal(m.giant_edges, 12);
  assert.equal(m.giant_density, 12 / 30, "the thesis's density: edges / (n(n−1))");
  assert.equal(m.giant_diameter, 2);
  // connections: embedding dims 9 each, units 27 each → mean 18, σ 9
  assert.equal(m.degree_cv, 0.5);
  assert.equal(m.degree_max_ratio, 1.5);
  assert.equal(m.degree_histogram, "9:3 27:3");
  assert.equal(typeof m.giant_small_world_sigma, "number", "σ on a graph with disjoint edges");
  assert.deepEqual(degreeColumns(makeNet("GRU", [3])), { degree_cv: 0.5, degree_max_ratio: 1.5, degree_histogram: "9:3 27:3" });
  assert.deepEqual(maskGraphMetrics(makeNet("GRU", [3]), options), m, "same seed, same numbers (σ and ω included)");
});

test("properties undefined on the largest component are blank: a star has no σ or ω, two nodes have none at all", () => {
  const net = makeNet("RNN_TANH", [4]); // embedding 0–3, units 4–7
  const ih = new Uint8Array(16), hh = new Uint8Array(16);
  for (let u = 0; u < 4; u++) ih[0 * 4 + u] = 1; // unit 0 reads every embedding dim: a star around node 4
  net.setMasks(0, { maskIH: ih, maskHH: hh });
  const star = maskGraphMetrics(net, options);
  assert.deepEqual([star.components, star.largest_component, star.giant_nodes], [4, 5, 5]);
  assert.equal(star.giant_edges, 4);
  assert.equal(star.giant_small_world_sigma, "");
  assert.equal(star.giant_transitivity, "");
  const pair = new Uint8Array(16);
  pair[1 * 4 + 2] = 1;
  net.setMasks(0, { maskIH: pair });
  const tiny = maskGraphMetrics(net, options);
  assert.equal(tiny.largest_component, 2);
  const blank = GIANT_COLUMNS.filter((c) => tiny[c] === "");
  assert.equal(blank.length, GIANT_COLUMNS.length, "every property blank");
  assert.ok(GIANT_COLUMNS.length >= 30);
});
