import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "../../src/nn/engine";
import { ColumnEngine } from "../../src/nn/column-engine";
import { Network } from "../../src/nn/network";
import { encodeSamples, makeBatch } from "../../src/nn/batching";
import { CELL_MODES, CellMode, Padding } from "../../src/nn/spec";
import { createWasmOps } from "../../src/nn/wasm";
import { chooseThreads, DataParallel, flopsPerBatch, MIN_PARALLEL_FLOPS } from "../../src/nn/wasm/data-parallel";
import type { Sample } from "../../src/data/types";
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

for (const EngineClass of [Engine, ColumnEngine]) test(`${EngineClass.name}: two threads give the single-thread loss, accuracy and gradient for every mode and padding`, () => {
  const set = encodeSamples(samples(23, 1), 128);
  const order = Array.from({ length: 23 }, (_, i) => i);
  const capacity = { batch: 23, steps: set.maxLength };
  for (const mode of CELL_MODES) {
    const net = network(mode);
    const single = new EngineClass(net, createWasmOps(), capacity);
    const engine = new EngineClass(net, createWasmOps(), capacity);
    const parallel = DataParallel.create(engine, net, { threads: 2, capacity })!;
    assert.ok(parallel, "threads: 2 always splits");
    try {
      for (const padding of ["post", "packed"] as Padding[]) {
        for (const [from, to] of [[0, 23], [3, 20], [5, 6]]) {
          const batch = makeBatch(set, order, from, to);
          const what = `${mode} ${padding} batch of ${to - from}`;
          const expected = single.lossAndGradient(batch, padding);
          const actual = parallel.lossAndGradient(batch, padding);
          assertClose([actual.loss], [expected.loss], `${what} loss`, { rel: 1e-5, abs: 1e-6 });
          assert.equal(actual.correct, expected.correct, `${what} correct`);
          assertClose(engine.grad, single.grad, `${what} gradient`, { rel: 1e-4, abs: 1e-6 });
          const evaluated = parallel.evaluateBatch(batch, padding);
          assertClose([evaluated.loss], [expected.loss], `${what} evaluate`, { rel: 1e-5, abs: 1e-6 });
        }
      }
      // after an optimizer step the worker trains on the updated θ
      engine.step({ lr: 0.01, clip: 5 });
      single.loadParameters(net);
      (single.theta as Float32Array).set(engine.theta as Float32Array);
      const batch = makeBatch(set, order, 0, 23);
      const expected = single.lossAndGradient(batch, "post");
      assertClose([parallel.lossAndGradient(batch, "post").loss], [expected.loss], `${mode} after a step`, { rel: 1e-5, abs: 1e-6 });
    } finally {
      parallel.close();
    }
  }
});

test("new weights and masks reach the worker through loadParameters", () => {
  const set = encodeSamples(samples(16, 2), 128);
  const order = Array.from({ length: 16 }, (_, i) => i);
  const capacity = { batch: 16, steps: set.maxLength };
  const net = network("GRU");
  const engine = new Engine(net, createWasmOps(), capacity);
  const parallel = DataParallel.create(engine, net, { threads: 2, capacity })!;
  try {
    const maskHH = new Uint8Array(net.blocks[1].maskHH.length).fill(1);
    maskHH.fill(0, 0, 10);
    net.setMasks(1, { maskHH });
    net.headB[0] += 0.5; // a weight change outside training, too
    parallel.loadParameters(net);
    const single = new Engine(net, createWasmOps(), capacity);
    const batch = makeBatch(set, order, 0, 16);
    const expected = single.lossAndGradient(batch, "post");
    assertClose([parallel.lossAndGradient(batch, "post").loss], [expected.loss], "loss with masks", { rel: 1e-5, abs: 1e-6 });
    assertClose(engine.grad, single.grad, "gradient with masks", { rel: 1e-4, abs: 1e-6 });
  } finally {
    parallel.close();
  }
});

test("a closed driver's worker serves the next one; a closed driver refuses work", () => {
  const set = encodeSamples(samples(8, 5), 128);
  const capacity = { batch: 8, steps: set.maxLength };
  const batch = makeBatch(set, Array.from({ length: 8 }, (_, i) => i), 0, 8);
  const first = DataParallel.create(new Engine(network("LSTM"), createWasmOps(), capacity), network("LSTM"), { threads: 2, capacity })!;
  first.close();
  const start = performance.now();
  const net = network("RNN_RELU");
  const engine = new Engine(net, createWasmOps(), capacity);
  const second = DataParallel.create(engine, net, { threads: 2, capacity })!;
  const setup = performance.now() - start;
  try {
    assert.ok(setup < 300, `reusing the idle worker took ${setup.toFixed(0)} ms`);
    const expected = new Engine(net, createWasmOps(), capacity).lossAndGradient(batch, "packed");
    assertClose([second.lossAndGradient(batch, "packed").loss], [expected.loss], "loss on the reused worker", { rel: 1e-5, abs: 1e-6 });
  } finally {
    second.close();
  }
  assert.throws(() => second.lossAndGradient(batch, "post"), /after close/);
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
