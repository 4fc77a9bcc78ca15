import { test } from "node:test";
import assert from "node:assert/strict";
import {
  clPlaneGrid, bestClRegion, bestClRegionRows,
  accuracyByFamily, baselineRows, ceilingRows, familyLabel, replicateZeroAgreement, seedGroups, seedMeans, structureClaims, studyCeilings, type CeilingRow,
} from "../../src/experiments/structure-study-analysis";
import { STRUCTURE_STUDY_COLUMNS, type StructureStudyRow } from "../../src/experiments/structure-study-rows";
import { noiseCeiling, type BaselineResult } from "../../src/predict";

/** A row with every column, the given ones set. */
function row(values: Partial<StructureStudyRow>): StructureStudyRow {
  const base = Object.fromEntries(STRUCTURE_STUDY_COLUMNS.map((c) => [c, 0])) as Record<string, unknown>;
  return { ...base, part: "small_world", mode: "GRU", mapping: "layered", layout: "tile", graph: "watts_strogatz", rewiring_p: 0, edge_list: "0-1", ...values } as StructureStudyRow;
}

test("seeds grouped by graph, ceilings per cell (incomplete graphs left out), seed means", () => {
  const acc = [[0.9, 0.92], [0.7, 0.74], [0.8, 0.79]];
  const rows = [
    ...acc.flatMap((a, g) => a.map((test_acc, replicate) => row({ part: "ceiling", graph_nr: g, replicate, test_acc }))).reverse(),
    row({ part: "ceiling", graph_nr: 3, replicate: 0, test_acc: 0.1 }), // one seed only: an unfinished graph
    ...[0.6, 0.61].map((test_acc, replicate) => row({ part: "ceiling", mapping: "recurrent", graph_nr: 0, replicate, test_acc })),
  ];
  const groups = seedGroups(rows);
  assert.equal(groups.length, 5);
  assert.deepEqual(groups[0].rows.map((r) => r.replicate), [0, 1], "replicates sorted");
  const ceilings = studyCeilings(rows, { resamples: 100 });
  assert.equal(ceilings.length, 1, "the recurrent cell has one graph: no ceiling");
  const expected = noiseCeiling(acc, { resamples: 100 });
  assert.deepEqual([ceilings[0].graphs, ceilings[0].seeds, ceilings[0].singleRun, ceilings[0].seedMean], [3, 2, expected.singleRun, expected.seedMean]);
  assert.equal(ceilings[0].withinSd, Math.sqrt(expected.withinVariance));
  assert.deepEqual(Object.values(ceilingRows(ceilings)[0]).slice(0, 3), ["ceiling · GRU · layered", 3, 2]);
  assert.equal(ceilingRows(ceilings)[0]["ICC(1,k): 2-seed mean"], expected.seedMean.estimate);
  const means = seedMeans(rows);
  assert.equal(means.find((m) => m.graph_nr === 1 && m.mapping === "layered")!.test_acc, 0.72);
  assert.equal(means.find((m) => m.graph_nr === 3)!.seeds, 1);
});

test("accuracy per family: WS by rewiring probability, then BA and ER; mean and standard error over graphs' seed means", () => {
  const rows = [
    ...[0.8, 0.9].flatMap((m, g) => [m - 0.01, m + 0.01].map((test_acc, replicate) => row({ rewiring_p: 1, graph_nr: g, replicate, test_acc }))),
    row({ graph: "erdos_renyi", rewiring_p: null, test_acc: 0.5 }),
    row({ graph: "barabasi_albert", rewiring_p: null, test_acc: 0.6 }),
    row({ rewiring_p: 0, test_acc: 0.7 }),
  ];
  const families = accuracyByFamily(rows);
  assert.deepEqual(families.map((f) => f.family), ["WS p=0", "WS p=1", "BA", "ER"]);
  const ws1 = families[1];
  assert.equal(ws1.graphs, 2);
  assert.ok(Math.abs(ws1.mean - 0.85) < 1e-12 && Math.abs(ws1.se - 0.05) < 1e-12, JSON.stringify(ws1));
  assert.equal(familyLabel({ graph: "watts_strogatz", rewiring_p: 0.05 }), "WS p=0.05");
});

