/**
 * SET and RigL through the Trainer's afterStep hook, the masks changing after every step: masked
 * weights stay exactly 0, every matrix keeps its count, runs are reproducible by seed (and on one or
 * two threads); StepContext.denseGradient is the reference's gradient with the masks opened and a
 * hook asking for it without changing anything leaves the run bit-identical.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset } from "../../src/data";
import { Network } from "../../src/nn/network";
import { referenceGradients } from "../../src/nn/reference/model";
import { train, Trainer, TrainOptions } from "../../src/nn/train";
import { wasmAvailable } from "../../src/nn/wasm/load";
import { maskViolations, sparseBackend } from "../../src/prune";
import { applyPlan, DynamicMethod, keptPerMatrix, MaskUpdateEvent, rigl, set } from "../../src/sparsity";
import { relativeError } from "../nn/helpers";
import { makeNet, snapshot } from "./helpers";

const data = generateDataset({ size: 64, testSize: 16, seed: 8 });
const base = { epochs: 2, batchSize: 16, seed: 3, lr: 0.01 };
const BACKENDS: Array<[string, Partial<TrainOptions>]> = [
  ["js", { backend: "js" }],
  ["sparse(js)", { backend: sparseBackend("js", 1) as "js" }],
  ...(wasmAvailable() ? [["wasm", { backend: "wasm", threads: 1 }], ["wasm ×2", { backend: "wasm", threads: 2 }]] as Array<[string, Partial<TrainOptions>]> : []),
];

function runDynamic(make: typeof set, seed: number, options: Partial<TrainOptions>) {
  const events: MaskUpdateEvent[] = [];
  const method: DynamicMethod = make({
    group: "both", density: 0.4, seed, schedule: { every: 1, fraction: 0.2, endStep: 1000, decay: "constant" }, onUpdate: (e) => events.push(e),
  });
  const net = makeNet("GRU", [6, 5], 2);
  applyPlan(net, method.masksAt(net));
  const counts = keptPerMatrix(net, "both");
  let violations = 0;
  const records = train(net, data, {
    ...base, ...options,
    afterStep: (n, step, context) => {
      method.afterStep(n, step, context);
      assert.deepEqual(keptPerMatrix(n, "both"), counts, `step ${step}: counts per matrix`);
      violations += maskViolations(n.blocks);
    },
  });
  assert.equal(events.length, base.epochs * Math.ceil(data.train.length / base.batchSize), "an update after every step");
  assert.ok(events.every((e) => e.matrices.some((m) => m.grown.some((i) => !m.dropped.includes(i)))), "every update moved weights");
  return { net, records: records.map(({ seconds: _, ...r }) => r), violations };
}

for (const [name, make] of [["SET", set], ["RigL", rigl]] as const) {
  test(`${name} through the Trainer, masks changed every step: exact zeros, counts kept, reproducible by seed`, () => {
    const results = BACKENDS.map(([backend, options]) => {
      const a = runDynamic(make, 5, options);
      assert.equal(a.violations, 0, `${backend}: masked weights are 0 after every update`);
      assert.equal(maskViolations(a.net.blocks), 0, `${backend}: and after training`);
      assert.ok(a.records.every((r) => Number.isFinite(r.trainLoss)), `${backend}: finite losses`);
      const b = runDynamic(make, 5, options);
      assert.deepEqual(snapshot(b.net), snapshot(a.net), `${backend}: same seed, same weights`);
      assert.deepEqual(b.records, a.records, `${backend}: same records`);
      const c = runDynamic(make, 6, options);
      assert.notDeepEqual(c.net.blocks.map((x) => x.maskHH), a.net.blocks.map((x) => x.maskHH), `${backend}: another seed, other masks`);
      return { backend, a };
    });
    const wasm = results.filter((r) => r.backend.startsWith("wasm"));
    if (wasm.length === 2) {
      assert.deepEqual(snapshot(wasm[1].a.net), snapshot(wasm[0].a.net), "wasm: the same numbers on one and two threads");
      assert.deepEqual(wasm[1].a.records, wasm[0].a.records);
    }
  });
}

test("StepContext.denseGradient is the reference gradient with the masks opened; asking for it changes nothing", () => {
  for (const [backend, options] of BACKENDS) {
    const start = () => {
      const net = makeNet("LSTM", [5, 4], 7);
      applyPlan(net, set({ group: "both", density: 0.5, seed: 1, schedule: { every: 1, fraction: 0.1, endStep: 2 } }).masksAt(net));
      return net;
    };
    const plain = start();
    train(plain, data, { ...base, ...options, afterStep: () => {} });
    const asked = start();
    let checked = 0;
    train(asked, data, {
      ...base, ...options,
      afterStep: (n, step, context) => {
        const dense = context.denseGradient();
        if (step > 2 || !backend.startsWith("js")) return;
        const opened = n.clone();
        opened.blocks.forEach((b, i) => opened.setMasks(i, { maskIH: new Uint8Array(b.maskIH.length).fill(1), maskHH: new Uint8Array(b.maskHH.length).fill(1) }));
        const ref = referenceGradients(opened, context.batch, "post");
        dense.forEach((g, i) => assert.ok(relativeError(g, ref.grads[i]) <= 2e-5, `${backend} step ${step}: array ${i}`));
        assert.ok(n.blocks.some((b, k) => b.maskHH.some((m, i) => !m && dense[4 * k + 1][i] !== 0)), "masked weights have a gradient");
        checked++;
      },
    });
    assert.equal(checked, backend.startsWith("js") ? 2 : 0);
    assert.deepEqual(snapshot(asked), snapshot(plain), `${backend}: bit-identical run`);
    assert.ok(asked instanceof Network);
  }
});

test("a SET run resumed from a checkpoint makes the updates of the uninterrupted run (the hook holds no state)", () => {
  const options = { ...base, backend: "js" as const };
  const method = () => set({ group: "h2h", density: 0.3, seed: 9, schedule: { every: 2, fraction: 0.3, endStep: 100 } });
  const start = () => { const net = makeNet("RNN_TANH", [6], 4); applyPlan(net, method().masksAt(net)); return net; };
  const whole = start();
  train(whole, data, { ...options, afterStep: method().afterStep });
  const first = new Trainer(start(), data, { ...options, afterStep: method().afterStep });
  first.runEpoch();
  const checkpoint = first.checkpoint();
  first.close();
  const resumed = Trainer.resume(checkpoint, data, { ...options, afterStep: method().afterStep });
  resumed.runEpoch();
  resumed.close();
  assert.deepEqual(snapshot(resumed.net), snapshot(whole));
  assert.deepEqual(resumed.net.blocks[0].maskHH, whole.blocks[0].maskHH);
});
