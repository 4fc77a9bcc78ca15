import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Random } from "../../src/core/random";
import type { Sample } from "../../src/data/types";
import { ResumableRun, trainResumable } from "../../src/nn/resumable";
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
  const where = { dir: fs.mkdtempSync(path.join(os.tmpdir(), "resume-")), name: "GRU" };
  const whole = train(Network.create(spec, { seed: 1 }), data, options);
  const part = trainResumable(where, spec, 1, data, { ...options, epochs: 2 }); // "interrupted" after 2 epochs
  assert.equal(part.resumedFrom, 0);
  const rest = trainResumable(where, spec, 1, data, options);
  assert.equal(rest.resumedFrom, 2);
  assert.equal(rest.file, part.file);
  assert.deepEqual(rest.records.map((r) => [r.epoch, r.trainLoss, r.testLoss]), whole.map((r) => [r.epoch, r.trainLoss, r.testLoss]));
  const again = trainResumable(where, spec, 1, data, options); // complete: nothing to do
  assert.equal(again.resumedFrom, 3);
  assert.throws(() => trainResumable(where, spec, 1, data, { ...options, epochs: 2 }), /already holds 3 epochs/);
  const other = trainResumable(where, spec, 2, data, options); // another init seed: a fresh run in its own file
  assert.equal(other.resumedFrom, 0);
  assert.notEqual(other.file, rest.file);
  assert.notEqual(other.records[0].trainLoss, whole[0].trainLoss);
});

test("a run with another setting never replaces a finished one: each has its own file", () => {
  const where = { dir: fs.mkdtempSync(path.join(os.tmpdir(), "resume-")), name: "GRU" };
  const six = trainResumable(where, spec, 1, data, { ...options, epochs: 2 });
  const before = fs.readFileSync(six.file, "utf8");
  const otherLr = trainResumable(where, spec, 1, data, { ...options, epochs: 1, lr: 0.01 });
  assert.notEqual(otherLr.file, six.file);
  assert.equal(fs.readFileSync(six.file, "utf8"), before, "the first run's file is untouched");
  const otherData = trainResumable(where, spec, 1, { train: toy(200, 3), test: data.test }, { ...options, epochs: 1 });
  assert.notEqual(otherData.file, six.file, "another data set of the same size is another run");
  assert.equal(trainResumable(where, spec, 1, data, { ...options, epochs: 2 }).resumedFrom, 2, "the first run is still there");
});

test("a run being trained is locked against a second process; a truncated run file names the file", () => {
  const where = { dir: fs.mkdtempSync(path.join(os.tmpdir(), "resume-")), name: "GRU" };
  const run = new ResumableRun(where, spec, 1, data, options);
  try {
    fs.writeFileSync(`${run.file}.lock`, JSON.stringify({ host: os.hostname(), pid: process.ppid, since: "now" }));
    assert.throws(() => new ResumableRun(where, spec, 1, data, options), /being trained by process/);
  } finally {
    fs.rmSync(`${run.file}.lock`, { force: true });
    run.close();
  }
  const done = trainResumable(where, spec, 1, data, { ...options, epochs: 1 });
  const text = fs.readFileSync(done.file, "utf8");
  fs.writeFileSync(done.file, text.slice(0, text.length >> 1));
  assert.throws(() => trainResumable(where, spec, 1, data, options), (e: Error) => e.message.includes(done.file) && /invalid JSON/.test(e.message));
});
