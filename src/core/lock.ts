/**
 * Exclusive files that say who holds them: a lock or a claim is a small JSON file
 * created with O_EXCL (`wx`), holding the owner's host, pid and process start time.
 * An owner on this host whose process is gone (or whose pid now belongs to a process
 * started at another time) is stale, and its file may be taken over. Owners on other
 * hosts are taken to be alive: their files are removed by hand (the error says so).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { parseJson } from "./json";

export interface Owner {
  host: string;
  pid: number;
  /** the process's start time in clock ticks since boot (/proc/<pid>/stat field 22), when known */
  start?: number;
  /** ISO time the file was taken */
  since: string;
}

function processStart(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** This process as an owner. */
export function currentOwner(): Owner {
  return { host: os.hostname(), pid: process.pid, start: processStart(process.pid), since: new Date().toISOString() };
}

/** Whether the owner may still be running (always true for another host). */
export function ownerAlive(owner: Owner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  // a killed process its parent has not reaped yet (a zombie) still answers kill(pid, 0)
  if (["Z", "X"].includes(processState(owner.pid) ?? "")) return false;
  const start = processStart(owner.pid);
  return owner.start === undefined || start === undefined || start === owner.start;
}

function processState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

export function describeOwner(owner: Owner): string {
  return `process ${owner.pid} on ${owner.host} (since ${owner.since})`;
}

/** The owner recorded in `file`, or undefined when it is gone; a file that is not an owner record is an error. */
export function readOwner(file: string): Owner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  // Owner files are linked into place whole (tryTake), so an empty one comes from an older
  // version killed between creating and writing it: nobody owns it.
  if (text === "") return { host: os.hostname(), pid: 0, start: -1, since: "(empty file)" };
  const owner = parseJson(text, `lock file ${file}`) as Owner;
  if (typeof owner?.pid !== "number" || typeof owner.host !== "string") throw new Error(`lock file ${file}: not a lock (no host and pid); remove it by hand`);
  return owner;
}

/**
 * Create `file` for this process unless a live owner holds it; a stale file is taken
 * over. Returns undefined on success, else the live owner.
 */
export function tryTake(file: string): Owner | undefined {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (linkOwnerFile(file)) return undefined;
    const owner = readOwner(file);
    if (!owner) continue; // released meanwhile
    if (owner.pid !== 0 && ownerAlive(owner)) return owner;
    breakStale(file, owner);
  }
  throw new Error(`${file}: could not take it after 5 attempts (other processes keep taking it)`);
}

/**
 * Create `file` holding this process as owner, content and all in one step: the owner is
 * written to a private temporary file that is then hard-linked to `file` (link fails with
 * EEXIST when `file` exists), so no other process ever sees it empty.
 */
function linkOwnerFile(file: string): boolean {
  const tmp = `${file}.owner-${process.pid}-${Date.now()}`;
  fs.writeFileSync(tmp, JSON.stringify(currentOwner()));
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Move a stale owner's file aside (rename is atomic: of two processes breaking the
 * same stale file only one succeeds), then check that what was moved is that stale
 * owner's; if another process had meanwhile taken the file afresh, put it back.
 */
function breakStale(file: string, stale: Owner): void {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = readOwner(aside);
  if (moved && (moved.pid !== stale.pid || moved.since !== stale.since)) {
    try {
      fs.linkSync(aside, file);
    } catch {
      /* the file was taken again meanwhile: the moved owner loses its file, and notices on release */
    }
  }
  fs.rmSync(aside, { force: true });
}

/** Remove `file` if this process holds it. */
export function release(file: string): void {
  const owner = readOwner(file);
  if (owner && owner.pid === process.pid && owner.host === os.hostname()) fs.rmSync(file, { force: true });
}

/**
 * Hold `file` while `work` runs, waiting up to `waitMs` for a live owner to release it
 * (for short critical sections such as an append). Throws naming the owner after that.
 */
export function withLock<T>(file: string, what: string, work: () => T, waitMs = 30_000): T {
  const deadline = Date.now() + waitMs;
  let owner = tryTake(file);
  while (owner) {
    if (Date.now() > deadline) throw new Error(`${what}: locked by ${describeOwner(owner)} for more than ${waitMs / 1000} s (${file}); if that process is gone from another host, remove the file`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    owner = tryTake(file);
  }
  try {
    return work();
  } finally {
    release(file);
  }
}
