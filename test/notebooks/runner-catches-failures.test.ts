/**
 * The notebook runner fails, with a report naming the cell, on each way a
 * notebook can go wrong that plain nbconvert misses or hangs on.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { runNotebooks } from "./run-notebook";

const fixture = (name: string) => path.join(__dirname, "fixtures", `${name}.ipynb`);

test("a cell that throws fails the run and the report shows notebook, cell, source and error", async () => {
  const { code, output } = await runNotebooks([fixture("failing-cell")]);
  assert.equal(code, 1, output);
  assert.match(output, /FAIL .*failing-cell\.ipynb/);
  assert.match(output, /cell 3 \(code cell #2\) raised an error/);
  assert.match(output, /2 \| throw new Error\("the reber grammar has no such edge"\);/);
  assert.match(output, /Error: the reber grammar has no such edge/);
});

test("a promise rejected without await fails the run although nbconvert would exit 0", async () => {
  const { code, output } = await runNotebooks([fixture("unawaited-rejection")]);
  assert.equal(code, 1, output);
  assert.match(output, /1 unhandled error\(s\) detected after cell 1 \(code cell #1\)/);
  assert.match(output, /Unawaited promise rejection: Error: nobody awaits this/);
  assert.match(output, /saveResults\(\);/);
});

test("an endless loop is stopped by the per-cell timeout and named in the report", async () => {
  const started = Date.now();
  const { code, output } = await runNotebooks([fixture("endless-loop")], { args: ["--timeout", "4"] });
  assert.equal(code, 1, output);
  assert.match(output, /cell 2 \(code cell #2\) timed out after 4 s/);
  assert.match(output, /while \(true\)/);
  assert.ok(Date.now() - started < 60_000, "the runner must not hang");
});
