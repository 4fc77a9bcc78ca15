import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Random } from "../../src/core/random";

const reference: Record<string, { uint32: number[]; float: number[] }> = JSON.parse(
  fs.readFileSync(path.join(__dirname, "../fixtures/random.json"), "utf8"),
);

test("streams equal an independent Python implementation of splitmix32 + xoshiro128** (any machine)", () => {
  const seeds = Object.entries(reference);
  assert.ok(seeds.length >= 5, `${seeds.length} seeds in random.json`);
  for (const [seed, expected] of seeds) {
    const rng = new Random(Number(seed));
    assert.deepEqual(Array.from({ length: 8 }, () => rng.nextUint32()), expected.uint32, `seed ${seed}`);
    assert.deepEqual(Array.from({ length: 4 }, () => rng.nextFloat()), expected.float, `seed ${seed}`);
  }
});

test("the same seed repeats, different seeds and forks differ", () => {
  const draw = (rng: Random) => Array.from({ length: 20 }, () => rng.nextFloat());
  assert.deepEqual(draw(new Random(7)), draw(new Random(7)));
  assert.notDeepEqual(draw(new Random(7)), draw(new Random(8)));
  const parent = new Random(7);
  const a = parent.fork();
  const b = parent.fork();
  assert.notDeepEqual(draw(a), draw(b));
  assert.deepEqual(draw(new Random(7).fork()), draw(new Random(7).fork()));
});

test("nextInt is uniform (chi-square over 6 faces) and within range", () => {
  const rng = new Random(1);
  const counts = new Array(6).fill(0);
  const n = 60000;
  for (let i = 0; i < n; i++) counts[rng.nextInt(6)]++;
  const chi2 = counts.reduce((a, c) => a + (c - n / 6) ** 2 / (n / 6), 0);
  assert.ok(chi2 < 20.5, `chi2 ${chi2} (5 dof, p = 0.001 at 20.5), counts ${counts}`);
  assert.throws(() => rng.nextInt(0), /n must be an integer.*got 0/);
  assert.throws(() => rng.nextInt(2.5), /got 2.5/);
});

test("nextFloat lies in [0, 1) with mean ½; normal has mean 0 and variance 1", () => {
  const rng = new Random(3);
  let sum = 0;
  let min = 1;
  let max = 0;
  for (let i = 0; i < 50000; i++) {
    const x = rng.nextFloat();
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  assert.ok(min >= 0 && max < 1);
  assert.ok(Math.abs(sum / 50000 - 0.5) < 0.01);
  const z = new Random(4).fillNormal(new Float64Array(50000));
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
  const scaled = new Random(4).normal(10, 2);
  assert.equal(scaled, 10 + 2 * z[0]);
});

test("shuffle permutes in place and every position is reachable", () => {
  const rng = new Random(5);
  const firstSeen = new Set<number>();
  for (let k = 0; k < 200; k++) {
    const items = [0, 1, 2, 3, 4, 5, 6, 7];
    const same = rng.shuffle(items);
    assert.equal(same, items);
    assert.deepEqual([...items].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    firstSeen.add(items[0]);
  }
  assert.equal(firstSeen.size, 8);
  const typed = rng.shuffle(Float32Array.from([1, 2, 3]));
  assert.deepEqual(Array.from(typed).sort(), [1, 2, 3]);
});

test("bad seeds are refused with the value named", () => {
  assert.throws(() => new Random(1.5), /seed must be a safe integer, got 1.5/);
  assert.throws(() => new Random(Number.NaN), /got NaN/);
});
