/** Pruning refuses non-finite weights and bad percents before computing any threshold. */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  gradualPruningHook, magnitudeMasks, magnitudeThreshold, percentile, percentileOfSorted, pruneNetwork, thresholdMask,
  type CubicSchedule, type PruneKind, type WeightBlock,
} from "../../src/prune";
import { Network } from "../../src/nn/network";

const spec = { mode: "RNN_TANH" as const, vocab: 6, classes: 2, layers: [{ size: 4 }, { size: 5 }], skips: [] };
const fresh = () => Network.create(spec, { seed: 3 });

test("good input still prunes: half of the pooled weights at p = 50, thresholds finite", () => {
  const net = fresh();
  const plan = pruneNetwork(net, { percent: 50, kind: "both" });
  assert.equal(plan.thresholds.length, 1);
  assert.ok(Number.isFinite(plan.thresholds[0]) && plan.thresholds[0] > 0);
  assert.ok(Math.abs(plan.kept / plan.total - 0.5) < 0.02, `kept ${plan.kept} of ${plan.total}`);
  // a weight outside the selection (h2h when pruning i2h) does not matter to the threshold
  const other = fresh();
  other.blocks[0].wHH[0] = NaN;
  assert.equal(magnitudeMasks(other.blocks, { percent: 50, kind: "i2h" }).masks.length, 2);
});

test("a non-finite weight is refused, naming block, weight group and index", () => {
  const cases: Array<[number, "wIH" | "wHH", number, number, PruneKind, RegExp]> = [
    [1, "wHH", 17, NaN, "both", /magnitudeMasks: block 1 \(layer1\) h2h weight \[17\] is NaN; pruning needs finite weights/],
    [0, "wIH", 3, Infinity, "i2h", /magnitudeMasks: block 0 \(layer0\) i2h weight \[3\] is Infinity/],
    [1, "wIH", 0, -Infinity, "both", /magnitudeMasks: block 1 \(layer1\) i2h weight \[0\] is -Infinity/],
    [0, "wHH", 5, NaN, "h2h", /magnitudeMasks: block 0 \(layer0\) h2h weight \[5\] is NaN/],
  ];
  for (const [b, key, i, value, kind, message] of cases) {
    for (const scope of ["global", "layer"] as const) {
      const net = fresh();
      net.blocks[b][key][i] = value;
      const before = Array.from(net.blocks[b].maskHH);
      assert.throws(() => pruneNetwork(net, { percent: 30, kind, scope }), message);
      assert.deepEqual(Array.from(net.blocks[b].maskHH), before, "nothing pruned");
    }
  }
  const plain: WeightBlock[] = [{ wIH: Float64Array.of(1, 2), wHH: Float64Array.of(3, NaN) }];
  assert.throws(() => magnitudeMasks(plain, { percent: 10, kind: "both" }), /block 0 h2h weight \[1\] is NaN/);
  assert.throws(() => magnitudeThreshold([Float64Array.of(1), Float64Array.of(2, NaN)], 50), /magnitudeThreshold: matrix 1 weight \[1\] is NaN/);
  assert.throws(() => thresholdMask(Float64Array.of(1, Infinity), 0.5), /thresholdMask: the matrix weight \[1\] is Infinity/);
  assert.throws(() => thresholdMask(Float64Array.of(1, 2), NaN), /thresholdMask: threshold must be a number, got NaN/);
  assert.throws(() => percentile([0.1, NaN, 0.3], 50), /percentile: value \[\d\] is NaN; percentiles need finite values/);
  assert.throws(() => percentileOfSorted([0.1, 0.2, Infinity], 10), /percentile: value \[2\] is Infinity/);
});

test("percent must be a number in [0, 100]", () => {
  const blocks = fresh().blocks;
  for (const percent of [-1, 100.5, NaN, Infinity, "50", undefined, null]) {
    const shown = typeof percent === "string" ? `"${percent}"` : String(percent);
    assert.throws(() => magnitudeMasks(blocks, { percent: percent as number, kind: "both" }),
      new RegExp(`magnitudeMasks: percent must be a number in \\[0, 100\\], got ${shown.replace(/[.+]/g, "\\$&")}`), shown);
  }
  assert.throws(() => percentile([1, 2], "10" as unknown as number), /percentile: percent must be a number in \[0, 100\], got "10"/);
  assert.throws(() => magnitudeMasks(blocks, { percent: 10, kind: "both", scope: "model" as "layer" }), /scope must be "global" or "layer", got "model"/);
});

test("gradual pruning checks kind, scope and the schedule when the hook is made, not at the first pruning step", () => {
  const schedule: CubicSchedule = { initialSparsity: 0, finalSparsity: 0.8, startStep: 1, intervals: 3, frequency: 2 };
  assert.throws(() => gradualPruningHook(schedule, { kind: "all" as PruneKind }), /gradualPruningHook: kind must be one of both, i2h, h2h, got "all"/);
  assert.throws(() => gradualPruningHook(schedule, { kind: "both", scope: "net" as "layer" }), /gradualPruningHook: scope must be "global" or "layer", got "net"/);
  assert.throws(() => gradualPruningHook({ ...schedule, finalSparsity: "0.8" as unknown as number }, { kind: "both" }), /CubicSchedule\.finalSparsity must be a fraction in \[0, 1\], got "0\.8"/);
  assert.throws(() => gradualPruningHook({ ...schedule, intervals: Infinity }, { kind: "both" }), /CubicSchedule\.intervals must be a positive integer, got Infinity/);
  // and a NaN weight met at a pruning step is named like one-shot pruning names it
  const net = fresh();
  net.blocks[1].wHH[2] = NaN;
  const hook = gradualPruningHook(schedule, { kind: "h2h" });
  assert.throws(() => hook(net, 1), /block 1 \(layer1\) h2h weight \[2\] is NaN/);
});
