/**
 * Kill points that random kills almost never hit, placed by hand: a process killed
 * between creating its lock or claim file (O_EXCL) and writing its owner into it
 * leaves an empty file; a process killed but not yet reaped by its parent is a zombie
 * whose pid still answers kill(pid, 0). Neither may block a task or the store forever.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runSweep } from "../../src/experiments/sweep";
import { ResultStore } from "../../src/core/result-store";
import { shortHash } from "../../src/core/hash";
import { tryTake } from "../../src/core/lock";
import { SWEEP_CONFIG, faultData, storeFileOf, expectedKeys, tempDir } from "./setup";
import { Scope, report } from "./harness";

const WAIT_MS = 10_000;

test("a claim or lock file left empty (a kill between its creation and its first write) is taken over once it is old", async () => {
  const cacheDir = tempDir("sweep-empty-claim");
  const scope = new Scope();
  try {
    // the lock primitive itself: an empty lock file ten minutes old
    const lockFile = path.join(cacheDir, "some.lock");
    fs.writeFileSync(lockFile, "");
    const old = new Date(Date.now() - 600_000);
    fs.utimesSync(lockFile, old, old);
    const owner = tryTake(lockFile);
    // the store: every model done but one, whose claim file is empty and ten minutes old
    await runSweep({ ...SWEEP_CONFIG, graphs: 1 }, { cacheDir, data: faultData(), workers: 0 });
    const file = storeFileOf("sweep", cacheDir);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    fs.writeFileSync(file, lines.slice(0, -2).join("\n") + "\n");
    const missing = (JSON.parse(lines[lines.length - 2]) as { key: string }).key; // the line just removed
    assert.ok(expectedKeys("sweep").includes(missing));
    assert.equal(ResultStore.read(file).has(missing), false);
    fs.mkdirSync(`${file}.claims`, { recursive: true });
    const claimFile = path.join(`${file}.claims`, shortHash(missing));
    fs.writeFileSync(claimFile, "");
    fs.utimesSync(claimFile, old, old);
    const writer = scope.spawn("sweep", cacheDir);
    const exit = await Promise.race([writer.exited, new Promise((resolve) => setTimeout(resolve, WAIT_MS))]);
    const problems: string[] = [];
    if (owner) problems.push(`tryTake(${lockFile}) (empty, 10 min old) is refused: "held" by ${JSON.stringify(owner)} — forever`);
    if (!exit) problems.push(`the sweep still waits after ${WAIT_MS / 1000} s for the model ${missing}, whose claim file is empty and 10 min old`);
    else if ((exit as { code: number }).code !== 0) problems.push(`the sweep failed: ${writer.stderr}`);
    else assert.ok(ResultStore.read(file).has(missing));
    report("kill points", { "empty owner files taken over": 2 - problems.length, of: 2 });
    assert.deepEqual(problems, [], problems.join("\n"));
  } finally {
    await scope.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});


/** A process's start time (/proc/<pid>/stat field 22), as lock.ts records it. */
function startOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}
const stateOf = (pid: number): string | undefined => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
};

test("a claim whose owner was killed but not yet reaped by its parent (a zombie) is taken over", async () => {
  // A writer killed -9 stays a zombie until its parent waits for it: e.g. a parent that spawned it and then
  // runs runPruningProtocol synchronously (its event loop, which reaps children, is blocked) would wait
  // forever for the zombie's claim. Here the zombie's parent is `sleep`, which never waits.
  const dir = tempDir("zombie-claim");
  const parent = spawn("sh", ["-c", "sleep 0.01 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const pid = await new Promise<number>((resolve) => parent.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
    const deadline = Date.now() + 5000;
    while (stateOf(pid) !== "Z" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(stateOf(pid), "Z", `process ${pid} is a zombie`);
    const owner = { host: os.hostname(), pid, start: startOf(pid), since: new Date(Date.now() - 60_000).toISOString() };
    const lockFile = path.join(dir, "task.claim");
    fs.writeFileSync(lockFile, JSON.stringify(owner));
    const holder = tryTake(lockFile);
    const store = ResultStore.open(path.join(dir, "results.jsonl"), { identity: { zombie: 1 }, columns: ["v"] });
    fs.mkdirSync(path.join(dir, "results.jsonl.claims"));
    fs.writeFileSync(path.join(dir, "results.jsonl.claims", shortHash("t")), JSON.stringify(owner));
    const claim = store.claim("t");
    const problems: string[] = [];
    if (holder) problems.push(`tryTake: the zombie ${pid} (state Z) counts as a live owner`);
    if (!claim) problems.push(`ResultStore.claim: the task stays claimed by the zombie ${pid} (state Z)`);
    report("kill points, zombie owner", { "zombie claims taken over": 2 - problems.length, of: 2 });
    assert.deepEqual(problems, [], problems.join("\n"));
  } finally {
    parent.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
