/** Shared fixture of the predict tests: a results CSV in the thesis's structure schema with a planted signal. */
import { PROPERTY_COLUMNS, REQUIRED_COLUMNS } from "../../src/predict";
import { Random } from "../../src/core/random";
import { readFileSync, writeFileSync } from "node:fs";
import { shortHash } from "../../src/core/hash";

/** A synthetic results table: accuracy depends on nodes and degree_var only. */
export function syntheticCsv(rows: number, extraColumns = true): string {
  const rng = new Random(5);
  const header = [...(extraColumns ? ["seed"] : []), ...REQUIRED_COLUMNS, ...(extraColumns ? ["edges_list"] : [])];
  const lines = [header.join(",")];
  for (let i = 0; i < rows; i++) {
    const values: Record<string, number> = {};
    for (const p of PROPERTY_COLUMNS) values[p] = rng.nextFloat() * 10;
    const acc = 0.5 + 0.03 * values.nodes - 0.02 * values.degree_var + 0.01 * rng.nextFloat();
    const cells = header.map((h) => (h === "mode" ? (i % 2 ? "GRU" : "LSTM") : h === "test_acc" ? acc : h === "seed" ? i : h === "edges_list" ? "\"[1,2]\"" : values[h]));
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

/**
 * Edit one task line of a result store (src/core/result-store.ts) in place and re-sign it, as a hand edit
 * that keeps the checksum valid would: `line` is 1-based over the task lines (the header is line 0).
 */
export function editStoreTask(file: string, line: number, edit: (rows: Array<Record<string, string | number | boolean>>) => void): void {
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  const task = JSON.parse(lines[line]) as { key: string; id: string; rows: Array<Record<string, string | number | boolean>>; check: string };
  edit(task.rows);
  task.check = shortHash({ key: task.key, id: task.id, rows: task.rows });
  lines[line] = JSON.stringify(task);
  writeFileSync(file, lines.join("\n") + "\n");
}
