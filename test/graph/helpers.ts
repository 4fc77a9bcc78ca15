import * as fs from "fs";
import * as path from "path";
import { Rng } from "../../src/graph";

export function fixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", name), "utf8")) as T;
}

export type TapeEntry = ["f", number] | ["i", number, number];

/**
 * Replays the draws networkx made (recorded by make_graph_fixtures.py) and fails if the
 * generator asks for a different kind of draw, or an index over a different range.
 */
export class TapeRng implements Rng {
  private at = 0;
  constructor(private readonly tape: TapeEntry[], private readonly name: string) {}
  nextFloat(): number {
    const entry = this.next();
    if (entry[0] !== "f") throw new Error(`${this.name}: draw ${this.at - 1} is random(), networkx made choice() over ${entry[1]}`);
    return entry[1];
  }
  nextInt(n: number): number {
    const entry = this.next();
    if (entry[0] !== "i" || entry[1] !== n) throw new Error(`${this.name}: draw ${this.at - 1} is choice() over ${n}, networkx drew ${JSON.stringify(entry)}`);
    return entry[2];
  }
  get remaining(): number {
    return this.tape.length - this.at;
  }
  private next(): TapeEntry {
    if (this.at >= this.tape.length) throw new Error(`${this.name}: more draws than networkx made (${this.tape.length})`);
    return this.tape[this.at++];
  }
}

/** Relative difference, |a − b| / max(|a|, |b|, 1e-300). */
export function relDiff(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}
