import { test } from "node:test";
import assert from "node:assert/strict";
import { check, compile, embed, EMBEDDED_REBER, isReber, labelling, languagesIntersect, relabel, REBER } from "../../src/data/grammar";
import { THESIS_INVALID_KINDS, EMBEDDED_INVALID_KINDS } from "../../src/data/generate";
import { WalkSampler } from "../../src/data/walks";

test("classic Reber strings are accepted", () => {
  for (const s of ["BTXSE", "BPVVE", "BTSSXXTVVE", "BPTVPXTTVVE", "BTXXVPSE", "BPVPXVPXVPXVVE"]) assert.deepEqual(isReber(s), { valid: true }, s);
});

test("a rejection names the first offending position, character and what was expected", () => {
  assert.deepEqual(isReber("BTSSPXSE"), {
    valid: false,
    position: 4,
    char: "P",
    reason: 'after "BTSS" (state 2) expected "S" or "X", got "P"',
  });
  const start = isReber("TXSE");
  assert.equal(start.valid, false);
  if (!start.valid) assert.deepEqual([start.position, start.char, start.reason], [0, "T", 'at the start expected "B", got "T"']);
  const early = isReber("BTXS");
  assert.equal(early.valid, false);
  if (!early.valid) {
    assert.equal(early.position, 4);
    assert.equal(early.char, "");
    assert.match(early.reason, /stops after "BTXS" in state 6; expected "E"/);
  }
  const late = isReber("BTXSEE");
  assert.equal(late.valid, false);
  if (!late.valid) assert.deepEqual([late.position, late.char], [5, "E"]);
  const empty = isReber("");
  assert.equal(empty.valid, false);
  if (!empty.valid) assert.match(empty.reason, /empty/);
  const unicode = isReber("BTé");
  assert.equal(unicode.valid, false);
  if (!unicode.valid) assert.deepEqual([unicode.position, unicode.char], [2, "é"]);
});

test("the embedded grammar needs the second letter repeated before the final E", () => {
  assert.deepEqual(isReber("BTBTXSETE", "embedded"), { valid: true });
  assert.deepEqual(isReber("BPBPVVEPE", "embedded"), { valid: true });
  const crossed = isReber("BTBTXSEPE", "embedded");
  assert.equal(crossed.valid, false);
  if (!crossed.valid) assert.deepEqual([crossed.position, crossed.char], [7, "P"]);
  assert.equal(isReber("BTXSE", "embedded").valid, false);
  assert.equal(isReber("BTBTXSETE").valid, false);
});

test("the Reber automaton has 24, 36, 53, … strings of length 11, 12, 13, … (as many as the thesis's valid strings of those lengths)", () => {
  const walks = new WalkSampler(REBER, 11, 20);
  assert.deepEqual(Array.from(walks.counts), [24, 36, 53, 78, 115, 169, 248, 364, 534, 783]);
  const small = new WalkSampler(REBER, 5, 5);
  assert.equal(small.counts[0], 2); // BTXSE, BPVVE
});

test("relabelled automata: labelling round-trips, nondeterminism and wrong lengths are refused", () => {
  assert.equal(labelling(REBER), "BTPSXTVXSPVE");
  const swapped = relabel(REBER, "BPTSXTVXSPVE");
  assert.equal(check("BPXSE", swapped).valid, true);
  assert.equal(check("BTXSE", swapped).valid, false);
  assert.throws(() => relabel(REBER, "BTTSXTVXSPVE"), /two transitions on "T"/);
  assert.throws(() => relabel(REBER, "BTP"), /3 characters.*12 transitions/);
  assert.throws(() => compile({ ...REBER, transitions: [{ from: 0, to: 1, symbol: "é" }] }), /expected one ASCII character/);
});

test("no thesis invalid kind can spell a valid string (product automaton), Reber meets itself", () => {
  assert.equal(languagesIntersect(REBER, REBER), true);
  assert.equal(languagesIntersect(REBER, EMBEDDED_REBER), false);
  for (const kind of THESIS_INVALID_KINDS) assert.equal(languagesIntersect(kind.grammar, REBER), false, kind.name);
  for (const kind of EMBEDDED_INVALID_KINDS) assert.equal(languagesIntersect(kind.grammar, EMBEDDED_REBER), false, kind.name);
  assert.equal(languagesIntersect(embed(REBER, "crossed"), EMBEDDED_REBER), false);
});

test("near-miss kinds use only Reber letters, other-letter kinds use others", () => {
  for (const kind of THESIS_INVALID_KINDS) {
    const letters = labelling(kind.grammar);
    const onlyReber = [...letters].every((c) => "BEPSTVX".includes(c));
    assert.equal(onlyReber, kind.family === "near-miss", kind.name);
  }
  const shares = THESIS_INVALID_KINDS.reduce((a, k) => a + k.share, 0);
  assert.ok(Math.abs(shares - 1) < 1e-12);
  const near = THESIS_INVALID_KINDS.filter((k) => k.family === "near-miss").reduce((a, k) => a + k.share, 0);
  assert.ok(Math.abs(near - 0.44) < 1e-12);
});

test("every state of the drawing has a position and every transition a label", () => {
  for (const g of [REBER, EMBEDDED_REBER]) {
    for (const s of g.states) assert.ok(Number.isFinite(s.x) && Number.isFinite(s.y), `${g.name} ${s.name}`);
    assert.equal(new Set(g.states.map((s) => `${s.x},${s.y}`)).size, g.states.length, `${g.name}: overlapping states`);
  }
});
