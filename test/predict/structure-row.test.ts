/** One row type for the structure experiment: what the sweep writes is what the reader returns. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatCsv } from "../../src/core/csv";
import { planSweep, resultRow, sweepProfile } from "../../src/experiments/sweep";
import { STRUCTURE_COLUMNS, featuresOf, loadResultsFiles, parseResultsCsv, PROPERTY_COLUMNS, variantData } from "../../src/predict";
import { thesisStructureTableFile } from "../../src/thesis";

test("a sweep row written as CSV reads back as the same StructureRow", () => {
  const plan = planSweep({ ...sweepProfile("quick"), graphs: 2 });
  const written = plan.map((m, i) => resultRow(m, { test_acc: (i + 1) / (plan.length + 1), test_loss: 10 + i / 3, time: 0.1 * i }));
  const text = formatCsv([STRUCTURE_COLUMNS, ...written.map((r) => STRUCTURE_COLUMNS.map((c) => r[c]))]);
  const table = parseResultsCsv(text, "sweep.csv");
  assert.deepEqual(table.rows, written);
  assert.deepEqual(Object.keys(table.rows[0]), [...STRUCTURE_COLUMNS]);
  assert.deepEqual(table.origins.slice(0, 2), ["sweep.csv:2", "sweep.csv:3"]);
  // the regressors read the same row: features in the order asked, target test_acc
  const gru = written.filter((r) => r.mode === "GRU");
  assert.deepEqual(variantData(table, "GRU", ["density", "nodes"]), { X: gru.map((r) => [r.density, r.nodes]), y: gru.map((r) => r.test_acc) });
  assert.deepEqual(featuresOf(written[0], PROPERTY_COLUMNS), PROPERTY_COLUMNS.map((p) => plan[0].properties[p]));
});

test("the thesis's tables read as StructureRows of the thesis's columns (no seed, layout, edge_list)", () => {
  const file = thesisStructureTableFile("GRU");
  const table = loadResultsFiles([file]);
  assert.equal(table.rows.length, 200);
  assert.deepEqual(Object.keys(table.rows[0]), STRUCTURE_COLUMNS.slice(0, STRUCTURE_COLUMNS.indexOf("time") + 1));
  const first = table.rows[0];
  assert.equal(first.mode, "GRU");
  assert.equal(first.graph, "barabasi_albert");
  assert.equal(first.graph_nr, 0);
  assert.ok(typeof first.test_loss === "number" && typeof first.time === "number");
  assert.equal(first.seed, undefined);
  assert.equal(table.origins[0], `${file}:2`);
});

test("the optional structure columns are as strict as the required ones when a file has them", () => {
  const header = ["mode", ...PROPERTY_COLUMNS, "test_acc", "graph", "graph_nr", "time"];
  const line = (nr: string, time = "1.5") => ["GRU", ...PROPERTY_COLUMNS.map(() => "1"), "0.5", "watts_strogatz", nr, time].join(",");
  assert.throws(() => parseResultsCsv([header.join(","), line("0"), line("x")].join("\n"), "own.csv"), /own\.csv:3: column "graph_nr" must be a finite number, got "x"/);
  assert.throws(() => parseResultsCsv([header.join(","), line("0", "NaN")].join("\n"), "own.csv"), /own\.csv:2: column "time" must be a finite number, got "NaN"/);
  assert.throws(() => parseResultsCsv([[...header, "graph"].join(","), line("0") + ",x"].join("\n"), "own.csv"), /own\.csv:1: column\(s\) graph appear more than once/);
  assert.throws(() => parseResultsCsv([header.join(","), line("0"), line("0")].join("\n"), "own.csv"), /own\.csv:2 and own\.csv:3 hold the same model \(GRU\/watts_strogatz\/0\)/);
  assert.deepEqual(parseResultsCsv([header.join(","), line("7")].join("\n"), "own.csv").rows[0].graph_nr, 7);
});
