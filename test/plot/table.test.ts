import { test } from "node:test";
import * as assert from "node:assert/strict";
import { tableCells, tableHtml, tableModel, tableText } from "../../src/plot/table";

const rows = [
  { model: "GRU", accuracy: 0.98765, hidden: 4 },
  { model: "LSTM <big>", accuracy: 0.5, extra: { a: 1 } },
];

test("tableCells takes columns in order of first appearance and rounds non-integers", () => {
  const { columns, cells } = tableCells(rows, 2);
  assert.deepEqual(columns, ["model", "accuracy", "hidden", "extra"]);
  assert.deepEqual(cells, [
    ["GRU", "0.99", "4", ""],
    ["LSTM <big>", "0.50", "", '{"a":1}'],
  ]);
  assert.throws(() => tableCells(rows, -1), /digits must be an integer in \[0, 20\], got -1/);
});

test("tableHtml escapes text, right-aligns numbers and puts the title in a caption", () => {
  const { columns, cells } = tableCells(rows, 2);
  const html = tableHtml(columns, cells, "Results & more");
  assert.match(html, /<caption[^>]*>Results &#38; more<\/caption>/);
  assert.match(html, /<td style="text-align:left">LSTM &#60;big&#62;<\/td>/);
  assert.match(html, /<td style="text-align:right;font-variant-numeric:tabular-nums">0\.99<\/td>/);
  assert.equal((html.match(/<tr>/g) ?? []).length, 3);
});

test("tableText aligns columns for terminals", () => {
  const { columns, cells } = tableCells(rows, 2);
  const lines = tableText(columns, cells, "Results").split("\n");
  assert.equal(lines[0], "Results");
  assert.equal(lines[1], "model       accuracy  hidden  extra");
  assert.equal(lines[2], "----------  --------  ------  -------");
  assert.equal(lines[3], "GRU             0.99       4");
  assert.equal(lines[4], 'LSTM <big>      0.50          {"a":1}');
});

test("digits apply to every number of a column holding a non-integer; integer-only columns stay integers; per-column digits win", () => {
  const mixed = [
    { variant: "GRU", accuracy: 1, "safe level": 90, loss: -0.00001 },
    { variant: "LSTM", accuracy: 0.92604, "safe level": 80, loss: 12.5 },
    { variant: "RNN_TANH", accuracy: "—", "safe level": null, loss: Infinity },
  ];
  const model = tableModel(mixed, 4);
  assert.deepEqual(model.cells.map((r) => r[1]), ["1.0000", "0.9260", "—"], "1 prints as 1.0000 beside 0.9260");
  assert.deepEqual(model.cells.map((r) => r[2]), ["90", "80", ""], "an integer column stays integers");
  assert.deepEqual(model.cells.map((r) => r[3]), ["0.0000", "12.5000", "∞"], "no -0.0000");
  assert.deepEqual(model.numeric, [false, true, true, true], "numbers with placeholders are numeric columns");
  assert.deepEqual(tableModel(mixed, { "safe level": 1, "*": 2 }).cells[0], ["GRU", "1.00", "90.0", "0.00"]);
  assert.throws(() => tableModel(mixed, { accuracyy: 2 }), /digits names column "accuracyy", which the table does not have \(did you mean "accuracy"\?\)/);
  assert.throws(() => tableModel(mixed, 2.5), /digits must be an integer in \[0, 20\], got 2\.5/);
});

test("numeric columns and their headers are right-aligned in HTML and text", () => {
  const rows = [{ variant: "GRU", "test acc": 1 }, { variant: "LSTM", "test acc": 0.9 }];
  const model = tableModel(rows, 3);
  const html = tableHtml(model.columns, model.cells, undefined, model.numeric);
  assert.match(html, /<th style="text-align:left">variant<\/th><th style="text-align:right">test acc<\/th>/);
  assert.equal((html.match(/<td style="text-align:right;font-variant-numeric:tabular-nums">/g) ?? []).length, 2);
  assert.deepEqual(tableText(model.columns, model.cells, undefined, model.numeric).split("\n"), [
    "variant  test acc",
    "-------  --------",
    "GRU         1.000",
    "LSTM        0.900",
  ]);
});
