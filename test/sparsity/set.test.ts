import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyPlan, dropFraction, groupMatrices, isUpdateStep, keptPerMatrix, layerCounts, MaskUpdateEvent, set, UpdateSchedule, updateMatrix, randomGrowth,
  streamFor,
} from "../../src/sparsity";
import { makeNet, unmaskedArrays } from "./helpers";

test("the update schedule: every ΔT steps before T_end, ζ decayed by a cosine (or constant)", () => {
  const s: UpdateSchedule = { every: 10, fraction: 0.4, endStep: 100 };
  assert.deepEqual(Array.from({ length: 120 }, (_, i) => i + 1).filter((t) => isUpdateStep(s, t)), [10, 20, 30, 40, 50, 60, 70, 80, 90]);
  assert.equal(dropFraction(s, 15), 0);
  assert.ok(Math.abs(dropFraction(s, 50) - 0.2) < 1e-15, "half way: ζ/2");
  assert.ok(Math.abs(dropFraction(s, 10) - 0.2 * (1 + Math.cos(Math.PI / 10))) < 1e-15);
  assert.equal(dropFraction({ ...s, decay: "constant" }, 90), 0.4);
  assert.equal(dropFraction(s, 100), 0, "no update at T_end");
  assert.throws(() => set({ group: "both", density: 0.5, seed: 1, schedule: { ...s, every: 0 } }), /set: schedule.every must be a positive integer, got 0/);
});

test("one SET update of a matrix: the k smallest kept weights dropped, k grown at random among the others, at 0", () => {
  const net = makeNet("GRU", [6]);
  const m = groupMatrices(net, "h2h")[0];
  const mask = Uint8Array.from({ length: m.mask.length }, (_, i) => (i % 3 === 0 ? 0 : 1));
  net.setMasks(0, { maskHH: mask });
  const n = mask.reduce((a, b) => a + b, 0);
  const magnitudes = Array.from(m.weights, Math.abs);
  const { mask: next, update } = updateMatrix(m, 0.25, randomGrowth(streamFor(1, 7)));
  const k = Math.round(0.25 * n);
  assert.equal(update.dropped.length, k);
  assert.equal(update.grown.length, k, "regrowth count = drop count");
  assert.equal(next.reduce((a, b) => a + b, 0), n, "the matrix keeps its count");
  // the dropped are the k smallest kept magnitudes
  const keptMagnitudes = magnitudes.filter((_, i) => mask[i]).sort((a, b) => a - b);
  const threshold = keptMagnitudes[k - 1];
  for (const i of update.dropped) assert.ok(mask[i] === 1 && magnitudes[i] <= threshold);
  mask.forEach((v, i) => { if (v && magnitudes[i] < threshold) assert.ok(update.dropped.includes(i), `weight ${i} below the threshold is dropped`); });
  for (const i of update.grown) {
    assert.equal(m.weights[i], 0, "new weights start at 0");
    assert.ok(mask[i] === 0 || update.dropped.includes(i), "grown among the weights not kept after the drop");
    assert.equal(next[i], 1);
  }
  // same stream, same choice; another stream, another
  const again = updateMatrix({ ...m, mask, weights: Float64Array.from(magnitudes) }, 0.25, randomGrowth(streamFor(1, 7)));
  assert.deepEqual(again.update.grown, update.grown);
  const other = updateMatrix({ ...m, mask, weights: Float64Array.from(magnitudes) }, 0.25, randomGrowth(streamFor(2, 7)));
  assert.notDeepEqual(other.update.grown, update.grown);
});

test("the SET hook: ERK start, counts per matrix kept, new weights 0, biases untouched, reproducible by seed", () => {
  const run = (seed: number) => {
    const events: MaskUpdateEvent[] = [];
    const schedule = { every: 2, fraction: 0.3, endStep: 9 };
    const method = set({ group: "both", density: 0.3, seed, schedule, onUpdate: (e) => events.push(e) });
    const net = makeNet("LSTM", [5, 7], 3);
    applyPlan(net, method.masksAt(net));
    const counts = keptPerMatrix(net, "both");
    assert.deepEqual(counts, layerCounts(groupMatrices(net, "both"), 0.3, "erk"));
    const fixed = unmaskedArrays(net);
    for (let step = 1; step <= 10; step++) {
      // as after an optimizer step: every kept weight moved away from 0
      for (const m of groupMatrices(net, "both")) m.weights.forEach((w, i) => { if (m.mask[i]) m.weights[i] = w + 0.01 * Math.sign(w || 1); });
      const before = events.length;
      method.afterStep(net, step);
      assert.equal(events.length - before, isUpdateStep(schedule, step) ? 1 : 0);
      assert.deepEqual(keptPerMatrix(net, "both"), counts, `step ${step}: counts per matrix`);
      if (events.length > before) {
        const e = events[events.length - 1];
        groupMatrices(net, "both").forEach((m, l) => {
          assert.equal(e.matrices[l].grown.length, e.matrices[l].dropped.length);
          for (const i of e.matrices[l].grown) assert.equal(m.weights[i], 0, `step ${step}: grown ${m.name}[${i}] is 0`);
          m.weights.forEach((w, i) => assert.ok(m.mask[i] || w === 0, "masked weights 0"));
        });
      }
    }
    assert.deepEqual(unmaskedArrays(net), fixed, "biases, embedding, head never touched");
    assert.deepEqual(events.map((e) => e.step), [2, 4, 6, 8]);
    return { masks: net.blocks.map((b) => [Array.from(b.maskIH), Array.from(b.maskHH)]), events };
  };
  const a = run(11);
  assert.ok(a.events.some((e) => e.matrices.some((m) => m.grown.length > 0)), "weights moved");
  assert.deepEqual(run(11), a, "same seed, same masks and updates");
  assert.notDeepEqual(run(12).masks, a.masks, "another seed, other masks");
});
