/** generateDataset refuses bad options at once, naming the option and its value. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset, MAX_DATASET_SIZE, MAX_STRING_LENGTH, resolveDatasetOptions, THESIS_INVALID_KINDS, type DatasetOptions } from "../../src/data/generate";

test("bad options are refused before any string is drawn", () => {
  const kind = THESIS_INVALID_KINDS[0];
  const bad: Array<[DatasetOptions, RegExp]> = [
    [{ size: 1e12 }, /size must be an integer in 2 … 10000000, got 1000000000000/],
    [{ size: MAX_DATASET_SIZE + 1 }, /size must be an integer in 2 … 10000000, got 10000001/],
    [{ size: 0 }, /size must be an integer in 2 … 10000000, got 0/],
    [{ size: Infinity }, /size must be an integer in 2 … 10000000, got Infinity/],
    [{ size: NaN }, /size must be an integer in 2 … 10000000, got NaN/],
    [{ size: "100" as unknown as number }, /size must be an integer in 2 … 10000000, got "100"/],
    [{ size: 100, testSize: 100 }, /testSize must be an integer in 1 … 99, got 100/],
    [{ size: 100, testSize: 0 }, /testSize must be an integer in 1 … 99, got 0/],
    [{ size: 100, testSize: 10.5 }, /testSize must be an integer in 1 … 99, got 10\.5/],
    [{ size: 100, trainSize: -5 }, /trainSize must be an integer in 1 … 99, got -5/],
    [{ size: 100, trainSize: 100 }, /trainSize must be an integer in 1 … 99, got 100/],
    [{ size: 100, testFraction: 1 }, /testFraction must be in \(0, 1\), got 1/],
    [{ size: 100, testFraction: 0 }, /testFraction must be in \(0, 1\), got 0/],
    [{ size: 100, testFraction: 0.001 }, /testFraction 0\.001 of size 100 leaves 0 test and 100 training strings; both must be ≥ 1/],
    [{ validFraction: NaN }, /validFraction must be in \[0, 1\], got NaN/],
    [{ validFraction: -0.1 }, /validFraction must be in \[0, 1\], got -0\.1/],
    [{ minLength: 0 }, /minLength must be an integer in 1 … 1000, got 0/],
    [{ maxLength: 1e6 }, /maxLength must be an integer in 11 … 1000, got 1000000/],
    [{ minLength: 20, maxLength: 15 }, /maxLength must be an integer in 20 … 1000, got 15/],
    [{ seed: Infinity }, /seed must be a safe integer, got Infinity/],
    [{ grammar: "rebr" as "reber" }, /grammar must be "reber" or "embedded", got "rebr"/],
    [{ distinct: "yes" as unknown as boolean }, /distinct must be true or false, got "yes"/],
    [{ forbidDuplicates: 1 as unknown as boolean }, /forbidDuplicates must be true or false, got 1/],
    [{ testsize: 100 } as DatasetOptions, /unknown dataset option\(s\) testsize/],
    [{ invalidKinds: [] }, /invalidKinds must be a non-empty array, got an array of 0/],
    [{ invalidKinds: [{ ...kind, share: -1 }] }, /invalidKinds\[0\]\.share must be a finite number ≥ 0, got -1/],
    [{ invalidKinds: [{ ...kind, share: NaN }] }, /invalidKinds\[0\]\.share must be a finite number ≥ 0, got NaN/],
    [{ invalidKinds: [{ ...kind, share: 0 }] }, /invalidKinds: at least one share must be > 0/],
    [{ invalidKinds: [{ ...kind, name: "" }] }, /invalidKinds\[0\]\.name must be a non-empty string, got ""/],
  ];
  for (const [options, message] of bad) {
    const started = Date.now();
    assert.throws(() => generateDataset(options), message, JSON.stringify(options));
    assert.ok(Date.now() - started < 1000, `${JSON.stringify(options)}: refused only after ${Date.now() - started} ms`);
  }
  assert.throws(() => generateDataset(null as unknown as DatasetOptions), /dataset options must be an object, got null/);
});

test("good options resolve as before; the bounds themselves are accepted", () => {
  assert.deepEqual(resolveDatasetOptions({ size: 400, trainSize: 300 }), {
    size: 400, validFraction: 0.5, trainSize: 300, testSize: 100, seed: 0, grammar: "reber", minLength: 11, maxLength: 100, distinct: true, forbidDuplicates: false,
  });
  assert.equal(resolveDatasetOptions({ size: MAX_DATASET_SIZE }).testSize, 2_500_000);
  assert.equal(resolveDatasetOptions({ maxLength: MAX_STRING_LENGTH }).maxLength, 1000);
  assert.equal(resolveDatasetOptions({ size: 2, testSize: 1 }).trainSize, 1);
  const d = generateDataset({ size: 200, testSize: 50, seed: 4 });
  assert.equal(d.train.length, 150);
  assert.equal(d.test.length, 50);
});
