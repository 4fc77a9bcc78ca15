/**
 * A results table that lists a model twice is refused: the duplicate would sit in a
 * training fold and a test fold at once and inflate every cross-validated R².
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadResultsFiles, parseResultsCsv } from "../../src/predict";
import { thesisStructureTableFile } from "../../src/thesis";
import { syntheticCsv } from "./synthetic-results";

test("a model listed twice — same mode/graph/graph_nr, or an identical row — is refused with both places named", () => {
  const thesis = fs.readFileSync(thesisStructureTableFile("GRU"), "utf8").trimEnd().split("\n");
  const doubled = [...thesis, thesis[5]].join("\n") + "\n";
  assert.throws(() => parseResultsCsv(doubled, "gru.csv"), /gru\.csv:6 and gru\.csv:202 hold the same model \(GRU\/barabasi_albert\/4\)/);
  const lines = syntheticCsv(12, false).trimEnd().split("\n");
  assert.throws(() => parseResultsCsv([...lines, lines[3]].join("\n"), "synthetic.csv"), /synthetic\.csv:4 and synthetic\.csv:14 hold the same model: remove one/);
  // across files: the same table loaded twice
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dup-"));
  const copy = path.join(dir, "copy.csv");
  fs.copyFileSync(thesisStructureTableFile("GRU"), copy);
  assert.throws(() => loadResultsFiles([thesisStructureTableFile("GRU"), copy]), /copy\.csv:2 hold the same model \(GRU\/barabasi_albert\/0\)/);
  // the thesis's own four tables hold 800 distinct models
  const all = loadResultsFiles(["RNN_TANH", "RNN_RELU", "LSTM", "GRU"].map((v) => thesisStructureTableFile(v as never)));
  assert.equal(all.rows.length, 800);
});
