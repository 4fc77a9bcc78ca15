/**
 * Exact, deterministic selections the methods share: the k best of some scores, alone or pooled
 * over several matrices (globalTopK), ties to the lower index (so no order of evaluation or sort
 * implementation can change a mask); k random candidates; and seeded streams keyed by
 * (seed, step, …), so a hook draws the same numbers whether a run was resumed or not.
 */
import { Random } from "../core/random";
import { checkDensity } from "./matrices";

/**
 * Indices of the k largest scores among the candidates (all indices when `candidate` is absent),
 * ties broken towards the lower index; ascending. Throws on a non-finite candidate score and when
 * fewer than k candidates exist.
 */
export function topK(scores: ArrayLike<number>, k: number, candidate?: (i: number) => boolean, who = "topK"): Int32Array {
  if (!Number.isInteger(k) || k < 0) throw new Error(`${who}: k must be a non-negative integer, got ${k}`);
  const pool: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (candidate && !candidate(i)) continue;
    const s = scores[i];
    if (typeof s !== "number" || !Number.isFinite(s)) throw new Error(`${who}: score [${i}] is ${s}; selections need finite scores`);
    pool.push(i);
  }
  if (k > pool.length) throw new Error(`${who}: cannot pick ${k} of ${pool.length} candidates`);
  pool.sort((a, b) => scores[b] - scores[a] || a - b);
  return Int32Array.from(pool.slice(0, k)).sort();
}

/**
 * Keep the k = round(density·N) highest scores over all the matrices pooled (N = their size),
 * among the weights each `current` mask keeps (all of them when that has fewer than k, ties to the
 * earlier matrix and index). One mask per matrix.
 */
export function globalTopK(scores: readonly ArrayLike<number>[], density: number, current?: readonly Uint8Array[]): Uint8Array[] {
  checkDensity(density, "globalTopK");
  const total = scores.reduce((n, s) => n + s.length, 0);
  const pooled = new Float64Array(total), open = new Uint8Array(total);
  let offset = 0;
  scores.forEach((s, l) => {
    for (let i = 0; i < s.length; i++) { pooled[offset + i] = s[i]; open[offset + i] = current ? current[l][i] : 1; }
    offset += s.length;
  });
  let candidates = 0;
  for (let i = 0; i < total; i++) candidates += open[i];
  const kept = topK(pooled, Math.min(candidates, Math.round(density * total)), (i) => open[i] === 1, "globalTopK");
  const masks = scores.map((s) => new Uint8Array(s.length));
  const starts: number[] = [];
  offset = 0;
  for (const s of scores) { starts.push(offset); offset += s.length; }
  let l = 0;
  for (const i of kept) {
    while (l + 1 < scores.length && i >= starts[l + 1]) l++;
    masks[l][i - starts[l]] = 1;
  }
  return masks;
}

/** Indices of the k smallest scores among the candidates, ties towards the lower index; ascending. */
export function bottomK(scores: ArrayLike<number>, k: number, candidate?: (i: number) => boolean, who = "bottomK"): Int32Array {
  const negated = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) negated[i] = -scores[i];
  return topK(negated, k, candidate, who);
}

/** k distinct candidates drawn uniformly at random (partial Fisher–Yates over the candidates in index order); ascending. */
export function randomK(n: number, k: number, candidate: (i: number) => boolean, rng: Random, who = "randomK"): Int32Array {
  const pool: number[] = [];
  for (let i = 0; i < n; i++) if (candidate(i)) pool.push(i);
  if (!Number.isInteger(k) || k < 0 || k > pool.length) throw new Error(`${who}: cannot pick ${k} of ${pool.length} candidates`);
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(pool.length - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return Int32Array.from(pool.slice(0, k)).sort();
}

/** A 0/1 mask of length n with ones at `indices`. */
export function maskFromIndices(n: number, indices: ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(n);
  for (let i = 0; i < indices.length; i++) mask[indices[i]] = 1;
  return mask;
}

function mix32(h: number, k: number): number {
  h = Math.imul(h ^ k, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A generator keyed by `seed` and integer `keys` (e.g. the optimizer step): the same keys give the
 * same stream, any other key an unrelated one. Hooks draw from streamFor(seed, step) and hold no
 * state, so a resumed run (Trainer.resume) draws exactly what the uninterrupted run drew.
 */
export function streamFor(seed: number, ...keys: number[]): Random {
  let h = new Random(seed).nextUint32();
  for (const key of keys) {
    if (!Number.isSafeInteger(key)) throw new Error(`streamFor: keys must be safe integers, got ${key}`);
    h = mix32(mix32(h, key >>> 0), Math.floor(key / 4294967296) >>> 0);
  }
  return new Random(h);
}