test("the closing claims: every verdict follows from the numbers passed in", () => {
  const ceiling = (estimate: number, low: number, high: number): CeilingRow => ({
    part: "ceiling", mode: "GRU", mapping: "layered", graphs: 40, seeds: 5, singleRun: { estimate, low, high }, seedMean: { estimate, low, high }, betweenSd: 0.1, withinSd: 0.05,
  });
  const fam = (family: string, p: number | null, mean: number, se = 0.01) => ({ mode: "GRU", mapping: "recurrent", family, p, graphs: 4, mean, se });
  const baselines: BaselineResult = {
    scores: [
      { group: "GRU", model: "size", features: ["nodes"], mean: 0.3, std: 0.1, se: 0.05, scores: [0.3] },
      { group: "GRU", model: "clustering_path", features: ["average_clustering", "average_shortest_path_length"], mean: 0.02, std: 0.1, se: 0.05, scores: [0.02] },
      { group: "GRU", model: "all", features: ["nodes", "degree_var"], mean: 0.6, std: 0.1, se: 0.05, scores: [0.6] },
    ],
    gains: [{ group: "GRU", mean: 0.3, std: 0.1, se: 0.05, low: 0.2, high: 0.4, positiveShare: 1 }],
  };
  const claims = structureClaims({
    ceilings: [ceiling(0.7, 0.6, 0.8)], thesisR2: { variant: "GRU", regressor: "RandomForestRegressor", r2: 0.88 }, baselines: [{ table: "ours", result: baselines }],
    families: [fam("WS p=0", 0, 0.8), fam("WS p=0.1", 0.1, 0.9), fam("WS p=1", 1, 0.85), fam("BA", null, 0.84)],
  });
  const verdicts = Object.fromEntries(claims.map((c) => [c.claim.split(" (")[0].split(":")[0], c.verdict]));
  assert.deepEqual(verdicts, {
    "GRU's published R² 0.88": "does not hold",
    "Watts–Strogatz": "undecided",
    "a small-world sweet spot": "holds",
    "structure beyond size": "holds",
    "C and L alone predict accuracy": "undecided",
  });
  assert.match(claims[0].evidence, /ICC\(1\) 0\.70 \[0\.60, 0\.80\] from 40 graphs × 5 seeds/);
  const within = structureClaims({ ceilings: [ceiling(0.9, 0.85, 0.95)], thesisR2: { variant: "GRU", regressor: "RandomForestRegressor", r2: 0.88 }, baselines: [], families: [] });
  assert.equal(within[0].verdict, "undecided", "0.88 inside the ceiling's interval");
  assert.deepEqual(baselineRows("ours", baselines)[0], {
    table: "ours", group: "GRU", "size only": "0.30 ± 0.10", "C and L only": "0.02 ± 0.10", "all properties": "0.60 ± 0.10",
    "gain over size": 0.3, "95% interval": "[0.20, 0.40]", "folds all > size": 1, "size features": "nodes", "C/L features": "average_clustering, average_shortest_path_length",
  });
});

test("replicate 0 of the ceiling part against the sweep: bit-identical accuracy and loss counted, other replicates and unlisted models ignored", () => {
  const rows = [
    row({ part: "ceiling", graph: "barabasi_albert", rewiring_p: null, graph_nr: 0, replicate: 0, test_acc: 0.9, test_loss: 3 }),
    row({ part: "ceiling", graph: "barabasi_albert", rewiring_p: null, graph_nr: 0, replicate: 1, test_acc: 0.8, test_loss: 4 }),
    row({ part: "ceiling", graph: "watts_strogatz", rewiring_p: 1, graph_nr: 0, replicate: 0, test_acc: 0.95, test_loss: 2 }),
    row({ part: "ceiling", graph: "watts_strogatz", rewiring_p: 1, graph_nr: 7, replicate: 0, test_acc: 0.5, test_loss: 9 }),
    row({ part: "small_world", graph: "watts_strogatz", rewiring_p: 1, graph_nr: 0, replicate: 0, test_acc: 0.1, test_loss: 9 }),
  ];
  const sweep = [
    { mode: "GRU", graph: "barabasi_albert", graph_nr: 0, test_acc: 0.9, test_loss: 3 },
    { mode: "GRU", graph: "watts_strogatz", graph_nr: 0, test_acc: 0.95, test_loss: 2.0000001 },
  ];
  assert.deepEqual(replicateZeroAgreement(rows, sweep), { models: 2, identical: 1 });
});

