import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Random } from "../../src/data/random";
import type { Sample } from "../../src/data/types";
import { trainResumable } from "../../src/nn/resumable";
import { train } from "../../src/nn/train";
import { Network } from "../../src/nn/network";
import type { NetworkSpec } from "../../src/nn/spec";

function toy(n: number, seed: number): Sample[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    let text = "";
    for (let i = 0, len = 2 + rng.nextInt(6); i < len; i++) text += "ABX"[rng.nextInt(3)];
    return { text, valid: text.includes("X") };
  });
}

const spec: NetworkSpec = { mode: "GRU", vocab: 128, classes: 2, layers: [{ size: 6 }], skips: [] };
const data = { train: toy(200, 1), test: toy(50, 2) };
const options = { epochs: 3, batchSize: 32, seed: 5, backend: "js" as const };

test("an interrupted resumable run continues to the numbers of an uninterrupted one", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "resume-")), "run.json");
  const whole = train(Network.create(spec, { seed: 1 }), data, options);
  const part = trainResumable(file, spec, 1, data, { ...options, epochs: 2 }); // "interrupted" after 2 epochs
  assert.equal(part.resumedFrom, 0);
  const rest = trainResumable(file, spec, 1, data, options);
  assert.equal(rest.resumedFrom, 2);
  assert.deepEqual(rest.records.map((r) => [r.epoch, r.trainLoss, r.testLoss]), whole.map((r) => [r.epoch, r.trainLoss, r.testLoss]));
  const again = trainResumable(file, spec, 1, data, options); // complete: nothing to do
  assert.equal(again.resumedFrom, 3);
  assert.throws(() => trainResumable(file, spec, 1, data, { ...options, epochs: 2 }), /already holds 3 epochs/);
  const other = trainResumable(file, spec, 2, data, options); // another init seed: a fresh run
  assert.equal(other.resumedFrom, 0);
  assert.notEqual(other.records[0].trainLoss, whole[0].trainLoss);
});
