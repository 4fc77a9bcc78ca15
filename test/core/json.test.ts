import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseJson, readJsonFile } from "../../src/core/json";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "core-json-"));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

test("readJsonFile parses a good file and returns its value", () => {
  assert.deepEqual(readJsonFile(write("good.json", '{"a": [1, 2.5, null]}'), "thing"), { a: [1, 2.5, null] });
});

test("readJsonFile names the file and what it should hold on every failure", () => {
  const truncated = write("truncated.json", '{"a": [1, 2');
  const bad: Array<[() => unknown, RegExp]> = [
    [() => readJsonFile(truncated, "network checkpoint"), new RegExp(`network checkpoint ${truncated.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: invalid JSON: .*`)],
    [() => readJsonFile(path.join(dir, "missing.json"), "model"), /model .*missing\.json: cannot read: ENOENT/],
    [() => readJsonFile(write("empty.json", ""), "model"), /model .*empty\.json: empty, expected JSON/],
    [() => readJsonFile(write("spaces.json", "  \n "), "model"), /spaces\.json: empty, expected JSON/],
    [() => readJsonFile(write("syntax.json", '{\n  "a": 1\n  "b": 2\n}'), "model"), /syntax\.json: invalid JSON: .*\(line 3, column 3\)/],
    [() => readJsonFile(write("token.json", '{"a": x}'), "model"), /model .*token\.json: invalid JSON: Unexpected token/],
    [() => readJsonFile("", "model"), /model: file name must be a non-empty string, got ""/],
  ];
  for (const [fn, message] of bad) assert.throws(fn, message);
});

test("parseJson labels text that is not a file", () => {
  assert.deepEqual(parseJson("[1,2]", "cell 3"), [1, 2]);
  assert.throws(() => parseJson("[1,", "CV cache row 3"), /^Error: CV cache row 3: invalid JSON/);
  assert.throws(() => parseJson(undefined as unknown as string, "cell"), /cell: expected JSON text, got undefined/);
});
