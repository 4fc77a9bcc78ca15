/**
 * The README's closing section is generated from results/ (scripts/readme-results.ts):
 * the README and the results of record cannot disagree.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { generateResultsSection } from "../../scripts/readme-results";

test("README.md's results section is what results/ gives (run `npm run readme` after promoting a record)", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const section = generateResultsSection();
  assert.ok(section.length > 2000, "the generated section has content");
  assert.ok(readme.includes(section), "README.md's results section differs from results/: run `npm run readme`");
});
