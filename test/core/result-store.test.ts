/**
 * The result store: whole tasks or nothing, one identity per file, repairs by rename,
 * duplicates refused or de-duplicated, locks and claims shared between processes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { ResultStore } from "../../src/core/result-store";
import { currentOwner } from "../../src/core/lock";

const columns = ["name", "value"];
const identity = { data: "abc", settings: { epochs: 3 } };

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "store-")), "results.jsonl");
}

test("tasks are appended whole, read back in order, and survive reopening", () => {
  const file = tempFile();
  const store = ResultStore.open(file, { identity, columns });
  assert.equal(store.append("a", [{ name: "a", value: 1 }, { name: "a2", value: 1.5 }]), true);
  assert.equal(store.append("b", [{ name: "b", value: 2 }]), true);
  const again = ResultStore.open(file, { identity, columns });
  assert.deepEqual(again.keys(), ["a", "b"]);
  assert.deepEqual(again.rows().map((r) => r.value), [1, 1.5, 2]);
  assert.equal(again.append("b", [{ name: "b", value: 2 }]), false, "the same task again is not written twice");
  assert.throws(() => again.append("b", [{ name: "b", value: 3 }]), /task b is already there with other rows/);
  assert.equal(fs.readFileSync(file, "utf8").trim().split("\n").length, 3, "header + 2 tasks");
});

test("rows are checked: missing columns and non-finite numbers are refused", () => {
  const store = ResultStore.open(tempFile(), { identity, columns });
  assert.throws(() => store.append("x", [{ name: "x" }]), /lacks column\(s\) value/);
  assert.throws(() => store.append("x", [{ name: "x", value: NaN }]), /column value is NaN/);
  assert.equal(store.keys().length, 0);
});

test("another identity is refused with both identities shown", () => {
  const file = tempFile();
  ResultStore.open(file, { identity, columns }).append("a", [{ name: "a", value: 1 }]);
  assert.throws(() => ResultStore.open(file, { identity: { ...identity, settings: { epochs: 4 } }, columns }), /another identity[\s\S]*"epochs":3[\s\S]*"epochs":4/);
  assert.deepEqual(ResultStore.read(file).keys(), ["a"], "the file is untouched");
});

test("a torn last line is dropped on read and repaired by a writer through a rename; damage in the middle is an error", () => {
  const file = tempFile();
  const store = ResultStore.open(file, { identity, columns });
  store.append("a", [{ name: "a", value: 1 }]);
  store.append("b", [{ name: "b", value: 2 }]);
  const whole = fs.readFileSync(file);
  for (const cut of [1, 7, 20]) {
    fs.writeFileSync(file, whole.subarray(0, whole.length - cut));
    assert.deepEqual(ResultStore.read(file).keys(), ["a"], `cut ${cut} bytes: reader`);
    assert.ok(fs.readFileSync(file).length < whole.length - cut + 1, "a reader does not write");
    const writer = ResultStore.open(file, { identity, columns });
    assert.deepEqual(writer.keys(), ["a"]);
    assert.ok(fs.readFileSync(file, "utf8").endsWith("\n"), `cut ${cut} bytes: repaired to whole lines`);
    writer.append("b", [{ name: "b", value: 2 }]);
    assert.deepEqual(fs.readFileSync(file), whole, `cut ${cut} bytes: the rerun restores the file exactly`);
  }
  const lines = whole.toString("utf8").split("\n");
  lines[1] = lines[1].replace('"value":1', '"value":9'); // checksum no longer matches
  fs.writeFileSync(file, lines.join("\n"));
  assert.throws(() => ResultStore.read(file), /line 2 is damaged[\s\S]*corrupt/);
});

test("identical duplicate lines are read once and counted; differing duplicates are an error", () => {
  const file = tempFile();
  ResultStore.open(file, { identity, columns }).append("a", [{ name: "a", value: 1 }]);
  const lines = fs.readFileSync(file, "utf8").split("\n");
  fs.writeFileSync(file, [lines[0], lines[1], lines[1], ""].join("\n"));
  const read = ResultStore.read(file);
  assert.deepEqual(read.keys(), ["a"]);
  assert.equal(read.duplicates, 1);
});

test("claims: a task claimed by a live process is skipped, a dead owner's claim is taken over, appending releases", () => {
  const file = tempFile();
  const store = ResultStore.open(file, { identity, columns });
  const claim = store.claim("t1")!;
  assert.ok(claim, "first claim");
  // another store object in this process sees the claim file of a live owner (this process) — simulate another live process
  const claimFile = path.join(`${file}.claims`, fs.readdirSync(`${file}.claims`)[0]);
  const live = { ...currentOwner(), pid: process.ppid, start: undefined };
  fs.writeFileSync(claimFile, JSON.stringify(live));
  assert.equal(store.claim("t1"), undefined, "claimed by a live process");
  const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  fs.writeFileSync(claimFile, JSON.stringify({ ...currentOwner(), pid: Number(dead.stdout), start: 1 }));
  const taken = store.claim("t1");
  assert.ok(taken, "a dead process's claim is taken over");
  store.append("t1", [{ name: "t1", value: 1 }]);
  assert.equal(fs.existsSync(claimFile), false, "append released the claim");
  assert.equal(store.claim("t1"), undefined, "done tasks cannot be claimed");
});

test("two processes sharing a store split the tasks: every task exactly once", () => {
  const file = tempFile();
  const script = `
    const { ResultStore } = require(${JSON.stringify(path.join(__dirname, "../../src/core/result-store.ts"))});
    const store = ResultStore.open(${JSON.stringify(file)}, { identity: ${JSON.stringify(identity)}, columns: ${JSON.stringify(columns)} });
    let mine = 0;
    for (let i = 0; i < 40; i++) {
      const claim = store.claim("task" + i);
      if (!claim) continue;
      const until = Date.now() + 5; while (Date.now() < until) {} // "work"
      if (store.append("task" + i, [{ name: "task" + i, value: i }])) mine++;
    }
    process.stdout.write(String(mine));
  `;
  const run = () => require("node:child_process").spawn(process.execPath, ["--import", "tsx", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const children = [run(), run()];
  return Promise.all(children.map((child) => new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.on("exit", (code: number) => (code === 0 ? resolve(Number(out)) : reject(new Error(`child exited ${code}`))));
  }))).then((counts) => {
    const store = ResultStore.read(file);
    assert.equal(store.keys().length, 40, "every task is there");
    assert.equal(counts[0] + counts[1], 40, `each task written once (${counts.join(" + ")})`);
    assert.equal(store.duplicates, 0);
    assert.equal(new Set(store.keys()).size, 40);
  });
});
