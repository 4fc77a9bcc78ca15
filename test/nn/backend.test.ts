/**
 * Every float32 backend available here (plain JS f32 always; wasm SIMD when this
 * runtime supports it) against the float64 engine, through the whole fused
 * forward/BPTT and Adam step: every mode, masks, skips, both paddings.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { availableBackends, createOps } from "../../src/nn/backend";
import { Engine } from "../../src/nn/engine";
import { Network } from "../../src/nn/network";
import { Random } from "../../src/core/random";
import { CELL_MODES, Padding } from "../../src/nn/spec";
import { randomBatch, relativeError, smallSpec } from "./helpers";

const F32_BACKENDS = availableBackends().filter((b) => b !== "js-f64");

test("backend selection: names, defaults and a clear error for unknown names", () => {
  assert.equal(createOps("js").name, "js-f64");
  assert.equal(createOps("js", "f32").name, "js-f32");
  assert.equal(createOps("auto", "f64").precision, "f64");
  assert.ok(F32_BACKENDS.includes("js-f32"));
  assert.throws(() => createOps("cuda"), /Backend "cuda" is not available here; available: js-f64, js-f32/);
});

for (const backend of F32_BACKENDS) {
  for (const padding of ["post", "packed"] as Padding[]) {
    test(`${backend} ${padding}: loss, gradients and an Adam step agree with float64`, () => {
      for (const mode of CELL_MODES) {
        const rng = new Random(61);
        const spec = smallSpec(mode, [6, 5, 7, 4], [[0, 2], [1, 3]], rng, true);
        const net = Network.create(spec, { seed: 2 });
        const batch = randomBatch(7, 9, spec.vocab, rng);
        const ref = new Engine(net, createOps("js-f64"), { batch: 8, steps: 10 });
        const eng = new Engine(net, createOps(backend), { batch: 8, steps: 10 });
        const a = ref.lossAndGradient(batch, padding), b = eng.lossAndGradient(batch, padding);
        assert.ok(Math.abs(a.loss - b.loss) < 1e-5, `${mode}: loss ${b.loss} vs ${a.loss}`);
        assert.equal(b.correct, a.correct);
        assert.ok(relativeError(eng.grad, ref.grad) < 1e-4, `${mode}: gradient error ${relativeError(eng.grad, ref.grad)}`);
        ref.step({ lr: 0.01, clip: 5 });
        eng.step({ lr: 0.01, clip: 5 });
        assert.ok(relativeError(eng.theta, ref.theta) < 1e-5, `${mode}: weights after Adam`);
      }
    });
  }
}
