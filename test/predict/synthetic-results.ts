/** Shared fixture of the predict tests: a results CSV in the thesis's structure schema with a planted signal. */
import { PROPERTY_COLUMNS, REQUIRED_COLUMNS } from "../../src/predict";
import { Random } from "../../src/data/random";

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
