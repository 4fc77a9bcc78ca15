import { test } from "node:test";
import assert from "node:assert/strict";
import { apportion, generateDataset, invalidKindOf, THESIS_INVALID_KINDS } from "../../src/data/generate";
import { check, isReber, relabel, REBER } from "../../src/data/grammar";
import { datasetStats } from "../../src/data/stats";

const reference = generateDataset({ seed: 123 });

test("default recipe: 25,000 strings, half valid, split 18,750 / 6,250, 44% near-misses", () => {
  const { all, train, test: testSet, report } = reference;
  assert.equal(all.length, 25000);
  assert.equal(train.length, 18750);
  assert.equal(testSet.length, 6250);
  assert.deepEqual([...train, ...testSet], all);
  const stats = datasetStats(all);
  assert.equal(stats.valid, 12500);
  assert.equal(stats.nearMiss, 5500);
  assert.equal(stats.otherLetters, 7000);
  assert.deepEqual(report.kindCounts, Object.fromEntries([["valid", 12500], ...THESIS_INVALID_KINDS.map((k) => [k.name, k.share * 12500])]));
  assert.equal(report.duplicates, stats.duplicates);
  assert.ok(report.milliseconds < 3000, `generation took ${report.milliseconds} ms`);
});

test("every valid string passes isReber, every invalid one fails it, lengths within bounds, all start with B and end with E", () => {
  for (const { text, valid } of reference.all) {
    assert.equal(isReber(text).valid, valid, text);
    assert.ok(text.length >= 11 && text.length <= 100, text);
    assert.ok(text.startsWith("B") && text.endsWith("E"), text);
  }
});

test("within each class and kind no string repeats (the thesis's recipe)", () => {
  const valid = reference.all.filter((s) => s.valid).map((s) => s.text);
  assert.equal(new Set(valid).size, valid.length);
  for (const kind of THESIS_INVALID_KINDS) {
    const spelled = reference.all.filter((s) => check(s.text, kind.grammar).valid).map((s) => s.text);
    const quota = kind.share * 12500;
    // at least the quota of distinct strings; a few more when another kind spells the same string
    assert.ok(new Set(spelled).size >= quota, `${kind.name}: ${new Set(spelled).size} distinct of ${spelled.length}, quota ${quota}`);
  }
});

test("the same seed gives the same dataset, another seed another one", () => {
  const again = generateDataset({ seed: 123 });
  assert.deepEqual(again.all, reference.all);
  const other = generateDataset({ seed: 124, size: 2000 });
  const otherAgain = generateDataset({ seed: 124, size: 2000 });
  assert.deepEqual(other.all, otherAgain.all);
  assert.notDeepEqual(other.all.slice(0, 50), generateDataset({ seed: 125, size: 2000 }).all.slice(0, 50));
});

test("sizes, class balance and split are parameters", () => {
  const d = generateDataset({ size: 1000, validFraction: 0.3, testSize: 100, minLength: 8, maxLength: 30, seed: 5 });
  assert.equal(d.all.length, 1000);
  assert.equal(d.test.length, 100);
  assert.equal(d.all.filter((s) => s.valid).length, 300);
  for (const s of d.all) assert.ok(s.text.length >= 8 && s.text.length <= 30);
  assert.equal(generateDataset({ size: 400, trainSize: 300 }).test.length, 100);
  assert.equal(generateDataset({ size: 400, testFraction: 0.5 }).test.length, 200);
  assert.deepEqual(d.report.options, { size: 1000, validFraction: 0.3, trainSize: 900, testSize: 100, seed: 5, grammar: "reber", minLength: 8, maxLength: 30, distinct: true, forbidDuplicates: false });
});

test("forbidDuplicates leaves no repeated string and no train/test overlap", () => {
  const d = generateDataset({ seed: 8, forbidDuplicates: true });
  assert.equal(d.report.duplicates, 0);
  assert.equal(d.report.overlap, 0);
  assert.equal(new Set(d.all.map((s) => s.text)).size, 25000);
});

test("without distinct, strings repeat as in plain walks (short ones dominate)", () => {
  const d = generateDataset({ seed: 2, size: 5000, distinct: false });
  const stats = datasetStats(d.all);
  assert.ok(stats.duplicates > 1000, `duplicates ${stats.duplicates}`);
  assert.equal(stats.length.mode, 11);
});

test("embedded grammar: valid strings pass the embedded check, invalid ones fail, mismatched closers among them", () => {
  const d = generateDataset({ grammar: "embedded", size: 4000, seed: 3 });
  let crossed = 0;
  for (const { text, valid } of d.all) {
    assert.equal(isReber(text, "embedded").valid, valid, text);
    if (!valid && /^B[TP]B/.test(text) && isReber(text.slice(2, -2)).valid) crossed++;
  }
  assert.equal(crossed, d.report.kindCounts["closing letter mismatched"]);
  assert.ok(crossed > 300);
});

test("impossible requests and bad options are refused with the value named", () => {
  assert.throws(() => generateDataset({ size: 100, minLength: 5, maxLength: 6 }), /only 5 distinct strings of length 5 … 6; 50 requested for "valid"/);
  assert.throws(() => generateDataset({ size: 100, trainSize: 50, testSize: 60 }), /trainSize \(50\) \+ testSize \(60\) must equal size \(100\)/);
  assert.throws(() => generateDataset({ validFraction: 1.5 }), /validFraction must be in \[0, 1\], got 1.5/);
  assert.throws(() => generateDataset({ size: 10.5 }), /size must be an integer.*got 10.5/);
  assert.throws(() => generateDataset({ seed: 0.5 }), /seed must be a safe integer, got 0.5/);
  const leaky = { name: "leaky", family: "near-miss" as const, share: 1, grammar: relabel(REBER, "BTPSXTVXSPVE", "leaky") };
  assert.throws(() => generateDataset({ size: 10, invalidKinds: [leaky] }), /Invalid kind "leaky" can spell strings that are valid/);
});

test("apportion splits a total by weights, largest remainders first", () => {
  assert.deepEqual(apportion(10, [1, 1, 1]), [4, 3, 3]);
  assert.deepEqual(apportion(12500, [1500, 2000, 1500, 500, 2000, 1500, 2000, 1500]), [1500, 2000, 1500, 500, 2000, 1500, 2000, 1500]);
  assert.equal(apportion(7, [0.2, 0.3, 0.5]).reduce((a, b) => a + b, 0), 7);
  assert.throws(() => apportion(3, [0, 0]), /weights must be positive/);
});

test("invalidKindOf names the kind that spells a string, null for valid ones", () => {
  assert.equal(invalidKindOf("BPXSE"), "first branch swapped (T↔P)");
  assert.equal(invalidKindOf("BAFGE"), "letters ACDFJIHGLK");
  assert.equal(invalidKindOf("BTXSE"), null);
});
