import { test } from "node:test";
import assert from "node:assert/strict";
import { decode, encode, makeBatches, padToBatch } from "../../src/data/batch";
import { generateDataset } from "../../src/data/generate";
import type { Batch, Sample } from "../../src/data/types";

const samples: Sample[] = generateDataset({ size: 1003, seed: 4 }).all;

function rowsOf(batch: Batch): string[] {
  return Array.from({ length: batch.size }, (_, b) => decode(batch.tokens.subarray(b * batch.steps, (b + 1) * batch.steps)));
}

test("encode gives ASCII codes and refuses other characters by position", () => {
  assert.deepEqual(Array.from(encode("BTXSE")), [66, 84, 88, 83, 69]);
  assert.equal(decode(encode("BPVVE")), "BPVVE");
  assert.throws(() => encode("BTü"), /character "ü" \(code 252\) at position 2 of "BTü"/);
  assert.throws(() => encode("B\u0000E"), /code 0\) at position 1/);
});

test("padToBatch post-pads with zeros to the longest string and keeps order, lengths and labels", () => {
  const batch = padToBatch([
    { text: "BTXSE", valid: true },
    { text: "BPVPXVVE", valid: false },
  ]);
  assert.equal(batch.size, 2);
  assert.equal(batch.steps, 8);
  assert.deepEqual(Array.from(batch.lengths), [5, 8]);
  assert.deepEqual(Array.from(batch.labels), [1, 0]);
  assert.deepEqual(Array.from(batch.tokens.subarray(0, 8)), [66, 84, 88, 83, 69, 0, 0, 0]);
  assert.throws(() => padToBatch([]), /no samples/);
  assert.throws(() => padToBatch([{ text: "", valid: true }]), /sample 0 is an empty string/);
});

test("post batches without shuffle follow the sample order; the last batch is smaller", () => {
  const batches = makeBatches(samples, { batchSize: 100, padding: "post" });
  assert.equal(batches.length, 11);
  assert.equal(batches[10].size, 3);
  assert.deepEqual(batches.flatMap(rowsOf), samples.map((s) => s.text));
  for (const b of batches) assert.equal(b.steps, Math.max(...Array.from(b.lengths)));
});

test("shuffled post batches hold every sample once, and the seed fixes the order", () => {
  const a = makeBatches(samples, { batchSize: 64, padding: "post", shuffle: true, seed: 1 });
  const b = makeBatches(samples, { batchSize: 64, padding: "post", shuffle: true, seed: 1 });
  const c = makeBatches(samples, { batchSize: 64, padding: "post", shuffle: true, seed: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.flatMap(rowsOf), c.flatMap(rowsOf));
  assert.deepEqual(a.flatMap(rowsOf).sort(), samples.map((s) => s.text).sort());
  const labelOf = new Map(samples.map((s) => [s.text, s.valid ? 1 : 0]));
  for (const batch of a) rowsOf(batch).forEach((text, i) => assert.equal(batch.labels[i], labelOf.get(text)));
});

test("packed batches: each sorted by length descending, tight padding, every sample once, batch order shuffled", () => {
  const batches = makeBatches(samples, { batchSize: 50, padding: "packed", shuffle: true, seed: 3 });
  let padded = 0;
  for (const b of batches) {
    for (let i = 1; i < b.size; i++) assert.ok(b.lengths[i - 1] >= b.lengths[i], "descending lengths");
    assert.equal(b.steps, b.lengths[0]);
    rowsOf(b).forEach((text, i) => assert.equal(text.length, b.lengths[i]));
    padded += b.size * b.steps;
  }
  assert.deepEqual(batches.flatMap(rowsOf).sort(), samples.map((s) => s.text).sort());
  const post = makeBatches(samples, { batchSize: 50, padding: "post", shuffle: true, seed: 3 });
  const postPadded = post.reduce((a, b) => a + b.size * b.steps, 0);
  assert.ok(padded < 0.8 * postPadded, `packed cells ${padded} vs post ${postPadded}`);
  const firstSteps = batches.map((b) => b.steps);
  assert.notDeepEqual(firstSteps, [...firstSteps].sort((x, y) => y - x), "batch order is shuffled");
  const unshuffled = makeBatches(samples, { batchSize: 50, padding: "packed" }).map((b) => b.steps);
  assert.deepEqual(unshuffled, [...unshuffled].sort((x, y) => y - x));
});

test("bad batch options are refused with the value named", () => {
  assert.throws(() => makeBatches(samples, { batchSize: 0, padding: "post" }), /batchSize must be a positive integer, got 0/);
  assert.throws(() => makeBatches(samples, { batchSize: 4, padding: "pre" as never }), /padding must be "post" or "packed", got "pre"/);
});
