import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { percentile, magnitudeMasks, thresholdMask, pruneNetwork, WeightBlock, PruneKind } from "../../src/prune";
import type { BlockMasks } from "../../src/nn/spec";

// numpy oracle: test/fixtures/make_prune_fixtures.py
const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/prune_thresholds.json"), "utf8"));

test("percentile matches numpy.percentile (linear) bit for bit", () => {
  assert.ok(fixtures.percentile.length >= 5, `${fixtures.percentile.length} cases`);
  for (const c of fixtures.percentile) {
    assert.ok(c.percents.length >= 15, `${c.name}: ${c.percents.length} percents`);
    const values = c.float32 ? Float32Array.from(c.values) : Float64Array.from(c.values);
    const magnitudes = values.map(Math.abs);
    c.percents.forEach((p: number, i: number) => {
      assert.equal(percentile(magnitudes, p), c.thresholds[i], `${c.name} at p = ${p}`);
    });
  }
});

test("percentile rejects an empty selection and a percent outside [0, 100]", () => {
  assert.throws(() => percentile([], 10), /empty/);
  assert.throws(() => percentile([1, 2], 101), /101/);
  assert.throws(() => percentile([1, 2], NaN), /NaN/);
});

test("the thesis's 3×3 worked example: p = 10 gives ≈ 0.039 and prunes only −0.014", () => {
  const ex = fixtures.workedExample;
  const weights = Float64Array.from(ex.weights);
  const threshold = percentile(weights.map(Math.abs), ex.percent);
  assert.equal(threshold, ex.threshold);
  assert.ok(Math.abs(threshold - 0.039) < 0.0005);
  const mask = thresholdMask(weights, threshold);
  assert.deepEqual(Array.from(mask), ex.mask);
  const pruned = Array.from(weights).filter((_, i) => mask[i] === 0);
  assert.deepEqual(pruned, [-0.014]);
});

function fixtureBlocks(): WeightBlock[] {
  return fixtures.network.weights.map((w: { wIH: number[]; wHH: number[] }) => ({
    wIH: Float32Array.from(w.wIH),
    wHH: Float32Array.from(w.wHH),
  }));
}

function asLists(masks: BlockMasks[]): Array<Record<string, number[]>> {
  return masks.map((m) => {
    const out: Record<string, number[]> = {};
    if (m.maskIH) out.wIH = Array.from(m.maskIH);
    if (m.maskHH) out.wHH = Array.from(m.maskHH);
    return out;
  });
}

test("global and per-layer thresholds and masks match numpy for every kind", () => {
  const blocks = fixtureBlocks();
  assert.ok(fixtures.network.cases.length >= 15, `${fixtures.network.cases.length} cases`);
  for (const c of fixtures.network.cases) {
    const where = `${c.kind} at p = ${c.percent}`;
    const global = magnitudeMasks(blocks, { percent: c.percent, kind: c.kind as PruneKind });
    assert.deepEqual(global.thresholds, [c.globalThreshold], where);
    assert.deepEqual(asLists(global.masks), c.globalMasks, where);
    const layer = magnitudeMasks(blocks, { percent: c.percent, kind: c.kind as PruneKind, scope: "layer" });
    assert.deepEqual(layer.thresholds, c.layerThresholds, where);
    assert.deepEqual(asLists(layer.masks), c.layerMasks, where);
  }
});

test("p = 100 keeps only the largest magnitude; kept/total counts the selection", () => {
  const blocks = fixtureBlocks();
  const plan = magnitudeMasks(blocks, { percent: 100, kind: "both" });
  assert.equal(plan.kept, 1);
  assert.equal(plan.total, blocks.reduce((s, b) => s + b.wIH.length + b.wHH.length, 0));
});

test("a previous mask is respected: masked (zero) weights never revive", () => {
  const w = Float64Array.from([0, 0.5, 0, 0.2]);
  const previous = Uint8Array.from([0, 1, 0, 1]);
  // p = 0 gives threshold 0, which every weight passes; the previous mask still holds
  assert.deepEqual(Array.from(thresholdMask(w, 0, previous)), [0, 1, 0, 1]);
  const blocks: WeightBlock[] = [{ wIH: w, wHH: Float64Array.from([1]), maskIH: previous }];
  assert.deepEqual(Array.from(magnitudeMasks(blocks, { percent: 0, kind: "i2h" }).masks[0].maskIH!), [0, 1, 0, 1]);
});

test("pruneNetwork hands each block its masks; biases and unselected matrices are untouched", () => {
  const blocks = fixtureBlocks();
  const calls: Array<[number, BlockMasks]> = [];
  const plan = pruneNetwork({ blocks, setMasks: (b, m) => calls.push([b, m]) }, { percent: 50, kind: "h2h" });
  assert.equal(calls.length, blocks.length);
  calls.forEach(([b, m], i) => {
    assert.equal(b, i);
    assert.equal(m.maskIH, undefined);
    assert.equal(m.maskHH, plan.masks[i].maskHH);
  });
  assert.ok(Math.abs(plan.kept / plan.total - 0.5) < 0.02);
});

test("bad options name the bad value", () => {
  const blocks = fixtureBlocks();
  assert.throws(() => magnitudeMasks(blocks, { percent: 10, kind: "all" as PruneKind }), /"all"/);
  assert.throws(() => magnitudeMasks([], { percent: 10, kind: "both" }), /no recurrent blocks/);
});
