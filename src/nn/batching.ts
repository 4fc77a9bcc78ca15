/**
 * Strings → engine batches: ASCII tokens, zero post-padded to the longest string
 * of the batch (the thesis's layout, data/types.ts `Batch`).
 */
import type { Batch, Sample } from "../data/types";

export interface EncodedSet {
  tokens: Uint8Array[];
  labels: Uint8Array;
  maxLength: number;
}

/** Encode once per data set; `where` names the data set in errors. */
export function encodeSamples(samples: Sample[], vocab: number, where = "samples"): EncodedSet {
  const tokens: Uint8Array[] = new Array(samples.length);
  const labels = new Uint8Array(samples.length);
  let maxLength = 0;
  samples.forEach((s, i) => {
    if (typeof s.text !== "string" || s.text.length === 0) throw new Error(`${where}[${i}]: text must be a non-empty string, got ${JSON.stringify(s.text)}`);
    const t = new Uint8Array(s.text.length);
    for (let j = 0; j < t.length; j++) {
      const code = s.text.charCodeAt(j);
      if (code === 0 || code >= vocab) throw new Error(`${where}[${i}]: character ${JSON.stringify(s.text[j])} (code ${code}) is outside the vocabulary 1…${vocab - 1}`);
      t[j] = code;
    }
    tokens[i] = t;
    labels[i] = s.valid ? 1 : 0;
    if (t.length > maxLength) maxLength = t.length;
  });
  return { tokens, labels, maxLength };
}

/** The batch of samples order[from … to−1]. */
export function makeBatch(set: EncodedSet, order: ArrayLike<number>, from: number, to: number): Batch {
  const size = to - from;
  let steps = 0;
  for (let i = from; i < to; i++) steps = Math.max(steps, set.tokens[order[i]].length);
  const tokens = new Uint8Array(size * steps);
  const lengths = new Int32Array(size);
  const labels = new Uint8Array(size);
  for (let b = 0; b < size; b++) {
    const s = order[from + b];
    tokens.set(set.tokens[s], b * steps);
    lengths[b] = set.tokens[s].length;
    labels[b] = set.labels[s];
  }
  return { size, steps, tokens, lengths, labels };
}

/** Consecutive batches of `batchSize` (the last one may be smaller) over `order`. */
export function batchesOf(set: EncodedSet, order: ArrayLike<number>, batchSize: number): Batch[] {
  const out: Batch[] = [];
  for (let from = 0; from < order.length; from += batchSize) out.push(makeBatch(set, order, from, Math.min(order.length, from + batchSize)));
  return out;
}
