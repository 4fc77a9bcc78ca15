import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "../../../src/nn/engine";
import { ColumnEngine } from "../../../src/nn/column-engine";
import { Network } from "../../../src/nn/network";
import { encodeSamples, makeBatch } from "../../../src/nn/batching";
import { CELL_MODES, CellMode, Padding } from "../../../src/nn/spec";
import { createWasmOps } from "../../../src/nn/wasm";
import { chooseThreads, DataParallel, flopsPerBatch, MIN_PARALLEL_FLOPS } from "../../../src/nn/wasm/data-parallel";
import { ShardedRunner, splitBatch } from "../../../src/nn/sharded-runner";
import type { Sample } from "../../../src/data/types";
import { assertClose, rng } from "./helpers";

function samples(count: number, seed: number): Sample[] {
  const random = rng(seed);
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * 12);
    let text = "";
    for (let i = 0; i < length; i++) text += "BTSXPVE"[Math.floor(random() * 7)];
    return { text, valid: random() < 0.5 };
  });
}

function network(mode: CellMode): Network {
  // a skip block exercises the DAG path in both threads
  return Network.create({ mode, vocab: 128, layers: [{ size: 7 }, { size: 5 }, { size: 6 }], skips: [{ from: 0, to: 2 }], classes: 2 }, { seed: 3, precision: "f32" });
}

test("splitBatch: rows [0, ⌈B/2⌉) and the rest, both padded to the batch's length; one string stays whole", () => {
  const set = encodeSamples(samples(7, 9), 128);
  const batch = makeBatch(set, Array.from({ length: 7 }, (_, i) => i), 0, 7);
  const [first, second] = splitBatch(batch);
  assert.equal(first.size, 4);
  assert.equal(second!.size, 3);
  assert.equal(first.steps, batch.steps);
  assert.equal(second!.steps, batch.steps);
  assert.deepEqual(Array.from(second!.lengths), Array.from(batch.lengths.subarray(4)));
  assert.deepEqual(Array.from(second!.tokens), Array.from(batch.tokens.subarray(4 * batch.steps)));
  const one = makeBatch(set, [3], 0, 1);
  assert.deepEqual(splitBatch(one), [one, undefined]);
});

for (const EngineClass of [Engine, ColumnEngine]) test(`${EngineClass.name}: one and two threads give bit-identical loss, accuracy and gradient (every mode and padding), the mean-loss gradient`, () => {
  const set = encodeSamples(samples(23, 1), 128);
  const order = Array.from({ length: 23 }, (_, i) => i);
  const capacity = { batch: 23, steps: set.maxLength };
  let compared = 0;
  for (const mode of CELL_MODES) {
    const net = network(mode);
    const whole = new EngineClass(net, createWasmOps(), capacity);
    const oneEngine = new EngineClass(net, createWasmOps(), capacity);
    const one = new ShardedRunner(oneEngine);
    const twoEngine = new EngineClass(net, createWasmOps(), capacity);
    const two = new ShardedRunner(twoEngine, DataParallel.create(twoEngine, net, { threads: 2, capacity }));
    assert.equal(two.threads, 2, "threads: 2 always splits");
    try {
      for (const padding of ["post", "packed"] as Padding[]) {
        for (const [from, to] of [[0, 23], [3, 20], [5, 6], [7, 8]]) {
          const batch = makeBatch(set, order, from, to);
          const what = `${mode} ${padding} batch of ${to - from}`;
          const a = one.lossAndGradient(batch, padding);
          const b = two.lossAndGradient(batch, padding);
          assert.equal(b.loss, a.loss, `${what} loss`);
          assert.equal(b.correct, a.correct, `${what} correct`);
          assert.deepEqual(twoEngine.grad, oneEngine.grad, `${what} gradient`);
          assert.deepEqual(two.evaluateBatch(batch, padding), one.evaluateBatch(batch, padding), `${what} evaluate`);
          // the shards' combination is the whole batch's mean-loss gradient, up to float32 rounding
          const expected = whole.lossAndGradient(batch, padding);
          assertClose([a.loss], [expected.loss], `${what} loss vs the unsplit batch`, { rel: 1e-5, abs: 1e-6 });
          assertClose(oneEngine.grad, whole.grad, `${what} gradient vs the unsplit batch`, { rel: 1e-4, abs: 1e-6 });
          compared++;
        }
      }
      // after an optimizer step the worker trains on the updated θ
      oneEngine.step({ lr: 0.01, clip: 5 });
      twoEngine.step({ lr: 0.01, clip: 5 });
      const batch = makeBatch(set, order, 0, 23);
      assert.equal(two.lossAndGradient(batch, "post").loss, one.lossAndGradient(batch, "post").loss, `${mode} after a step`);
      assert.deepEqual(twoEngine.grad, oneEngine.grad, `${mode} gradient after a step`);
    } finally {
      two.close();
    }
  }
  assert.equal(compared, CELL_MODES.length * 2 * 4);
});

