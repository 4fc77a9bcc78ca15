import { test } from "node:test";
import assert from "node:assert/strict";
import { compareLengths, datasetStats, splitCounts, usesOnlyReberLetters } from "../../src/data/stats";
import type { Sample } from "../../src/data/types";

const samples: Sample[] = [
  { text: "BTXSE", valid: true },
  { text: "BPVVE", valid: true },
  { text: "BTXSE", valid: true },
  { text: "BPXVVE", valid: false },
  { text: "BACDE", valid: false },
  { text: "BADFHKE", valid: false },
];

test("datasetStats counts classes, near-misses, lengths, characters and repeats", () => {
  const s = datasetStats(samples);
  assert.equal(s.count, 6);
  assert.equal(s.valid, 3);
  assert.equal(s.invalid, 3);
  assert.equal(s.nearMiss, 1);
  assert.equal(s.otherLetters, 2);
  assert.equal(s.nearMissShare, 1 / 3);
  assert.equal(s.duplicates, 1);
  assert.deepEqual([s.length.min, s.length.max, s.length.mode, s.length.modeCount], [5, 7, 5, 4]);
  assert.deepEqual(s.length.histogram, [0, 0, 0, 0, 0, 4, 1, 1]);
  assert.equal(s.length.mean, 33 / 6);
  assert.deepEqual(s.validLength.histogram, [0, 0, 0, 0, 0, 3]);
  assert.equal(s.charCounts.B, 6);
  assert.equal(s.charCounts.V, 4);
  assert.deepEqual(Object.keys(s.charCounts), [...Object.keys(s.charCounts)].sort());
  assert.equal(datasetStats([]).length.max, 0);
});

test("splitCounts and near-miss letters", () => {
  assert.deepEqual(splitCounts({ train: samples.slice(0, 4), test: samples.slice(4) }), [
    { split: "train", count: 4, valid: 3, invalid: 1 },
    { split: "test", count: 2, valid: 0, invalid: 2 },
  ]);
  assert.equal(usesOnlyReberLetters("BPXVVE"), true);
  assert.equal(usesOnlyReberLetters("BPXAVE"), false);
});

test("compareLengths gives per-length shares and the total variation distance", () => {
  const c = compareLengths([0, 2, 2], [0, 1, 3]);
  assert.deepEqual(c.rows.map((r) => r.length), [1, 2]);
  assert.equal(c.rows[0].shareA, 0.5);
  assert.equal(c.rows[0].shareB, 0.25);
  assert.equal(c.totalVariation, 0.25);
});

test("thesisNumbers measures a data set in the thesis's terms; sideBySide pairs quantities", async () => {
  const { thesisNumbers, sideBySide } = await import("../../src/data/thesis");
  const fromSamples = thesisNumbers({ dir: "x", all: samples, train: samples.slice(0, 4), test: samples.slice(2) });
  assert.equal(fromSamples.overlap, 2); // BTXSE and BPXVVE
  assert.deepEqual(fromSamples.histograms.valid, [0, 0, 0, 0, 0, 3]);
  assert.deepEqual(sideBySide({ a: 1, b: 2 }, { a: 3 }), [
    { quantity: "a", "this run": 1, thesis: 3 },
    { quantity: "b", "this run": 2, thesis: "—" },
  ]);
});
