/** CSV in and out (src/core/csv.ts): lines as an editor shows them, widths, quoting, round trips. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { csvObjects, formatCsv, parseCsv, readCsvObjects, writeCsv } from "../../src/core/csv";

test("records carry the line they start on: blank lines counted and skipped, a quoted line break moves the start", () => {
  const records = parseCsv('a,b\n\n1,2\n"x\ny",3\n\n4,5\n', "t.csv");
  assert.deepEqual(records, [
    { fields: ["a", "b"], line: 1 },
    { fields: ["1", "2"], line: 3 },
    { fields: ["x\ny", "3"], line: 4 },
    { fields: ["4", "5"], line: 7 },
  ]);
  assert.deepEqual(parseCsv("a,b\r\n\r\n1,2\r\n").map((r) => [r.fields, r.line]), [[["a", "b"], 1], [["1", "2"], 3]]);
});

test("a record of another width is an error naming the source and line, unless widths: any", () => {
  assert.throws(() => parseCsv("a,b\n1,2\n3\n", "t.csv"), /^Error: t\.csv: not a valid CSV table: Invalid Record Length.*line 3/);
  assert.deepEqual(parseCsv("a,b\n3\n", "t.csv", { widths: "any" }).map((r) => r.fields), [["a", "b"], ["3"]]);
  assert.throws(() => parseCsv('a,"b\n', "t.csv"), /t\.csv: not a valid CSV table: Quote Not Closed/);
});

test("a byte-order mark is dropped; no text, no records", () => {
  assert.deepEqual(parseCsv("\uFEFFmode,r2\nGRU,0.5\n").map((r) => r.fields), [["mode", "r2"], ["GRU", "0.5"]]);
  assert.deepEqual(parseCsv(""), []);
  assert.deepEqual(csvObjects([]), []);
});

test("formatCsv quotes only where needed and round-trips through the readers", () => {
  const records = [["name", "value", "note"], ["a,b", 1.5, 'say "hi"'], ["line\nbreak", -0, ""], ["plain", 1e-7, null]];
  const text = formatCsv(records);
  assert.equal(text, 'name,value,note\n"a,b",1.5,"say ""hi"""\n"line\nbreak",0,\nplain,1e-7,\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "core-csv-")), "deep", "t.csv");
  writeCsv(file, records);
  assert.equal(fs.readFileSync(file, "utf8"), text);
  assert.deepEqual(readCsvObjects(file), [
    { name: "a,b", value: "1.5", note: 'say "hi"' },
    { name: "line\nbreak", value: "0", note: "" },
    { name: "plain", value: "1e-7", note: "" },
  ]);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["t.csv"]);
});
