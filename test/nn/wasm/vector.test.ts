import { test } from "node:test";
import assert from "node:assert/strict";
import { jsOps } from "../../../src/nn/js-ops";
import { at } from "../../../src/nn/kernel-ops";
import { WasmOps } from "../../../src/nn/wasm/wasm-ops";
import { assertClose, fillUniform, rng } from "./helpers";

const SIZES = [1, 3, 49, 50, 150, 151];

/** the same random float32 contents in a wasm view and a plain Float32Array */
function twin(wasm: WasmOps, n: number, random: () => number): [Float32Array, Float32Array] {
  const w = wasm.alloc(n);
  fillUniform(w, random);
  return [w, Float32Array.from(w)];
}

test("addRowVector, colSums, add and multiply match the float32 JS ops exactly", () => {
  const wasm = new WasmOps();
  const js = jsOps("f32");
  const random = rng(3);
  for (const rows of SIZES) for (const cols of SIZES) {
    wasm.reset();
    wasm.reserve(8 * rows * cols + 1000);
    const what = `rows=${rows} cols=${cols}`;
    const [v, vj] = twin(wasm, cols + 2, random);
    const [c, cj] = twin(wasm, rows * cols + 4, random);
    wasm.addRowVector(rows, cols, at(v, 1), at(c, 2));
    js.addRowVector(rows, cols, at(vj, 1), at(cj, 2));
    assert.deepEqual(c, cj, `addRowVector ${what}`);
    for (const accumulate of [false, true]) {
      const [out, outj] = twin(wasm, cols + 3, random);
      wasm.colSums(rows, cols, at(c, 1), at(out, 1), accumulate);
      js.colSums(rows, cols, at(cj, 1), at(outj, 1), accumulate);
      assert.deepEqual(out, outj, `colSums ${what} accumulate=${accumulate}`);
    }
    const n = rows * cols;
    const [src, srcj] = twin(wasm, n + 1, random);
    wasm.add(n, at(src, 1), at(c, 3));
    js.add(n, at(srcj, 1), at(cj, 3));
    assert.deepEqual(c, cj, `add ${what}`);
    wasm.multiply(n, at(src), at(c, 1));
    js.multiply(n, at(srcj), at(cj, 1));
    assert.deepEqual(c, cj, `multiply ${what}`);
    assertClose([wasm.sumSquares(n, at(c, 2))], [js.sumSquares(n, at(cj, 2))], `sumSquares ${what}`, { rel: 1e-12, abs: 0 });
  }
});

test("adam matches the float32 JS ops over several steps with clipping scale", () => {
  const wasm = new WasmOps();
  const js = jsOps("f32");
  const random = rng(4);
  for (const n of [1, 3, 50, 151]) {
    wasm.reset();
    wasm.reserve(5 * n + 1000);
    const [theta, thetaJ] = twin(wasm, n, random);
    const m = wasm.alloc(n), v = wasm.alloc(n), mj = new Float32Array(n), vj = new Float32Array(n);
    for (let step = 1; step <= 3; step++) {
      const [grad, gradJ] = twin(wasm, n, random);
      wasm.adam({ n, theta, grad, m, v, lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, gradScale: 0.7 });
      js.adam({ n, theta: thetaJ, grad: gradJ, m: mj, v: vj, lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, gradScale: 0.7 });
    }
    assert.deepEqual(theta, thetaJ, `theta n=${n}`);
    assert.deepEqual(m, mj, `m n=${n}`);
    assert.deepEqual(v, vj, `v n=${n}`);
  }
});

