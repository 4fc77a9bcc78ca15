// Shared fixtures for the wasm backend tests: a seeded generator and float32
// tolerance checks against the float64 JS ops.
import assert from "node:assert/strict";

/** mulberry32: small seeded generator so every failure is reproducible */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fillUniform(x: Float32Array | Float64Array, random: () => number, scale = 1): void {
  for (let i = 0; i < x.length; i++) x[i] = (2 * random() - 1) * scale;
}

/** |actual − expected| ≤ rel·bound + abs per element, reporting the worst element */
export function assertClose(
  actual: ArrayLike<number>, expected: ArrayLike<number>, what: string,
  options: { rel?: number; abs?: number; bound?: ArrayLike<number> } = {},
): void {
  const rel = options.rel ?? 1e-5;
  const abs = options.abs ?? 1e-6;
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const scale = options.bound ? options.bound[i] : Math.abs(expected[i]);
    const tolerance = rel * scale + abs;
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= tolerance)) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (error ${error} > ${tolerance})`);
    }
  }
}
