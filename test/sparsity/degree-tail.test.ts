import { test } from "node:test";
import assert from "node:assert/strict";
import { degreeTail, formatDegreeHistogram, parseDegreeHistogram } from "../../src/sparsity/degree-tail";

test("degreeTail: equal degrees have no tail; one hub among isolated nodes has σ/μ = √3 and max/μ = 4", () => {
  assert.deepEqual(degreeTail([2, 2, 2, 2]), { mean: 2, cv: 0, maxRatio: 1 });
  const hub = degreeTail([0, 0, 0, 4]);
  assert.equal(hub.mean, 1);
  assert.ok(Math.abs(hub.cv - Math.sqrt(3)) < 1e-15, `cv ${hub.cv}`);
  assert.equal(hub.maxRatio, 4);
  assert.deepEqual(degreeTail([0, 0]), { mean: 0, cv: 0, maxRatio: 0 });
});

test("degreeTail refuses what is not a degree list", () => {
  assert.throws(() => degreeTail([]), /no degrees/);
  assert.throws(() => degreeTail([1, -1]), /degree \[1\] is -1/);
  assert.throws(() => degreeTail([1.5]), /degree \[0\] is 1.5/);
});

test("degree histograms: counts by ascending degree, and read back", () => {
  const text = formatDegreeHistogram([3, 0, 3, 1, 3]);
  assert.equal(text, "0:1 1:1 3:3");
  assert.deepEqual(parseDegreeHistogram(text), [{ degree: 0, count: 1 }, { degree: 1, count: 1 }, { degree: 3, count: 3 }]);
  assert.deepEqual(parseDegreeHistogram(""), []);
  assert.throws(() => parseDegreeHistogram("0:1 x:2"), /"x:2" is not degree:count/);
});
