import { test } from "node:test";
import * as assert from "node:assert/strict";
import { sampleVarianceOf, stdOf } from "../../src/predict/stats";

test("sampleVarianceOf: ddof = 1 (numpy's var(ddof=1)), 0 for one value, refuses what is not a list of finite numbers", () => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9]; // squares about the mean 5 sum to 32
  assert.equal(sampleVarianceOf(xs), 32 / 7);
  assert.equal(stdOf(xs), 2); // the population version of the same list, for contrast
  assert.equal(sampleVarianceOf([0.75]), 0);
  assert.throws(() => sampleVarianceOf([]), /sampleVarianceOf: values is empty/);
  assert.throws(() => sampleVarianceOf([1, NaN]), /sampleVarianceOf: values\[1\] is NaN/);
});
