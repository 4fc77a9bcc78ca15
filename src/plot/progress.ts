/**
 * progress(total, label): a progress bar that updates in place in a notebook
 * (one display output, updated by its display id) and prints plain lines
 * elsewhere. Updates are throttled so a tight loop costs nothing.
 */
import { escapeHtml } from "./html";
import { inNotebook, stableOutput, tslab } from "./notebook";

export type Progress = { tick(n?: number, info?: string): void; done(): void };

const NOTEBOOK_INTERVAL_MS = 150;
const TEXT_INTERVAL_MS = 2000;

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

  const draw = () => {
    lastDrawn = Date.now();
    const seconds = finished && stableOutput() ? undefined : (lastDrawn - start) / 1000;
    const text = progressText(label, count, total, seconds, info, finished);
    if (display) display.html(progressHtml(count, total, text));
    else console.log(text);
  };
  draw();
  return {
    tick(n = 1, newInfo?: string) {
      if (finished) throw new Error(`progress "${label}": tick() after done()`);
      count += n;
      if (newInfo !== undefined) info = newInfo;
      if (Date.now() - lastDrawn >= interval) draw();
    },
    done() {
      if (finished) return;
      finished = true;
      draw();
    },
  };
}

/**
 * "label  37/100  37%  1.2 s  ETA 2.0 s  info" (ETA from the mean time per step so far);
 * `seconds` undefined leaves timings out.
 */
export function progressText(label: string, count: number, total: number, seconds: number | undefined, info: string, finished: boolean): string {
  const percent = total > 0 ? Math.min(100, Math.floor((100 * count) / total)) : 100;
  let state = finished ? "  done" : "";
  if (seconds !== undefined) {
    const eta = !finished && count > 0 && count < total ? `  ETA ${formatSeconds((seconds / count) * (total - count))}` : "";
    state = finished ? `  done in ${formatSeconds(seconds)}` : `  ${formatSeconds(seconds)}${eta}`;
  }
  return `${label}  ${count}/${total}  ${percent}%${state}${info ? `  ${info}` : ""}`;
}

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function progressHtml(count: number, total: number, text: string): string {
  const max = Math.max(total, 1);
  return `<div class="sparse-rnn-progress" style="font-family:monospace"><progress value="${Math.min(count, max)}" max="${max}" style="width:20em;vertical-align:middle"></progress> ${escapeHtml(text)}</div>`;
}
