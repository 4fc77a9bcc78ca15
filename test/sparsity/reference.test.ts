/**
 * The engine against the tfjs reference under dynamic sparse training: the dense gradient
 * (EngineBase.denseLossAndGradient, RigL's growth criterion) is the reference gradient of the
 * network with its masks opened, and leaves the masked computation exactly as it was; SET and RigL
 * changing the masks after every step keep the engine's loss and gradients equal to the reference's
 * and the masked weights exactly 0 — plain JS and the sparse backend (js and wasm), both layouts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../src/core/random";
import type { Batch } from "../../src/data/types";
import { createEngine } from "../../src/nn/create-engine";
import type { EngineBase } from "../../src/nn/engine-base";
import type { KernelOps } from "../../src/nn/kernel-ops";
import { jsOps } from "../../src/nn/js-ops";
import { Network } from "../../src/nn/network";
import { referenceGradients } from "../../src/nn/reference/model";
import { CELL_MODES } from "../../src/nn/spec";
import type { StepContext } from "../../src/nn/train";
import { wasmAvailable } from "../../src/nn/wasm/load";
import { WasmOps } from "../../src/nn/wasm/wasm-ops";
import { maskViolations, SparseWeightOps } from "../../src/prune";
import { applyPlan, DynamicMethod, rigl, set } from "../../src/sparsity";
import { randomBatch, relativeError, smallSpec } from "../nn/helpers";

const capacity = { batch: 6, steps: 7 };
const BACKENDS: Array<[string, () => KernelOps, number]> = [
  ["js-f64", () => jsOps("f64"), 2e-5],
  ["sparse(js-f64)", () => new SparseWeightOps(jsOps("f64"), { maxDensity: 1 }), 2e-5],
  ...(wasmAvailable() ? [["sparse(wasm)", () => new SparseWeightOps(new WasmOps(), { maxDensity: 1 }), 2e-4] as [string, () => KernelOps, number]] : []),
];

/** A copy of the network with every recurrent mask opened (its masked weights are 0, so it computes the same function). */
function opened(net: Network): Network {
  const copy = net.clone();
  copy.blocks.forEach((b, i) => copy.setMasks(i, { maskIH: new Uint8Array(b.maskIH.length).fill(1), maskHH: new Uint8Array(b.maskHH.length).fill(1) }));
  return copy;
}

function assertMatchesReference(engine: EngineBase, net: Network, loss: number, reference: { loss: number; grads: Float32Array[] }, tolerance: number, what: string): void {
  assert.ok(Math.abs(loss - reference.loss) <= tolerance * Math.abs(reference.loss), `${what}: loss ${loss} vs ${reference.loss}`);
  engine.gradientArrays(net).forEach((g, i) => {
    const err = relativeError(g, reference.grads[i]);
    assert.ok(err <= tolerance, `${what}: gradient array ${i}, relative error ${err}`);
  });
}

function copies(engine: EngineBase, net: Network): Float64Array[] {
  return engine.gradientArrays(net).map((g) => Float64Array.from(g));
}

for (const [backend, ops, tolerance] of BACKENDS) for (const layout of ["rows", "columns"] as const) {
  test(`${backend} ${layout}: the dense gradient is the reference's with the masks opened and changes nothing else`, () => {
    for (const mode of CELL_MODES) {
      const rng = new Random(21);
      const net = Network.create(smallSpec(mode, [5, 4, 6], [[0, 2]], rng, true), { seed: 8 });
      const batch = randomBatch(capacity.batch, capacity.steps, 12, rng);
      const engine = createEngine(net, ops(), capacity, { layout, maxFusedHidden: 0 });
      engine.lossAndGradient(batch, "packed"); // the sparse backend forms the first gradient dense (numerics version 2), later ones on the patterns
      const first = engine.lossAndGradient(batch, "packed");
      const masked = copies(engine, net);
      const dense = engine.denseLossAndGradient(batch, "packed");
      assertMatchesReference(engine, net, dense.loss, referenceGradients(opened(net), batch, "packed"), tolerance, `${mode} dense`);
      assert.equal(dense.loss, first.loss, `${mode}: the masked network's loss`);
      const grads = engine.gradientArrays(net);
      assert.ok(net.blocks.some((b, k) => b.maskHH.some((m, i) => !m && grads[4 * k + 1][i] !== 0)), `${mode}: masked weights got a gradient`);
      const again = engine.lossAndGradient(batch, "packed");
      assert.equal(again.loss, first.loss, `${mode}: masks restored`);
      assert.deepEqual(copies(engine, net), masked, `${mode}: the masked gradient afterwards is bit-identical`);
    }
  });

  for (const [name, make] of [["SET", set], ["RigL", rigl]] as const) {
    test(`${backend} ${layout}: ${name} changing the masks after every step keeps the gradients equal to the reference`, () => {
      for (const mode of CELL_MODES) {
        const rng = new Random(31);
        const net = Network.create(smallSpec(mode, [5, 4, 6], [[0, 2]], rng, false), { seed: 9 });
        const batch: Batch = randomBatch(capacity.batch, capacity.steps, 12, rng);
        const method: DynamicMethod = make({ group: "both", density: 0.5, seed: 4, schedule: { every: 1, fraction: 0.3, endStep: 1000, decay: "constant" } });
        applyPlan(net, method.masksAt(net));
        const engine = createEngine(net, ops(), capacity, { layout, maxFusedHidden: 0 });
        const context: StepContext = {
          batch,
          denseGradient: () => {
            engine.loadParameters(net);
            engine.denseLossAndGradient(batch, "packed");
            return copies(engine, net);
          },
        };
        let previous = net.blocks.map((b) => [Uint8Array.from(b.maskIH), Uint8Array.from(b.maskHH)]);
        for (let step = 1; step <= 4; step++) {
          const { loss } = engine.lossAndGradient(batch, "packed");
          assertMatchesReference(engine, net, loss, referenceGradients(net, batch, "packed"), tolerance, `${mode} step ${step}`);
          engine.step({ lr: 0.02, clip: 5 });
          engine.storeParameters(net);
          method.afterStep(net, step, context);
          engine.loadParameters(net);
          const now = net.blocks.map((b) => [Uint8Array.from(b.maskIH), Uint8Array.from(b.maskHH)]);
          assert.notDeepEqual(now, previous, `${mode} step ${step}: the masks changed`);
          previous = now;
          const held = net.clone();
          engine.storeParameters(held);
          assert.equal(maskViolations(held.blocks), 0, `${mode} step ${step}: the engine's masked weights are exactly 0`);
        }
      }
    });
  }
}
