/**
 * One headless Chromium (the system's, via playwright-core: downloading a
 * browser build fails on these machines), started on first use and reused.
 * Its profile lives in a temp folder named after our pid; it is removed when
 * the browser closes, and folders left by killed processes are swept at the
 * next start. Outside a notebook kernel the browser closes after a short idle
 * time so scripts and tests can exit; in a kernel it lives as long as the kernel.
 *
 * The browser never outlives its process, however that process ends:
 *  - normal exit (and a kernel's shutdown): playwright's exit handler kills it;
 *  - a signal (SIGINT, SIGTERM, SIGHUP, SIGKILL): playwright's signal handlers are
 *    off, so signals keep their default action — the process dies at once even
 *    in the middle of a long computation (with playwright's SIGTERM handler a
 *    kernel ignored SIGTERM; with its SIGINT handler a kernel interrupt exited
 *    the kernel) — and then Chromium exits because its DevTools pipe closes, and
 *    a watchdog process kills Chromium's process group when the pipe it reads
 *    from us closes. The profile folder is then swept at the next start.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, type BrowserContext } from "playwright-core";
import { inNotebook } from "./notebook";

const PROFILE_PREFIX = "sparse-rnn-lab-chromium-";
const IDLE_CLOSE_MS = 1500;
const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CANDIDATES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

/** The browser executable: $CHROMIUM_PATH, else $BROWSER_PATH, else the first Chromium/Chrome on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of ["CHROMIUM_PATH", "BROWSER_PATH"]) {
    const named = env[name];
    if (named) {
      if (!isExecutable(named)) throw new Error(`${name}=${named} is not an executable file`);
      return named;
    }
  }
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const name of CANDIDATES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new Error(
    `No Chromium found (looked for ${CANDIDATES.join(", ")} on PATH). ` +
      "Run `make install` (installs Debian's chromium) or set CHROMIUM_PATH=/path/to/chromium.",
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

type Session = { context: BrowserContext; profileDir: string; watchdog?: ChildProcess };
let session: Promise<Session> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let busy = 0;

/**
 * Run `task` with the shared browser context. Calls may overlap; the browser
 * stays open until IDLE_CLOSE_MS after the last one ends (outside kernels).
 */
export async function withBrowser<T>(task: (context: BrowserContext) => Promise<T>): Promise<T> {
  if (idleTimer) clearTimeout(idleTimer);
  busy++;
  try {
    session ??= launch();
    return await task((await session).context);
  } finally {
    busy--;
    if (busy === 0 && !inNotebook()) idleTimer = setTimeout(() => void closeBrowser(), IDLE_CLOSE_MS);
  }
}

/** Close the shared browser now (it restarts on next use). */
export async function closeBrowser(): Promise<void> {
  const current = session;
  session = undefined;
  if (!current) return;
  const { context, profileDir, watchdog } = await current.catch((): Partial<Session> => ({}));
  await context?.close().catch(() => undefined);
  watchdog?.stdin?.end("close\n");
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true, maxRetries: 3 });
}

async function launch(): Promise<Session> {
  const executablePath = findChromium();
  sweepStaleProfiles();
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: LAUNCH_ARGS,
      offline: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    // playwright's own exit handler (registered during launch, so it runs first) kills the browser; then this removes its profile.
    process.once("exit", () => fs.rmSync(profileDir, { recursive: true, force: true, maxRetries: 3 }));
    const group = browserProcessGroup(profileDir);
    return { context, profileDir, watchdog: group === undefined ? undefined : startWatchdog(group) };
  } catch (error) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    session = undefined;
    throw new Error(`Could not start the browser ${executablePath}: ${(error as Error).message.split("\n")[0]}`);
  }
}

/**
 * Chromium's process group (playwright starts the browser as the leader of a new
 * group): our child whose command line names the profile folder. Linux (/proc) only.
 */
function browserProcessGroup(profileDir: string): number | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const [ppid, group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(1, 3).map(Number);
      if (ppid !== process.pid || group !== Number(pid)) continue;
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`--user-data-dir=${profileDir}`)) return group;
    } catch {
      // the process is gone
    }
  }
  return undefined;
}

/**
 * A detached `sh` that waits on a pipe from this process and kills Chromium's
 * process group when the pipe ends without a "close" line: when this process
 * died, even by SIGKILL (a kernel dies that way with its notebook runner).
 */
function startWatchdog(group: number): ChildProcess | undefined {
  try {
    const script = 'read -r line; [ "$line" = close ] || kill -KILL "-$1" 2>/dev/null';
    const watchdog = spawn("/bin/sh", ["-c", script, "sparse-rnn-lab-browser-watchdog", String(group)], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
    watchdog.on("error", () => undefined);
    watchdog.stdin?.on("error", () => undefined);
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.(); // the pipe must not keep scripts alive
    return watchdog;
  } catch {
    return undefined; // no /bin/sh: Chromium still exits when its DevTools pipe closes
  }
}

/** Remove profile folders whose owning process is gone. */
function sweepStaleProfiles(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(PROFILE_PREFIX)) continue;
    const pid = Number(name.slice(PROFILE_PREFIX.length).split("-")[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
