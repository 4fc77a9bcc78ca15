import type { Batch } from "../../src/data/types";
import { Random } from "../../src/core/random";
import { CellMode, GATES, NetworkSpec } from "../../src/nn/spec";

/** A small random spec: `sizes` layers, optional skips, random masks with density ≈ 0.7. */
export function smallSpec(mode: CellMode, sizes: number[], skips: Array<[number, number]>, rng: Random, masked: boolean): NetworkSpec {
  const G = GATES[mode];
  const mask = (n: number) => (masked ? Uint8Array.from({ length: n }, () => (rng.nextFloat() < 0.7 ? 1 : 0)) : undefined);
  return {
    mode, vocab: 12, classes: 2,
    layers: sizes.map((H, l) => ({ size: H, maskIH: mask(G * H * (l === 0 ? sizes[0] : sizes[l - 1])), maskHH: mask(G * H * H) })),
    skips: skips.map(([from, to]) => ({ from, to, maskIH: mask(G * sizes[to] * sizes[from]), maskHH: mask(G * sizes[to] * sizes[to]) })),
  };
}

/** A random batch with distinct lengths in 1…steps (at least one string of full length). */
export function randomBatch(size: number, steps: number, vocab: number, rng: Random): Batch {
  const lengths = Int32Array.from({ length: size }, (_, b) => (b === 1 ? steps : 1 + rng.nextInt(steps)));
  const tokens = new Uint8Array(size * steps);
  for (let b = 0; b < size; b++) for (let t = 0; t < lengths[b]; t++) tokens[b * steps + t] = 1 + rng.nextInt(vocab - 1);
  const labels = Uint8Array.from({ length: size }, () => rng.nextInt(2));
  return { size, steps, tokens, lengths, labels };
}

/** max |a − b| / max(max |b|, floor) — error relative to the array's scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  let diff = 0, scale = floor;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
