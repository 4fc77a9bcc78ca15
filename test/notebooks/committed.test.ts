/**
 * Committed notebooks are readable on GitHub and follow the notebook contract:
 * under 3 MB, no inlined plotly.js bundle, the project kernel, and a first code
 * cell tagged `parameters` that names the profile.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { selectedNotebooks } from "./run-notebook";

const MAX_BYTES = 3 * 1024 * 1024;

for (const file of selectedNotebooks()) {
  const name = path.basename(file);
  test(`${name} is small, has no plotly bundle and follows the notebook contract`, () => {
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.length < MAX_BYTES, `${name} is ${(text.length / 2 ** 20).toFixed(1)} MB; must be < 3 MB`);
    assert.doesNotMatch(text, /plotly\.js v\d/, `${name} contains the plotly.js bundle in an output`);
    const nb = JSON.parse(text);
    assert.equal(nb.metadata?.kernelspec?.name, "tslab-sparse-rnn", `${name}: kernelspec.name`);
    const firstCode = nb.cells.find((c: any) => c.cell_type === "code");
    assert.ok(firstCode, `${name} has no code cell`);
    assert.ok(firstCode.metadata?.tags?.includes("parameters"), `${name}: the first code cell must be tagged "parameters"`);
    assert.match([].concat(firstCode.source).join(""), /\bprofile\b/, `${name}: the parameters cell must set \`profile\``);
  });
}
