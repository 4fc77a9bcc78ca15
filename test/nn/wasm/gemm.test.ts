import { test } from "node:test";
import assert from "node:assert/strict";
import { jsOps } from "../../../src/nn/js-ops";
import { at, Floats, KernelOps } from "../../../src/nn/kernel-ops";
import { WasmOps } from "../../../src/nn/wasm/wasm-ops";
import { loadKernelModule } from "../../../src/nn/wasm/load";
import { assertClose, fillUniform, rng } from "./helpers";

type Kind = "NT" | "NN" | "TN";
const SIZES = [1, 3, 49, 50, 150, 151];

/** operand shapes of C[m×n] = op(A)·op(B) */
function shapes(kind: Kind, m: number, n: number, k: number): { a: number; b: number } {
  return kind === "NT" ? { a: m * k, b: n * k } : kind === "NN" ? { a: m * k, b: k * n } : { a: k * m, b: k * n };
}

function gemm<F extends Floats>(ops: KernelOps<F>, kind: Kind, m: number, n: number, k: number,
                                a: F, b: F, c: F, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
  const product = { m, n, k, a: at(a, aOff), b: at(b, bOff), c: at(c, cOff), accumulate };
  if (kind === "NT") ops.gemmNT(product);
  else if (kind === "NN") ops.gemmNN(product);
  else ops.gemmTN(product);
}

/** wasm gemm vs the float64 JS gemm, with the error bound scaled by Σ|a||b| */
function check(wasm: WasmOps, kind: Kind, m: number, n: number, k: number, accumulate: boolean, seed: number): void {
  const random = rng(seed);
  const { a: aSize, b: bSize } = shapes(kind, m, n, k);
  // offsets exercise unaligned starts inside a larger buffer
  const aOff = 3, bOff = 1, cOff = 5;
  wasm.reset();
  wasm.reserve(aSize + bSize + m * n + 16);
  const a = wasm.alloc(aSize + aOff), b = wasm.alloc(bSize + bOff), c = wasm.alloc(m * n + cOff + 2);
  fillUniform(a, random);
  fillUniform(b, random);
  fillUniform(c, random);
  const js = jsOps("f64");
  const a64 = Float64Array.from(a), b64 = Float64Array.from(b), c64 = Float64Array.from(c);
  const bound = new Float64Array(c.length);
  gemm(js, kind, m, n, k, a64.map(Math.abs), b64.map(Math.abs), bound, false, aOff, bOff, cOff);
  const before = Float32Array.from(c);
  gemm(js, kind, m, n, k, a64, b64, c64, accumulate, aOff, bOff, cOff);
  gemm(wasm, kind, m, n, k, a, b, c, accumulate, aOff, bOff, cOff);
  const what = `gemm${kind} m=${m} n=${n} k=${k} accumulate=${accumulate}`;
  for (let i = 0; i < bound.length; i++) bound[i] += accumulate ? Math.abs(before[i]) : 0;
  assertClose(c, c64, what, { rel: 2e-6, abs: 1e-7, bound });
  // nothing outside C[cOff, cOff + m·n) is written
  for (const i of [0, cOff - 1, cOff + m * n, cOff + m * n + 1]) assert.equal(c[i], before[i], `${what}: C[${i}] touched`);
}

for (const kind of ["NT", "NN", "TN"] as Kind[]) for (const variant of ["simd", "relaxed"] as const) {
  test(`${variant}: gemm${kind} matches the JS ops on odd shapes, with and without accumulate`, () => {
    const wasm = new WasmOps(loadKernelModule(variant));
    let seed = 1;
    for (const m of SIZES) for (const n of SIZES) for (const k of [1, 3, 50, 151]) {
      check(wasm, kind, m, n, k, false, seed++);
      check(wasm, kind, m, n, k, true, seed++);
    }
  });

  test(`${variant}: gemm${kind} on the base GRU shapes and long k (chunked over k)`, () => {
    const wasm = new WasmOps(loadKernelModule(variant));
    check(wasm, kind, 33 * 32, 150, 50, false, 7);
    check(wasm, kind, 32, 150, 50, true, 8);
    check(wasm, kind, 150, 50, 33 * 32, false, 9);
    check(wasm, kind, 7, 600, 130, true, 10); // n past one packed Bᵀ block (512 columns)
  });

  test(`${variant}: gemm${kind} with a few long rows (NT: the dot-product path, ragged m, n and k)`, () => {
    const wasm = new WasmOps(loadKernelModule(variant));
    let seed = 100;
    for (const [m, n] of [[1, 1], [9, 3], [5, 7], [12, 32], [2, 4]]) for (const k of [512, 2051, 6912]) {
      check(wasm, kind, m, n, k, false, seed++);
      check(wasm, kind, m, n, k, true, seed++);
    }
  });
}

test("gemm with k = 0 clears C unless accumulating", () => {
  const wasm = new WasmOps();
  wasm.reserve(64);
  const a = wasm.alloc(4), b = wasm.alloc(4), c = wasm.alloc(6);
  c.fill(2);
  wasm.gemmNN({ m: 2, n: 3, k: 0, a: at(a), b: at(b), c: at(c), accumulate: true });
  assert.deepEqual(Array.from(c), [2, 2, 2, 2, 2, 2]);
  wasm.gemmNT({ m: 2, n: 3, k: 0, a: at(a), b: at(b), c: at(c), accumulate: false });
  assert.deepEqual(Array.from(c), [0, 0, 0, 0, 0, 0]);
});
