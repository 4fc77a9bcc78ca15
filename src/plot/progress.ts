/**
 * progress(total, label): a progress bar that updates in place in a notebook
 * (one display output, updated by its display id) and prints plain lines
 * elsewhere. Updates are throttled so a tight loop costs nothing.
 *
 * A bar that never reaches done() does not stay at its last count: it ends
 * "interrupted" (`label  37/100  37%  interrupted`)
 *  - in a notebook, when the cell that made it throws, fails to compile or is
 *    interrupted (the kernel's preload, environment/tslab-preload.js, reports
 *    the end of each cell). A bar made in a cell that ends normally while its
 *    work goes on in the background is left running;
 *  - in a script, when the process exits with a non-zero code (an uncaught
 *    exception, process.exit(1)). A script killed by a signal prints nothing more;
 *  - wherever you call bar.fail() (e.g. in a catch block; fail("stopped early")
 *    shows your own word).
 * After fail(), tick() and done() change nothing: work that an interrupted
 * cell left running in the background no longer moves the bar.
 */
import { escapeHtml } from "./html";
import { inNotebook, stableOutput, tslab } from "./notebook";

export type Progress = {
  tick(n?: number, info?: string): void;
  done(): void;
  /** End the bar unfinished, showing `reason` (default "interrupted") instead of a count that never moves again. */
  fail(reason?: string): void;
};

const NOTEBOOK_INTERVAL_MS = 150;
const TEXT_INTERVAL_MS = 2000;

/** The cell numbering and end-of-cell listeners the kernel's preload provides (none outside a kernel). */
type KernelCells = { current: number; onEnd: Set<(cell: number, ok: boolean) => void> };
function kernelCells(): KernelCells | undefined {
  return (globalThis as unknown as Record<symbol, KernelCells | undefined>)[Symbol.for("sparse-rnn-lab.kernel.cells")];
}

/** Bars not yet done or failed, kept on globalThis so re-importing src/ after an edit keeps one listener. */
type OpenBar = { cell: number | undefined; fail(reason?: string): void };
type OpenBars = { bars: Set<OpenBar>; listening: boolean };
function openBars(): OpenBars {
  const g = globalThis as unknown as Record<symbol, OpenBars>;
  const key = Symbol.for("sparse-rnn-lab.plot.progress");
  g[key] ??= { bars: new Set(), listening: false };
  return g[key];
}

/** Mark the open bars of a failed cell (notebook) or of a failing process (script) interrupted. */
function listenForFailures(open: OpenBars, cells: KernelCells | undefined): void {
  if (open.listening) return;
  open.listening = true;
  if (cells) {
    cells.onEnd.add((cell, ok) => {
      if (!ok) for (const bar of [...open.bars]) if (bar.cell === cell) bar.fail();
    });
  } else {
    process.once("exit", (code) => {
      if (code !== 0) for (const bar of [...open.bars]) bar.fail();
    });
  }
}

export function progress(total: number, label = "progress"): Progress {
  if (!(Number.isFinite(total) && total >= 0)) throw new Error(`progress: total must be a finite number >= 0, got ${total}`);
  const start = Date.now();
  const notebook = inNotebook();
  const display = notebook ? tslab().newDisplay() : undefined;
  const interval = notebook ? NOTEBOOK_INTERVAL_MS : TEXT_INTERVAL_MS;
  let count = 0;
  let info = "";
  let lastDrawn = -Infinity;
  let finished = false;
  let failure: string | undefined;

  const draw = () => {
    lastDrawn = Date.now();
    // committed notebooks must regenerate identically: a finished bar shows neither its time nor its last
    // message (which names the last model trained, or "cached" when a rerun read everything back)
    const stable = (finished || failure !== undefined) && stableOutput();
    const seconds = stable ? undefined : (lastDrawn - start) / 1000;
    const text = progressText(label, count, total, seconds, stable && failure === undefined ? "" : info, finished, failure);
    if (display) display.html(progressHtml(count, total, text));
    else console.log(text);
  };
  const open = openBars();
  const cells = notebook ? kernelCells() : undefined;
  const entry: OpenBar = { cell: cells?.current, fail: (reason) => bar.fail(reason) };
  const bar: Progress = {
    tick(n = 1, newInfo?: string) {
      if (failure !== undefined) return;
      if (finished) throw new Error(`progress "${label}": tick() after done()`);
      count += n;
      if (newInfo !== undefined) info = newInfo;
      if (Date.now() - lastDrawn >= interval) draw();
    },
    done() {
      if (finished || failure !== undefined) return;
      finished = true;
      open.bars.delete(entry);
      draw();
    },
    fail(reason = "interrupted") {
      if (finished || failure !== undefined) return;
      failure = reason;
      open.bars.delete(entry);
      draw();
    },
  };
  draw();
  open.bars.add(entry);
  listenForFailures(open, cells);
  return bar;
}

/**
 * "label  37/100  37%  1.2 s  ETA 2.0 s  info" (ETA from the mean time per step so far);
 * `seconds` undefined leaves timings out; a `failure` ("interrupted") replaces time and ETA:
 * "label  37/100  37%  interrupted after 1.2 s  info".
 */
export function progressText(label: string, count: number, total: number, seconds: number | undefined, info: string, finished: boolean, failure?: string): string {
  const percent = total > 0 ? Math.min(100, Math.floor((100 * count) / total)) : 100;
  let state = finished ? "  done" : "";
  if (seconds !== undefined) {
    const eta = !finished && count > 0 && count < total ? `  ETA ${formatSeconds((seconds / count) * (total - count))}` : "";
    state = finished ? `  done in ${formatSeconds(seconds)}` : `  ${formatSeconds(seconds)}${eta}`;
  }
  if (failure !== undefined) state = seconds === undefined ? `  ${failure}` : `  ${failure} after ${formatSeconds(seconds)}`;
  return `${label}  ${count}/${total}  ${percent}%${state}${info ? `  ${info}` : ""}`;
}

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function progressHtml(count: number, total: number, text: string): string {
  const max = Math.max(total, 1);
  return `<div class="sparse-rnn-progress" style="font-family:monospace"><progress value="${Math.min(count, max)}" max="${max}" style="width:20em;vertical-align:middle"></progress> ${escapeHtml(text)}</div>`;
}
