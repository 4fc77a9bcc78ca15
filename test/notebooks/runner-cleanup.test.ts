/**
 * Killing the notebook runner leaves nothing behind: by SIGKILL, SIGTERM or SIGINT,
 * aimed at the runner itself or at the npm process above it (npm → sh → runner,
 * as `npm run main` runs it), no process of that run — the kernel, its headless
 * Chromium with all of Chromium's helpers, the browser watchdog — is left a few
 * seconds later. The fixture shows a figure (so the kernel starts Chromium) and
 * then blocks the kernel's event loop, like a long computation.
 *
 * A run's processes are found in /proc: descendants of the process the test
 * started, and anything carrying the run's unique marker in its environment
 * (Chromium's crash handlers are adopted by init). Whatever the outcome, the test
 * SIGKILLs what it tracked before it ends.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, platformEnv } from "./run-notebook";

const FIXTURE = path.join(__dirname, "fixtures", "figure-then-block.ipynb");
const RUNNER = path.join(ROOT, "environment", "run_notebooks.py");
const MARK_VAR = "SPARSE_RNN_CLEANUP_MARK";
const READY_TIMEOUT_MS = 180_000;
const GONE_WITHIN_MS = 8_000;

type Proc = { pid: number; ppid: number; pgid: number; state: string; start: string; name: string; cmdline: string };

function readProc(pid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const f = stat.slice(close + 2).split(" ");
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    return { pid, state: f[0], ppid: Number(f[1]), pgid: Number(f[2]), start: f[19], name: stat.slice(stat.indexOf("(") + 1, close), cmdline };
  } catch {
    return undefined; // gone
  }
}

function carriesMark(pid: number, mark: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`).includes(`${MARK_VAR}=${mark}`);
  } catch {
    return false;
  }
}

const allPids = () => fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);

/** The same process (pid and start time) as it is now, if still running (a zombie has ended). */
function current(p: Proc): Proc | undefined {
  const now = readProc(p.pid);
  return now !== undefined && now.start === p.start && now.state !== "Z" && now.state !== "X" ? now : undefined;
}

/**
 * Every process of one run, remembered by pid and start time as the run goes on, and
 * always described as it is now: a process first seen between fork and exec still
 * shows its parent's command line (the browser watchdog looked like a second tslab
 * kernel), so a remembered description would never match what it became.
 */
class RunProcesses {
  readonly seen = new Map<number, Proc>();
  constructor(readonly root: number, readonly mark: string) {}

  scan(): void {
    const procs = allPids().map(readProc).filter((p): p is Proc => p !== undefined);
    for (let changed = true; changed; ) {
      changed = false;
      for (const p of procs) {
        if (this.seen.get(p.pid)?.start === p.start) continue;
        const tracked = (pid: number) => this.seen.has(pid) && current(this.seen.get(pid)!) !== undefined;
        if (p.pid === this.root || tracked(p.ppid) || carriesMark(p.pid, this.mark)) {
          this.seen.set(p.pid, p);
          changed = true;
        }
      }
    }
  }

  alive(): Proc[] {
    this.scan();
    return [...this.seen.values()].map(current).filter((p): p is Proc => p !== undefined);
  }

  killAll(): void {
    for (const p of this.alive()) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
}

const describe = (procs: Proc[]) => procs.map((p) => `  ${p.pid} ${p.state} ${p.cmdline.slice(0, 120)}`).join("\n");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Start = (env: NodeJS.ProcessEnv, dir: string) => ChildProcess;

/** The runner itself. */
const runnerDirectly: Start = (env) => spawn(env.SPARSE_RNN_PYTHON!, [RUNNER, FIXTURE], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });

/** npm → sh → runner, the chain of `npm run main` (npm's sh outlives a SIGKILLed npm). */
const throughNpm: Start = (env, dir) => {
  const scripts = { cleanup: `"$SPARSE_RNN_PYTHON" "${RUNNER}" "${FIXTURE}"` };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "runner-cleanup", private: true, scripts }));
  return spawn("npm", ["run", "--silent", "cleanup"], { cwd: dir, env: { ...env, npm_config_update_notifier: "false" }, stdio: ["ignore", "pipe", "pipe"] });
};

