import { test } from "node:test";
import assert from "node:assert/strict";
import { jsOps } from "../../../src/nn/js-ops";
import { at } from "../../../src/nn/kernel-ops";
import { sparsePattern, sparseNT, sparseNN, sparseTN } from "../../../src/prune/sparse";

// Deterministic pseudo-random numbers (no dependency on the engine's Rng).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function masked(rows: number, cols: number, density: number, rand: () => number): { w: Float64Array; mask: Uint8Array } {
  const w = new Float64Array(rows * cols);
  const mask = new Uint8Array(rows * cols);
  for (let i = 0; i < w.length; i++) {
    mask[i] = (rand() + 1) / 2 < density ? 1 : 0;
    w[i] = mask[i] ? rand() : 0;
  }
  return { w, mask };
}

function filled(n: number, rand: () => number): Float64Array {
  return Float64Array.from({ length: n }, rand);
}

function assertClose(actual: Float64Array, expected: Float64Array, where: string): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-12 * (1 + Math.abs(expected[i])), `${where}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const dense = jsOps("f64");
// odd sizes exercise the 4-row remainders; offsets exercise addressing inside shared buffers
const shapes = [[1, 3, 5], [7, 12, 9], [32, 18, 6], [33, 24, 24]];
const densities = [0, 0.1, 0.5, 1];

test("sparse products equal the dense products of the masked matrix (NT, NN, TN; with offsets, accumulate or not)", () => {
  const rand = lcg(7);
  for (const [m, n, k] of shapes) {
    for (const d of densities) {
      for (const accumulate of [false, true]) {
        const where = `m=${m} n=${n} k=${k} density=${d} accumulate=${accumulate}`;
        const off = 3;
        // NT: W is n×k
        {
          const { w, mask } = masked(n, k, d, rand);
          const p = sparsePattern(mask, n, k);
          const wBuf = new Float64Array(off + w.length); wBuf.set(w, off);
          const a = filled(off + m * k, rand);
          const c0 = filled(off + m * n, rand), c1 = c0.slice();
          dense.gemmNT({ m, n, k, a: at(a, off), b: at(wBuf, off), c: at(c0, off), accumulate });
          sparseNT({ m, n, k, a: at(a, off), b: at(wBuf, off), c: at(c1, off), accumulate }, p);
          assertClose(c1, c0, `NT ${where}`);
        }
        // NN: W is k×n
        {
          const { w, mask } = masked(k, n, d, rand);
          const p = sparsePattern(mask, k, n);
          const wBuf = new Float64Array(off + w.length); wBuf.set(w, off);
          const a = filled(off + m * k, rand);
          const c0 = filled(off + m * n, rand), c1 = c0.slice();
          dense.gemmNN({ m, n, k, a: at(a, off), b: at(wBuf, off), c: at(c0, off), accumulate });
          sparseNN({ m, n, k, a: at(a, off), b: at(wBuf, off), c: at(c1, off), accumulate }, p);
          assertClose(c1, c0, `NN ${where}`);
        }
        // TN: gradient C is m×n, masked by the pattern
        {
          const { mask } = masked(m, n, d, rand);
          const p = sparsePattern(mask, m, n);
          const a = filled(off + k * m, rand), b = filled(off + k * n, rand);
          const c0 = filled(off + m * n, rand), c1 = c0.slice();
          dense.gemmTN({ m, n, k, a: at(a, off), b: at(b, off), c: at(c0, off), accumulate });
          sparseTN({ m, n, k, a: at(a, off), b: at(b, off), c: at(c1, off), accumulate }, p);
          // kept entries equal the dense gradient; the others are zeroed or untouched
          for (let i = 0; i < m * n; i++) {
            const got = c1[off + i];
            const want = mask[i] ? c0[off + i] : accumulate ? c1[off + i] : 0;
            assert.ok(Math.abs(got - want) <= 1e-12 * (1 + Math.abs(want)), `TN ${where} entry ${i}: ${got} vs ${want}`);
          }
          assert.deepEqual(Array.from(c1.subarray(0, off)), Array.from(c0.subarray(0, off)), `TN ${where} wrote before its offset`);
        }
      }
    }
  }
});

test("sparsePattern stores both compressed orders and checks the mask size", () => {
  const mask = Uint8Array.from([1, 0, 1, 0, 0, 1]); // 2×3
  const p = sparsePattern(mask, 2, 3);
  assert.equal(p.nnz, 3);
  assert.deepEqual(Array.from(p.rowPtr), [0, 2, 3]);
  assert.deepEqual(Array.from(p.colIdx), [0, 2, 2]);
  assert.deepEqual(Array.from(p.colPtr), [0, 1, 1, 3]);
  assert.deepEqual(Array.from(p.rowIdx), [0, 0, 1]);
  assert.throws(() => sparsePattern(mask, 3, 3), /6 entries, expected offset \+ rows·cols = 0 \+ 3·3 = 9/);
});
