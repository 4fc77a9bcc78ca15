/**
 * Masks as explicit state of the KernelOps seam (bindParameters / maskChanged): masks
 * that change between any two steps, as dynamic sparse training changes them, keep the
 * sparse backend's gradients equal to the tfjs reference's, in both engine layouts and
 * over plain JS and wasm; and a change rebuilds the patterns of the changed block only.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../src/core/random";
import { createEngine } from "../../src/nn/create-engine";
import type { KernelOps } from "../../src/nn/kernel-ops";
import { jsOps } from "../../src/nn/js-ops";
import { Network } from "../../src/nn/network";
import { referenceGradients } from "../../src/nn/reference/model";
import { CELL_MODES } from "../../src/nn/spec";
import { WasmOps } from "../../src/nn/wasm/wasm-ops";
import { wasmAvailable } from "../../src/nn/wasm/load";
import { SparseWeightOps } from "../../src/prune";
import { randomBatch, relativeError, smallSpec } from "../nn/helpers";

const capacity = { batch: 6, steps: 7 };
/** float64 kernels agree with tfjs (float32) to float32 precision; float32 wasm kernels to a few ulp more */
const BACKENDS: Array<[string, () => KernelOps, number]> = [
  ["js-f64", () => jsOps("f64"), 2e-5],
  ...(wasmAvailable() ? [["wasm", () => new WasmOps(), 2e-4] as [string, () => KernelOps, number]] : []),
];

function randomMask(n: number, rng: Random): Uint8Array {
  return Uint8Array.from({ length: n }, () => (rng.nextFloat() < 0.6 ? 1 : 0));
}

/** New masks for every block of the network (its weights follow: newly pruned ones become 0). */
function remask(net: Network, rng: Random, blocks = net.blocks.map((_, i) => i)): void {
  for (const i of blocks) net.setMasks(i, { maskIH: randomMask(net.blocks[i].maskIH.length, rng), maskHH: randomMask(net.blocks[i].maskHH.length, rng) });
}

for (const [backend, base, tolerance] of BACKENDS) for (const layout of ["rows", "columns"] as const) {
  test(`${backend} ${layout}: masks changed before every step keep the sparse gradients equal to the reference`, () => {
    for (const mode of CELL_MODES) {
      const rng = new Random(3);
      const net = Network.create(smallSpec(mode, [5, 4, 6], [[0, 2]], rng, true), { seed: 4 });
      const batch = randomBatch(capacity.batch, capacity.steps, 12, rng);
      const ops = new SparseWeightOps(base(), { maxDensity: 1 }); // every masked product on its pattern
      const engine = createEngine(net, ops, capacity, { layout, maxFusedHidden: 0 });
      for (let step = 1; step <= 4; step++) {
        engine.storeParameters(net);
        remask(net, rng);
        engine.loadParameters(net);
        const sparseBefore = ops.stats.sparse;
        const { loss } = engine.lossAndGradient(batch, "packed");
        assert.ok(ops.stats.sparse > sparseBefore, `${mode} step ${step}: products ran on the patterns`);
        const ref = referenceGradients(net, batch, "packed");
        assert.ok(Math.abs(loss - ref.loss) <= tolerance * Math.abs(ref.loss), `${mode} step ${step}: loss ${loss} vs ${ref.loss}`);
        const grads = engine.gradientArrays(net);
        grads.forEach((g, i) => {
          const err = relativeError(g, ref.grads[i]);
          assert.ok(err <= tolerance, `${mode} step ${step}: gradient array ${i}, relative error ${err}`);
        });
        net.blocks.forEach((b, k) => {
          b.maskIH.forEach((m, i) => assert.ok(m || grads[4 * k][i] === 0, `${mode} step ${step}: a pruned W_ih entry got a gradient`));
          b.maskHH.forEach((m, i) => assert.ok(m || grads[4 * k + 1][i] === 0, `${mode} step ${step}: a pruned W_hh entry got a gradient`));
        });
        engine.step({ lr: 0.01, clip: 5 });
      }
    }
  });

  test(`${backend} ${layout}: a mask change between two steps rebuilds the patterns of that block only`, () => {
    const rng = new Random(5);
    const net = Network.create(smallSpec("GRU", [6, 5, 4], [], rng, true), { seed: 6 });
    const batch = randomBatch(capacity.batch, capacity.steps, 12, rng);
    const ops = new SparseWeightOps(base(), { maxDensity: 1 });
    const engine = createEngine(net, ops, capacity, { layout, maxFusedHidden: 0 });
    const step = () => { engine.lossAndGradient(batch, "post"); engine.step({ lr: 0.01, clip: 5 }); };
    // two steps build every pattern the engine uses (the first backward pass forms the gradients dense: numerics version 2)
    step();
    step();
    const built = ops.stats.patternBuilds;
    assert.ok(built >= 2 * net.blocks.length, `every weight matrix's pattern was built (${built})`);
    step();
    assert.equal(ops.stats.patternBuilds, built, "steps with the same masks build nothing");
    engine.storeParameters(net);
    engine.loadParameters(net);
    step();
    assert.equal(ops.stats.patternBuilds, built, "loading unchanged masks builds nothing");
    engine.storeParameters(net);
    remask(net, rng, [1]);
    engine.loadParameters(net);
    step();
    assert.equal(ops.stats.patternBuilds - built, 2, "block 1's W_ih and W_hh, nothing else");
  });
}
