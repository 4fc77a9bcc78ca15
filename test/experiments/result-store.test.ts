import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ResultStore } from "../../src/experiments/result-store";

const columns = ["mode", "prune", "test_acc"];
const key = (r: Record<string, unknown>) => `${r.mode}/${r.prune}`;

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "store-")), "sub", "results.csv");
}

test("rows appended survive a reopen and are found by key", () => {
  const file = tempFile();
  const store = new ResultStore(file, columns, key);
  store.append([{ mode: "gru_prune", prune: 10, test_acc: 0.995 }]);
  const again = new ResultStore(file, columns, key);
  assert.equal(again.has("gru_prune/10"), true);
  assert.equal(again.has("gru_prune/20"), false);
  assert.deepEqual(again.rows(), [{ mode: "gru_prune", prune: 10, test_acc: 0.995 }]);
});

test("a torn last line from an interrupted write is dropped on reopen", () => {
  const file = tempFile();
  new ResultStore(file, columns, key).append([{ mode: "lstm", prune: 0, test_acc: 1 }]);
  fs.appendFileSync(file, "lstm,10,0.9");
  const store = new ResultStore(file, columns, key);
  assert.equal(store.rows().length, 1);
  assert.equal(fs.readFileSync(file, "utf8").endsWith("1\n"), true);
});

test("a header mismatch names the file and both headers", () => {
  const file = tempFile();
  new ResultStore(file, columns, key);
  assert.throws(() => new ResultStore(file, ["mode", "epoch"], key), /results\.csv.*mode,prune,test_acc.*mode,epoch/);
});

test("a row missing a column is refused with the column named", () => {
  const store = new ResultStore(tempFile(), columns, key);
  assert.throws(() => store.append([{ mode: "gru", prune: 0 }]), /lacks column\(s\) test_acc/);
});
