/**
 * A queue on this machine, for tests, benchmarks and demos: a private redis-server on
 * 127.0.0.1 (a free port, a temporary folder, no persistence unless asked) and worker
 * processes started through the `sparse-rnn-lab` bin. Nothing is left behind: workers
 * run with --exit-with-parent, and each redis-server has a small watchdog that kills it
 * when the process that started it is gone (even after a SIGKILL); `stop()` removes its folder.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../core/paths";

const BIN = path.join(REPO_ROOT, "bin", "sparse-rnn-lab.js");

/** redis-server on PATH (or REDIS_SERVER), else undefined. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.REDIS_SERVER) return fs.existsSync(env.REDIS_SERVER) ? env.REDIS_SERVER : undefined;
  for (const dir of (env.PATH ?? "").split(path.delimiter).concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"])) {
    const file = path.join(dir, "redis-server");
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A TCP port that is free on 127.0.0.1 now (the OS picks it): for a local redis-server, or a test's Jupyter server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    });
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Kill `pid` with SIGKILL when this process is gone (a detached sh loop; it ends with either). */
function watchdog(pid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; kill -9 ${pid} 2>/dev/null`;
  const dog = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  dog.unref();
}

export interface LocalRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** SIGKILL the server (no clean shutdown) and wait for it to exit */
  kill(): Promise<void>;
  /** start it again on the same port and folder (with an append-only file, its data comes back) */
  restart(): Promise<void>;
  /** kill it and remove its folder */
  stop(): Promise<void>;
}

export interface LocalRedisOptions {
  /** the redis-server binary; default: findRedisServer() */
  binary?: string;
  /** append-only file (appendfsync everysec), for restart tests; default off, no persistence at all */
  appendOnly?: boolean;
  /** requirepass; the URL then carries it */
  password?: string;
  /** ms to wait for "Ready to accept connections"; default 20 s */
  timeoutMs?: number;
}

/** Start a private redis-server bound to 127.0.0.1 on a free port. */
export async function startRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const binary = options.binary ?? findRedisServer();
  if (!binary) throw new Error("redis-server not found: install it (Debian: apt-get install redis-server; bash environment/install.sh does) or set REDIS_SERVER");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-redis-"));
  let port = 0;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const args = [
      "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "no", "--logfile", "",
      "--save", "", "--appendonly", options.appendOnly ? "yes" : "no", "--appendfsync", "everysec",
      "--protected-mode", "yes", "--maxmemory-policy", "noeviction",
      ...(options.password ? ["--requirepass", options.password] : []),
    ];
    const c = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    track(c);
    let output = "";
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), options.timeoutMs ?? 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      c.stdout!.on("data", onData);
      c.stderr!.on("data", onData);
      c.once("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      c.kill("SIGKILL");
      await exited(c);
      throw new Error(`redis-server on 127.0.0.1:${port} did not start:\n${output.trim().split("\n").slice(-5).join("\n")}`);
    }
    c.stdout!.resume();
    c.stderr!.resume();
    watchdog(c.pid!);
    child = c;
  };
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 5 || !/in use|bind/i.test((error as Error).message)) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : "";
  const kill = async (): Promise<void> => {
    if (!child) return;
    child.kill("SIGKILL");
    await exited(child);
  };
  return {
    url: `redis://${auth}127.0.0.1:${port}/0`,
    port,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerProcess {
  readonly pid: number;
  /** every line the worker printed so far (stdout and stderr) */
  readonly lines: string[];
  /** the first line (already printed or to come) matching `pattern` */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: Promise<void>;
}

export interface WorkerProcessOptions {
  concurrency?: number;
  queueName?: string;
  lockDuration?: number;
  stalledInterval?: number;
  /** more command-line arguments */
  args?: string[];
  /** ms to wait for the worker's "ready" line; default 60 s */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** print the worker's lines here too */
  echo?: (line: string) => void;
}

/** Start `sparse-rnn-lab worker` as a child process; resolves once it is ready. */
export async function startWorkerProcess(url: string, options: WorkerProcessOptions = {}): Promise<WorkerProcess> {
  const args = [BIN, "worker", "--queue", url, "--exit-with-parent", "--concurrency", String(options.concurrency ?? 1)];
  if (options.queueName) args.push("--queue-name", options.queueName);
  if (options.lockDuration) args.push("--lock-duration", String(options.lockDuration));
  if (options.stalledInterval) args.push("--stalled-interval", String(options.stalledInterval));
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...options.env } });
  track(child);
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve(line: string): void }>();
  let partial = { out: "", err: "" };
  const feed = (which: "out" | "err") => (chunk: Buffer) => {
    const text = partial[which] + chunk.toString();
    const parts = text.split("\n");
    partial = { ...partial, [which]: parts.pop()! };
    for (const line of parts) {
      lines.push(line);
      options.echo?.(line);
      for (const w of [...waiters]) if (w.pattern.test(line)) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on("data", feed("out"));
  child.stderr!.on("data", feed("err"));
  const done = exited(child);
  const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<string> => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { pattern, resolve: (line: string) => { clearTimeout(timer); resolve(line); } };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`worker ${child.pid}: no line matching ${pattern} within ${timeoutMs} ms; its output:\n${lines.slice(-20).join("\n")}`));
      }, timeoutMs);
      waiters.add(waiter);
      void done.then(() => setTimeout(() => {
        if (!waiters.has(waiter)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`worker ${child.pid} exited (code ${child.exitCode}, signal ${child.signalCode}) before printing a line matching ${pattern}; its output:\n${lines.slice(-20).join("\n")}`));
      }, 50));
    });
  };
  const kill = async (signal: NodeJS.Signals = "SIGKILL"): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await done;
  };
  try {
    await waitFor(/\] ready: /, options.timeoutMs ?? 60_000);
  } catch (error) {
    await kill();
    throw error;
  }
  return { pid: child.pid!, lines, waitFor, kill, exited: done };
}

/** Whether a process is still there (for leak checks). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

