import { test } from "node:test";
import assert from "node:assert/strict";
import type { StepContext } from "../../src/nn/train";
import type { Network } from "../../src/nn/network";
import { gradientGrowth, groupMatrices, MaskUpdateEvent, rigl, updateMatrix } from "../../src/sparsity";
import { makeNet } from "./helpers";

/** A StepContext whose dense gradient is hand-made: `hh` for block 0's W_hh, zeros elsewhere. */
function handContext(net: Network, hh: number[], calls: { n: number }): StepContext {
  return {
    batch: { size: 0, steps: 0, tokens: new Uint8Array(0), lengths: new Int32Array(0), labels: new Uint8Array(0) },
    denseGradient: () => {
      calls.n++;
      const g = net.parameterArrays().map((a) => new Float64Array(a.length).fill(1000)); // kept-weight and other entries: never candidates
      g[1].set(hh);
      return g;
    },
  };
}

test("RigL grows the missing weights of largest |gradient| (hand-made case: ties to the lower index, a just-dropped weight may return)", () => {
  const net = makeNet("RNN_TANH", [3]);
  net.setMasks(0, { maskHH: Uint8Array.of(1, 1, 1, 1, 0, 0, 0, 0, 0) });
  net.blocks[0].wHH.set([0.9, -0.05, 0.4, 0.02, 0, 0, 0, 0, 0]);
  const events: MaskUpdateEvent[] = [];
  const method = rigl({ group: "h2h", density: 0.5, seed: 1, schedule: { every: 2, fraction: 0.5, endStep: 100, decay: "constant" }, onUpdate: (e) => events.push(e) });
  const ih = Float64Array.from(net.blocks[0].wIH);
  // |g| of the weights missing after the drop (1, 3 dropped; 4…8 missing): 1: 0.3, 3: 5, 4: 0.1, 5: 2, 6: 0.7, 7: 2, 8: 0.05
  const calls = { n: 0 };
  const context = handContext(net, [100, 0.3, 100, -5, -0.1, -2, 0.7, 2, 0.05], calls);
  method.afterStep(net, 1, context);
  assert.equal(calls.n, 0, "no dense gradient off the update steps");
  method.afterStep(net, 2, context);
  assert.equal(calls.n, 1, "one dense gradient on an update step");
  assert.deepEqual(Array.from(events[0].matrices[0].dropped), [1, 3], "the 2 smallest kept |w|");
  assert.deepEqual(Array.from(events[0].matrices[0].grown), [3, 5], "|g| 5, then 2 at weight 5 before weight 7");
  assert.deepEqual(Array.from(net.blocks[0].maskHH), [1, 0, 1, 1, 0, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(net.blocks[0].wHH), [0.9, 0, 0.4, 0, 0, 0, 0, 0, 0], "grown and dropped weights exactly 0");
  assert.deepEqual(net.blocks[0].wIH, ih, "W_ih is not in the group");
  assert.throws(() => method.afterStep(net, 4), /rigl: step 4 is an update step and needs the Trainer's StepContext/);
});

test("gradientGrowth picks by |g| among the open positions of any matrix; updateMatrix keeps the count", () => {
  const net = makeNet("GRU", [2, 2]);
  const m = groupMatrices(net, "both")[2]; // layer1.ih, 6×2
  net.setMasks(1, { maskIH: Uint8Array.of(1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0) });
  m.weights.set([1, 2, 3, 0, 0, 0, 0.1, 0, 0, 0, 0, 0]);
  const grads = net.parameterArrays().map((a) => new Float64Array(a.length));
  grads[4].set([0, 0, 0, 0.5, -0.9, 0.2, 0, 0.8, 0.1, 0, -0.85, 0.3]);
  const { mask, update } = updateMatrix(m, 0.5, gradientGrowth(grads));
  assert.deepEqual(Array.from(update.dropped), [0, 6]);
  assert.deepEqual(Array.from(update.grown), [4, 10], "|g| 0.9 and 0.85");
  assert.deepEqual(Array.from(mask), [0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
  assert.throws(() => updateMatrix(m, 0.5, gradientGrowth([])), /rigl: no dense gradient of layer1.ih's 12 weights/);
});
