/**
 * Bit-identical numerics: the golden runs (golden-runs.ts) give exactly the hashes the
 * engine recorded before a refactor (test/fixtures/golden_numerics.json, written by
 * test/fixtures/make_golden_numerics.ts). A mismatch means some result changed: a run's
 * records, weights, masks or predictions. Only when NUMERICS_VERSION is bumped on
 * purpose may the fixture be re-recorded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { goldenRuns } from "./golden-runs";
import { NUMERICS_VERSION } from "../../src/nn/numerics";

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/golden_numerics.json"), "utf8")) as {
  numericsVersion: number; hashes: Record<string, string>;
};

test("the golden runs reproduce the recorded hashes bit for bit", () => {
  assert.equal(NUMERICS_VERSION, fixture.numericsVersion, "the fixture was recorded under another numerics version");
  const runs = goldenRuns();
  const changed: string[] = [];
  for (const run of runs) {
    const expected = fixture.hashes[run.name];
    assert.ok(expected !== undefined, `run "${run.name}" has no recorded hash (re-record only with a numerics bump)`);
    if (run.hash() !== expected) changed.push(run.name);
  }
  assert.deepEqual(changed, [], `${changed.length} of ${runs.length} runs changed their numbers`);
  assert.ok(runs.length >= 100, `${runs.length} runs`);
});
