import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset } from "../../src/data";
import { Network } from "../../src/nn/network";
import { train } from "../../src/nn/train";
import { cubicSparsity, isPruningStep, gradualPruningHook, rampSchedule, CubicSchedule, countOnes, maskViolations } from "../../src/prune";

const schedule: CubicSchedule = { initialSparsity: 0.1, finalSparsity: 0.9, startStep: 5, intervals: 4, frequency: 10 };

test("cubic schedule: s_i at t0, s_f from t0 + nΔt on, Zhu & Gupta's formula in between", () => {
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-15;
  assert.ok(close(cubicSparsity(schedule, 1), 0.1));
  assert.ok(close(cubicSparsity(schedule, 5), 0.1));
  // t = t0 + 2Δt: s_f + (s_i − s_f)(1 − 1/2)³
  assert.ok(close(cubicSparsity(schedule, 25), 0.9 - 0.8 / 8));
  assert.equal(cubicSparsity(schedule, 45), 0.9);
  assert.equal(cubicSparsity(schedule, 1000), 0.9);
  const steps = Array.from({ length: 60 }, (_, i) => i + 1).filter((t) => isPruningStep(schedule, t));
  assert.deepEqual(steps, [5, 15, 25, 35, 45]);
  assert.throws(() => gradualPruningHook({ ...schedule, frequency: 0 }, { kind: "both" }), /frequency must be a positive integer, got 0/);
});

test("gradual pruning through the engine's afterStep reaches the final sparsity and keeps masks zero", () => {
  const d = generateDataset({ size: 96, testSize: 32, seed: 9 });
  const net = Network.create({ mode: "GRU", vocab: 128, layers: [{ size: 8 }], skips: [], classes: 2 }, { seed: 4 });
  const hook = gradualPruningHook({ initialSparsity: 0, finalSparsity: 0.8, startStep: 1, intervals: 3, frequency: 2 }, { kind: "h2h" });
  const densities: number[] = [];
  train(net, { train: d.train, test: d.test }, {
    epochs: 2, batchSize: 16, seed: 1, backend: "js",
    afterStep: (n, step) => { hook(n, step); densities.push(countOnes(n.blocks[0].maskHH) / n.blocks[0].maskHH.length); },
  });
  // 4 batches per epoch: prunes at steps 1, 3, 5, 7 to 0, 0.56, 0.77, 0.8 (up to ties)
  assert.equal(densities[0], 1);
  for (let i = 1; i < densities.length; i++) assert.ok(densities[i] <= densities[i - 1], "masks only shrink");
  assert.ok(Math.abs(densities[densities.length - 1] - 0.2) < 0.02, `final density ${densities[densities.length - 1]}`);
  assert.equal(countOnes(net.blocks[0].maskIH), net.blocks[0].maskIH.length, "i2h untouched");
  assert.equal(maskViolations(net.blocks), 0);
});

test("rampSchedule: from 0 at step 1 to the final sparsity within the ramp's steps, in about the intervals asked", () => {
  const s = rampSchedule(0.9, 100, 8);
  assert.deepEqual(s, { initialSparsity: 0, finalSparsity: 0.9, startStep: 1, intervals: 8, frequency: 12 });
  assert.equal(cubicSparsity(s, 1), 0);
  assert.equal(cubicSparsity(s, 1 + 8 * 12), 0.9, "reached at step 97 ≤ 100");
  assert.deepEqual(rampSchedule(0.5, 3, 8), { initialSparsity: 0, finalSparsity: 0.5, startStep: 1, intervals: 2, frequency: 1 }, "fewer steps than intervals: every step");
});
