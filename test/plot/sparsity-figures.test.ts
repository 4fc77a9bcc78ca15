import { test } from "node:test";
import assert from "node:assert/strict";
import { accuracyByDensity, degreeTailChanges } from "../../src/experiments/sparsity-findings";
import { accuracyByDensityFigure, degreeDistributionFigure, degreeTailFigure, METHOD_COLORS } from "../../src/plot/sparsity-figures";
import { labelProblems } from "./figure-labels";
import { sparsityRow } from "../experiments/sparsity-rows";

const rows = [
  sparsityRow({ method: "dense", density: 1, test_acc: 0.96 }),
  ...[1, 2].flatMap((seed) => [0.5, 0.1].flatMap((density) => [
    sparsityRow({ method: "set", density, seed, test_acc: 0.9 - density / 10 + seed / 100, degree_histogram: "0:2 3:4 9:1", start_degree_histogram: "2:6 3:1" }),
    sparsityRow({ method: "rigl", density, seed, test_acc: 0.88, degree_histogram: "1:5 12:2" }),
    sparsityRow({ method: "random-erk", density, seed, test_acc: 0.85 }),
    sparsityRow({ method: "graph-ba", density, seed, test_acc: 0.8, kept_fraction: density * 2 }),
  ])),
  sparsityRow({ method: "set", density: 0.5, test_acc: 0.9, task: "embedded" }),
];

test("accuracy by density: a band and a line per method, controls dashed, log axis, the dense line, drawable titles", () => {
  const fig = accuracyByDensityFigure(accuracyByDensity(rows), "GRU", "reber");
  assert.deepEqual(labelProblems(fig), []);
  assert.equal(fig.layout.xaxis.type, "log");
  const lines = fig.data.filter((t: any) => t.fill === undefined);
  const bands = fig.data.filter((t: any) => t.fill === "toself");
  assert.deepEqual(lines.map((t: any) => t.name), ["set", "rigl", "random-erk (control)", "graph-ba"], "the embedded task's row is not drawn");
  assert.equal(bands.length, 4);
  assert.deepEqual(lines.map((t: any) => t.line.dash), ["solid", "solid", "dash", "solid"]);
  const set = lines[0];
  assert.deepEqual(set.x, [0.1, 0.5]);
  assert.ok(Math.abs(set.y[0] - (0.89 + 0.015)) < 1e-12, "mean over the two seeds");
  // the band: mean + std forward, mean − std back, std of (0.9, 0.91) ≈ 0.00707
  const band = bands[0];
  assert.equal(band.x.length, 4);
  assert.ok(Math.abs(band.y[0] - band.y[3] - 2 * Math.SQRT1_2 / 100) < 1e-12);
  assert.deepEqual(lines[3].x, [0.2, 1], "graph masks at the kept fraction reached");
  assert.equal(fig.layout.shapes[0].y0, 0.96, "dense dotted across");
  assert.equal(set.line.color, METHOD_COLORS.set);
});

test("degree distributions: start, SET's end and RigL's end, pooled over seeds, zero degrees left out of the log axes", () => {
  const fig = degreeDistributionFigure(rows, "GRU", "reber", 0.1);
  assert.deepEqual(labelProblems(fig), []);
  assert.deepEqual(fig.data.map((t: any) => t.name), ["start (random ERK)", "SET, end", "RigL, end"]);
  assert.deepEqual(fig.data[1].x, [3, 9]);
  assert.deepEqual(fig.data[1].y, [8 / 14, 2 / 14], "two seeds' counts pooled, fractions of all units");
  assert.deepEqual(fig.data[0].x, [2, 3]);
  assert.deepEqual([fig.layout.xaxis.type, fig.layout.yaxis.type], ["log", "log"]);
});

test("degree tails: start dashed and end solid per method, by density", () => {
  const fig = degreeTailFigure(degreeTailChanges(rows), "GRU", "reber");
  assert.deepEqual(labelProblems(fig), []);
  assert.deepEqual(fig.data.map((t: any) => [t.name, t.line.dash]), [["set, start", "dash"], ["set, end", "solid"], ["rigl, start", "dash"], ["rigl, end", "solid"]]);
  assert.deepEqual(fig.data[1].x, [0.1, 0.5]);
  assert.deepEqual(fig.data[1].y, [0.5, 0.5]);
});
