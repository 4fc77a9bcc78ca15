import { test } from "node:test";
import assert from "node:assert/strict";
import { accuracyByDensity, accuracyTableRows, degreeTailChanges, literatureFindings, verdictOf } from "../../src/experiments/sparsity-findings";
import { sparsityRow } from "./sparsity-rows";

test("accuracyByDensity: mean and sample std over seeds per method and density", () => {
  const rows = [
    sparsityRow({ method: "set", density: 0.1, test_acc: 0.8, seed: 1 }),
    sparsityRow({ method: "set", density: 0.1, test_acc: 0.9, seed: 2 }),
    sparsityRow({ method: "set", density: 0.1, test_acc: 1.0, seed: 3, kept_fraction: 0.13 }),
    sparsityRow({ method: "set", density: 0.5, test_acc: 0.95 }),
  ];
  const points = accuracyByDensity(rows);
  assert.equal(points.length, 2);
  assert.ok(Math.abs(points[0].mean - 0.9) < 1e-12 && Math.abs(points[0].std - 0.1) < 1e-12, JSON.stringify(points[0]));
  assert.equal(points[0].n, 3);
  assert.ok(Math.abs(points[0].keptFraction - 0.11) < 1e-12);
  assert.deepEqual([points[1].mean, points[1].std, points[1].n], [0.95, 0, 1]);
  assert.deepEqual(accuracyTableRows(points, "GRU", "reber"), [{ method: "set", role: "method", "50 %": "0.950 ± 0.000", "10 %": "0.900 ± 0.100" }]);
});

test("verdicts: two thirds hold, a third or fewer does not, between is mixed", () => {
  assert.deepEqual([verdictOf(2, 3), verdictOf(1, 3), verdictOf(3, 6), verdictOf(0, 0), verdictOf(4, 6)], ["holds", "does not hold", "mixed", "not measured", "holds"]);
});

test("degree tails of SET and RigL, start vs end, means over seeds", () => {
  const rows = [
    sparsityRow({ method: "set", density: 0.1, test_acc: 0.9, seed: 1, start_degree_cv: 0.2, degree_cv: 0.6 }),
    sparsityRow({ method: "set", density: 0.1, test_acc: 0.9, seed: 2, start_degree_cv: 0.4, degree_cv: 0.8 }),
    sparsityRow({ method: "rigl", density: 0.1, test_acc: 0.9, start_degree_cv: 0.3, degree_cv: 0.1 }),
    sparsityRow({ method: "snip", density: 0.1, test_acc: 0.9 }),
  ];
  const changes = degreeTailChanges(rows);
  assert.deepEqual(changes.map((c) => [c.method, +c.startCv.toFixed(12), +c.endCv.toFixed(12), c.n]), [["set", 0.3, 0.7, 2], ["rigl", 0.3, 0.1, 1]]);
});

test("the literature's claims are counted cell by cell from the rows", () => {
  const cell = (density: number, acc: Record<string, number>) => Object.entries(acc).map(([method, test_acc]) => sparsityRow({ method: method as never, density, test_acc }));
  const rows = [
    sparsityRow({ method: "dense", density: 1, test_acc: 0.95 }),
    // at 50 %: lottery beats random, SNIP below random, RigL ≥ SET, shuffled within 2 pp of lottery, random within 2 pp of one-shot
    ...cell(0.5, { lottery: 0.94, "lottery-late": 0.93, "random-erk": 0.9, snip: 0.85, set: 0.9, rigl: 0.91, shuffled: 0.93, "one-shot": 0.91, gradual: 0.92, "small-dense": 0.8 }),
    // at 10 %: lottery below random, SNIP above random, RigL < SET, shuffled far below lottery, random far below one-shot
    ...cell(0.1, { lottery: 0.7, "lottery-late": 0.72, "random-erk": 0.8, snip: 0.85, set: 0.9, rigl: 0.8, shuffled: 0.6, "one-shot": 0.9, gradual: 0.7, "small-dense": 0.75 }),
    // at 2 %: SET and RigL only
    ...cell(0.02, { set: 0.6, rigl: 0.7 }),
  ];
  const findings = literatureFindings(rows, 0.02);
  const by = (source: string) => findings.find((f) => f.source.startsWith(source))!;
  assert.deepEqual([by("Frankle & Carbin").holding, by("Frankle & Carbin").cells, by("Frankle & Carbin").verdict], [1, 2, "mixed"]);
  assert.deepEqual([by("Zhang").holding, by("Zhang").cells], [1, 2]);
  assert.deepEqual([by("Evci").holding, by("Evci").cells, by("Evci").verdict], [2, 3, "holds"]);
  assert.deepEqual([by("Frankle et al. 2021").holding, by("Liu").holding], [1, 1]);
  assert.deepEqual([by("Zhu").holding, by("Zhu").cells], [1, 2], "small dense below gradual at 50 %, not at 10 %");
  assert.deepEqual([by("the thesis").holding, by("the thesis").cells], [0, 2], "one-shot 0.91 and 0.90 against dense 0.95");
  // SET's tails: every row's end CV (0.5) exceeds its start (0.4)
  assert.deepEqual([by("Mocanu").holding, by("Mocanu").cells, by("Mocanu").verdict], [3, 3, "holds"]);
  assert.throws(() => literatureFindings(rows, 1), /tolerance must be/);
});
