/** One labelled string: the thesis's `string,valid` row. */
export interface Sample {
  text: string;
  valid: boolean;
}

/**
 * A mini-batch ready for the engine. Tokens are ASCII codes, row-major
 * [b · steps + t], zero post-padded to `steps` = the longest string of the batch.
 */
export interface Batch {
  /** B, strings in this batch */
  size: number;
  /** T, the longest length in this batch */
  steps: number;
  tokens: Uint8Array;
  /** true lengths, 1 ≤ lengths[b] ≤ steps */
  lengths: Int32Array;
  /** 1 = valid, 0 = invalid */
  labels: Uint8Array;
}

/**
 * How a batch's strings are laid out in time (see batch.ts): "post" zero post-pads each
 * string to the batch's longest (the thesis's way; the head reads the final step),
 * "packed" sorts a batch by length so the engine can shrink it as strings end (the head
 * reads each string's true last step).
 */
export type Padding = "post" | "packed";
