import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Sample } from "../../src/data/types";
import { Network } from "../../src/nn/network";
import { Random } from "../../src/core/random";
import { NetworkSpec } from "../../src/nn/spec";
import { evaluate, predict, train, trainAsync, Trainer } from "../../src/nn/train";

/** A toy task the network can learn quickly: valid ⇔ the string contains 'X'. */
function toy(n: number, seed: number): Sample[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    const len = 2 + rng.nextInt(7);
    let text = "";
    for (let i = 0; i < len; i++) text += "ABCX"[rng.nextInt(4)];
    return { text, valid: text.includes("X") };
  });
}

const spec = (mode: NetworkSpec["mode"]): NetworkSpec => ({ mode, vocab: 128, classes: 2, layers: [{ size: 8 }, { size: 8 }], skips: [] });
const data = { train: toy(400, 1), test: toy(100, 2) };

test("training learns a toy task; records carry loss sums, means and accuracies", () => {
  const net = Network.create(spec("GRU"), { seed: 1 });
  const seen: number[] = [];
  const log = train(net, data, { epochs: 6, batchSize: 16, lr: 0.01, seed: 3, padding: "packed", onEpoch: (r) => seen.push(r.epoch) });
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  const last = log[log.length - 1];
  assert.ok(last.testAcc > 0.9, `test accuracy ${last.testAcc}`);
  assert.ok(last.trainLoss < log[0].trainLoss);
  assert.ok(Math.abs(last.trainLoss / 25 - last.trainLossMean) < 1e-12); // 400 / 16 = 25 batches
  const ev = evaluate(net, data.test, { batchSize: 16, padding: "packed" });
  assert.ok(Math.abs(ev.acc - last.testAcc) < 1e-12 && Math.abs(ev.loss - last.testLoss) < 1e-9);
  const p = predict(net, data.test, { padding: "packed" });
  const acc = data.test.filter((s, i) => (p[i] > 0.5) === s.valid).length / data.test.length;
  assert.ok(Math.abs(acc - ev.acc) < 1e-12);
});

test("the same seed gives identical numbers; another seed differs", () => {
  const run = (seed: number) => train(Network.create(spec("LSTM"), { seed: 1 }), data, { epochs: 2, batchSize: 32, seed }).map((r) => [r.trainLoss, r.testLoss, r.trainAcc]);
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
});

test("a diverging RNN_RELU run throws naming mode, epoch and batch", () => {
  const net = Network.create(spec("RNN_RELU"), { seed: 1 });
  net.blocks.forEach((b) => { b.wHH.fill(1e40); b.wIH.fill(1e40); }); // activations overflow
  assert.throws(() => train(net, data, { epochs: 1, batchSize: 16, seed: 1 }), /RNN_RELU: loss is (NaN|Infinity) at epoch 1, batch 1 of 25/);
});

test("afterStep sees current weights and its mask changes persist", () => {
  const net = Network.create(spec("GRU"), { seed: 1 });
  let steps = 0;
  train(net, data, {
    epochs: 1, batchSize: 50, seed: 1,
    afterStep: (n, step) => { steps = step; if (step === 2) n.setMasks(1, { maskHH: new Uint8Array(n.blocks[1].maskHH.length) }); },
  });
  assert.equal(steps, 8);
  assert.ok(net.blocks[1].wHH.every((x) => x === 0));
});

test("bad options are rejected with their names", () => {
  const net = Network.create(spec("GRU"), { seed: 1 });
  assert.throws(() => train(net, data, { epochs: 0, batchSize: 8, seed: 1 }), /TrainOptions\.epochs/);
  assert.throws(() => train(net, { train: [{ text: "a\u00ffb", valid: true }], test: [] }, { epochs: 1, batchSize: 8, seed: 1 }), /data\.train\[0\]: .*character "ÿ"/);
});

test("Trainer epoch by epoch and trainAsync give the numbers of one train call", async () => {
  const options = { epochs: 3, batchSize: 32, seed: 7 };
  const whole = train(Network.create(spec("GRU"), { seed: 2 }), data, options).map((r) => [r.trainLoss, r.testAcc]);
  const trainer = new Trainer(Network.create(spec("GRU"), { seed: 2 }), data, options);
  const stepwise = [trainer.runEpoch(), trainer.runEpoch(), trainer.runEpoch()].map((r) => [r.trainLoss, r.testAcc]);
  assert.deepEqual(stepwise, whole);
  const asyncRun = (await trainAsync(Network.create(spec("GRU"), { seed: 2 }), data, options)).map((r) => [r.trainLoss, r.testAcc]);
  assert.deepEqual(asyncRun, whole);
});

test("two threads (wasm data parallelism, when available) give the numbers of one thread", () => {
  const run = (threads: number) => train(Network.create(spec("GRU"), { seed: 4 }), data, { epochs: 2, batchSize: 32, seed: 4, threads });
  const one = run(1), two = run(2);
  one.forEach((r, i) => {
    // float32 sums in another order: losses agree closely; a borderline string may flip class
    for (const key of ["trainLoss", "testLoss"] as const) {
      assert.ok(Math.abs(r[key] - two[i][key]) <= 1e-4 * Math.max(1, Math.abs(r[key])), `epoch ${r.epoch} ${key}: ${r[key]} vs ${two[i][key]}`);
    }
    for (const key of ["trainAcc", "testAcc"] as const) {
      assert.ok(Math.abs(r[key] - two[i][key]) <= 0.01, `epoch ${r.epoch} ${key}: ${r[key]} vs ${two[i][key]}`);
    }
  });
});

test("a run resumed from a checkpoint file repeats the uninterrupted run exactly", () => {
  const options = { epochs: 3, batchSize: 32, seed: 9, backend: "js" as const };
  const whole = train(Network.create(spec("LSTM"), { seed: 3 }), data, options);
  const first = new Trainer(Network.create(spec("LSTM"), { seed: 3 }), data, options);
  first.runEpoch();
  first.runEpoch();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "trainer-")), "cp.json");
  first.saveCheckpoint(file);
  const resumed = Trainer.resume(file, data, options);
  const third = resumed.runEpoch();
  assert.equal(third.epoch, 3);
  assert.equal(third.trainLoss, whole[2].trainLoss);
  assert.equal(third.testLoss, whole[2].testLoss);
  assert.throws(() => Trainer.resume({ format: "nope" } as never, data, options), /not a sparse-rnn-lab trainer checkpoint/);
});

test("a float32 network trains on the float64 backend and stays float32", () => {
  const net = Network.create(spec("GRU"), { seed: 1, precision: "f32" });
  const log = train(net, data, { epochs: 2, batchSize: 32, seed: 1, backend: "js" });
  assert.ok(net.embedding instanceof Float32Array && net.blocks[0].wHH instanceof Float32Array);
  assert.ok(log[1].trainLoss < log[0].trainLoss);
  assert.equal(Network.load(JSON.parse(JSON.stringify(net.toJSON()))).precision, "f32");
});
