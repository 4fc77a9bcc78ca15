/**
 * Parity with PyTorch float64 (fixtures written by test/fixtures/make_torch_fixtures.py
 * with nn.RNN / nn.GRU / nn.LSTM, nn.Embedding, nn.Linear, cross_entropy, Adam and
 * clip_grad_norm_): logits, loss, every gradient, and the weights after three
 * clipped Adam steps, for every mode and both paddings, within 1e-5 relative.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Engine } from "../../src/nn/engine";
import { jsOps } from "../../src/nn/js-ops";
import { Network } from "../../src/nn/network";
import { CellMode, NetworkSpec, Padding } from "../../src/nn/spec";
import { relativeError } from "./helpers";

interface Fixture {
  mode: CellMode; padding: Padding; vocab: number; classes: number; sizes: number[]; skips: Array<[number, number]>;
  lr: number; clip: number; steps: number; masks: Array<[number[], number[]]>; params: number[][];
  batch: { steps: number; tokens: number[]; lengths: number[]; labels: number[] };
  logits: number[]; loss: number; grads: number[][]; gradNorms: number[]; paramsAfter: number[][];
}

const file = path.join(__dirname, "../fixtures/torch_parity.json");
const fixtures: Fixture[] = JSON.parse(fs.readFileSync(file, "utf8")).fixtures;
const TOL = 1e-5;

function networkOf(f: Fixture): Network {
  const L = f.sizes.length;
  const spec: NetworkSpec = {
    mode: f.mode, vocab: f.vocab, classes: f.classes,
    layers: f.sizes.map((size, l) => ({ size, maskIH: Uint8Array.from(f.masks[l][0]), maskHH: Uint8Array.from(f.masks[l][1]) })),
    skips: f.skips.map(([from, to], k) => ({ from, to, maskIH: Uint8Array.from(f.masks[L + k][0]), maskHH: Uint8Array.from(f.masks[L + k][1]) })),
  };
  const net = Network.create(spec, { seed: 0 });
  net.parameterArrays().forEach((a, i) => {
    assert.equal(a.length, f.params[i].length, `parameter ${i} size`);
    a.set(f.params[i]);
  });
  return net;
}

test("fixtures cover every mode and both paddings", () => {
  assert.ok(fixtures.length >= 8, `${fixtures.length} fixtures`);
  assert.equal(new Set(fixtures.map((f) => `${f.mode}/${f.padding}`)).size, 8);
});

for (const f of fixtures) {
  test(`${f.mode} ${f.padding}: logits, loss, gradients and 3 clipped Adam steps match PyTorch float64`, () => {
    const net = networkOf(f);
    const batch = {
      size: f.batch.lengths.length, steps: f.batch.steps, tokens: Uint8Array.from(f.batch.tokens),
      lengths: Int32Array.from(f.batch.lengths), labels: Uint8Array.from(f.batch.labels),
    };
    const engine = new Engine(net, jsOps("f64"), { batch: batch.size, steps: batch.steps });
    const r = engine.lossAndGradient(batch, f.padding);
    assert.ok(Math.abs(r.loss - f.loss) <= TOL * Math.abs(f.loss), `loss ${r.loss} vs torch ${f.loss}`);
    assert.ok(relativeError(engine.lastLogits(), f.logits) <= TOL, "logits");
    engine.gradientArrays(net).forEach((g, i) => {
      const err = relativeError(g, f.grads[i]);
      assert.ok(err <= TOL, `gradient ${i}: relative error ${err}`);
    });
    for (let s = 0; s < f.steps; s++) {
      engine.lossAndGradient(batch, f.padding);
      const norm = engine.gradientNorm();
      assert.ok(Math.abs(norm - f.gradNorms[s]) <= TOL * f.gradNorms[s], `step ${s + 1}: grad norm ${norm} vs ${f.gradNorms[s]}`);
      engine.step({ lr: f.lr, clip: f.clip });
    }
    engine.storeParameters(net);
    net.parameterArrays().forEach((a, i) => {
      const err = relativeError(a, f.paramsAfter[i]);
      assert.ok(err <= TOL, `parameter ${i} after ${f.steps} Adam steps: relative error ${err}`);
    });
  });
}