test("the (C, L) grid: equal-width cells over the rows' range, mean accuracy and count per cell; the best cell with enough graphs", () => {
  const row = (c: number, l: number, acc: number) => ({ average_clustering: c, average_shortest_path_length: l, test_acc: acc });
  // C in [0, 0.4], L in [2, 4]: 2 × 2 cells split at C = 0.2 and L = 3; the maxima fall in the last cell
  const rows = [row(0, 2, 0.5), row(0.1, 2.5, 0.7), row(0.4, 4, 0.9), row(0.3, 3.5, 0.8), row(0.05, 3.9, 0.6), row(0.35, 2.1, 0.95)];
  const { cEdges, lEdges, cells } = clPlaneGrid(rows, 2);
  assert.deepEqual(cEdges, [0, 0.2, 0.4]);
  assert.deepEqual(lEdges, [2, 3, 4]);
  assert.deepEqual(cells.map((r) => r.map((cell) => cell.models)), [[2, 1], [1, 2]], "cells[c][l]: low C (2 low L, 1 high L), high C (1, 2)");
  assert.ok(Math.abs(cells[0][0].mean - 0.6) < 1e-12 && Math.abs(cells[1][1].mean - 0.85) < 1e-12);
  assert.equal(cells[1][0].mean, 0.95);
  assert.deepEqual(bestClRegion(rows, { bins: 2, minModels: 2 }), { cLow: 0.2, cHigh: 0.4, lLow: 3, lHigh: 4, mean: cells[1][1].mean, models: 2 },
    "the single-graph cell (0.95) is not enough");
  assert.equal(bestClRegion(rows, { bins: 2, minModels: 1 })!.mean, 0.95);
  assert.equal(bestClRegion(rows, { bins: 2, minModels: 3 }), undefined);
  assert.throws(() => clPlaneGrid([], 2), /clPlaneGrid: no rows/);
  assert.throws(() => clPlaneGrid(rows, 0), /bins must be a positive integer, got 0/);
});

test("best (C, L) region rows: per small-world variant × mapping, over the graphs' seed means; the ceiling part left out", () => {
  const base = Object.fromEntries(STRUCTURE_STUDY_COLUMNS.map((c) => [c, 0])) as unknown as StructureStudyRow;
  const row = (part: "small_world" | "ceiling", nr: number, replicate: number, c: number, l: number, acc: number): StructureStudyRow =>
    ({ ...base, part, mode: "GRU", mapping: "recurrent", graph: "watts_strogatz", rewiring_p: 0.1, graph_nr: nr, replicate, average_clustering: c, average_shortest_path_length: l, test_acc: acc });
  const rows = [
    row("small_world", 0, 0, 0, 2, 0.5), row("small_world", 0, 1, 0, 2, 0.7), // graph 0: seed mean 0.6, low C and L
    row("small_world", 1, 0, 0.4, 4, 0.9), row("small_world", 1, 1, 0.4, 4, 1.0), // graph 1: 0.95, high C and L
    row("small_world", 2, 0, 0.3, 3.5, 0.8), row("small_world", 2, 1, 0.3, 3.5, 0.8), // graph 2: 0.8, high C and L
    row("ceiling", 0, 0, 0.4, 4, 0.1),
  ];
  const [only] = bestClRegionRows(rows, { bins: 2, minModels: 2 });
  assert.equal(bestClRegionRows(rows, { bins: 2 }).length, 1, "one small-world cell");
  assert.equal(only.cell, "GRU · recurrent");
  assert.equal(only.graphs, 3);
  assert.ok(Math.abs((only["mean accuracy, all graphs"] as number) - (0.6 + 0.95 + 0.8) / 3) < 1e-12);
  assert.equal(only["best region: C"], "0.20–0.40");
  assert.equal(only["best region: L"], "3.00–4.00");
  assert.ok(Math.abs((only["its mean accuracy"] as number) - 0.875) < 1e-12);
  assert.equal(only["its graphs"], 2);
  assert.match(String(bestClRegionRows(rows, { bins: 2, minModels: 3 })[0]["best region: C"]), /no cell of 2×2 holds 3 graphs/);
});
