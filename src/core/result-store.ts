/**
 * The one store every experiment writes its results to: an append-only file of
 * whole tasks that never loses, mixes or duplicates them.
 *
 * - **Whole or nothing.** One line per finished task — its key, its rows and a
 *   checksum — appended with one write and fsync'd. A line cut short by a kill (no
 *   newline, or a checksum that does not match) is dropped on open; a writer repairs
 *   the file by writing the valid lines to a temporary file and renaming it over the
 *   original. A damaged line followed by good ones is corruption: an error naming the
 *   file and line, never a silent skip.
 * - **One identity.** The first line holds the identity of everything in the file —
 *   data fingerprint, settings, engine numerics — and every task line repeats its hash.
 *   Opening a file with another identity is an error; callers name files by that hash,
 *   so a run with other settings gets its own file and never replaces another's.
 * - **Many processes.** Appends happen under a short lock (`<file>.lock`) after
 *   re-reading what others appended; a task already there is not written twice (the
 *   same rows are skipped, different rows are an error). Long work is coordinated by
 *   claims (`<file>.claims/<hash of key>`): a process claims a task before computing
 *   it, and skips tasks done or claimed by a live process, so several runs on one
 *   store share the work instead of repeating it. Claims of dead processes are taken over.
 * - **Readers de-duplicate.** Identical duplicate lines (e.g. from a copy-paste
 *   merge) are kept once and counted in `duplicates`.
 *
 * Line format (JSON): header `{"format":…,"identity":{…},"id":…,"columns":[…]}`, then
 * `{"key":…,"id":…,"rows":[…],"check":…}` with check = shortHash({key, id, rows}).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson, shortHash } from "./hash";
import { release, tryTake, withLock } from "./lock";

export type Cell = string | number | boolean;
export type Row = Record<string, Cell>;

const FORMAT = "sparse-rnn-lab/result-store/1";

interface Header {
  format: string;
  identity: unknown;
  id: string;
  columns: string[];
}

interface TaskLine {
  key: string;
  id: string;
  rows: Row[];
  check: string;
}

export interface StoreOptions {
  /** everything that determines the numbers in this file (data fingerprint, settings, numerics) */
  identity: unknown;
  /** the columns every row holds, in order (the CSV export's header) */
  columns: readonly string[];
}

/** A task claimed by this process; `release()` when giving it up without a result. */
export interface Claim {
  key: string;
  release(): void;
}

export class ResultStore {
  readonly id: string;
  readonly columns: readonly string[];
  private readonly tasks = new Map<string, Row[]>();
  /** bytes of the file already read (the valid prefix) */
  private readBytes = 0;
  /** identical duplicate task lines seen and ignored */
  duplicates = 0;

  private constructor(readonly file: string, readonly identity: unknown, columns: readonly string[]) {
    this.id = shortHash(identity);
    this.columns = columns;
  }

  /** Open (or create) a store for writing; a torn tail is repaired. */
  static open(file: string, options: StoreOptions): ResultStore {
    const store = new ResultStore(file, options.identity, options.columns);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    withLock(store.lockFile, `result store ${file}`, () => {
      // no complete first line (never written, or cut inside the header by a kill): no task can be in it
      if (!fs.existsSync(file) || !fs.readFileSync(file).includes(10)) {
        const header: Header = { format: FORMAT, identity: options.identity, id: store.id, columns: [...options.columns] };
        writeAtomically(file, JSON.stringify(header) + "\n");
      }
      store.refresh(true);
    });
    return store;
  }

  /** Read a store without writing to it (a torn tail is ignored, not repaired). */
  static read(file: string): ResultStore {
    const header = readHeader(file);
    const store = new ResultStore(file, header.identity, header.columns);
    store.refresh(false);
    return store;
  }

  private get lockFile(): string {
    return `${this.file}.lock`;
  }

  private get claimDir(): string {
    return `${this.file}.claims`;
  }

  has(key: string): boolean {
    return this.tasks.has(key);
  }

  keys(): string[] {
    return [...this.tasks.keys()];
  }

  /** A task's rows, or undefined. */
  get(key: string): Row[] | undefined {
    return this.tasks.get(key)?.map((r) => ({ ...r }));
  }

  /** Every row of every task, in the order the tasks were written. */
  rows(): Row[] {
    return [...this.tasks.values()].flatMap((rows) => rows.map((r) => ({ ...r })));
  }

  /** Pick up tasks other processes appended since the last read. */
  refresh(repair = false): void {
    const { header, tasks, validBytes, duplicates, torn } = parse(this.file, this.readBytes);
    if (header && header.id !== this.id) {
      throw new Error(`result store ${this.file} holds results of another identity (${header.id}, this run ${this.id}):\n` +
        `  file: ${canonicalJson(header.identity)}\n  this run: ${canonicalJson(this.identity)}\n` +
        `use a file named by this run's identity, or move the file away to start afresh`);
    }
    for (const task of tasks) {
      const seen = this.tasks.get(task.key);
      if (seen && canonicalJson(seen) !== canonicalJson(task.rows)) {
        throw new Error(`result store ${this.file}: task ${task.key} appears twice with different rows; the file was edited or merged by hand`);
      }
      if (seen) this.duplicates++;
      else this.tasks.set(task.key, task.rows);
    }
    this.duplicates += duplicates;
    this.readBytes = validBytes;
    if (torn && repair) writeAtomically(this.file, fs.readFileSync(this.file).subarray(0, validBytes));
  }

