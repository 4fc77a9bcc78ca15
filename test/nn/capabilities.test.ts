/**
 * Backends declare what they can do as data (KernelOps.capabilities), and the trainer
 * picks its drivers by it: a batch is shared between two threads only by a backend
 * that declares two threads, whatever it is called.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset } from "../../src/data";
import { registerBackend } from "../../src/nn/backend";
import { jsOps } from "../../src/nn/js-ops";
import type { KernelOps } from "../../src/nn/kernel-ops";
import { Network } from "../../src/nn/network";
import { Trainer } from "../../src/nn/train";
import { WasmOps } from "../../src/nn/wasm/wasm-ops";
import { wasmAvailable } from "../../src/nn/wasm/load";
import { SparseWeightOps, sparseBackend } from "../../src/prune";

const data = generateDataset({ size: 64, testSize: 16, seed: 2, maxLength: 20 });
const spec = { mode: "GRU" as const, vocab: 128, classes: 2, layers: [{ size: 6 }], skips: [] };
const noWasm = wasmAvailable() ? false : "no wasm backend in this runtime";

function backendOf(backend: string): string {
  const trainer = new Trainer(Network.create(spec, { seed: 1 }), data, { epochs: 1, batchSize: 16, seed: 1, threads: 2, backend: backend as never });
  try {
    return trainer.backend;
  } finally {
    trainer.close();
  }
}

test("the plain-JS backends: one thread, dense, column kernels", () => {
  for (const precision of ["f32", "f64"] as const) {
    const ops: KernelOps = jsOps(precision);
    assert.deepEqual(ops.capabilities, { threads: 1, sparse: false, columns: true });
    assert.equal(ops.wasm, undefined);
  }
});

test("the wasm backend: two threads, dense, column kernels, its memory for other kernels", { skip: noWasm }, () => {
  const ops = new WasmOps();
  assert.deepEqual(ops.capabilities, { threads: 2, sparse: false, columns: true });
  assert.equal(ops.wasm?.memory, ops.memory);
  const sparse = new SparseWeightOps(ops, { maxDensity: 0.5 });
  assert.deepEqual(sparse.capabilities, { threads: 1, sparse: true, columns: true }, "the sparse decorator runs on one thread");
});

test("two threads share a batch by capability, never by name", { skip: noWasm }, () => {
  const ops = jsOps("f32");
  registerBackend("wasm-named-js", () => Object.assign(Object.create(Object.getPrototypeOf(ops)), jsOps("f32"), { name: "wasm-named-js" }));
  assert.equal(backendOf("wasm-named-js"), "wasm-named-js", "a plain-JS backend named wasm… runs on one thread");
  assert.equal(backendOf("wasm"), `${new WasmOps().name} ×2`);
  const sparse = sparseBackend("wasm");
  assert.equal(backendOf(sparse), `sparse≤0.5(${new WasmOps().name})`, "sparse kernels over wasm: one thread");
});
