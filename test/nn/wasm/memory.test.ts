import { test } from "node:test";
import assert from "node:assert/strict";
import { at } from "../../../src/nn/kernel-ops";
import { WasmOps } from "../../../src/nn/wasm/wasm-ops";
import { relaxedSimdSupported, wasmAvailable } from "../../../src/nn/wasm/load";

test("the runtime runs the wasm SIMD kernels, relaxed FMA included unless SPARSE_RNN_WASM=simd", () => {
  assert.ok(wasmAvailable());
  assert.ok(relaxedSimdSupported());
  assert.equal(new WasmOps().name, process.env.SPARSE_RNN_WASM === "simd" ? "wasm-simd" : "wasm-relaxed");
});

test("alloc hands out zeroed, disjoint, 64-byte aligned views of one memory", () => {
  const ops = new WasmOps();
  ops.reserve(1000, 10);
  const a = ops.alloc(3), b = ops.alloc(5), ints = ops.allocInt(10);
  a.fill(7);
  assert.deepEqual(Array.from(b), [0, 0, 0, 0, 0]);
  assert.equal(a.buffer, b.buffer);
  assert.equal(ints.buffer, a.buffer);
  assert.equal(b.byteOffset % 64, 0);
  assert.ok(b.byteOffset >= a.byteOffset + 12);
  // reset reuses the memory, zeroed again
  ops.reset();
  const again = ops.alloc(3);
  assert.equal(again.byteOffset, a.byteOffset);
  assert.deepEqual(Array.from(again), [0, 0, 0]);
});

test("after memory.grow old views are rejected with a clear error and new views keep the data", () => {
  const ops = new WasmOps();
  ops.reserve(16);
  const a = ops.alloc(4), c = ops.alloc(4);
  a.set([1, 2, 3, 4]);
  const offset = a.byteOffset;
  ops.reserve(4_000_000); // 16 MB: the memory grows and the old buffer is detached
  assert.throws(() => ops.gemmNN({ m: 2, n: 2, k: 1, a: at(a), b: at(a), c: at(c), accumulate: false }), /not a live view/);
  const b = ops.alloc(8), out = ops.alloc(4);
  const view = new Float32Array(b.buffer, offset, 4);
  assert.deepEqual(Array.from(view), [1, 2, 3, 4]);
  b.set([1, 2, 3, 4, 5, 6, 7, 8]);
  ops.gemmNN({ m: 2, n: 2, k: 2, a: at(b), b: at(b, 4), c: at(out), accumulate: false });
  // [1 2; 3 4]·[5 6; 7 8]
  assert.deepEqual(Array.from(out), [19, 22, 43, 50]);
});

test("allocating past the reservation fails instead of detaching live views", () => {
  const ops = new WasmOps();
  ops.reserve(10);
  const room = (ops.memory.buffer.byteLength - ops.bytesAllocated) / 4;
  assert.throws(() => ops.alloc(room + 1000), /out of reserved memory/);
  assert.throws(() => ops.alloc(-1), /non-negative integer/);
});

test("operands from another allocator are rejected", () => {
  const ops = new WasmOps();
  ops.reserve(16);
  const c = ops.alloc(4);
  assert.throws(() => ops.gemmNT({ m: 2, n: 2, k: 1, a: at(new Float32Array(2)), b: at(new Float32Array(2)), c: at(c), accumulate: false }), /not a live view/);
});