test("gatherRows and scatterAddRows match the float32 JS ops, repeated rows included", () => {
  const wasm = new WasmOps();
  const js = jsOps("f32");
  const random = rng(5);
  for (const cols of [1, 3, 50, 151]) {
    const vocab = 9, rows = 40;
    wasm.reset();
    wasm.reserve(4 * (vocab + rows + 2) * cols + rows + 1000, rows + 1);
    const [table, tableJ] = twin(wasm, vocab * cols + 1, random);
    const index = wasm.allocInt(rows + 1);
    for (let r = 0; r <= rows; r++) index[r] = Math.floor(random() * vocab);
    const out = wasm.alloc(rows * cols + 2), outJ = new Float32Array(rows * cols + 2);
    wasm.gatherRows(rows, cols, at(table, 1), at(index, 1), at(out, 2));
    js.gatherRows(rows, cols, at(tableJ, 1), at(index, 1), at(outJ, 2));
    assert.deepEqual(out, outJ, `gatherRows cols=${cols}`);
    const [src, srcJ] = twin(wasm, rows * cols + 3, random);
    wasm.scatterAddRows(rows, cols, at(src, 3), at(index, 1), at(table, 1));
    js.scatterAddRows(rows, cols, at(srcJ, 3), at(index, 1), at(tableJ, 1));
    assert.deepEqual(table, tableJ, `scatterAddRows cols=${cols}`);
  }
});

test("gatherColumns and scatterAddColumns are gatherRows / scatterAddRows feature-major, in wasm as in JS", () => {
  const wasm = new WasmOps();
  const js = jsOps("f32");
  const random = rng(8);
  for (const cols of [1, 3, 50]) {
    const vocab = 9, rows = 41;
    wasm.reset();
    wasm.reserve(4 * (vocab + 2 * rows + 2) * cols + rows + 1000, rows + 1);
    const [table, tableJ] = twin(wasm, vocab * cols + 1, random);
    const index = wasm.allocInt(rows + 1);
    for (let r = 0; r <= rows; r++) index[r] = Math.floor(random() * vocab);
    const out = wasm.alloc(rows * cols + 2), outJ = new Float32Array(rows * cols + 2), byRows = new Float32Array(rows * cols);
    wasm.gatherColumns(rows, cols, at(table, 1), at(index, 1), at(out, 2));
    js.gatherColumns(rows, cols, at(tableJ, 1), at(index, 1), at(outJ, 2));
    js.gatherRows(rows, cols, at(tableJ, 1), at(index, 1), at(byRows));
    assert.deepEqual(out, outJ, `gatherColumns cols=${cols}`);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) assert.equal(outJ[2 + j * rows + r], byRows[r * cols + j], `JS gatherColumns (${r}, ${j})`);
    const [src, srcJ] = twin(wasm, rows * cols + 3, random);
    const transposed = new Float32Array(rows * cols), tableRows = tableJ.slice();
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) transposed[r * cols + j] = srcJ[3 + j * rows + r];
    wasm.scatterAddColumns(rows, cols, at(src, 3), at(index, 1), at(table, 1));
    js.scatterAddColumns(rows, cols, at(srcJ, 3), at(index, 1), at(tableJ, 1));
    js.scatterAddRows(rows, cols, at(transposed), at(index, 1), at(tableRows, 1));
    assert.deepEqual(table, tableJ, `scatterAddColumns cols=${cols}`);
    assert.deepEqual(tableJ, tableRows, `JS scatterAddColumns cols=${cols}`);
  }
});

test("copy (overlapping too) and fill match typed-array semantics", () => {
  const wasm = new WasmOps();
  const random = rng(7);
  wasm.reserve(1000);
  for (const n of [1, 3, 50, 151]) {
    const [x, expected] = twin(wasm, 2 * n + 8, random);
    wasm.copy(n, at(x, 5), at(x, 1)); // overlapping, backwards
    expected.copyWithin(1, 5, 5 + n);
    assert.deepEqual(x, expected, `copy backwards n=${n}`);
    wasm.copy(n, at(x), at(x, 3)); // overlapping, forwards
    expected.copyWithin(3, 0, n);
    assert.deepEqual(x, expected, `copy forwards n=${n}`);
    for (const value of [0, -0, 2.5, NaN, 1e-40]) {
      wasm.fill(n, value, at(x, 2));
      expected.fill(value, 2, 2 + n);
      assert.deepEqual(x, expected, `fill ${value} n=${n}`);
    }
  }
});
