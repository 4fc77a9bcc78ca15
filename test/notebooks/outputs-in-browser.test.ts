/**
 * The tour notebook as a reader sees it, in headless Chromium:
 * live in Jupyter Notebook (served on 127.0.0.1 with a token), and as the
 * main job's offline HTML page with the network cut.
 */
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { findChromium } from "../../src/plot";
import { freePort } from "../../src/experiments/queue/local";
import { ROOT, platformEnv, runNotebooks } from "./run-notebook";

const TOUR = path.join(ROOT, "notebooks", "00-tour.ipynb");
let browser: Browser;
before(async () => {
  browser = await chromium.launch({ executablePath: findChromium(platformEnv()), args: ["--no-sandbox", "--disable-gpu"] });
});
after(() => browser?.close());

/** Counts of what the page's charts show once drawn. */
function chartState(page: Page) {
  return page.evaluate(() => {
    const d = (globalThis as any).document;
    return {
      charts: d.querySelectorAll(".sparse-rnn-plot").length,
      drawn: d.querySelectorAll(".sparse-rnn-plot .main-svg").length > 0,
      traces: d.querySelectorAll(".sparse-rnn-plot .scatterlayer .trace").length,
      fallbackImages: d.querySelectorAll(".sparse-rnn-plot img").length,
    };
  });
}

test("live in Jupyter Notebook: running the tour draws the chart, the table and the progress bar", { timeout: 300_000 }, async () => {
  const env = platformEnv();
  const port = await freePort();
  const token = randomBytes(12).toString("hex");
  const args = ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, `--NotebookApp.token=${token}`];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const server: ChildProcess = spawn(env.SPARSE_RNN_PYTHON!, args, { cwd: path.join(ROOT, "notebooks"), env, stdio: "ignore" });
  try {
    const page = await browser.newPage();
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const response = await page.goto(`${base}/notebooks/00-tour.ipynb?token=${token}`).catch(() => null);
      if (response?.ok()) break;
      if (i > 60) throw new Error("Jupyter Notebook did not come up within 30 s");
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 60_000 });
    await page.evaluate(() => (globalThis as any).Jupyter.notebook.execute_all_cells());
    await page.waitForFunction(() => /learning-curves\.pdf/.test((globalThis as any).document.body.innerText), null, { timeout: 120_000 });
    await page.waitForSelector(".sparse-rnn-plot .main-svg", { timeout: 30_000 });
    const state = await chartState(page);
    assert.deepEqual(state, { charts: 1, drawn: true, traces: 2, fallbackImages: 0 });
    assert.equal(await page.locator(".sparse-rnn-table tbody tr").count(), 4);
    assert.match(await page.locator(".sparse-rnn-progress").innerText(), /40\/40\s+100%\s+done/);
    assert.equal(await page.locator(".sparse-rnn-progress").count(), 1, "the bar updates one output in place");
    await page.evaluate(() => (globalThis as any).Jupyter.notebook.kernel.kill());
  } finally {
    await stopServer(server);
  }
});

/**
 * Jupyter shuts its kernels down and exits on SIGTERM. A server that ignores it (a
 * signal during start-up, seen under load) gets SIGKILL: a live child would keep
 * this test file, and so the whole suite, from ever ending.
 */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

test("the main job's offline HTML draws the chart with the network cut, and figures are exported", { timeout: 300_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-main-job-"));
  try {
    const { code, output } = await runNotebooks([TOUR], { args: ["--out", out] });
    assert.equal(code, 0, output);
    for (const stem of ["00-tour--validation-accuracy-toy-data", "00-tour--validation-accuracy-toy-data.paper"]) {
      for (const ext of ["svg", "png", "pdf"]) assert.ok(fs.existsSync(path.join(out, "figures", `${stem}.${ext}`)), `${stem}.${ext}`);
    }
    assert.ok(fs.readdirSync(path.join(out, "figures")).some((f) => /^00-tour--.*\.tex$/.test(f)), "the tour's tables are written beside its figures");
    assert.match(fs.readFileSync(path.join(out, "html", "00-tour.html"), "utf8"), /<title>00 · A tour of the notebook platform<\/title>/);
    const executed = fs.readFileSync(path.join(out, "notebooks", "00-tour.ipynb"), "utf8");
    assert.match(executed, /data:image\/png;base64,/, "the executed notebook carries the PNG fallback");
    assert.doesNotMatch(executed, /plotly\.js v\d/, "but not the plotly.js bundle");

    const context = await browser.newContext({ offline: true });
    const requests: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(`file://${path.join(out, "html", "00-tour.html")}`);
    await page.waitForSelector(".sparse-rnn-plot .main-svg", { timeout: 30_000 });
    // one live chart per figure the tour shows (its record section and its live run), none left as a fallback image
    const shown = (executed.match(/class=\\"sparse-rnn-plot\\"/g) ?? []).length;
    assert.ok(shown >= 5, `the executed tour shows ${shown} figures`);
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll(".sparse-rnn-plot .main-svg").length >= n, shown, { timeout: 60_000 });
    const state = await chartState(page);
    assert.equal(state.charts, shown, "a chart per shown figure");
    assert.equal(state.fallbackImages, 0, "no chart left as its PNG fallback");
    assert.ok(state.drawn && state.traces >= shown, `drawn with traces: ${JSON.stringify(state)}`);
    assert.deepEqual(requests.filter((u) => /plotly/i.test(u)), [], "plotly.js must come from the page itself");
    await context.close();
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
