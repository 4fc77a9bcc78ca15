/**
 * createEngine's layout choice, and that training gives the same numbers through either layout.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ColumnEngine } from "../../src/nn/column-engine";
import { chooseLayout, COLUMN_MAX_SIZE, createEngine } from "../../src/nn/create-engine";
import { Engine } from "../../src/nn/engine";
import { jsOps } from "../../src/nn/js-ops";
import { Network } from "../../src/nn/network";
import { train } from "../../src/nn/train";
import { Random } from "../../src/core/random";
import type { Sample } from "../../src/data/types";
import { smallSpec } from "./helpers";

const capacity = { batch: 4, steps: 6 };

test("auto picks the column layout for small layers and the row layout for wide ones", () => {
  const small = Network.create(smallSpec("GRU", [3, 2, COLUMN_MAX_SIZE], [[0, 2]], new Random(1), true), { seed: 1 });
  const wide = Network.create(smallSpec("GRU", [3, COLUMN_MAX_SIZE + 1, 2], [], new Random(2), false), { seed: 1 });
  assert.equal(chooseLayout(small, jsOps("f64")), "columns");
  assert.equal(chooseLayout(wide, jsOps("f64")), "rows");
  assert.ok(createEngine(small, jsOps("f64"), capacity) instanceof ColumnEngine);
  assert.ok(createEngine(wide, jsOps("f64"), capacity) instanceof Engine);
  assert.ok(createEngine(small, jsOps("f64"), capacity, { layout: "rows" }) instanceof Engine);
  assert.ok(createEngine(wide, jsOps("f64"), capacity, { layout: "columns" }) instanceof ColumnEngine);
});

test("a backend without column kernels (capabilities.columns false) gets the row layout, and asking for columns there is an error", () => {
  const net = Network.create(smallSpec("LSTM", [2, 2], [], new Random(3), false), { seed: 1 });
  const ops = jsOps("f64");
  const rowsOnly = Object.assign(Object.create(Object.getPrototypeOf(ops)), ops, { capabilities: { ...ops.capabilities, columns: false } });
  assert.equal(chooseLayout(net, rowsOnly), "rows");
  assert.throws(() => createEngine(net, rowsOnly, capacity, { layout: "columns" }), /layout "columns" needs column kernels/);
  assert.throws(() => createEngine(net, ops, capacity, { layout: "diagonal" as never }), /unknown layout "diagonal"/);
});

test("training through either layout gives the same losses and weights (f64)", () => {
  const rng = new Random(4);
  const samples: Sample[] = Array.from({ length: 24 }, () => ({ text: Array.from({ length: 1 + rng.nextInt(7) }, () => "BTSXPVE"[rng.nextInt(7)]).join(""), valid: rng.nextInt(2) === 1 }));
  const spec = { mode: "GRU" as const, vocab: 128, classes: 2, layers: [{ size: 3 }, { size: 2 }, { size: 3 }], skips: [{ from: 0, to: 2 }] };
  const runs = (["rows", "columns"] as const).map((layout) => {
    const net = Network.create(spec, { seed: 5 });
    const log = train(net, { train: samples.slice(0, 16), test: samples.slice(16) }, { epochs: 2, batchSize: 5, seed: 6, backend: "js", layout });
    return { log, weights: net.parameterArrays().flatMap((a) => Array.from(a)) };
  });
  runs[0].log.forEach((epoch, i) => {
    assert.ok(Math.abs(epoch.trainLoss - runs[1].log[i].trainLoss) < 1e-9, `epoch ${i + 1} train loss`);
    assert.ok(Math.abs(epoch.testLoss - runs[1].log[i].testLoss) < 1e-9, `epoch ${i + 1} test loss`);
  });
  const maxDiff = runs[0].weights.reduce((m, w, i) => Math.max(m, Math.abs(w - runs[1].weights[i])), 0);
  assert.ok(maxDiff < 1e-9, `weights differ by ${maxDiff}`);
});
