/**
 * From strings to the engine's input: ASCII codes (vocabulary 128, 0 = padding)
 * and mini-batches.
 *
 *   "post"   the thesis's way: batches in the given (or a shuffled) order, each
 *            zero post-padded to its longest string.
 *   "packed" length-bucketed: samples sorted by length (ties in random order), cut
 *            into batches, each batch sorted by length DESCENDING so that the rows
 *            still running at step t are exactly 0 … active(t)−1 and the engine can
 *            shrink the batch as strings end; batch order shuffled.
 */
import { Random } from "../core/random";
import type { Batch, Padding, Sample } from "./types";

export const VOCABULARY_SIZE = 128;

/** ASCII codes of `text`; refuses characters outside 1 … 127 (0 is the padding token). */
export function encode(text: string): Uint8Array {
  const codes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 1 || code > 127) throw new Error(`encode: character ${JSON.stringify(text[i])} (code ${code}) at position ${i} of ${JSON.stringify(text)} is not ASCII 1 … 127`);
    codes[i] = code;
  }
  return codes;
}

/** the string back from codes (padding zeros dropped) */
export function decode(codes: ArrayLike<number>): string {
  let text = "";
  for (let i = 0; i < codes.length && codes[i] !== 0; i++) text += String.fromCharCode(codes[i]);
  return text;
}

/** One batch of `samples` in the given order, zero post-padded to the longest. */
export function padToBatch(samples: readonly Sample[]): Batch {
  if (samples.length === 0) throw new Error("padToBatch: no samples");
  const codes = samples.map((s, b) => {
    if (s.text.length === 0) throw new Error(`padToBatch: sample ${b} is an empty string`);
    return encode(s.text);
  });
  return padCodes(codes, samples.map((s) => (s.valid ? 1 : 0)));
}

/** One batch of already-encoded strings (engines encode a data set once), zero post-padded to the longest. */
export function padCodes(codes: readonly Uint8Array[], labels: ArrayLike<number>): Batch {
  const size = codes.length;
  let steps = 0;
  for (const c of codes) steps = Math.max(steps, c.length);
  const tokens = new Uint8Array(size * steps);
  const lengths = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    tokens.set(codes[b], b * steps);
    lengths[b] = codes[b].length;
  }
  return { size, steps, tokens, lengths, labels: Uint8Array.from(labels) };
}

export interface BatchOptions {
  batchSize: number;
  padding: Padding;
  /** shuffle: post — the sample order; packed — ties within a length and the batch order (default false) */
  shuffle?: boolean;
  /** seed of the shuffle (0); e.g. baseSeed + epoch for a new order each epoch */
  seed?: number;
}

/** Cut samples into batches of at most `batchSize` (the last may be smaller). */
export function makeBatches(samples: readonly Sample[], options: BatchOptions): Batch[] {
  const { batchSize, padding } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`makeBatches: batchSize must be a positive integer, got ${batchSize}`);
  if (padding !== "post" && padding !== "packed") throw new Error(`makeBatches: padding must be "post" or "packed", got ${JSON.stringify(padding)}`);
  const rng = options.shuffle ? new Random(options.seed ?? 0) : undefined;
  const order = samples.slice();
  if (rng) rng.shuffle(order);
  if (padding === "packed") order.sort((a, b) => b.text.length - a.text.length); // stable: ties keep the shuffled order
  const batches: Batch[] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(padToBatch(order.slice(start, start + batchSize)));
  if (padding === "packed" && rng) rng.shuffle(batches);
  return batches;
}
