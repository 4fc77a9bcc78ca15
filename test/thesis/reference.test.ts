/** The vendored thesis data (reference/thesis/) is exactly what MANIFEST.json records, and src/thesis finds it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  REPO_ROOT, THESIS_REFERENCE_DIR, THESIS_VARIANTS, repoRelative, thesisDatasetDir, thesisDatasetFile, thesisPruneLogFile,
  thesisRSquaredFile, thesisStructureTableFile, thesisStructureTableFiles,
} from "../../src/thesis";

interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
  sourcePath: string;
  sourceCommit: string | null;
  matchedBy?: string;
  note?: string;
}

const manifest: { sourceRepository: string; files: ManifestEntry[] } =
  JSON.parse(fs.readFileSync(path.join(THESIS_REFERENCE_DIR, "MANIFEST.json"), "utf8"));
/** files of the folder that describe the data rather than being it */
const DESCRIPTIONS = new Set(["README.md", "MANIFEST.json", ".gitattributes"]);

function filesUnder(dir: string, prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

test("every vendored file has the size and sha256 MANIFEST.json records", () => {
  assert.equal(manifest.files.length, 13);
  for (const entry of manifest.files) {
    const bytes = fs.readFileSync(path.join(THESIS_REFERENCE_DIR, ...entry.path.split("/")));
    assert.equal(bytes.length, entry.bytes, `${entry.path}: size`);
    assert.equal(createHash("sha256").update(bytes).digest("hex"), entry.sha256, `${entry.path}: sha256`);
  }
});

test("the manifest lists every data file of reference/thesis, once, each with its source and a README row", () => {
  const listed = manifest.files.map((f) => f.path);
  assert.equal(new Set(listed).size, listed.length, "duplicate manifest entries");
  const present = filesUnder(THESIS_REFERENCE_DIR).filter((f) => !DESCRIPTIONS.has(f));
  assert.deepEqual([...present].sort(), [...listed].sort());
  assert.equal(manifest.sourceRepository, "https://github.com/harshildarji/thesis");
  const readme = fs.readFileSync(path.join(THESIS_REFERENCE_DIR, "README.md"), "utf8");
  for (const f of manifest.files) {
    assert.ok(f.sourcePath.length > 0, `${f.path}: sourcePath`);
    assert.ok(f.sourceCommit === null ? (f.note ?? "").length > 0 : /^[0-9a-f]{40}$/.test(f.sourceCommit), `${f.path}: sourceCommit or a note why not`);
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${f.path}\` |`));
    assert.ok(row, `${f.path}: no row in README.md`);
    for (const cell of [f.sourcePath, f.sha256, f.bytes.toLocaleString("en-US"), f.sourceCommit ?? "not located"]) {
      assert.ok(row.includes(cell), `${f.path}: README row lacks ${cell}`);
    }
  }
  assert.match(fs.readFileSync(path.join(THESIS_REFERENCE_DIR, "LICENSE"), "utf8"), /^MIT License\n\nCopyright \(c\) 2021 Harshil Darji\n/);
});

test("src/thesis locates the folder from its own place, not from the working directory", () => {
  assert.equal(THESIS_REFERENCE_DIR, path.join(REPO_ROOT, "reference", "thesis"));
  assert.ok(fs.existsSync(path.join(REPO_ROOT, "package.json")));
  // The same answer from notebooks/ through the symlink notebooks/src -> ../src, with the module's
  // __dirname left on the symlink's side (as tslab leaves it): --preserve-symlinks.
  const script = 'const m = require("./src/thesis/locate.ts"); process.stdout.write(JSON.stringify([require.resolve("./src/thesis/locate.ts"), m.THESIS_REFERENCE_DIR]));';
  const [loaded, dir] = JSON.parse(execFileSync(process.execPath, ["--preserve-symlinks", "--import", "tsx", "-e", script],
    { cwd: path.join(REPO_ROOT, "notebooks"), encoding: "utf8" })) as [string, string];
  assert.equal(loaded, path.join(REPO_ROOT, "notebooks", "src", "thesis", "locate.ts"));
  assert.equal(dir, THESIS_REFERENCE_DIR);
  const listed = new Set(manifest.files.map((f) => f.path));
  const rel = (file: string) => path.relative(THESIS_REFERENCE_DIR, file).split(path.sep).join("/");
  for (const name of ["reber_sequences.csv", "train_data.csv", "test_data.csv"] as const) assert.ok(listed.has(rel(thesisDatasetFile(name))), name);
  for (const v of THESIS_VARIANTS) {
    assert.ok(listed.has(rel(thesisPruneLogFile(v))), `prune ${v}`);
    assert.ok(listed.has(rel(thesisStructureTableFile(v.toLowerCase()))), `structure ${v}`);
  }
  assert.deepEqual(thesisStructureTableFiles().map(rel), THESIS_VARIANTS.map((v) => `results/structure/${v.toLowerCase()}.csv`));
  assert.ok(listed.has(rel(thesisRSquaredFile())));
  assert.throws(() => thesisPruneLogFile("RNN"), /no table for "RNN"/);
  assert.equal(repoRelative(thesisDatasetDir()), "reference/thesis/dataset");
  assert.equal(repoRelative(path.join(REPO_ROOT, "..", "elsewhere.csv")), path.join(REPO_ROOT, "..", "elsewhere.csv"));
});
