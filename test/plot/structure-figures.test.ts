import { test } from "node:test";
import assert from "node:assert/strict";
import { layerEdges, graphToSpec, Edge } from "../../src/graph";
import * as figs from "../../src/plot/structure-figures";
import { linearFit } from "../../src/plot/fit";
import { pearson } from "../../src/predict";

const worked = layerEdges(5, [[0, 2], [1, 2], [1, 3], [2, 3], [2, 4], [3, 4]] as Edge[]);

test("DAG figure: four adjacent-layer edges as lines, the two skip edges as arcs, nodes at x = layer", () => {
  const fig = figs.dagFigure(worked);
  const pieces = (xs: Array<number | null>) => xs.filter((x) => x === null).length;
  assert.equal(pieces(fig.data[0].x), 4);
  assert.equal(pieces(fig.data[1].x), 2);
  assert.deepEqual(fig.data[2].x, [0, 0, 1, 2, 3]);
  // the skip arc 1 → 3 starts at node 1 (layer 0) and ends at node 3 (layer 2)
  assert.deepEqual([fig.data[1].x[0], fig.data[1].x[16]], [0, 2]);
});

test("layer table and network figure describe the worked example", () => {
  assert.deepEqual(figs.layerTable(worked).map((r) => [r.layer, r.size, r.nodes, r.reads]),
    [[0, 2, "0, 1", "embedding"], [1, 1, "2", "layer 0"], [2, 1, "3", "layer 1 + layer 0"], [3, 1, "4", "layer 2 + layer 1"]]);
  const fig = figs.networkFigure(graphToSpec(worked, { mode: "GRU" }));
  assert.equal(fig.data.length, 1 + 2 + 1, "chain, two skip arcs, boxes");
  assert.match(fig.data[3].text[2], /1 unit<br>6\/6/, "layer 1: 3 gate rows × 2 inputs, all kept");
});

test("gate-mask figure shows vertex, repeat and tile panels with gates × rows rows", () => {
  const g = layerEdges(6, [[0, 2], [1, 3], [0, 3], [2, 4], [3, 5], [2, 5]] as Edge[]);
  const fig = figs.gateMaskFigure(g, 0, 1, 3);
  assert.deepEqual(fig.data.map((t: { z: number[][] }) => t.z.length), [2, 6, 6]);
  assert.deepEqual(fig.data[1].z.map((r: number[]) => r.join("")), ["10", "10", "10", "11", "11", "11"]);
  assert.deepEqual(fig.data[2].z.map((r: number[]) => r.join("")), ["10", "11", "10", "11", "10", "11"]);
});

test("result figures group by variant and family", () => {
  const rows = ["GRU", "LSTM"].flatMap((mode) => ["barabasi_albert", "watts_strogatz"].map((graph, i) => ({ mode, graph, test_acc: 0.5 + i / 4, source_nodes: i + 1 })));
  const box = figs.accuracyByFamilyFigure(rows);
  assert.deepEqual(box.data.map((t: { y: number[] }) => t.y), [[0.5, 0.5], [0.75, 0.75]]);
  const scatter = figs.propertyScatterFigure(rows, ["source_nodes"]);
  assert.equal(scatter.data.length, 6, "a family's points per panel, then a panel's fit line");
  // per variant: accuracy 0.5 at source_nodes 1, 0.75 at 2 → the line through both, R² 1
  const fits = scatter.data.filter((t: { name: string }) => t.name === "least-squares fit");
  assert.deepEqual(fits.map((t: { x: number[]; y: number[] }) => [t.x, t.y]), [[[1, 2], [0.5, 0.75]], [[1, 2], [0.5, 0.75]]]);
  assert.deepEqual(scatter.layout.annotations.map((a: { text: string }) => a.text), ["R² 1.00", "R² 1.00"]);
  const cmp = figs.layoutComparisonFigure([{ mode: "GRU", graph: "watts_strogatz", repeat: 0.6, tile: 0.9 }]);
  assert.deepEqual([cmp.data[1].x, cmp.data[1].y], [[0.6], [0.9]]);
});

test("the property scatters' fit lines: R² is r² of the correlation tables, per variant; the explorer switches them with its dropdowns", () => {
  const rows = ["GRU", "LSTM"].flatMap((mode, k) => ["barabasi_albert", "watts_strogatz"].flatMap((graph, i) =>
    [1, 2, 3, 4].map((j) => ({ mode, graph, test_acc: 0.6 + 0.05 * Math.sin(3 * j + i + k) + 0.02 * j * (k + 1), source_nodes: i + j, density: (j * j) / 40 }))));
  const gru = rows.filter((r) => r.mode === "GRU");
  const r = pearson(gru.map((x) => x.density), gru.map((x) => x.test_acc)).r;
  const panel = figs.propertyScatterFigure(rows, ["source_nodes", "density"]);
  assert.equal(panel.layout.annotations[1].text, `R² ${(r * r).toFixed(2)}`, "GRU × density");
  const explorer = figs.propertyScatterExplorer(rows, ["source_nodes", "density"]);
  const names = explorer.data.map((t: { name: string }) => t.name);
  assert.deepEqual(names.slice(4), [0, 1].map((m) => `least-squares fit, R² ${linearFit(rows.filter((x) => x.mode === ["GRU", "LSTM"][m]).map((x) => x.source_nodes), rows.filter((x) => x.mode === ["GRU", "LSTM"][m]).map((x) => x.test_acc))!.r2.toFixed(2)} (n = 8)`));
  const density = explorer.layout.updatemenus[0].buttons[1].args[0];
  assert.equal(density.name[4], `least-squares fit, R² ${(r * r).toFixed(2)} (n = 8)`);
  assert.equal(density.x.length, 6);
  assert.deepEqual(density.x[4], [1 / 40, 16 / 40]);
  assert.deepEqual(explorer.layout.updatemenus[1].buttons[1].args[0].visible, [false, false, true, true, false, true]);
});
