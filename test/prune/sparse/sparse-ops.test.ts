import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset } from "../../../src/data";
import { Network, train, evaluate, createOps, registerBackend, availableBackends, CellMode } from "../../../src/nn";
import { SparseWeightOps, sparseBackend, pruneNetwork, gradualPruningHook, maskViolations } from "../../../src/prune";

const d = generateDataset({ size: 96, testSize: 32, seed: 11 });
const data = { train: d.train, test: d.test };

function pruned(mode: CellMode, percent: number): Network {
  const net = Network.create({ mode, vocab: 128, layers: [{ size: 8 }, { size: 6 }, { size: 6 }], skips: [{ from: 0, to: 2 }], classes: 2 }, { seed: 3 });
  pruneNetwork(net, { percent, kind: "both" });
  return net;
}

test("training and evaluating a pruned network with sparse kernels gives the dense numbers", () => {
  const sparse = sparseBackend("js", 0.5);
  for (const mode of ["GRU", "LSTM", "RNN_TANH"] as CellMode[]) {
    const a = pruned(mode, 80), b = a.clone();
    const options = { epochs: 2, batchSize: 16, seed: 1, lr: 0.01 };
    const dense = train(a, data, { ...options, backend: "js" });
    const fast = train(b, data, { ...options, backend: sparse as "js" });
    dense.forEach((r, i) => {
      assert.ok(Math.abs(r.trainLoss - fast[i].trainLoss) < 1e-9, `${mode} epoch ${i + 1} train loss ${r.trainLoss} vs ${fast[i].trainLoss}`);
      assert.equal(r.testAcc, fast[i].testAcc, mode);
    });
    b.blocks.forEach((blk, i) => blk.wHH.forEach((w, j) => assert.ok(Math.abs(w - a.blocks[i].wHH[j]) < 1e-9)));
    assert.equal(maskViolations(b.blocks), 0);
    assert.ok(Math.abs(evaluate(a, data.test, { backend: "js" }).loss - evaluate(b, data.test, { backend: sparse as "js" }).loss) < 1e-9);
  }
});

test("the sparse path is taken for sparse matrices only, and patterns follow new masks (gradual pruning)", () => {
  const ops = new SparseWeightOps(createOps("js"), { maxDensity: 0.5 });
  const sparseName = "sparse-test-instance";
  // register this very instance so the test can read its counters
  registerBackend(sparseName, () => ops);
  const net = pruned("GRU", 0);
  const twin = net.clone();
  const hook = gradualPruningHook({ initialSparsity: 0, finalSparsity: 0.9, startStep: 1, intervals: 2, frequency: 2 }, { kind: "both" });
  const options = { epochs: 2, batchSize: 16, seed: 1, lr: 0.01 };
  const dense = train(twin, data, { ...options, backend: "js", afterStep: hook });
  const sparse = train(net, data, { ...options, backend: sparseName as "js", afterStep: hook });
  dense.forEach((r, i) => assert.ok(Math.abs(r.trainLoss - sparse[i].trainLoss) < 1e-9, `epoch ${i + 1}`));
  assert.ok(ops.stats.sparse > 0, "no product ran sparse");
  assert.ok(ops.stats.dense > 0, "the dense head and the first, unpruned steps must run dense");
  assert.throws(() => new SparseWeightOps(createOps("js"), { maxDensity: 2 }), /maxDensity must be a fraction in \[0, 1\], got 2/);
});

test("over the wasm backend the sparse products run in wasm SIMD and match the dense f32 numbers",
  { skip: availableBackends().includes("wasm") ? false : "no wasm backend in this runtime" }, () => {
    const ops = new SparseWeightOps(createOps("wasm"), { maxDensity: 0.5 });
    registerBackend("sparse-wasm-test", () => ops);
    // batch 7 leaves ragged edges for the 4-lane vectors and 4×4 transposes
    for (const [mode, batchSize] of [["GRU", 16], ["LSTM", 7]] as Array<[CellMode, number]>) {
      const a = pruned(mode, 85), b = a.clone();
      const options = { epochs: 2, batchSize, seed: 1, lr: 0.01 };
      const dense = train(a, data, { ...options, backend: "wasm" });
      const fast = train(b, data, { ...options, backend: "sparse-wasm-test" as "wasm" });
      dense.forEach((r, i) => assert.ok(Math.abs(r.trainLoss - fast[i].trainLoss) < 1e-3 * Math.abs(r.trainLoss),
        `${mode} epoch ${i + 1}: ${r.trainLoss} vs ${fast[i].trainLoss}`));
      assert.equal(maskViolations(b.blocks), 0);
      const ea = evaluate(a, data.test, { backend: "wasm" }), eb = evaluate(b, data.test, { backend: "sparse-wasm-test" as "wasm" });
      assert.ok(Math.abs(ea.loss - eb.loss) < 1e-4 * Math.abs(ea.loss), `${mode} eval ${ea.loss} vs ${eb.loss}`);
    }
    assert.ok(ops.stats.sparse > 0, "no product ran sparse");
  });
