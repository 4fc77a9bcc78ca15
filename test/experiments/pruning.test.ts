import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateDataset } from "../../src/data";
import { Network } from "../../src/nn/network";
import { train } from "../../src/nn/train";
import { runPruningProtocol, PruningSettings, PruningTask, pruningIdentity } from "../../src/experiments/pruning";
import { pruneNetwork, maskViolations, countOnes } from "../../src/prune";
import { ResultStore } from "../../src/core/result-store";
import { shortHash } from "../../src/core/hash";
import { numericsOf, NUMERICS_VERSION } from "../../src/nn/numerics";

const dataset = generateDataset({ size: 120, testSize: 40, seed: 3 });
const data = { train: dataset.train, test: dataset.test };

const settings: PruningSettings = {
  variants: ["GRU"], kinds: ["both", "h2h"], levels: [50, 90], layers: [6, 5],
  baseEpochs: 2, retrainEpochs: 2, batchSize: 16, lr: 0.01, seed: 1, padding: "post", scope: "global",
  vocab: 128, backend: "js", gradual: { levels: [90], rampEpochs: 1, intervals: 3 },
};

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "prune-protocol-"));
}

const taskName = (t: PruningTask) => `${t.mode}/${t.prune}`;

test("an interrupted run resumes: nothing is computed twice and the results are complete", () => {
  const cacheDir = tempDir();
  const started: string[] = [];
  // interrupt from a callback in the middle of the third task (after its epoch 0)
  assert.throws(() => runPruningProtocol(data, settings, {
    cacheDir,
    onTaskStart: (t) => started.push(taskName(t)),
    onEpoch: (_t, epoch) => { if (started.length === 3 && epoch === 1) throw new Error("interrupted"); },
  }), /interrupted/);
  assert.deepEqual(started, ["gru/0", "gru_prune/50", "gru_prune/90"]);

  const resumed: string[] = [];
  const result = runPruningProtocol(data, settings, { cacheDir, onTaskStart: (t) => resumed.push(taskName(t)) });
  // the two finished tasks are not redone; the interrupted one and the rest are
  assert.deepEqual(resumed, ["gru_prune/90", "gru_gradual/90", "gru_prune_h2h/50", "gru_prune_h2h/90", "gru_gradual_h2h/90"]);
  assert.deepEqual(result.computed.map(taskName), resumed);

  // complete: base epochs 1…2, every pruned level epochs 0…2, gradual epochs 1…2, each row exactly once
  const keys = result.records.map((r) => `${r.mode}/${r.prune}/${r.epoch}`);
  assert.equal(new Set(keys).size, keys.length, "a row was written twice");
  const expected = ["gru/0/1", "gru/0/2"];
  for (const mode of ["gru_prune", "gru_prune_h2h"]) for (const p of [50, 90]) for (const e of [0, 1, 2]) expected.push(`${mode}/${p}/${e}`);
  for (const mode of ["gru_gradual", "gru_gradual_h2h"]) for (const e of [1, 2]) expected.push(`${mode}/90/${e}`);
  assert.deepEqual([...keys].sort(), expected.sort());
  // the store on disk holds every task once, whole
  const stored = ResultStore.read(path.join(result.dir, "results.jsonl"));
  assert.equal(stored.rows().length, expected.length);
  assert.equal(stored.duplicates, 0);

  // a third run with the same settings only reads the cache
  const again = runPruningProtocol(data, settings, { cacheDir, onTaskStart: () => assert.fail("recomputed a cached task") });
  assert.deepEqual(again.records, result.records);
  // so does a subset, which gets only its own rows
  const subset = runPruningProtocol(data, { ...settings, kinds: ["h2h"], levels: [90], gradual: undefined },
    { cacheDir, onTaskStart: () => assert.fail("recomputed a cached task") });
  assert.deepEqual([...new Set(subset.records.map((r) => `${r.mode}/${r.prune}`))].sort(), ["gru/0", "gru_prune_h2h/90"]);
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

test("a run without callbacks completes (nothing hides behind an optional callback)", () => {
  const cacheDir = tempDir();
  const result = runPruningProtocol(data, { ...settings, kinds: ["h2h"], levels: [50], gradual: undefined }, { cacheDir });
  assert.deepEqual(result.computed.map(taskName), ["gru/0", "gru_prune_h2h/50"]);
  assert.equal(result.records.filter((r) => r.mode === "gru").length, settings.baseEpochs);
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

test("stage \"base\" trains only the base models, into the same cache the whole protocol reads", () => {
  const cacheDir = tempDir();
  const base = runPruningProtocol(data, settings, { cacheDir, stage: "base" });
  assert.deepEqual(base.computed.map(taskName), ["gru/0"]);
  assert.deepEqual([...new Set(base.records.map((r) => r.mode))], ["gru"]);
  const all = runPruningProtocol(data, { ...settings, kinds: ["h2h"], levels: [50], gradual: undefined }, { cacheDir });
  assert.deepEqual(all.computed.map(taskName), ["gru_prune_h2h/50"], "the base model is not trained again");
  assert.throws(() => runPruningProtocol(data, settings, { cacheDir, stage: "bse" as never }), /stage must be "base" or "all", got "bse"/);
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

test("the cache key follows the settings that change numbers, the data's content and the numerics, not the task list or key order", () => {
  const js = numericsOf("js");
  const keyOf = (s: PruningSettings, d = data, numerics = js) => shortHash(pruningIdentity(s, d, numerics));
  const key = keyOf(settings);
  assert.equal(keyOf({ ...settings }), key);
  const reordered = Object.fromEntries(Object.entries(settings).reverse()) as unknown as PruningSettings;
  assert.equal(keyOf(reordered), key);
  assert.equal(keyOf({ ...settings, levels: [50], variants: ["LSTM"], kinds: ["i2h"] }), key);
  assert.notEqual(keyOf({ ...settings, lr: 0.02 }), key);
  assert.notEqual(keyOf({ ...settings, retrainEpochs: 3 }), key);
  assert.notEqual(keyOf(settings, { train: data.train.slice(1), test: data.test }), key);
  const sameCounts = generateDataset({ size: 120, testSize: 40, seed: 4 });
  assert.notEqual(keyOf(settings, { train: sameCounts.train, test: sameCounts.test }), key, "same counts, other strings");
  assert.notEqual(keyOf(settings, data, { version: NUMERICS_VERSION + 1, kernels: js.kernels }), key, "another engine numerics version");
  assert.notEqual(keyOf(settings, data, numericsOf("js-f32")), key, "other kernels");
});

test("settings are checked whole before any training: unknown keys with a suggestion, types, ranges", () => {
  const cacheDir = tempDir();
  const run = (s: unknown) => () => runPruningProtocol(data, s as PruningSettings, { cacheDir, onTaskStart: () => assert.fail("work started") });
  assert.throws(run({ ...settings, level: [50] }), /unknown setting "level"; did you mean "levels"\?/);
  assert.throws(run({ ...settings, scope: "globl" }), /PruningSettings.scope must be one of "global", "layer", got "globl" \(did you mean "global"\?\)/);
  assert.throws(run({ ...settings, levels: [50, 150] }), /PruningSettings.levels\[1\] must be ≤ 100, got 150/);
  assert.throws(run({ ...settings, variants: ["GRU", "gru"] }), /variants\[1\] must be one of/);
  assert.throws(run({ ...settings, batchSize: 0 }), /batchSize must be ≥ 1, got 0/);
  assert.throws(run({ ...settings, lr: "0.1" }), /lr must be a finite number, got "0.1"/);
  assert.throws(run({ ...settings, gradual: { ...settings.gradual, rampEpochs: 9 } }), /rampEpochs must be ≤ retrainEpochs \(2\), got 9/);
  assert.equal(fs.readdirSync(cacheDir).length, 0, "nothing was written");
});

test("masks stay exactly zero through retraining with a fresh optimizer", () => {
  const net = Network.create({ mode: "LSTM", vocab: 128, layers: [{ size: 6 }, { size: 4 }], skips: [], classes: 2 }, { seed: 5 });
  train(net, data, { epochs: 1, batchSize: 16, seed: 2, backend: "js" });
  const plan = pruneNetwork(net, { percent: 70, kind: "both" });
  const kept = net.blocks.map((b) => countOnes(b.maskIH) + countOnes(b.maskHH));
  assert.equal(kept.reduce((a, b) => a + b, 0), plan.kept);
  const before = net.blocks.map((b) => Float64Array.from(b.wHH));
  train(net, data, { epochs: 2, batchSize: 16, seed: 3, lr: 0.05, backend: "js" });
  assert.equal(maskViolations(net.blocks), 0);
  // the kept weights did train
  assert.ok(net.blocks.some((b, i) => b.wHH.some((w, j) => b.maskHH[j] === 1 && w !== before[i][j])));
});
