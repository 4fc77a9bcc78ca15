import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatSamplesCsv, parseSamplesCsv, readSamplesCsv, writeSamplesCsv } from "../../src/data/csv";
import type { Sample } from "../../src/data/types";

const samples: Sample[] = [
  { text: "BTXSE", valid: true },
  { text: "BPVXE", valid: false },
  { text: "BAFHJJILGE", valid: false },
];

function tempFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "csv-")), "sub", name);
}

test("both thesis formats round-trip through a file", () => {
  const plain = tempFile("all.csv");
  writeSamplesCsv(plain, samples);
  assert.equal(fs.readFileSync(plain, "utf8"), "string,valid\nBTXSE,1\nBPVXE,0\nBAFHJJILGE,0\n");
  assert.deepEqual(readSamplesCsv(plain), samples);
  const indexed = tempFile("test.csv");
  writeSamplesCsv(indexed, samples, { indexed: true, firstIndex: 18750 });
  assert.equal(fs.readFileSync(indexed, "utf8"), ",string,valid\n18750,BTXSE,1\n18751,BPVXE,0\n18752,BAFHJJILGE,0\n");
  assert.deepEqual(readSamplesCsv(indexed), samples);
  assert.deepEqual(parseSamplesCsv(fs.readFileSync(indexed, "utf8")).indices, [18750, 18751, 18752]);
});

test("bad input is refused with file, line and value named; nothing is dropped silently", () => {
  const cases: Array<[string, RegExp]> = [
    ["string,valid\nBTXSE,1\nBPVVE\n", /bad\.csv, line 3: expected 2 columns \(string,valid\), got 1: "BPVVE"/],
    ["string,valid\nBTXSE,2\n", /bad\.csv, line 2: valid must be 0 or 1, got "2" \(string "BTXSE"\)/],
    ["string,valid\nBTXSE,yes\n", /line 2: valid must be 0 or 1, got "yes"/],
    ["string,valid\nBTéSE,1\n", /line 2: character "é" \(code 233\) at position 2 of "BTéSE" is not ASCII/],
    ["string,valid\nBTXSE,1\n,0\n", /bad\.csv, line 3: empty string/],
    [",string,valid\nx,BTXSE,1\n", /line 2: index "x" is not a non-negative integer/],
    ["text,label\nBTXSE,1\n", /bad\.csv, line 1: header "text,label" is neither/],
    ["", /bad\.csv: empty file/],
  ];
  for (const [text, message] of cases) {
    const file = tempFile("bad.csv");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    assert.throws(() => readSamplesCsv(file), message, JSON.stringify(text));
  }
});

test("quoted fields (csv-parse) and CRLF line ends are read", () => {
  assert.deepEqual(parseSamplesCsv('string,valid\r\n"BTXSE",1\r\n').samples, [{ text: "BTXSE", valid: true }]);
});

test("writing refuses strings that could not be read back", () => {
  assert.throws(() => formatSamplesCsv([{ text: "", valid: true }]), /sample 0: empty string/);
  assert.throws(() => formatSamplesCsv([{ text: "BTXSE", valid: true }, { text: "Bñ", valid: false }]), /sample 1: character "ñ"/);
});
