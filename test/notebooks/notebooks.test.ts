/**
 * Every notebook runs through the real tslab kernel in the quick profile,
 * without cell errors, timeouts or unawaited rejections.
 * NOTEBOOKS=01-dataset,02-base-models selects notebooks.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { runNotebooks, selectedNotebooks } from "./run-notebook";

for (const notebook of selectedNotebooks()) {
  test(`notebook ${path.basename(notebook)} runs in the quick profile`, async () => {
    const { code, output } = await runNotebooks([notebook], { args: ["--profile", "quick"], env: { PROFILE: "quick" } });
    assert.equal(code, 0, `\n${output}`);
    assert.match(output, /^ok /m);
  });
}