  /**
   * Claim a task before computing it: undefined when it is done or claimed by a live
   * process (then skip it), else a claim to release (append does it).
   */
  claim(key: string): Claim | undefined {
    if (this.tasks.has(key)) return undefined;
    fs.mkdirSync(this.claimDir, { recursive: true });
    const file = path.join(this.claimDir, shortHash(key));
    if (tryTake(file)) return undefined;
    // done by another process between our last read and the claim?
    withLock(this.lockFile, `result store ${this.file}`, () => this.refresh(true));
    if (this.tasks.has(key)) {
      release(file);
      return undefined;
    }
    return { key, release: () => release(file) };
  }

  /**
   * Append one finished task (whole or not at all). Returns false when the task was
   * already there with the same rows (another process finished it first); a task
   * there with other rows is an error. Releases this process's claim on it.
   */
  append(key: string, rows: readonly Row[]): boolean {
    for (const row of rows) {
      const missing = this.columns.filter((c) => !(c in row));
      if (missing.length) throw new Error(`result store ${this.file}: task ${key}: row ${JSON.stringify(row)} lacks column(s) ${missing.join(", ")}`);
      for (const c of this.columns) {
        const v = row[c];
        if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`result store ${this.file}: task ${key}: column ${c} is ${v}`);
      }
    }
    const clean = rows.map((row) => Object.fromEntries(this.columns.map((c) => [c, row[c]])) as Row);
    try {
      return withLock(this.lockFile, `result store ${this.file}`, () => {
        this.refresh(true);
        const seen = this.tasks.get(key);
        if (seen) {
          if (canonicalJson(seen) !== canonicalJson(clean)) throw new Error(`result store ${this.file}: task ${key} is already there with other rows`);
          return false;
        }
        const line: TaskLine = { key, id: this.id, rows: clean, check: shortHash({ key, id: this.id, rows: clean }) };
        const fd = fs.openSync(this.file, "a");
        try {
          fs.writeSync(fd, JSON.stringify(line) + "\n");
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        this.readBytes = fs.statSync(this.file).size;
        this.tasks.set(key, clean);
        return true;
      });
    } finally {
      release(path.join(this.claimDir, shortHash(key)));
    }
  }
}

function readHeader(file: string): Header {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`result store ${file}: cannot read: ${(error as Error).message}`);
  }
  const end = text.indexOf("\n");
  const header = end < 0 ? undefined : tryParse(text.slice(0, end));
  if (!isHeader(header)) throw new Error(`result store ${file}: line 1 is not a result-store header (format ${FORMAT}); not a result store, or written by an older version`);
  return header;
}

function isHeader(value: unknown): value is Header {
  const h = value as Header;
  return !!h && h.format === FORMAT && typeof h.id === "string" && Array.isArray(h.columns);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parse the file from byte `from` (0: including the header). */
function parse(file: string, from: number): { header?: Header; tasks: TaskLine[]; validBytes: number; duplicates: number; torn: boolean } {
  const buffer = fs.readFileSync(file);
  let header: Header | undefined;
  const tasks: TaskLine[] = [];
  const keys = new Map<string, string>();
  let duplicates = 0;
  let at = from;
  let lineNumber = from === 0 ? 0 : NaN; // line numbers only when reading from the start
  while (at < buffer.length) {
    const end = buffer.indexOf(10, at);
    lineNumber++;
    const where = Number.isNaN(lineNumber) ? "a line appended by another process" : `line ${lineNumber}`;
    if (end < 0) return { header, tasks, validBytes: at, duplicates, torn: true }; // cut short: no newline
    const value = tryParse(buffer.subarray(at, end).toString("utf8"));
    if (at === 0) {
      if (!isHeader(value)) throw new Error(`result store ${file}: line 1 is not a result-store header (format ${FORMAT}); not a result store, or written by an older version`);
      header = value;
    } else {
      const task = value as TaskLine;
      const valid = !!task && typeof task.key === "string" && Array.isArray(task.rows) && task.check === shortHash({ key: task.key, id: task.id, rows: task.rows });
      if (!valid) {
        if (end === buffer.length - 1) return { header, tasks, validBytes: at, duplicates, torn: true }; // a damaged last line
        throw new Error(`result store ${file}: ${where} is damaged (not a task line with a matching checksum) and lines follow it; the file is corrupt — restore it or move it away`);
      }
      if (header && task.id !== header.id) throw new Error(`result store ${file}: ${where} (task ${task.key}) belongs to identity ${task.id}, the file to ${header.id}`);
      const text = canonicalJson(task.rows);
      const seen = keys.get(task.key);
      if (seen === undefined) {
        keys.set(task.key, text);
        tasks.push(task);
      } else if (seen === text) {
        duplicates++;
      } else {
        throw new Error(`result store ${file}: task ${task.key} appears twice with different rows (again at ${where}); the file was edited or merged by hand`);
      }
    }
    at = end + 1;
  }
  return { header, tasks, validBytes: at, duplicates, torn: false };
}

/** Write a whole file through a temporary file and a rename (readers see the old or the new file, never a part). */
export function writeAtomically(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
