import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset } from "../../src/data";
import { train } from "../../src/nn/train";
import {
  applyPlan, findTicket, groupMatrices, iterativeDensities, lotteryTicket, LotteryOptions, magnitudeTopK, rewind,
} from "../../src/sparsity";
import { makeNet, masksOf, snapshot, unmaskedArrays } from "./helpers";

const data = generateDataset({ size: 64, testSize: 16, seed: 5 });
const training = { epochs: 3, batchSize: 16, seed: 2, lr: 0.01, backend: "js" as const };

test("iterative densities: the same fraction pruned each round, ending at the target", () => {
  const d = iterativeDensities(0.2, 3);
  assert.equal(d.length, 3);
  assert.equal(d[2], 0.2);
  assert.ok(Math.abs(d[0] - 0.2 ** (1 / 3)) < 1e-15 && Math.abs(d[1] / d[0] - d[0]) < 1e-12);
  assert.deepEqual(iterativeDensities(0.5, 1), [0.5]);
  assert.throws(() => iterativeDensities(0.5, 0), /rounds must be a positive integer/);
});

test("magnitude top-k on a hand-made case: global and per matrix, never reviving, ties to the earlier weight", () => {
  const net = makeNet("RNN_TANH", [2]); // W_ih 2×2, W_hh 2×2
  net.blocks[0].wIH.set([0.1, -0.8, 0.3, 0.3]);
  net.blocks[0].wHH.set([0.5, 0.05, -0.3, 0.9]);
  const global = magnitudeTopK(net, "both", 0.5);
  // |w| 0.9, 0.8, 0.5, then 0.3 three times: W_ih[2] is the earliest
  assert.deepEqual(Array.from(global.masks[0].maskIH!), [0, 1, 1, 0]);
  assert.deepEqual(Array.from(global.masks[0].maskHH!), [1, 0, 0, 1]);
  assert.equal(global.kept, 4);
  const perMatrix = magnitudeTopK(net, "both", 0.5, "matrix");
  assert.deepEqual(Array.from(perMatrix.masks[0].maskIH!), [0, 1, 1, 0], "0.8, then 0.3 at index 2 before index 3");
  assert.deepEqual(Array.from(perMatrix.masks[0].maskHH!), [1, 0, 0, 1]);
  net.setMasks(0, { maskHH: Uint8Array.of(0, 1, 1, 1) });
  assert.deepEqual(Array.from(magnitudeTopK(net, "h2h", 0.5).masks[0].maskHH!), [0, 0, 1, 1], "the pruned 0.5 stays pruned");
});

test("rewind restores every weight of the snapshot and keeps pruned weights 0", () => {
  const theta0 = makeNet("GRU", [4], 3);
  const ticket = theta0.clone();
  train(ticket, data, { ...training, epochs: 1 });
  applyPlan(ticket, magnitudeTopK(ticket, "both", 0.3));
  rewind(ticket, theta0);
  const w0 = snapshot(theta0), w = snapshot(ticket);
  ticket.blocks.forEach((b, k) => {
    b.maskIH.forEach((m, i) => assert.equal(w[4 * k][i], m ? w0[4 * k][i] : 0));
    b.maskHH.forEach((m, i) => assert.equal(w[4 * k + 1][i], m ? w0[4 * k + 1][i] : 0));
  });
  assert.deepEqual(unmaskedArrays(ticket), unmaskedArrays(theta0));
});

test("a lottery ticket rewound to θ₀: exact target density, nested rounds, kept weights = θ₀, reproducible", () => {
  const net = makeNet("GRU", [6], 4);
  const before = snapshot(net), masksBefore = masksOf(net);
  const options: LotteryOptions = { group: "h2h", density: 0.25, rounds: 2, rewindEpoch: 0, training };
  const ticket = lotteryTicket(options).masksAt(net, data);
  assert.deepEqual(snapshot(net), before, "the network given is not changed");
  assert.deepEqual(masksOf(net), masksBefore);
  assert.equal(ticket.kept, Math.round(0.25 * ticket.total));
  assert.deepEqual(ticket.rounds.map((r) => r.kept), [Math.round(0.5 * 108), Math.round(0.25 * 108)]);
  assert.deepEqual(ticket.rounds.map((r) => r.records.length), [3, 3]);
  // round 2 keeps a subset of round 1
  ticket.rounds[1].masks[0].maskHH!.forEach((m, i) => assert.ok(!m || ticket.rounds[0].masks[0].maskHH![i]));
  assert.deepEqual(ticket.network.blocks[0].maskHH, ticket.masks[0].maskHH);
  assert.deepEqual(Array.from(ticket.network.blocks[0].maskIH), new Array(ticket.network.blocks[0].maskIH.length).fill(1), "i2h not in the group");
  const w = snapshot(ticket.network);
  ticket.network.blocks[0].maskHH.forEach((m, i) => assert.equal(w[1][i], m ? before[1][i] : 0, `W_hh[${i}]`));
  assert.deepEqual(w[0], before[0], "W_ih = θ₀");
  assert.deepEqual(unmaskedArrays(ticket.network), unmaskedArrays(net), "biases, embedding, head = θ₀");
  assert.equal(ticket.startEpoch, 1);
  const again = findTicket(net, data, options);
  assert.deepEqual(again.masks, ticket.masks, "same seed, same ticket");
  assert.deepEqual(snapshot(again.network), w);
  assert.notDeepEqual(findTicket(net, data, { ...options, training: { ...training, seed: 3 } }).masks, ticket.masks, "another data order, another ticket");
});

test("late rewinding: the ticket's kept weights are θ at epoch j, and later rounds train epochs j+1 … E", () => {
  const net = makeNet("LSTM", [5], 6);
  const ticket = findTicket(net, data, { group: "both", density: 0.4, rounds: 2, rewindEpoch: 1, training, scope: "matrix" });
  const thetaJ = net.clone();
  train(thetaJ, data, { ...training, epochs: 1 });
  const wj = snapshot(thetaJ), w = snapshot(ticket.network);
  ticket.network.blocks.forEach((b, k) => {
    b.maskIH.forEach((m, i) => assert.equal(w[4 * k][i], m ? wj[4 * k][i] : 0));
    b.maskHH.forEach((m, i) => assert.equal(w[4 * k + 1][i], m ? wj[4 * k + 1][i] : 0));
  });
  assert.deepEqual(unmaskedArrays(ticket.network), unmaskedArrays(thetaJ));
  assert.equal(ticket.startEpoch, 2);
  assert.deepEqual(ticket.rounds[1].records.map((r) => r.epoch), [2, 3]);
  // per-matrix scope: every matrix at round(d·N)
  for (const m of groupMatrices(ticket.network, "both")) assert.equal(m.mask.reduce((a, b) => a + b, 0), Math.round(0.4 * m.mask.length), m.name);
  assert.throws(() => lotteryTicket({ group: "both", density: 0.4, rounds: 2, rewindEpoch: 3, training }), /rewindEpoch must be an integer in 0 … training.epochs − 1 \(2\), got 3/);
});
