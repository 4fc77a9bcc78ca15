import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../src/core/random";
import { familyGraph, graphMasks, GRAPH_FAMILY_NAMES } from "../../src/sparsity/graph-masks";
import { makeNet, ones } from "./helpers";

test("familyGraph picks the family's parameter nearest the target edge count", () => {
  // BA: k(n − k) edges; k = 25 gives exactly 625 on 50 nodes, k = 1 gives 49
  assert.equal(familyGraph("barabasi_albert", 50, 625, new Random(1)).length, 625);
  assert.equal(familyGraph("barabasi_albert", 50, 25, new Random(1)).length, 49, "at least a tree: more than the 25 asked");
  // WS: n·k/2 edges, k even
  assert.equal(familyGraph("watts_strogatz", 50, 250, new Random(1)).length, 250);
  assert.equal(familyGraph("watts_strogatz", 50, 25, new Random(1)).length, 50, "k = 2 at least");
  // ER: m edges expected; over 40 draws the mean is within 3 standard errors
  const counts = Array.from({ length: 40 }, (_, i) => familyGraph("erdos_renyi", 50, 300, new Random(i)).length);
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const p = 300 / 1225, se = Math.sqrt((1225 * p * (1 - p)) / counts.length);
  assert.ok(Math.abs(mean - 300) < 3 * se, `mean ${mean}`);
  assert.throws(() => familyGraph("ring" as never, 50, 10, new Random(1)), /unknown family "ring"/);
});

test("graph masks: one symmetric pattern without diagonal per matrix, the same in every gate block, near the density", () => {
  let checked = 0;
  for (const family of GRAPH_FAMILY_NAMES) {
    const net = makeNet("GRU", [20, 20]);
    const plan = graphMasks(net, { group: "both", family, density: 0.3, seed: 4 });
    assert.equal(plan.matrices.length, 4);
    for (const masks of plan.masks) for (const mask of [masks.maskIH!, masks.maskHH!]) {
      const H = 20, gate = (g: number) => mask.subarray(g * H * H, (g + 1) * H * H);
      assert.deepEqual(gate(1), gate(0), `${family}: gate blocks alike`);
      assert.deepEqual(gate(2), gate(0));
      for (let u = 0; u < H; u++) {
        assert.equal(gate(0)[u * H + u], 0, `${family}: no diagonal`);
        for (let v = 0; v < H; v++) assert.equal(gate(0)[u * H + v], gate(0)[v * H + u], `${family}: symmetric`);
      }
      checked++;
    }
    assert.ok(Math.abs(plan.kept / plan.total - 0.3) < 0.06, `${family}: kept ${plan.kept / plan.total}`);
    assert.deepEqual(graphMasks(net, { group: "both", family, density: 0.3, seed: 4 }).masks, plan.masks, "same seed, same masks");
    assert.notDeepEqual(graphMasks(net, { group: "both", family, density: 0.3, seed: 5 }).masks, plan.masks, "another seed, other masks");
    assert.equal(ones(net.blocks[0].maskHH), net.blocks[0].maskHH.length, "the network is not changed");
  }
  assert.equal(checked, 3 * 4);
});

test("graph masks need square unit patterns and a known family", () => {
  assert.throws(() => graphMasks(makeNet("GRU", [4, 6]), { group: "both", family: "erdos_renyi", density: 0.5, seed: 1 }), /layer1\.ih is 18×4, 6 units reading 4/);
  assert.throws(() => graphMasks(makeNet("GRU", [4]), { group: "both", family: "lattice" as never, density: 0.5, seed: 1 }), /family must be one of/);
});
