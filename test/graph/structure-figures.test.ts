import { test } from "node:test";
import assert from "node:assert/strict";
import { layerEdges, graphToSpec, Edge } from "../../src/graph";
import * as figs from "../../src/plot/structure-figures";

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
  assert.equal(scatter.data.length, 4);
  const cmp = figs.layoutComparisonFigure([{ mode: "GRU", graph: "watts_strogatz", repeat: 0.6, tile: 0.9 }]);
  assert.deepEqual([cmp.data[1].x, cmp.data[1].y], [[0.6], [0.9]]);
});
