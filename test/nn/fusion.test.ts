/**
 * Block fusion (src/nn/fusion.ts) changes how the engine steps a network, never what
 * it computes: a fused and an unfused float64 engine give the same loss and
 * gradients (to rounding) on random-structure networks from src/graph, with masks,
 * both paddings, every mode, also after an Adam step.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../src/core/random";
import { barabasiAlbert, graphToSpec, layerGraph } from "../../src/graph";
import { Engine } from "../../src/nn/engine";
import { planFusion } from "../../src/nn/fusion";
import { jsOps } from "../../src/nn/js-ops";
import { Network } from "../../src/nn/network";
import { CELL_MODES, NetworkSpec, Padding } from "../../src/nn/spec";
import { thetaLayout } from "../../src/nn/theta-layout";
import { randomBatch, relativeError } from "./helpers";

const PADDINGS: Padding[] = ["post", "packed"];

/** A masked random-structure spec whose layering has skips into some layer. */
function randomSpec(mode: (typeof CELL_MODES)[number], seed: number): NetworkSpec {
  for (let s = seed; s < seed + 100; s++) {
    const spec = graphToSpec(layerGraph(barabasiAlbert(16, 2, new Random(s))), { mode, vocab: 12 });
    if (spec.skips.length >= 3) return spec;
  }
  throw new Error(`no BA(16, 2) graph with ≥ 3 skips from seed ${seed}`);
}

for (const mode of CELL_MODES) {
  for (const padding of PADDINGS) {
    test(`${mode} ${padding}: fused and unfused engines agree on loss and every gradient (f64), also after an Adam step`, () => {
      for (const seed of [1, 40]) {
        const spec = randomSpec(mode, seed);
        const net = Network.create(spec, { seed });
        const batch = randomBatch(6, 7, spec.vocab, new Random(seed + 1));
        const capacity = { batch: batch.size, steps: batch.steps };
        const plain = new Engine(net, jsOps("f64"), capacity, { maxFusedHidden: 0 });
        for (const maxFusedHidden of [4, 64]) {
          const plan = planFusion(net.spec, thetaLayout(net.spec), maxFusedHidden);
          assert.ok(plan.layers.some((blocks) => blocks.some((b) => b.fused)), `seed ${seed}, limit ${maxFusedHidden}: nothing was fused`);
          assert.ok(plan.layers.flat().every((b) => !b.fused || b.hidden <= maxFusedHidden));
          const fused = new Engine(net, jsOps("f64"), capacity, { maxFusedHidden });
          plain.loadParameters(net);
          plain.resetOptimizer();
          for (let round = 0; round < 2; round++) {
            const a = plain.lossAndGradient(batch, padding), b = fused.lossAndGradient(batch, padding);
            const where = `seed ${seed}, limit ${maxFusedHidden}, round ${round}`;
            assert.ok(Math.abs(a.loss - b.loss) <= 1e-12 * Math.abs(a.loss), `${where}: loss ${b.loss} vs ${a.loss}`);
            assert.equal(b.correct, a.correct);
            assert.ok(relativeError(fused.grad, plain.grad, 1e-300) <= 1e-12, `${where}: gradient error ${relativeError(fused.grad, plain.grad, 1e-300)}`);
            plain.step({ lr: 0.01, clip: 5 });
            fused.step({ lr: 0.01, clip: 5 });
          }
        }
      }
    });
  }
}

test("fusion groups a layer's blocks within the hidden-size limit and maps every parameter once", () => {
  const spec = randomSpec("GRU", 7);
  const net = Network.create(spec, { seed: 1 });
  const plan = planFusion(net.spec, thetaLayout(net.spec), 64);
  const members = plan.layers.flat().flatMap((b) => b.members.map((m) => m.block)).sort((x, y) => x - y);
  assert.deepEqual(members, net.blocks.map((_, i) => i), "every logical block runs exactly once");
  assert.equal(new Set(plan.toPhysical).size, plan.toPhysical.length, "no physical parameter written twice");
  assert.equal(new Set(plan.fromLogical).size, plan.fromLogical.length, "no logical parameter read twice");
  const none = planFusion(net.spec, thetaLayout(net.spec), 0);
  assert.equal(none.physicalSize, 0);
  assert.ok(none.layers.flat().every((b) => !b.fused && b.members.length === 1));
});
