import { test } from "node:test";
import assert from "node:assert/strict";
import * as figs from "../../src/plot/structure-beyond-figures";
import { propertyScatterFigure } from "../../src/plot/structure-figures";
import { linearFit } from "../../src/plot/fit";
import type { FamilyAccuracy } from "../../src/experiments/structure-study-analysis";

test("(C, L) heat map: mean accuracy and model count per cell, empty cells blank, every model a dot", () => {
  const rows = [
    { average_clustering: 0, average_shortest_path_length: 1, test_acc: 0.6 },
    { average_clustering: 0.1, average_shortest_path_length: 1.2, test_acc: 0.8 },
    { average_clustering: 0.9, average_shortest_path_length: 3, test_acc: 0.9 },
    { average_clustering: 1, average_shortest_path_length: 2.9, test_acc: 1 },
  ];
  const fig = figs.clPlaneHeatmap(rows, { bins: 2 });
  const [heat, dots] = fig.data;
  assert.deepEqual(heat.x, [1.5, 2.5]);
  assert.deepEqual(heat.y, [0.25, 0.75]);
  assert.deepEqual(heat.z, [[0.7, null], [null, 0.95]]);
  assert.deepEqual(heat.customdata, [[2, 0], [0, 2]]);
  assert.equal(dots.x.length, 4);
  assert.equal(fig.layout.xaxis.title.text, "average shortest path length L");
  assert.throws(() => figs.clPlaneHeatmap(rows, { bins: 0 }), /bins must be a positive integer, got 0/);
  assert.throws(() => figs.clPlaneHeatmap([]), /no rows/);
});

test("accuracy along the rewiring sweep: a panel per variant, a line per mapping, categories in the rows' order with their standard errors", () => {
  const families: FamilyAccuracy[] = ["GRU", "RNN_TANH"].flatMap((mode, m) => ["layered", "recurrent"].flatMap((mapping, k) =>
    ["WS p=0", "WS p=0.1", "WS p=1", "BA"].map((family, i) => ({ mode, mapping, family, p: [0, 0.1, 1, null][i], graphs: 3, mean: 0.5 + 0.1 * i + 0.01 * k - 0.2 * m, se: 0.01 * (i + 1) }))));
  const fig = figs.accuracyByRewiringFigure(families);
  assert.equal(fig.data.length, 4);
  assert.deepEqual(fig.data.map((t: { name: string; xaxis: string }) => [t.name, t.xaxis]), [["layered", "x"], ["recurrent", "x"], ["layered", "x2"], ["recurrent", "x2"]]);
  assert.deepEqual(fig.data[1].x, ["WS p=0", "WS p=0.1", "WS p=1", "BA"]);
  assert.deepEqual(fig.data[1].y.map((v: number) => v.toFixed(2)), ["0.51", "0.61", "0.71", "0.81"]);
  assert.deepEqual(fig.data[3].error_y.array, [0.01, 0.02, 0.03, 0.04]);
  assert.equal(fig.layout.yaxis2.title.text, "RNN_TANH test accuracy");
});

test("noise-ceiling figure: a bar per score and category, the ceiling's asymmetric interval", () => {
  const fig = figs.noiseCeilingFigure([
    { label: "GRU, one run", ceiling: { estimate: 0.7, low: 0.6, high: 0.75 }, scores: [{ name: "thesis RF (one split)", mean: 0.88 }, { name: "RF, CV", mean: 0.6, std: 0.1 }] },
    { label: "GRU, 5-seed mean", ceiling: { estimate: 0.9, low: 0.85, high: 0.95 }, scores: [{ name: "RF, CV", mean: 0.7, std: 0.05 }] },
  ]);
  assert.deepEqual(fig.data.map((t: { name: string }) => t.name), ["thesis RF (one split)", "RF, CV", "noise ceiling (95% CI)"]);
  assert.deepEqual(fig.data[0].y, [0.88, null]);
  assert.deepEqual(fig.data[1].error_y.array, [0.1, 0.05]);
  const ceiling = fig.data[2];
  assert.deepEqual(ceiling.y, [0.7, 0.9]);
  assert.deepEqual(ceiling.error_y.array.map((v: number) => v.toFixed(2)), ["0.05", "0.05"]);
  assert.deepEqual(ceiling.error_y.arrayminus.map((v: number) => v.toFixed(2)), ["0.10", "0.05"]);
});

test("property scatters with a fit line per family: each family's own least-squares line, R² and n in the legend", () => {
  const rows = ["barabasi_albert", "watts_strogatz"].flatMap((graph, g) => [1, 2, 3, 4, 5].map((j) => ({
    mode: "GRU", graph, density: j / 10, test_acc: g === 0 ? 0.5 + 0.05 * j : 0.9 - 0.02 * j + 0.01 * Math.sin(7 * j),
  })));
  const fig = propertyScatterFigure(rows, ["density"], { fitBy: "family" });
  const lines = fig.data.filter((t: { mode: string }) => t.mode === "lines");
  assert.equal(lines.length, 2);
  const ws = rows.filter((r) => r.graph === "watts_strogatz");
  const fit = linearFit(ws.map((r) => r.density), ws.map((r) => r.test_acc))!;
  assert.equal(lines[1].name, `GRU · density · WS: R² ${fit.r2.toFixed(2)} (n = 5)`);
  assert.equal(lines[0].name, "GRU · density · BA: R² 1.00 (n = 5)");
  assert.deepEqual([lines[0].x, lines[0].y.map((v: number) => v.toFixed(3))], [[0.1, 0.5], ["0.550", "0.750"]], "BA: the exact line through its points");
  assert.ok(lines.every((t: { showlegend: boolean }) => t.showlegend));
  assert.equal(fig.layout.annotations.length, 0, "no pooled R² corner labels");
  assert.throws(() => propertyScatterFigure(rows, ["density"], { fitBy: "mode" as never }), /fitBy must be "all" or "family", got "mode"/);
});
