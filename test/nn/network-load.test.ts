/** Network.load / loadFile refuse malformed checkpoints, naming the source and the key. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Network, type NetworkJSON } from "../../src/nn/network";
import { Random } from "../../src/core/random";
import { smallSpec } from "./helpers";

const net = Network.create(smallSpec("GRU", [4, 3, 5], [[0, 2]], new Random(9), true), { seed: 5 });
const good = (): NetworkJSON => JSON.parse(JSON.stringify(net.toJSON()));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "network-load-"));

test("a good checkpoint still loads exactly, in memory and from a file", () => {
  assert.deepEqual(Network.load(good(), "ok.json").parameterArrays(), net.parameterArrays());
  const file = path.join(dir, "net.json");
  net.save(file);
  assert.deepEqual(Network.loadFile(file).parameterArrays(), net.parameterArrays());
  const f32 = Network.create(smallSpec("LSTM", [3], [], new Random(1), false), { seed: 2, precision: "f32" });
  assert.deepEqual(Network.load(JSON.parse(JSON.stringify(f32.toJSON()))).parameterArrays(), f32.parameterArrays());
});

test("bad values in a checkpoint are refused with the source and the key named", () => {
  const bad: Array<[string, (j: any) => void, RegExp]> = [
    ["string weight", (j) => { j.blocks[2].wHH[17] = "abc"; }, /net\.json: blocks\[2\]\.wHH\[17\] must be a finite number, got "abc"/],
    ["null weight (NaN saved by JSON.stringify)", (j) => { j.blocks[0].wIH[3] = null; }, /net\.json: blocks\[0\]\.wIH\[3\] must be a finite number, got null/],
    ["NaN weight", (j) => { j.embedding[5] = NaN; }, /net\.json: embedding\[5\] must be a finite number, got NaN/],
    ["Infinity bias", (j) => { j.blocks[1].bHH[0] = -Infinity; }, /net\.json: blocks\[1\]\.bHH\[0\] must be a finite number, got -Infinity/],
    ["boolean weight", (j) => { j.headB[1] = true; }, /net\.json: headB\[1\] must be a finite number, got true/],
    ["array too short", (j) => { j.headW.pop(); }, /net\.json: headW has 9 values, expected 10/],
    ["array too long", (j) => { j.blocks[1].bIH.push(0); }, /net\.json: blocks\[1\]\.bIH has 10 values, expected 9/],
    ["weights not an array", (j) => { j.blocks[0].wHH = "1,2,3"; }, /net\.json: blocks\[0\]\.wHH must be an array of 48 numbers, got "1,2,3"/],
    ["weights missing", (j) => { delete j.embedding; }, /net\.json: embedding must be an array of 48 numbers, got undefined \(missing\)/],
    ["mask with a 2", (j) => { j.blocks[1].maskHH = "2" + j.blocks[1].maskHH.slice(1); }, /net\.json: blocks\[1\]\.maskHH must be a string of 0\/1, got "2" at index 0/],
    ["mask null", (j) => { j.blocks[3].maskIH = null; }, /net\.json: blocks\[3\]\.maskIH must be a string of 0\/1, got null/],
    ["mask too short", (j) => { j.blocks[0].maskIH = j.blocks[0].maskIH.slice(1); }, /net\.json: blocks\[0\]\.maskIH has 47 entries, expected 12×4 = 48/],
    ["block missing", (j) => { j.blocks.pop(); }, /net\.json: blocks has 3 entries, expected 4 \(3 layers \+ 1 skips\)/],
    ["blocks out of order", (j) => { [j.blocks[0].name, j.blocks[1].name] = [j.blocks[1].name, j.blocks[0].name]; }, /net\.json: blocks\[0\]\.name is "layer1", expected "layer0"/],
    ["unknown precision", (j) => { j.precision = "f16"; }, /net\.json: precision must be "f32" or "f64", got "f16"/],
    ["f32 overflow", (j) => { j.precision = "f32"; j.headB[0] = 1e39; }, /net\.json: headB\[0\] must be a finite number within float32 range, got 1e\+39/],
    ["bad layer size", (j) => { j.spec.layers[1].size = 2.5; }, /net\.json: spec\.layers\[1\]\.size must be a positive integer/],
    ["spec.layers not an array", (j) => { j.spec.layers = {}; }, /net\.json: spec\.layers must be a non-empty array, got an object/],
    ["wrong format", (j) => { j.format = "keras"; }, /net\.json: not a sparse-rnn-lab network \(format field is "keras"\)/],
    ["wrong version", (j) => { j.version = 2; }, /net\.json: unsupported version 2/],
  ];
  for (const [what, mutate, message] of bad) {
    const json = good();
    mutate(json);
    assert.throws(() => Network.load(json, "net.json"), message, what);
  }
  assert.throws(() => Network.load(null as unknown as NetworkJSON, "net.json"), /net\.json: expected a network object, got null/);
  assert.throws(() => Network.load([] as unknown as NetworkJSON, "net.json"), /net\.json: expected a network object, got an array of 0/);
});

test("loadFile names the file for unreadable, empty, truncated and bad-valued checkpoints", () => {
  const file = path.join(dir, "cut.json");
  fs.writeFileSync(file, JSON.stringify(net.toJSON()).slice(0, 200));
  assert.throws(() => Network.loadFile(file), /network checkpoint .*cut\.json: invalid JSON: .*truncated/);
  const empty = path.join(dir, "empty.json");
  fs.writeFileSync(empty, "");
  assert.throws(() => Network.loadFile(empty), /network checkpoint .*empty\.json: empty, expected JSON/);
  assert.throws(() => Network.loadFile(path.join(dir, "none.json")), /network checkpoint .*none\.json: cannot read: ENOENT/);
  // A diverged network saves its NaN weights as null: refused on load, naming file and key.
  const diverged = net.clone();
  diverged.blocks[2].wHH[4] = NaN;
  const saved = path.join(dir, "diverged.json");
  diverged.save(saved);
  assert.throws(() => Network.loadFile(saved), new RegExp(`${path.basename(saved)}: blocks\\[2\\]\\.wHH\\[4\\] must be a finite number, got null`));
});

test("clone copies a diverged network as it is (only checkpoints are refused non-finite weights)", () => {
  const diverged = net.clone();
  diverged.headW[0] = NaN;
  const copy = diverged.clone();
  assert.ok(Number.isNaN(copy.headW[0]));
  assert.equal(copy.headW[1], net.headW[1]);
});
