/**
 * Shared machinery of the fault-injection tests: spawning the driver
 * (drivers/run.ts) as a child process, killing it with SIGKILL at chosen points,
 * reading what it left on disk, and comparing a store with an uninterrupted run's.
 *
 * Every child is registered in a Scope; `scope.close()` (in a finally) SIGKILLs the
 * ones still running, and a process "exit" hook does the same if a test crashes.
 */
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ResultStore, Row } from "../../src/core/result-store";
import type { Kind } from "./setup";
import { Random } from "../../src/core/random";

const DRIVER = path.join(__dirname, "drivers", "run.ts");
const REPO = path.join(__dirname, "..", "..");

const everyChild = new Set<ChildProcess>();
const killEveryChild = (): void => {
  for (const child of everyChild) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
};
process.on("exit", killEveryChild);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killEveryChild();
    process.kill(process.pid, signal); // the handler is gone: the default action ends this process
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running driver. */
export class Driver {
  readonly lines: string[] = [];
  stderr = "";
  exit: Exit | undefined;
  readonly exited: Promise<Exit>;
  private partial = "";
  private readonly listeners = new Set<() => void>();

  constructor(readonly kind: Kind, readonly cacheDir: string, readonly child: ChildProcess) {
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      const parts = (this.partial + chunk).split("\n");
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      this.notify();
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => {
      child.on("close", (code, signal) => {
        this.exit = { code, signal };
        everyChild.delete(child);
        this.notify();
        resolve(this.exit);
      });
    });
  }

  /** Starts a driver spawned with --wait (after its "warm" line). */
  go(): void {
    this.child.stdin!.write("go\n");
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves true once a line matches, false if the driver exits first. */
  waitForLine(match: (line: string) => boolean, timeoutMs = 60_000): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.lines.some(match)) return finish(true);
        if (this.exit) return finish(false);
      };
      const timer = setTimeout(() => finish(new Error(`driver ${this.kind} (pid ${this.pid}) printed no matching line within ${timeoutMs} ms; stdout:\n${this.lines.join("\n")}\nstderr:\n${this.stderr}`)), timeoutMs);
      const finish = (value: boolean | Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** SIGKILL and wait until it is gone (reaped, so its pid is no longer "alive" to others). */
  async kill(): Promise<Exit> {
    if (this.running) this.child.kill("SIGKILL");
    return this.exited;
  }

  /** The keys (or epochs) this driver computed, from its `done`/`start`/`epoch` lines. */
  trained(): string[] {
    return this.lines.filter((l) => /^(done|start|epoch) /.test(l)).map((l) => l.slice(l.indexOf(" ") + 1));
  }

  /** Waits for a normal end; throws with its stderr (and, after a timeout, the lock and claim files it may wait for) otherwise. */
  async finished(timeoutMs = 30_000): Promise<void> {
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; this.child.kill("SIGKILL"); }, timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    const waitingFor = timedOut
      ? `\nkilled after ${timeoutMs} ms; lock and claim files in its folder:\n` + leftoverFiles(this.cacheDir).map((f) => {
        const size = fs.statSync(path.join(this.cacheDir, f)).size;
        return `  ${f}: ${size === 0 ? "EMPTY (its owner was killed between creating and writing it)" : `owner pid ${ownerPid(path.join(this.cacheDir, f))}`}`;
      }).join("\n")
      : "";
    assert.equal(exit.code, 0, `driver ${this.kind} (pid ${this.pid}) on ${this.cacheDir} ended with ${exit.signal ?? `code ${exit.code}`}:\n${this.stderr}${waitingFor}`);
    assert.ok(this.lines.some((l) => l.startsWith("result ")), `driver ${this.kind} printed no result`);
  }
}

/** The children of one test: close() kills whatever still runs. */
export class Scope {
  private readonly drivers: Driver[] = [];

