import { test } from "node:test";
import assert from "node:assert/strict";
import { pruneNetwork } from "../../src/prune";
import {
  applyPlan, currentPlan, groupMatrices, keptPerMatrix, keptRecurrentWeights, layerCounts, randomControl, randomMasks, recurrentWeightCount,
  shuffledControl, shuffledMasks, smallDenseSpec,
} from "../../src/sparsity";
import { makeNet, masksOf, ones, stackSpec, unmaskedArrays } from "./helpers";

test("random masks: per-matrix counts by the density rule, other group untouched, biases never masked", () => {
  for (const group of ["both", "i2h", "h2h"] as const) {
    for (const rule of ["erk", "uniform"] as const) {
      const net = makeNet("LSTM", [6, 9, 4]);
      const before = masksOf(net), fixed = unmaskedArrays(net);
      const plan = randomMasks(net, { group, density: 0.3, rule, seed: 5 });
      assert.deepEqual(masksOf(net), before, "masksAt is pure");
      const matrices = groupMatrices(net, group);
      const counts = layerCounts(matrices, 0.3, rule);
      assert.deepEqual(plan.matrices.map((m) => m.kept), counts);
      assert.equal(plan.kept, Math.round(0.3 * plan.total));
      applyPlan(net, plan);
      assert.deepEqual(keptPerMatrix(net, group), counts);
      net.blocks.forEach((b, i) => {
        if (group === "h2h") assert.deepEqual(b.maskIH, before[i][0], "i2h untouched");
        if (group === "i2h") assert.deepEqual(b.maskHH, before[i][1], "h2h untouched");
        for (const [w, m] of [[b.wIH, b.maskIH], [b.wHH, b.maskHH]] as const) w.forEach((x, j) => assert.ok(m[j] || x === 0, "masked weights are 0"));
      });
      assert.deepEqual(unmaskedArrays(net), fixed, "biases, embedding and head unchanged");
    }
  }
});

test("random masks are reproducible by seed, and another seed gives others", () => {
  const net = makeNet("GRU", [8, 8]);
  const masks = (seed: number) => randomMasks(net, { group: "both", density: 0.25, seed }).masks;
  assert.deepEqual(masks(3), masks(3));
  assert.notDeepEqual(masks(3), masks(4));
  assert.equal(randomControl({ group: "h2h", density: 0.5, seed: 1 }).name, "random-erk");
  assert.throws(() => randomMasks(net, { group: "all" as never, density: 0.5, seed: 1 }), /group must be one of both, i2h, h2h, got "all"/);
  assert.throws(() => randomMasks(net, { group: "both", density: -0.1, seed: 1 }), /density must be the kept fraction in \[0, 1\]/);
});

test("the shuffled control keeps every matrix's count of a pruned mask and moves the positions", () => {
  const net = makeNet("GRU", [10, 10]);
  pruneNetwork(net, { percent: 70, kind: "both", scope: "global" });
  const counts = keptPerMatrix(net, "both");
  const plan = shuffledMasks(net, { group: "both", seed: 9 });
  assert.deepEqual(plan.matrices.map((m) => m.kept), counts);
  assert.notDeepEqual(plan.masks, currentPlan(net, "both").masks, "positions changed");
  assert.deepEqual(shuffledControl({ group: "both", seed: 9 }).masksAt(net).masks, plan.masks, "same seed, same shuffle");
  assert.notDeepEqual(shuffledMasks(net, { group: "both", seed: 10 }).masks, plan.masks);
  const h2h = shuffledMasks(net, { group: "h2h", seed: 9 });
  assert.deepEqual(h2h.masks.map((m) => Object.keys(m)), [["maskHH"], ["maskHH"]], "only the group's matrices");
});

test("the small dense control has the sparse network's kept recurrent weights (exactly where sizes allow)", () => {
  // RNN_TANH [16]: W_ih 16×16 (the embedding is the first layer's size) and W_hh 16×16 → 512 weights
  assert.equal(recurrentWeightCount(stackSpec("RNN_TANH", [16])), 512);
  const exact = smallDenseSpec(stackSpec("RNN_TANH", [32]), 512);
  assert.deepEqual(exact.spec.layers, [{ size: 16 }]);
  assert.equal(exact.weights, 512);
  // the thesis's 3×50 GRU pruned to 20 %: the closest scaled network
  const net = makeNet("GRU", [50, 50, 50]);
  pruneNetwork(net, { percent: 80, kind: "both", scope: "global" });
  const kept = keptRecurrentWeights(net);
  assert.equal(kept, net.blocks.reduce((n, b) => n + ones(b.maskIH) + ones(b.maskHH), 0));
  const small = smallDenseSpec(net.spec, kept);
  const H = small.spec.layers[0].size;
  assert.ok(small.spec.layers.every((l) => l.size === H) && small.spec.skips.length === 0 && small.spec.mode === "GRU");
  assert.equal(small.weights, recurrentWeightCount(small.spec));
  assert.equal(small.weights, 3 * 2 * 3 * H * H, "3 layers × (W_ih + W_hh) × 3 gates × H×H");
  for (const other of [H - 1, H + 1]) {
    const count = recurrentWeightCount(stackSpec("GRU", [other, other, other]));
    assert.ok(Math.abs(small.weights - kept) <= Math.abs(count - kept), `H = ${H} is the closest (${other} gives ${count}, target ${kept})`);
  }
  assert.equal(recurrentWeightsOfNetwork(small.spec), small.weights, "counted on a real network of the spec");
});

/** The recurrent weights of a network of the spec, counted from a real network's arrays. */
function recurrentWeightsOfNetwork(spec: ReturnType<typeof stackSpec>): number {
  const net = makeNet(spec.mode, spec.layers.map((l) => l.size));
  return net.blocks.reduce((n, b) => n + b.wIH.length + b.wHH.length, 0);
}