test("new weights and masks reach the worker through loadParameters", () => {
  const set = encodeSamples(samples(16, 2), 128);
  const order = Array.from({ length: 16 }, (_, i) => i);
  const capacity = { batch: 16, steps: set.maxLength };
  const net = network("GRU");
  const engine = new Engine(net, createWasmOps(), capacity);
  const two = new ShardedRunner(engine, DataParallel.create(engine, net, { threads: 2, capacity }));
  try {
    const maskHH = new Uint8Array(net.blocks[1].maskHH.length).fill(1);
    maskHH.fill(0, 0, 10);
    net.setMasks(1, { maskHH });
    net.headB[0] += 0.5; // a weight change outside training, too
    two.loadParameters(net);
    const oneEngine = new Engine(net, createWasmOps(), capacity);
    const batch = makeBatch(set, order, 0, 16);
    const expected = new ShardedRunner(oneEngine).lossAndGradient(batch, "post");
    assert.equal(two.lossAndGradient(batch, "post").loss, expected.loss, "loss with masks");
    assert.deepEqual(engine.grad, oneEngine.grad, "gradient with masks");
  } finally {
    two.close();
  }
});

test("a closed driver's worker serves the next one; a closed driver refuses work", () => {
  const set = encodeSamples(samples(8, 5), 128);
  const capacity = { batch: 8, steps: set.maxLength };
  const batch = makeBatch(set, Array.from({ length: 8 }, (_, i) => i), 0, 8);
  const [, second] = splitBatch(batch);
  const firstEngine = new Engine(network("LSTM"), createWasmOps(), capacity);
  DataParallel.create(firstEngine, network("LSTM"), { threads: 2, capacity })!.close();
  const start = performance.now();
  const net = network("RNN_RELU");
  const engine = new Engine(net, createWasmOps(), capacity);
  const worker = DataParallel.create(engine, net, { threads: 2, capacity })!;
  const setup = performance.now() - start;
  const two = new ShardedRunner(engine, worker);
  try {
    assert.ok(setup < 300, `reusing the idle worker took ${setup.toFixed(0)} ms`);
    const expected = new ShardedRunner(new Engine(net, createWasmOps(), capacity)).lossAndGradient(batch, "packed");
    assert.equal(two.lossAndGradient(batch, "packed").loss, expected.loss, "loss on the reused worker");
  } finally {
    two.close();
  }
  assert.throws(() => worker.submit(second!, "post", true), /after close/);
});

test("threads: auto stays single-threaded for tiny networks and splits the thesis's base GRU", () => {
  const tiny = Network.create({ mode: "GRU", vocab: 128, layers: [{ size: 4 }, { size: 4 }], skips: [], classes: 2 }, { seed: 1 });
  assert.ok(flopsPerBatch(tiny, 32, 33) < MIN_PARALLEL_FLOPS);
  assert.equal(chooseThreads("auto", flopsPerBatch(tiny, 32, 33)), 1);
  const base = Network.create({ mode: "GRU", vocab: 128, layers: [{ size: 50 }, { size: 50 }, { size: 50 }], skips: [], classes: 2 }, { seed: 1 });
  assert.ok(flopsPerBatch(base, 32, 33) > 2.5e8); // ≈ 285 MFLOP
  assert.equal(chooseThreads(1, 1e12), 1);
  assert.equal(chooseThreads(2, 1), 2);
  const saved = process.env.SPARSE_RNN_THREADS;
  try {
    process.env.SPARSE_RNN_THREADS = "1";
    assert.equal(chooseThreads("auto", 1e12), 1);
    assert.equal(chooseThreads(2, 1e12), 2, "an explicit count wins over the environment");
    process.env.SPARSE_RNN_THREADS = "two";
    assert.throws(() => chooseThreads("auto", 1e12), /SPARSE_RNN_THREADS=two/);
  } finally {
    if (saved === undefined) delete process.env.SPARSE_RNN_THREADS;
    else process.env.SPARSE_RNN_THREADS = saved;
  }
  assert.throws(() => chooseThreads(0, 1), /positive integer/);
});
