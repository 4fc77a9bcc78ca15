import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Network } from "../../src/nn/network";
import { Random } from "../../src/core/random";
import { NetworkSpec } from "../../src/nn/spec";
import { weightsToTensors, setWeightsFromTensors } from "../../src/nn/tensors";
import { smallSpec } from "./helpers";

const base = (): NetworkSpec => ({ mode: "GRU", vocab: 128, classes: 2, layers: [{ size: 50 }, { size: 50 }, { size: 50 }], skips: [] });

test("spec validation names the bad value", () => {
  const bad: Array<[(s: NetworkSpec) => void, RegExp]> = [
    [(s) => { (s as { mode: string }).mode = "GRUU"; }, /spec\.mode "GRUU" is unknown/],
    [(s) => { s.layers[1].size = 0; }, /spec\.layers\[1\]\.size must be a positive integer/],
    [(s) => { s.layers = []; }, /spec\.layers must be a non-empty array/],
    [(s) => { s.layers[0].maskHH = new Uint8Array(10); }, /spec\.layers\[0\]\.maskHH has 10 entries, expected 150×50/],
    [(s) => { s.skips = [{ from: 2, to: 0 }]; }, /spec\.skips\[0\].*cycle/],
    [(s) => { s.skips = [{ from: 0, to: 1 }]; }, /spec\.skips\[0\] joins adjacent layers/],
    [(s) => { s.skips = [{ from: 0, to: 5 }]; }, /spec\.skips\[0\]\.to = 5 is not a layer index/],
    [(s) => { s.skips = [{ from: 0, to: 2 }, { from: 0, to: 2 }]; }, /spec\.skips\[1\] duplicates/],
    [(s) => { s.vocab = 1.5; }, /spec\.vocab must be a positive integer, got 1\.5/],
    [(s) => { s.classes = NaN; }, /spec\.classes must be a positive integer, got NaN/],
  ];
  for (const [mutate, message] of bad) {
    const spec = base();
    mutate(spec);
    assert.throws(() => Network.create(spec, { seed: 1 }), message);
  }
});

test("thesis initialisation: recurrent U(±1/√H), embedding N(0,1), head U(±1/√in)", () => {
  const net = Network.create(base(), { seed: 3 });
  const k = 1 / Math.sqrt(50);
  for (const b of net.blocks) for (const w of [b.wIH, b.wHH, b.bIH, b.bHH]) {
    const max = Array.from(w).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    assert.ok(max <= k && max > 0.9 * k, `${b.name}: max |w| ${max} vs bound ${k}`);
  }
  const e = Array.from(net.embedding);
  const mean = e.reduce((a, x) => a + x, 0) / e.length;
  const sd = Math.sqrt(e.reduce((a, x) => a + (x - mean) ** 2, 0) / e.length);
  assert.ok(Math.abs(mean) < 0.05 && Math.abs(sd - 1) < 0.05, `embedding mean ${mean} sd ${sd}`);
  assert.ok(net.headW.every((x) => Math.abs(x) <= k) && net.headB.every((x) => Math.abs(x) <= k));
  const same = Network.create(base(), { seed: 3 });
  assert.deepEqual(same.blocks[2].wHH, net.blocks[2].wHH);
  assert.notDeepEqual(Network.create(base(), { seed: 4 }).blocks[2].wHH, net.blocks[2].wHH);
});

test("masks zero weights at creation and through setMasks; spec shares them", () => {
  const spec = smallSpec("LSTM", [4, 3, 5], [[0, 2]], new Random(2), true);
  const net = Network.create(spec, { seed: 1 });
  net.blocks.forEach((b) => b.maskIH.forEach((m, i) => { if (!m) assert.ok(b.wIH[i] === 0); }));
  const mask = new Uint8Array(net.blocks[3].maskHH.length); // skip block: prune everything
  net.setMasks(3, { maskHH: mask });
  assert.ok(net.blocks[3].wHH.every((x) => x === 0));
  assert.equal(net.spec.skips[0].maskHH, net.blocks[3].maskHH);
  assert.throws(() => net.setMasks(3, { maskIH: new Uint8Array(3) }), /skip0to2\.maskIH needs/);
  assert.throws(() => net.setMasks(9, {}), /block 9 does not exist/);
});

test("toJSON/load, save/loadFile and clone round-trip exactly", () => {
  const net = Network.create(smallSpec("GRU", [4, 3, 5], [[0, 2]], new Random(9), true), { seed: 5 });
  const copy = Network.load(JSON.parse(JSON.stringify(net.toJSON())));
  assert.deepEqual(copy.parameterArrays(), net.parameterArrays());
  assert.deepEqual(copy.blocks.map((b) => b.maskHH), net.blocks.map((b) => b.maskHH));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nn-")), "net.json");
  net.save(file);
  assert.deepEqual(Network.loadFile(file).parameterArrays(), net.parameterArrays());
  const clone = net.clone();
  clone.embedding[0] += 1;
  assert.notEqual(clone.embedding[0], net.embedding[0]);
  assert.throws(() => Network.loadFile(file + ".missing"), /cannot read/);
  assert.throws(() => Network.load({ ...net.toJSON(), embedding: [1, 2] }), /embedding has 2 values/);
});

test("tf.Tensor interop: read, write, shapes and masks", () => {
  const net = Network.create(smallSpec("GRU", [4, 3], [], new Random(1), true), { seed: 2 });
  const tensors = weightsToTensors(net);
  assert.deepEqual(tensors["layer1.weight_hh"].shape, [9, 3]);
  assert.deepEqual(tensors["embedding.weight"].shape, [12, 4]);
  const other = Network.create(smallSpec("GRU", [4, 3], [], new Random(1), true), { seed: 99 });
  setWeightsFromTensors(other, tensors);
  other.parameterArrays().forEach((a, i) => a.forEach((x, j) => assert.ok(Math.abs(x - net.parameterArrays()[i][j]) < 1e-6)));
  assert.throws(() => setWeightsFromTensors(other, { nope: tensors["head.bias"] }), /unknown weight "nope"/);
  Object.values(tensors).forEach((t) => t.dispose());
});
