/**
 * bench/sparse-training.ts and its harness (bench/dynamic-epoch.ts): the harness's steps are the
 * Trainer's — SET and RigL through StepTimer leave exactly the weights and masks train() leaves, on
 * the dense and on the sparse backend; the epoch estimate sums the special steps (updates and their
 * successors) as measured and extrapolates the ordinary ones, and refuses a sample that lacks one; the
 * overhead and medians are what they say; and a smoke run of the script with a few batches writes a
 * JSON summary of the promised shape with finite percents and speed-ups.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateDataset } from "../../src/data";
import { batchesOf, encodeSamples, Network, train, type NetworkSpec } from "../../src/nn";
import { sparseBackend } from "../../src/prune/sparse";
import { applyPlan, rigl, set, type DynamicMethod } from "../../src/sparsity";
import { chunks, estimateEpoch, median, overheadPercent, pairedMedian, specialSteps, StepTimer, stepsToTime, type StepTiming } from "../../bench/dynamic-epoch";

const ROOT = path.resolve(__dirname, "..", "..");

test("specialSteps and stepsToTime: each update step and its successor within the epoch; the first `limit` steps besides", () => {
  assert.deepEqual(specialSteps([100, 200, 300, 400, 500], 586), [100, 101, 200, 201, 300, 301, 400, 401, 500, 501]);
  assert.deepEqual(specialSteps([4, 5, 10], 10), [4, 5, 6, 10]);
  assert.throws(() => specialSteps([11], 10), /not in 1…10/);
  assert.deepEqual(stepsToTime(10, 3, [4, 5, 6, 10]), [1, 2, 3, 4, 5, 6, 10]);
  assert.deepEqual(stepsToTime(5, 9, [2, 3]), [1, 2, 3, 4, 5]);
  assert.deepEqual(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.throws(() => chunks([1], 0), /positive integer/);
});

test("estimateEpoch: special steps summed as measured, ordinary ones' mean times the epoch's ordinary count", () => {
  const t = (step: number, seconds: number, hookSeconds = 0, syncSeconds = 0): StepTiming => ({ step, seconds, hookSeconds, syncSeconds });
  // epoch of 10 steps, special {5, 6}; ordinary 1, 2 timed at 1 s and 3 s (mean 2) → 8 ordinary steps = 16 s; plus 10 + 4
  const e = estimateEpoch([t(1, 1, 0, 0.1), t(2, 3, 0, 0.3), t(5, 10, 6, 0.2), t(6, 4, 0, 0.2)], 10, [5, 6]);
  assert.equal(e.seconds, 16 + 14);
  assert.equal(e.hookSeconds, 6);
  assert.ok(Math.abs(e.syncSeconds - (0.4 + 8 * 0.2)) < 1e-12);
  assert.deepEqual([e.timed, e.special], [4, 2]);
  // every step timed: the measured sum
  const all = Array.from({ length: 6 }, (_, i) => t(i + 1, i + 1));
  assert.equal(estimateEpoch(all, 6, [3, 4]).seconds, 21);
  assert.throws(() => estimateEpoch([t(1, 1)], 10, [5, 6]), /special steps 5, 6 were not timed/);
  assert.throws(() => estimateEpoch([t(5, 1), t(6, 1)], 10, [5, 6]), /no ordinary step/);
  assert.throws(() => estimateEpoch([t(1, 1), t(1, 1)], 10, []), /timed twice/);
});

test("overheadPercent, median, pairedMedian", () => {
  assert.equal(overheadPercent(11, 10), 10);
  assert.equal(overheadPercent(9, 10), -10);
  assert.throws(() => overheadPercent(1, 0), /positive/);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), /no values/);
  // pairs (12, 10) (30, 20) (10, 10): overheads 20, 50, 0 → median 20, not the overhead of the medians (12 vs 10)
  assert.equal(pairedMedian([12, 30, 10], [10, 20, 10], overheadPercent), 20);
  assert.throws(() => pairedMedian([1], [1, 2], overheadPercent), /1 runs against 2/);
});

// --- the harness's steps are the Trainer's ---------------------------------------

const data = generateDataset({ seed: 1, size: 192 });
const spec: NetworkSpec = { mode: "GRU", vocab: 128, classes: 2, layers: [{ size: 8 }, { size: 8 }], skips: [] };

function methodOf(name: "set" | "rigl", steps: number): DynamicMethod {
  return (name === "set" ? set : rigl)({ group: "both", density: 0.3, rule: "erk", seed: 3, schedule: { every: 2, fraction: 0.3, endStep: steps } });
}

for (const backend of ["js-f64", sparseBackend("js-f64", 1)]) {
  for (const name of ["set", "rigl"] as const) {
    test(`StepTimer with ${name}'s afterStep on ${backend} leaves the bits train() leaves`, () => {
      const set0 = encodeSamples(data.train, 128, "train");
      const batches = batchesOf(set0, Int32Array.from({ length: data.train.length }, (_, i) => i), 16);
      const S = batches.length;
      assert.ok(S >= 6, `${S} batches`);
      const start = Network.create(spec, { seed: 2 });
      applyPlan(start, methodOf(name, S).masksAt(start));
      const masksBefore = start.blocks.map((b) => Uint8Array.from(b.maskHH));

      const viaTrainer = start.clone();
      train(viaTrainer, { train: data.train, test: [] }, { epochs: 1, batchSize: 16, seed: 1, shuffle: false, backend: backend as "js", threads: 1, afterStep: methodOf(name, S).afterStep });

      const timer = new StepTimer({ start, backend, batches, capacity: { batch: 16, steps: set0.maxLength }, hook: methodOf(name, S).afterStep });
      const { timings, net } = timer.run(Array.from({ length: S }, (_, i) => i + 1));
      timer.close();
      assert.equal(timings.length, S);
      assert.ok(timings.every((t) => t.seconds > 0 && t.hookSeconds >= 0 && t.syncSeconds > 0 && t.hookSeconds + t.syncSeconds <= t.seconds));
      assert.ok(timings.filter((t) => t.step % 2 === 0).every((t) => t.hookSeconds > 0));
      const masksAfter = net.blocks.map((b) => Uint8Array.from(b.maskHH));
      assert.notDeepEqual(masksAfter, masksBefore, "the masks moved");
      net.blocks.forEach((b, i) => {
        assert.deepEqual(b.maskIH, viaTrainer.blocks[i].maskIH, `block ${i} maskIH`);
        assert.deepEqual(b.maskHH, viaTrainer.blocks[i].maskHH, `block ${i} maskHH`);
      });
      net.parameterArrays().forEach((a, i) => assert.deepEqual(Array.from(a), Array.from(viaTrainer.parameterArrays()[i]), `parameter array ${i}`));
      // the start is untouched: a second run repeats the first
      const again = new StepTimer({ start, backend, batches, capacity: { batch: 16, steps: set0.maxLength }, hook: methodOf(name, S).afterStep });
      const second = again.run(Array.from({ length: S }, (_, i) => i + 1)).net;
      again.close();
      second.parameterArrays().forEach((a, i) => assert.deepEqual(Array.from(a), Array.from(net.parameterArrays()[i]), `rerun, parameter array ${i}`));
    });
  }
}

test("StepTimer without a hook is a fixed mask: the masks stay and no time goes to a hook", () => {
  const set0 = encodeSamples(data.train, 128, "train");
  const batches = batchesOf(set0, Int32Array.from({ length: data.train.length }, (_, i) => i), 16);
  const start = Network.create(spec, { seed: 2 });
  applyPlan(start, methodOf("set", batches.length).masksAt(start));
  const timer = new StepTimer({ start, backend: "js-f64", batches, capacity: { batch: 16, steps: set0.maxLength } });
  const { timings, net } = timer.run([1, 2, 3, 4]);
  timer.close();
  assert.ok(timings.every((t) => t.hookSeconds === 0 && t.syncSeconds === 0 && t.seconds > 0));
  net.blocks.forEach((b, i) => assert.deepEqual(b.maskHH, start.blocks[i].maskHH));
  assert.notDeepEqual(Array.from(net.blocks[0].wHH), Array.from(start.blocks[0].wHH), "it trained");
});

// --- the script ------------------------------------------------------------------

test("bench/sparse-training.ts: a smoke run with a few batches writes the summary with finite percents and speed-ups", { timeout: 600_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-training-"));
  const out = path.join(dir, "summary.json");
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--import", "tsx", "bench/sparse-training.ts", "--batches", "2", "--repeats", "1", "--modes", "GRU", "--densities", "0.1", "--every", "250", "--out", out],
        { cwd: ROOT, maxBuffer: 1 << 24 }, (error, so, se) => (error ? reject(new Error(`${error.message}\n${se}`)) : resolve(so)));
    });
    assert.match(stdout, /sparse× fixed/);
    const summary = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.equal(summary.config.stepsPerEpoch, 586);
    assert.deepEqual(summary.config.updateSteps, [250, 500]);
    assert.equal(summary.config.timedSteps, 2 + 4);
    assert.equal(summary.rows.length, 1);
    const row = summary.rows[0];
    assert.equal(row.mode, "GRU");
    assert.ok(Math.abs(row.keptFraction - 0.1) < 0.01, `kept ${row.keptFraction}`);
    assert.deepEqual(Object.keys(row.runs).sort(), ["fixed/dense", "fixed/sparse", "rigl/dense", "rigl/sparse", "set/dense", "set/sparse"]);
    assert.equal(row.runs["fixed/sparse"].layout, "columns");
    assert.ok(row.runs["fixed/sparse"].sparseShare > 0, "the sparse kernels ran");
    assert.equal(row.runs["fixed/sparse"].patternBuildsPerRun, 0, "a fixed mask builds no pattern while timed");
    assert.ok(row.runs["set/sparse"].patternBuildsPerRun > 0, "mask updates rebuild patterns");
    for (const m of ["set", "rigl"]) {
      for (const k of ["dense", "sparse"]) {
        for (const v of Object.values(row.overhead[m][k])) assert.ok(Number.isFinite(v), `${m}/${k}: ${v}`);
        assert.ok(row.overhead[m][k].hookPercent > 0, `${m}/${k}: the update took time`);
      }
    }
    for (const [k, v] of Object.entries(row.speedup)) assert.ok(Number.isFinite(v as number) && (v as number) > 0, `speed-up ${k}: ${v}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