async function killAndCheck(start: Start, signal: NodeJS.Signals): Promise<{ output: string; exit: { code: number | null; signal: NodeJS.Signals | null } }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-cleanup-"));
  const ready = path.join(dir, "ready");
  const mark = randomBytes(8).toString("hex");
  const env: NodeJS.ProcessEnv = { ...platformEnv(), [MARK_VAR]: mark, SPARSE_RNN_CLEANUP_READY: ready, NOTEBOOK_CELL_TIMEOUT: "900" };
  const child = start(env, dir);
  const run = new RunProcesses(child.pid!, mark);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, sig) => resolve({ code, signal: sig })));
  let ended = false;
  void exited.then(() => (ended = true));
  try {
    // up: the fixture wrote the kernel's pid, and the kernel has started Chromium and its watchdog
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      run.scan();
      const up = run.alive();
      const kernel = fs.existsSync(ready) ? Number(fs.readFileSync(ready, "utf8")) : 0;
      if (kernel && up.some((p) => p.pid === kernel) && up.some((p) => /chrom/.test(p.name)) && up.some((p) => /sparse-rnn-lab-browser-watchdog/.test(p.cmdline))) break;
      assert.ok(!ended, `the run ended before the kernel was up:\n${output}`);
      assert.ok(Date.now() < deadline, `kernel and browser not up within ${READY_TIMEOUT_MS / 1000} s; processes:\n${describe(up)}\n${output}`);
      await sleep(250);
    }
    const before = run.alive();
    process.kill(child.pid!, signal);
    const killed = Date.now();
    let left = before;
    while (Date.now() - killed < GONE_WITHIN_MS) {
      await sleep(250);
      left = run.alive();
      if (left.length === 0) break;
    }
    assert.deepEqual(left, [], `${left.length} of the run's ${before.length} processes still running ${GONE_WITHIN_MS / 1000} s after ${signal}:\n${describe(left)}\nthe run had:\n${describe(before)}\n${output}`);
    assert.ok(before.length >= 5, `expected runner, kernel, Chromium's processes and the watchdog, found:\n${describe(before)}`);
    return { output, exit: await exited };
  } finally {
    run.killAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const kernelSpec = JSON.parse(fs.readFileSync(path.join(ROOT, "environment", "kernel", "kernels", "tslab-sparse-rnn", "kernel.json"), "utf8"));

test("the kernel spec starts tslab through the launcher that ties the kernel's life to its parent", () => {
  assert.equal(kernelSpec.argv[1], "-c", "run `bash environment/install.sh` to regenerate environment/kernel/");
  assert.match(kernelSpec.argv[2], /prctl\(1, signal\.SIGKILL\)/);
});

const OPTIONS = { timeout: READY_TIMEOUT_MS + 60_000 };

test("SIGKILL of the runner: the kernel (PR_SET_PDEATHSIG) and its Chromium (watchdog) die with it", OPTIONS, async () => {
  const { exit } = await killAndCheck(runnerDirectly, "SIGKILL");
  assert.equal(exit.signal, "SIGKILL");
});

test("SIGTERM of the runner: it stops its kernel, then dies by SIGTERM", OPTIONS, async () => {
  const { output, exit } = await killAndCheck(runnerDirectly, "SIGTERM");
  assert.equal(exit.signal, "SIGTERM", output);
  assert.match(output, /run_notebooks\.py: got SIGTERM; stopping the kernel/);
});

test("SIGINT of the runner (Ctrl-C): it stops its kernel, then dies by SIGINT", OPTIONS, async () => {
  const { output, exit } = await killAndCheck(runnerDirectly, "SIGINT");
  assert.equal(exit.signal, "SIGINT", output);
  assert.match(output, /run_notebooks\.py: got SIGINT; stopping the kernel/);
});

test("SIGKILL of npm above the runner (npm → sh → runner): the runner notices and stops everything", OPTIONS, async () => {
  const { exit } = await killAndCheck(throughNpm, "SIGKILL");
  assert.equal(exit.signal, "SIGKILL");
});

test("SIGTERM of npm above the runner: nothing is left", OPTIONS, async () => {
  await killAndCheck(throughNpm, "SIGTERM");
});
