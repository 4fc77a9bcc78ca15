/**
 * The engine runs small GRU blocks one whole time step per kernel call
 * (KernelOps.gruStepForward / gruStepBackward) when the backend has them, else it
 * composes the step from gemm, bias add and cell. Both paths give the same loss and
 * gradients (float64, to rounding) on a random-structure network, both paddings.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../src/core/random";
import { barabasiAlbert, graphToSpec, layerGraph } from "../../src/graph";
import { Engine } from "../../src/nn/engine";
import { jsOps } from "../../src/nn/js-ops";
import { Network } from "../../src/nn/network";
import { randomBatch, relativeError } from "./helpers";

for (const padding of ["post", "packed"] as const) {
  test(`GRU ${padding}: whole-step kernels and the composed step agree on loss and gradient (f64), also after an Adam step`, () => {
    const spec = graphToSpec(layerGraph(barabasiAlbert(16, 2, new Random(3))), { mode: "GRU", vocab: 12 });
    const net = Network.create(spec, { seed: 3 });
    const batch = randomBatch(6, 7, spec.vocab, new Random(4));
    const capacity = { batch: batch.size, steps: batch.steps };
    const stepless = Object.assign(jsOps("f64"), { gruStepForward: undefined, gruStepBackward: undefined });
    const composed = new Engine(net, stepless, capacity);
    const whole = new Engine(net, jsOps("f64"), capacity);
    for (let round = 0; round < 2; round++) {
      const a = composed.lossAndGradient(batch, padding), b = whole.lossAndGradient(batch, padding);
      assert.ok(Math.abs(a.loss - b.loss) <= 1e-12 * Math.abs(a.loss), `round ${round}: loss ${b.loss} vs ${a.loss}`);
      assert.equal(b.correct, a.correct);
      const error = relativeError(whole.grad, composed.grad, 1e-300);
      assert.ok(error <= 1e-12, `round ${round}: gradient error ${error}`);
      assert.ok(whole.gradientNorm() > 0, "the gradient is not trivially zero");
      composed.step({ lr: 0.01, clip: 5 });
      whole.step({ lr: 0.01, clip: 5 });
    }
  });
}
