import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PruneRecord, readPruneCsv, safeLevel, recoveryEpochs, toleranceInterval, pruningSummary, pruneMode, PRUNE_KINDS, THESIS_SAFE_LEVELS,
  toPruneRecords, gradualComparison,
} from "../../src/prune";
import type { CellMode } from "../../src/nn/spec";
import { thesisPruneLogFile } from "../../src/thesis";

function row(mode: string, prune: number, epoch: number, test_acc: number): PruneRecord {
  return { mode, prune, epoch, train_loss: 0, train_acc: 0, test_loss: 0, test_acc, time: 0 };
}

// base 0.9 after 2 epochs; "both": 10 → 0.9, 20 → 0.86, 30 → 0.5 recovering at epoch 2, 40 → 0.89 never recovering
const synthetic: PruneRecord[] = [
  row("gru", 0, 1, 0.7), row("gru", 0, 2, 0.9),
  row("gru_prune", 10, 0, 0.9), row("gru_prune", 10, 1, 0.9),
  row("gru_prune", 20, 0, 0.86), row("gru_prune", 20, 1, 0.9),
  row("gru_prune", 30, 0, 0.5), row("gru_prune", 30, 1, 0.8), row("gru_prune", 30, 2, 0.88),
  row("gru_prune", 40, 0, 0.89), row("gru_prune", 40, 1, 0.3), row("gru_prune", 40, 2, 0.3),
];

test("safe level is the highest p with every level up to it within tolerance", () => {
  assert.equal(safeLevel(synthetic, "GRU", "both", 0.05), 20);
  assert.equal(safeLevel(synthetic, "GRU", "both", 0.01), 10);
  // 40 is within 0.05 again, but 30 dropped below: the safe level stops at 20
  assert.equal(safeLevel(synthetic, "GRU", "both", 0.39), 20);
  assert.equal(safeLevel(synthetic, "GRU", "both", 0.4), 40);
  assert.equal(safeLevel([row("gru", 0, 1, 1), row("gru_prune", 10, 0, 0.5)], "GRU", "both", 0.05), 0);
});

test("a tolerance outside (0, 1) — a percent by mistake, zero, negative, NaN — is refused, not read as 'every level safe'", () => {
  for (const bad of [5, 1, 0, -0.05, NaN]) {
    assert.throws(() => safeLevel(synthetic, "GRU", "both", bad), /tolerance must be a fraction of accuracy in \(0, 1\)/, `tolerance ${bad}`);
    assert.throws(() => recoveryEpochs(synthetic, "GRU", "both", bad), /tolerance must be a fraction/, `tolerance ${bad}`);
    assert.throws(() => pruningSummary(synthetic, ["GRU"], ["both"], bad), /tolerance must be a fraction/, `tolerance ${bad}`);
  }
});

test("recovery epochs: first epoch back within tolerance, 0 when no drop, never when none", () => {
  assert.deepEqual(recoveryEpochs(synthetic, "GRU", "both", 0.03), [
    { prune: 10, epochs: 0 }, { prune: 20, epochs: 1 }, { prune: 30, epochs: 2 }, { prune: 40, epochs: 0 },
  ]);
  assert.deepEqual(recoveryEpochs(synthetic, "GRU", "both", 0.005).map((r) => r.epochs), [0, 1, "never", "never"]);
});

test("tolerance interval brackets exactly the tolerances that give a safe level", () => {
  const { low, high } = toleranceInterval(synthetic, "GRU", "both", 20);
  assert.ok(Math.abs(low - 0.04) < 1e-12 && Math.abs(high - 0.4) < 1e-12);
  assert.equal(safeLevel(synthetic, "GRU", "both", low), 20);
  assert.equal(safeLevel(synthetic, "GRU", "both", high - 1e-9), 20);
  assert.notEqual(safeLevel(synthetic, "GRU", "both", low - 1e-3), 20);
});

test("records are checked: a bad number names the column and the row", () => {
  assert.throws(() => toPruneRecords([{ mode: "gru", prune: 0, epoch: "x" }], "log.csv"), /log\.csv: row 2 has a bad epoch "x"/);
});

test("gradual comparison pairs one-shot and gradual runs at equal sparsity, after the given epoch", () => {
  const records = [...synthetic, row("gru_gradual", 30, 2, 0.95), row("gru_gradual", 30, 1, 0.6), row("gru_gradual_h2h", 40, 2, 0.7)];
  const table = gradualComparison(records, ["GRU"], ["both", "h2h"], [30, 40], 2);
  assert.deepEqual(table.map((r) => [r.kind, r.level, r.oneShot, r.gradual]), [
    ["both", 30, 0.88, 0.95], ["both", 40, 0.3, undefined], ["h2h", 30, undefined, undefined], ["h2h", 40, undefined, 0.7],
  ]);
});

test("tolerance 0.05 reproduces the thesis's twelve safe pruning levels from its CSVs", () => {
  // the levels the thesis's text states, checked here against its own logs
  const published = THESIS_SAFE_LEVELS;
  let low = 0;
  let high = Infinity;
  for (const variant of ["RNN_TANH", "RNN_RELU", "LSTM", "GRU"] as CellMode[]) {
    const records = readPruneCsv(thesisPruneLogFile(variant));
    for (const kind of PRUNE_KINDS) {
      assert.equal(safeLevel(records, variant, kind, 0.05), published[kind][variant], `${variant} ${kind}`);
      const interval = toleranceInterval(records, variant, kind, published[kind][variant]);
      low = Math.max(low, interval.low);
      high = Math.min(high, interval.high);
    }
    // "only LSTM and GRU recover from 100 % h2h pruning" (within the 10 retraining epochs)
    const at100 = recoveryEpochs(records, variant, "h2h", 0.05).find((r) => r.prune === 100)!;
    assert.equal(at100.epochs !== "never", variant === "LSTM" || variant === "GRU", variant);
    assert.equal(pruningSummary(records, [variant], PRUNE_KINDS, 0.05).length, 3);
    assert.ok(records.some((r) => r.mode === pruneMode(variant, "i2h")));
  }
  assert.ok(low < 0.05 && 0.05 < high, `interval [${low}, ${high})`);
  assert.ok(Math.abs(low - 0.04928) < 1e-9 && Math.abs(high - 0.05024) < 1e-9);
});
