import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseResultsSource } from "../../src/predict";
import { syntheticCsv } from "./synthetic-results";

/** A folder with thesis-like tables, a small own sweep (5 models per variant) and a big one (20). */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), "results-source-"));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  return {
    thesisFiles: ["gru.csv", "lstm.csv"].map((f) => write(f, syntheticCsv(40))),
    small: write("quick.csv", syntheticCsv(10)),
    big: write("thesis.csv", syntheticCsv(40)),
    missing: join(dir, "absent.csv"),
  };
}

test("the thesis's tables are used unless preferOwnSweep is set, even beside a usable own sweep; they must exist", () => {
  const f = fixture();
  const base = { given: [], preferOwnSweep: false, minModelsPerVariant: 12 };
  assert.deepEqual(chooseResultsSource({ ...base, thesisFiles: f.thesisFiles, ownSweepFiles: [f.small, f.big] }),
    { source: "thesis", files: f.thesisFiles });
  assert.throws(() => chooseResultsSource({ ...base, thesisFiles: [f.thesisFiles[0], f.missing], ownSweepFiles: [f.big] }),
    /thesisFiles: no such file\(s\): .*absent\.csv/);
  assert.throws(() => chooseResultsSource({ ...base, thesisFiles: [], ownSweepFiles: [f.big] }), /thesisFiles: no file given/);
});

test("preferOwnSweep takes a usable own sweep over the thesis's tables, and never falls back to them", () => {
  const f = fixture();
  const base = { given: [], thesisFiles: f.thesisFiles, preferOwnSweep: true, minModelsPerVariant: 12 };
  // The small sweep (5 per variant) is passed over for the big one; absent files are skipped.
  assert.deepEqual(chooseResultsSource({ ...base, ownSweepFiles: [f.missing, f.small, f.big] }), { source: "own sweep", files: [f.big] });
  assert.deepEqual(chooseResultsSource({ ...base, ownSweepFiles: [f.small], minModelsPerVariant: 5 }), { source: "own sweep", files: [f.small] });
  assert.equal(chooseResultsSource({ ...base, ownSweepFiles: [f.missing, f.small] }), null);
});

test("given files win and must exist", () => {
  const f = fixture();
  const base = { thesisFiles: f.thesisFiles, ownSweepFiles: [f.big], preferOwnSweep: false, minModelsPerVariant: 12 };
  assert.deepEqual(chooseResultsSource({ ...base, given: [f.small] }), { source: "given", files: [f.small] });
  assert.throws(() => chooseResultsSource({ ...base, given: [f.small, f.missing] }), /resultsFiles: no such file\(s\): .*absent\.csv/);
});