  spawn(kind: Kind, cacheDir: string, args: string[] = []): Driver {
    // tsx's CommonJS hook only: the code is CommonJS, and it starts in a third of the time `--import tsx` takes
    const child = spawn(process.execPath, ["--require", "tsx/cjs", DRIVER, kind, cacheDir, ...args], {
      cwd: REPO, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, SPARSE_RNN_THREADS: "1" },
    });
    everyChild.add(child);
    const driver = new Driver(kind, cacheDir, child);
    this.drivers.push(driver);
    return driver;
  }

  async close(): Promise<void> {
    await Promise.all(this.drivers.map((d) => d.kill()));
  }
}

/** Polls `condition` every `everyMs` until it holds (true) or `stop` says to give up (false). */
export async function until(condition: () => boolean, stop: () => boolean, everyMs = 2, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (stop()) return false;
    if (Date.now() > deadline) throw new Error(`until: condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Complete task lines in a store file (its header not counted); 0 when there is no file yet. */
export function taskLinesOnDisk(file: string): number {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch {
    return 0;
  }
  let lines = 0;
  for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) lines++;
  return Math.max(0, lines - 1);
}

/** The owner pid recorded in a lock or claim file; -1 for an empty one, undefined when absent or unreadable. */
export function ownerPid(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, "utf8");
    return text === "" ? -1 : (JSON.parse(text) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

/** Lock, claim and temporary files a (dead) process left next to a file. */
export function leftBehind(file: string, pid: number): { claims: string[]; lock: boolean; tmp: string[] } {
  const claimDir = `${file}.claims`;
  const claims = fs.existsSync(claimDir)
    ? fs.readdirSync(claimDir).filter((f) => !f.includes(".owner-") && ownerPid(path.join(claimDir, f)) === pid)
    : [];
  const lock = ownerPid(`${file}.lock`) === pid;
  const dir = path.dirname(file);
  const tmp = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(`.tmp-${pid}`)) : [];
  return { claims, lock, tmp };
}

/** Every file under `dir` (relative paths), recursively. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile() ?? false)
    .sort();
}

/** Rows without their timing columns (`time`, `seconds`): what must equal an uninterrupted run's exactly. */
export function withoutTimes(rows: readonly Row[]): Row[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([c]) => c !== "time" && c !== "seconds")) as Row);
}

export interface StoreCheck {
  tasks: number;
  rows: number;
  /** expected rows missing from the store */
  lost: number;
  /** rows written more than once (task lines of a key beyond the first) */
  duplicated: number;
}

/**
 * Reads a store back (ResultStore.read must succeed, with duplicates 0) and compares it,
 * task by task, with the reference: same keys, same rows except timings, exactly.
 */
export function checkStore(file: string, reference: ReadonlyMap<string, Row[]>, what: string): StoreCheck {
  const store = ResultStore.read(file);
  const text = fs.readFileSync(file, "utf8");
  assert.ok(text.endsWith("\n"), `${what}: the store ends in a whole line`);
  const taskLines = text.split("\n").slice(1, -1);
  const lineKeys = taskLines.map((l) => (JSON.parse(l) as { key: string }).key);
  let lost = 0, duplicated = 0, rows = 0;
  for (const [key, expected] of reference) {
    const got = store.get(key);
    if (!got) { lost += expected.length; continue; }
    rows += got.length;
    const times = lineKeys.filter((k) => k === key).length;
    if (times > 1) duplicated += (times - 1) * got.length;
    assert.deepEqual(withoutTimes(got), withoutTimes(expected), `${what}: task ${key} differs from the uninterrupted run`);
  }
  const extra = store.keys().filter((k) => !reference.has(k));
  assert.deepEqual(extra, [], `${what}: tasks nobody asked for`);
  assert.equal(store.duplicates, 0, `${what}: ResultStore.read counted duplicates`);
  return { tasks: store.keys().length, rows, lost, duplicated };
}

/** A store's tasks as a map (the reference of a comparison). */
export function tasksOf(file: string): Map<string, Row[]> {
  const store = ResultStore.read(file);
  return new Map(store.keys().map((k) => [k, store.get(k)!]));
}

/** A figures line for the test output. */
export function report(title: string, figures: Record<string, number | string>): void {
  console.log(`[faults] ${title}: ${Object.entries(figures).map(([k, v]) => `${k} ${v}`).join(", ")}`);
}

export interface KillLoopOptions {
  kind: Kind;
  /** seeds the kill schedule (which unit to wait for, how long after it) */
  seed: number;
  minKills: number;
  /** the file whose progress is watched, for a cache folder (store or run file) */
  watched(cacheDir: string): string;
  /** finished units (tasks, epochs) in that file */
  progress(file: string): number;
  /** typical duration of one unit (ms), from the uninterrupted run: kills are spread over about one unit */
  unitMs: number;
  /** whether the process is inside a unit (holds a claim, or the run's lock) */
  inWork(file: string, pid: number): boolean;
  /** where a kill landed, from what the dead process left behind */
  classify(file: string, pid: number): string;
  /** checks a completed cache folder against the uninterrupted run (asserting), returning lost/duplicated rows */
  verify(cacheDir: string): { lost: number; duplicated: number };
  /** the loop's time budget */
  budgetMs: number;
}

export interface KillFigures {
  kills: number;
  /** kills by where they landed (classify's labels) */
  landed: Record<string, number>;
  rounds: number;
  spawns: number;
  lost: number;
  duplicated: number;
  /** files the killed processes left behind in completed folders (claims, locks, temporaries): harmless, counted */
  leftovers: number;
}

/** Claim, lock, stale and temporary files under a cache folder. */
export function leftoverFiles(dir: string): string[] {
  return filesUnder(dir).filter((f) => /\.claims\/|\.lock$|\.tmp-\d+$|\.stale-/.test(f));
}

/**
 * Runs the driver on a fresh cache folder, SIGKILLs it at a seeded point — once 0 or 1
 * more units are on disk and it is inside a unit (`inWork`), after a seeded delay of
 * up to ~1.2 units — and starts it again, until it completes on its own; then checks
 * the folder. Repeats with fresh folders until at least `minKills` kills have been
 * survived. The next driver is started (and waits, warm) while the current one works.
 */
export async function killLoop(scope: Scope, o: KillLoopOptions, tempDir: (prefix: string) => string): Promise<KillFigures> {
  const rng = new Random(o.seed);
  const figures: KillFigures = { kills: 0, landed: {}, rounds: 0, spawns: 0, lost: 0, duplicated: 0, leftovers: 0 };
  const deadline = Date.now() + o.budgetMs;
  while (figures.kills < o.minKills) {
    assert.ok(Date.now() < deadline, `${o.kind}: only ${figures.kills} of ${o.minKills} kills within ${o.budgetMs} ms`);
    figures.rounds++;
    const cacheDir = tempDir(`${o.kind}-kill`);
    try {
      await killRound(scope, o, rng, figures, cacheDir);
      const check = o.verify(cacheDir);
      figures.lost += check.lost;
      figures.duplicated += check.duplicated;
      figures.leftovers += leftoverFiles(cacheDir).length;
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  return figures;
}

/** One folder: kill, restart, … until a driver completes on its own. */
async function killRound(scope: Scope, o: KillLoopOptions, rng: Random, figures: KillFigures, cacheDir: string): Promise<void> {
  const start = () => {
    figures.spawns++;
    return scope.spawn(o.kind, cacheDir, ["--wait"]);
  };
  const file = o.watched(cacheDir);
  let next = start();
  for (;;) {
    const driver = next;
    assert.ok(await driver.waitForLine((l) => l === "warm"), `driver ${o.kind} ended before it was warm:\n${driver.stderr}`);
    driver.go();
    if (figures.kills >= o.minKills) {
      await driver.finished();
      return;
    }
    next = start();
    const extra = rng.nextInt(2);
    const delay = rng.nextFloat() * o.unitMs * 1.2;
    const target = o.progress(file) + extra;
    await until(() => o.progress(file) >= target && o.inWork(file, driver.pid), () => !driver.running);
    if (driver.running && delay > 0) await sleep(delay);
    const exit = driver.running ? await driver.kill() : await driver.exited;
    if (exit.signal !== "SIGKILL") {
      await next.kill(); // never started: it did not touch the folder
      await driver.finished(); // it completed before the kill
      return;
    }
    figures.kills++;
    const where = o.classify(file, driver.pid);
    figures.landed[where] = (figures.landed[where] ?? 0) + 1;
  }
}
