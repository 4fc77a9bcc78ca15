/**
 * Strings → engine batches: ASCII tokens, zero post-padded to the longest string
 * of the batch (the thesis's layout, data/types.ts `Batch`).
 */
import { encode, padCodes } from "../data/batch";
import type { Batch, Sample } from "../data/types";

export interface EncodedSet {
  tokens: Uint8Array[];
  labels: Uint8Array;
  maxLength: number;
}

/** Encode once per data set; `where` names the data set in errors. */
export function encodeSamples(samples: Sample[], vocab: number, where = "samples"): EncodedSet {
  const labels = new Uint8Array(samples.length);
  let maxLength = 0;
  const tokens = samples.map((s, i) => {
    if (typeof s.text !== "string" || s.text.length === 0) throw new Error(`${where}[${i}]: text must be a non-empty string, got ${JSON.stringify(s.text)}`);
    let codes: Uint8Array;
    try {
      codes = encode(s.text);
    } catch (e) {
      throw new Error(`${where}[${i}]: ${(e as Error).message}`);
    }
    const outside = codes.findIndex((code) => code >= vocab);
    if (outside >= 0) throw new Error(`${where}[${i}]: character ${JSON.stringify(s.text[outside])} (code ${codes[outside]}) is outside the vocabulary 1…${vocab - 1}`);
    labels[i] = s.valid ? 1 : 0;
    maxLength = Math.max(maxLength, codes.length);
    return codes;
  });
  return { tokens, labels, maxLength };
}

/** The batch of samples order[from … to−1]. */
export function makeBatch(set: EncodedSet, order: ArrayLike<number>, from: number, to: number): Batch {
  const codes: Uint8Array[] = [];
  const labels: number[] = [];
  for (let i = from; i < to; i++) {
    codes.push(set.tokens[order[i]]);
    labels.push(set.labels[order[i]]);
  }
  return padCodes(codes, labels);
}

/** Consecutive batches of `batchSize` (the last one may be smaller) over `order`. */
export function batchesOf(set: EncodedSet, order: ArrayLike<number>, batchSize: number): Batch[] {
  const out: Batch[] = [];
  for (let from = 0; from < order.length; from += batchSize) out.push(makeBatch(set, order, from, Math.min(order.length, from + batchSize)));
  return out;
}
