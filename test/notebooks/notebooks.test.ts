/**
 * Every notebook runs through the real tslab kernel in the quick profile,
 * without cell errors, timeouts or unawaited rejections, and reproduces the
 * committed notebook's outputs (rendered images aside): a committed notebook is
 * never stale, and its outputs never depend on the machine, the clock or the run.
 * NOTEBOOKS=01-dataset,02-base-models selects notebooks.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { runNotebooks, selectedNotebooks } from "./run-notebook";

const notebooks = selectedNotebooks();

test("the notebooks are found (all 6, or the NOTEBOOKS selection)", () => {
  assert.ok(notebooks.length >= (process.env.NOTEBOOKS ? 1 : 6), `${notebooks.length} notebooks`);
});

for (const notebook of notebooks) {
  test(`notebook ${path.basename(notebook)} runs in the quick profile and reproduces its committed outputs`, async () => {
    const { code, output } = await runNotebooks([notebook], { args: ["--profile", "quick", "--check-committed"], env: { PROFILE: "quick" } });
    assert.equal(code, 0, `\n${output}`);
    assert.match(output, /^ok /m);
  });
}
