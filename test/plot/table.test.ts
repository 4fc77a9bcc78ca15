import { test } from "node:test";
import * as assert from "node:assert/strict";
import { tableCells, tableHtml, tableText } from "../../src/plot/table";

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
  assert.match(html, /<td style="text-align:right">0\.99<\/td>/);
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
