import { test } from "node:test";
import * as assert from "node:assert/strict";
import { stableOutput } from "../../src/plot/notebook";
import { progress, progressText } from "../../src/plot/progress";

test("progressText shows count, percent, elapsed time, ETA and info", () => {
  assert.equal(progressText("train", 25, 100, 5, "loss 0.1", false), "train  25/100  25%  5.0 s  ETA 15.0 s  loss 0.1");
  assert.equal(progressText("train", 100, 100, 90, "", true), "train  100/100  100%  done in 1 min 30 s");
  assert.equal(progressText("empty", 0, 0, 0, "", true), "empty  0/0  100%  done in 0.0 s");
  assert.equal(progressText("train", 100, 100, undefined, "loss 0.1", true), "train  100/100  100%  done  loss 0.1");
  assert.equal(progressText("train", 5, 100, undefined, "", false), "train  5/100  5%");
});

test("outside a notebook, progress prints a throttled plain line and a final one", (t) => {
  const lines: string[] = [];
  t.mock.method(console, "log", (line: string) => lines.push(line));
  const bar = progress(10_000, "loop");
  for (let i = 0; i < 10_000; i++) bar.tick();
  bar.done();
  bar.done(); // idempotent
  assert.equal(lines.length, 2, lines.join("\n"));
  assert.match(lines[0], /^loop {2}0\/10000 {2}0%/);
  assert.match(lines[1], /^loop {2}10000\/10000 {2}100% {2}done in/);
  assert.throws(() => bar.tick(), /tick\(\) after done\(\)/);
  assert.throws(() => progress(Number.NaN), /total must be a finite number >= 0, got NaN/);
});

test("stableOutput follows SPARSE_RNN_STABLE_OUTPUT, which the notebook runner sets", () => {
  assert.equal(stableOutput({ SPARSE_RNN_STABLE_OUTPUT: "1" }), true);
  assert.equal(stableOutput({}), false);
});

test("with stable output (the notebook runner), a finished bar shows neither its time nor its last message", (t) => {
  const lines: string[] = [];
  t.mock.method(console, "log", (line: string) => lines.push(line));
  const saved = process.env.SPARSE_RNN_STABLE_OUTPUT;
  process.env.SPARSE_RNN_STABLE_OUTPUT = "1";
  try {
    for (const last of ["GRU barabasi_albert #3: acc 0.912", "cached"]) {
      const bar = progress(4, "models");
      bar.tick(4, last);
      bar.done();
    }
  } finally {
    if (saved === undefined) delete process.env.SPARSE_RNN_STABLE_OUTPUT;
    else process.env.SPARSE_RNN_STABLE_OUTPUT = saved;
  }
  const finals = lines.filter((l) => / done/.test(l));
  assert.equal(finals.length, 2, lines.join("\n"));
  assert.equal(finals[0], "models  4/4  100%  done");
  assert.equal(finals[1], finals[0], "a run that trained and a rerun that read the cache end with the same line");
});
