import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset } from "../../src/data";
import { batchesOf, encodeSamples } from "../../src/nn/batching";
import { referenceGradients } from "../../src/nn/reference/model";
import { globalTopK, groupMatrices, meanGradients, parameterIndex, snip, snipMasks, snipScores, applyPlan, randomMasks } from "../../src/sparsity";
import { makeNet, masksOf, ones } from "./helpers";

const data = generateDataset({ size: 48, testSize: 8, seed: 3 });

test("global top-k on a hand-made case: the k highest scores over all matrices, ties to the earlier weight", () => {
  const scores = [[0.5, 0.1, 0.9], [0.3, 0.9, 0.2]];
  assert.deepEqual(globalTopK(scores, 0.5).map((m) => Array.from(m)), [[1, 0, 1], [0, 1, 0]]);
  // k = 2 of [1, 2, 2 | 2]: the ties go to the earlier weights
  assert.deepEqual(globalTopK([[1, 2, 2], [2]], 0.5).map((m) => Array.from(m)), [[0, 1, 1], [0]]);
  // never revives a weight the current masks drop; fewer candidates than k keeps them all
  assert.deepEqual(globalTopK(scores, 0.5, [Uint8Array.of(1, 1, 0), Uint8Array.of(1, 0, 1)]).map((m) => Array.from(m)), [[1, 0, 0], [1, 0, 1]]);
  assert.deepEqual(globalTopK(scores, 1, [Uint8Array.of(0, 1, 0), Uint8Array.of(0, 0, 1)]).map((m) => Array.from(m)), [[0, 1, 0], [0, 0, 1]]);
});

test("SNIP scores are |w·g| with g the tfjs reference gradient; the masks keep the top round(d·N)", () => {
  const net = makeNet("GRU", [5, 4], 2);
  const n = data.train.length;
  const grads = meanGradients(net, data.train, { group: "both", density: 0.3, batchSize: n, seed: 1 });
  const set = encodeSamples(data.train, 128);
  const [batch] = batchesOf(set, Int32Array.from({ length: n }, (_, i) => i), n);
  const ref = referenceGradients(net, batch, "post");
  const matrices = groupMatrices(net, "both");
  matrices.forEach((m, l) => {
    const r = ref.grads[parameterIndex(m)];
    const scale = Math.max(1e-3, ...Array.from(r, Math.abs));
    r.forEach((g, i) => assert.ok(Math.abs(grads[l][i] - g) <= 2e-5 * scale, `${m.name}[${i}]: ${grads[l][i]} vs ${g}`));
  });
  const scores = snipScores(net, "both", grads);
  scores.forEach((s, l) => s.forEach((x, i) => assert.equal(x, Math.abs(matrices[l].weights[i] * grads[l][i]))));
  const plan = snipMasks(net, data, { group: "both", density: 0.3, batchSize: n, seed: 1 });
  assert.equal(plan.kept, Math.round(0.3 * plan.total));
  // every kept score ≥ every dropped score
  let minKept = Infinity, maxDropped = -Infinity;
  matrices.forEach((m, l) => scores[l].forEach((x, i) => {
    if (plan.masks[m.block][m.key]![i]) minKept = Math.min(minKept, x); else maxDropped = Math.max(maxDropped, x);
  }));
  assert.ok(minKept >= maxDropped, `kept ≥ ${minKept}, dropped ≤ ${maxDropped}`);
});

test("SNIP: reproducible by seed, another seed draws other batches; i2h/h2h groups; no revival; pure", () => {
  const net = makeNet("LSTM", [6, 6], 4);
  const options = { group: "h2h" as const, density: 0.4, batchSize: 8, batches: 2, seed: 7 };
  const before = masksOf(net);
  const a = snip(options).masksAt(net, data);
  assert.deepEqual(masksOf(net), before, "masksAt is pure");
  assert.deepEqual(snip(options).masksAt(net, data).masks, a.masks);
  assert.notDeepEqual(snip({ ...options, seed: 8 }).masksAt(net, data).masks, a.masks);
  assert.deepEqual(a.masks.map((m) => Object.keys(m)), [["maskHH"], ["maskHH"]]);
  assert.equal(a.kept, Math.round(0.4 * a.total));
  // a network already sparse: SNIP keeps only among its kept weights
  applyPlan(net, randomMasks(net, { group: "both", density: 0.5, seed: 1 }));
  const b = snipMasks(net, data, { ...options, group: "both", density: 0.3 });
  net.blocks.forEach((blk, i) => {
    blk.maskIH.forEach((m, j) => assert.ok(m || !b.masks[i].maskIH![j]));
    blk.maskHH.forEach((m, j) => assert.ok(m || !b.masks[i].maskHH![j]));
  });
  assert.equal(b.kept, Math.round(0.3 * b.total));
  assert.ok(b.kept <= net.blocks.reduce((n, blk) => n + ones(blk.maskIH) + ones(blk.maskHH), 0));
  assert.throws(() => snip({ ...options, batchSize: 0 }), /snip: batchSize must be a positive integer, got 0/);
  assert.throws(() => snip(options).masksAt(net), /snip: masksAt needs the training data/);
});
