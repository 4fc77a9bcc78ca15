/**
 * The content fingerprint of a data set: a hash of every string and label, in order,
 * of the training and the test split. Two data sets with the same counts but other
 * strings (another seed) get different fingerprints, so no cache accepts the wrong data.
 */
import { contentHash } from "../core/hash";
import type { Sample } from "./types";

export function dataFingerprint(data: { train: readonly Sample[]; test: readonly Sample[] }): string {
  const lines = (samples: readonly Sample[]) => samples.map((s) => `${s.text}\t${s.valid ? 1 : 0}`).join("\n");
  return contentHash({ train: lines(data.train), test: lines(data.test) });
}
