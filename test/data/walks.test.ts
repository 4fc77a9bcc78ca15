import { test } from "node:test";
import assert from "node:assert/strict";
import { compile, EMBEDDED_REBER, isReber, REBER, type Grammar } from "../../src/data/grammar";
import { Random } from "../../src/core/random";
import { WalkSampler } from "../../src/data/walks";

/** the naive process the sampler replaces: step the automaton, choosing uniformly */
function naiveWalk(grammar: Grammar, rng: Random): string {
  const { out } = compile(grammar);
  let state = grammar.start;
  let text = "";
  while (state !== grammar.accept) {
    const t = rng.choice(out[state]);
    text += t.symbol;
    state = t.to;
  }
  return text;
}

function naiveConditioned(grammar: Grammar, rng: Random, min: number, max: number): string {
  for (;;) {
    const s = naiveWalk(grammar, rng);
    if (s.length >= min && s.length <= max) return s;
  }
}

function histogram(strings: string[], max: number): number[] {
  const h = new Array(max + 1).fill(0);
  for (const s of strings) h[s.length]++;
  return h;
}

function totalVariation(a: number[], b: number[]): number {
  const sa = a.reduce((x, y) => x + y, 0);
  const sb = b.reduce((x, y) => x + y, 0);
  return a.reduce((acc, x, i) => acc + Math.abs(x / sa - b[i] / sb), 0) / 2;
}

test("sampleOfLength draws valid strings of exactly that length, uniformly (chi-square over the 24 strings of length 11)", () => {
  const walks = new WalkSampler(REBER, 11, 40);
  const rng = new Random(11);
  const counts = new Map<string, number>();
  const n = 24000;
  for (let i = 0; i < n; i++) {
    const s = walks.sampleOfLength(rng, 11);
    assert.equal(s.length, 11);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  assert.equal(counts.size, 24);
  for (const s of counts.keys()) assert.deepEqual(isReber(s), { valid: true });
  const chi2 = [...counts.values()].reduce((a, c) => a + (c - n / 24) ** 2 / (n / 24), 0);
  assert.ok(chi2 < 49.7, `chi2 ${chi2} (23 dof, p = 0.001 at 49.7)`);
});

test("sample() has the length distribution of the naive walk conditioned on min … max", () => {
  for (const [grammar, min, max] of [[REBER, 8, 30], [EMBEDDED_REBER, 11, 40]] as const) {
    const walks = new WalkSampler(grammar, min, max);
    const rng = new Random(2);
    const fast = Array.from({ length: 20000 }, () => walks.sample(rng));
    const slow = Array.from({ length: 20000 }, () => naiveConditioned(grammar, rng, min, max));
    const tv = totalVariation(histogram(fast, max), histogram(slow, max));
    assert.ok(tv < 0.03, `${grammar.name}: total variation ${tv}`);
    const exact = walks.lengthDistribution();
    const observed = histogram(fast, max).slice(min).map((c) => c / fast.length);
    assert.ok(Math.abs(observed[0] - exact[0]) < 0.01, `${grammar.name}: P(L = ${min}) ${observed[0]} vs exact ${exact[0]}`);
  }
});

test("distinct walks: no repeats, and the length distribution of 'walk until the string is new'", () => {
  const min = 9;
  const max = 40;
  const count = 300;
  const runs = 60;
  const fastAll: string[] = [];
  const slowAll: string[] = [];
  const walks = new WalkSampler(REBER, min, max);
  const rng = new Random(9);
  for (let r = 0; r < runs; r++) {
    const distinct = walks.distinct();
    const fast = Array.from({ length: count }, () => distinct.next(rng));
    assert.equal(new Set(fast).size, count);
    fastAll.push(...fast);
    const seen = new Set<string>();
    while (seen.size < count) seen.add(naiveConditioned(REBER, rng, min, max));
    slowAll.push(...seen);
  }
  const tv = totalVariation(histogram(fastAll, max), histogram(slowAll, max));
  assert.ok(tv < 0.02, `total variation ${tv}`);
});

test("a shared set keeps two samplers apart; exhaustion is reported", () => {
  const walks = new WalkSampler(REBER, 5, 7); // 2 + 3 + 4 = 9 strings
  assert.equal(walks.total, 9);
  const shared = new Set<string>();
  const a = walks.distinct(shared);
  const b = walks.distinct(shared);
  const rng = new Random(1);
  const drawn = [a.next(rng), b.next(rng), a.next(rng), b.next(rng), a.next(rng), b.next(rng), a.next(rng), b.next(rng), a.next(rng)];
  assert.equal(new Set(drawn).size, 9);
  assert.throws(() => b.next(rng), /no distinct strings of length 5 … 7 left/);
});

test("bad lengths are refused with the value named", () => {
  assert.throws(() => new WalkSampler(REBER, 0, 10), /minLength must be a positive integer, got 0/);
  assert.throws(() => new WalkSampler(REBER, 12, 11), /maxLength must be an integer ≥ minLength \(12\), got 11/);
});
