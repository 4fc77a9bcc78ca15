import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { formatSamplesCsv, parseSamplesCsv } from "../../src/data/csv";
import { generateDataset, overlapCount, THESIS_INVALID_KINDS } from "../../src/data/generate";
import { check, isReber } from "../../src/data/grammar";
import { compareLengths, datasetStats, splitCounts } from "../../src/data/stats";
import { loadThesisDataset } from "../../src/data/thesis";
import { THESIS_PUBLISHED, thesisDatasetDir } from "../../src/thesis";

const dir = thesisDatasetDir();
const thesis = loadThesisDataset();

test("isReber agrees with the thesis's valid column on all 25,000 strings", () => {
  assert.equal(thesis.all.length, 25000);
  const disagreements = thesis.all.filter((s) => isReber(s.text).valid !== s.valid);
  assert.deepEqual(disagreements, []);
});

test("the loader reads the three files unchanged: writing them back reproduces every byte", () => {
  for (const [name, rows] of [["reber_sequences.csv", 25000], ["train_data.csv", 18750], ["test_data.csv", 6250]] as const) {
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    const parsed = parseSamplesCsv(text, name);
    assert.equal(parsed.samples.length, rows, name);
    const indexed = parsed.format === "indexed";
    assert.equal(indexed, name !== "reber_sequences.csv");
    assert.equal(formatSamplesCsv(parsed.samples, { indexed, firstIndex: parsed.indices?.[0] }), text, name);
  }
});

test("the thesis's published numbers hold for its files", () => {
  const s = datasetStats(thesis.all);
  const P = THESIS_PUBLISHED;
  assert.deepEqual([s.length.min, s.length.max, s.length.mode, s.length.modeCount], [P.minLength, P.maxLength, P.mode, P.modeCount]);
  assert.deepEqual([s.nearMiss, s.otherLetters, s.duplicates], [P.nearMiss, P.otherLetters, P.duplicates]);
  assert.deepEqual(splitCounts({ train: thesis.train, test: thesis.test }), [
    { split: "train", ...P.train },
    { split: "test", ...P.test },
  ]);
  assert.equal(overlapCount(thesis.train, thesis.test), P.overlap);
});

test("every thesis invalid string is a walk of one of the eight invalid kinds, in the recorded numbers", () => {
  const invalid = thesis.all.filter((s) => !s.valid).map((s) => s.text);
  const unexplained = invalid.filter((text) => !THESIS_INVALID_KINDS.some((k) => check(text, k.grammar).valid));
  assert.deepEqual(unexplained, []);
  for (const kind of THESIS_INVALID_KINDS) {
    const distinct = new Set(invalid.filter((text) => check(text, kind.grammar).valid)).size;
    // strings only spelled with letters two kinds share (the 8 repeats) count for both
    assert.ok(distinct >= kind.share * 12500 && distinct <= kind.share * 12500 + 8, `${kind.name}: ${distinct}`);
  }
});

test("generated data matches the thesis's: length distribution per bin, class balance, near-miss share", () => {
  const ours = datasetStats(generateDataset({ seed: 2021 }).all);
  const theirs = datasetStats(thesis.all);
  assert.deepEqual([ours.valid, ours.invalid, ours.nearMiss], [theirs.valid, theirs.invalid, theirs.nearMiss]);
  for (const key of ["length", "validLength", "invalidLength"] as const) {
    const { rows, totalVariation } = compareLengths(ours[key].histogram, theirs[key].histogram);
    assert.ok(totalVariation < 0.03, `${key}: total variation ${totalVariation}`);
    for (const row of rows) {
      if (row.b < 500) continue; // bins with few strings are dominated by sampling noise
      assert.ok(Math.abs(row.a - row.b) / row.b < 0.1, `${key}, length ${row.length}: ${row.a} generated vs ${row.b} thesis`);
    }
  }
  assert.ok(Math.abs(ours.length.mode - theirs.length.mode) <= 1, `mode ${ours.length.mode}`);
});
