/**
 * Live after a reload: in Jupyter Notebook (served on 127.0.0.1 with a token) and headless Chromium, a chart shown
 * after the browser tab was reloaded draws live although the kernel sent plotly.js to the page only once, before the
 * reload: the chart fetches plotly.js from the Jupyter server (the kernel spec's folder). No kernel restart.
 */
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { findChromium } from "../../src/plot";
import { freePort } from "../../src/experiments/queue/local";
import { ROOT, platformEnv } from "./run-notebook";

let browser: Browser;
before(async () => {
  browser = await chromium.launch({ executablePath: findChromium(platformEnv()), args: ["--no-sandbox", "--disable-gpu"] });
});
after(() => browser?.close());

/** Charts on the page: how many, how many drawn live, how many still static images. */
function charts(page: Page) {
  return page.evaluate(() => {
    const d = (globalThis as any).document;
    const all = [...d.querySelectorAll(".sparse-rnn-plot")];
    return {
      titles: all.map((c: any) => c.querySelector(".gtitle")?.textContent ?? c.querySelector("img")?.getAttribute("alt") ?? ""),
      live: all.filter((c: any) => c.querySelector(".main-svg")).length,
      images: all.filter((c: any) => c.querySelector("img")).length,
    };
  });
}

async function connected(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 60_000 });
}

test("a chart shown after the browser tab was reloaded draws live", { timeout: 300_000 }, async () => {
  const env = platformEnv();
  // a folder inside the checkout (out/ is git-ignored): tslab resolves the notebook's imports through node_modules above it
  fs.mkdirSync(path.join(ROOT, "out"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, "out", "reload-test-"));
  fs.copyFileSync(path.join(__dirname, "fixtures", "reload.ipynb"), path.join(dir, "reload.ipynb"));
  fs.symlinkSync(path.join(ROOT, "src"), path.join(dir, "src"));
  const port = await freePort();
  const token = randomBytes(12).toString("hex");
  const args = ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, `--NotebookApp.token=${token}`, "--NotebookApp.autosave_interval=0"];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const server: ChildProcess = spawn(env.SPARSE_RNN_PYTHON!, args, { cwd: dir, env, stdio: "ignore" });
  try {
    const page = await browser.newPage();
    const fetched: string[] = [];
    page.on("request", (request) => { if (/kernelspecs\/.*plotly/.test(request.url())) fetched.push(request.url()); });
    const url = `http://127.0.0.1:${port}/notebooks/reload.ipynb?token=${token}`;
    for (let i = 0; ; i++) {
      const response = await page.goto(url).catch(() => null);
      if (response?.ok()) break;
      if (i > 60) throw new Error("Jupyter Notebook did not come up within 30 s");
      await new Promise((r) => setTimeout(r, 500));
    }
    await connected(page);
    await page.evaluate(() => (globalThis as any).Jupyter.notebook.execute_cells([1, 2]));
    await page.waitForSelector(".sparse-rnn-plot .main-svg", { timeout: 120_000 });
    assert.deepEqual(await charts(page), { titles: ["Before the reload"], live: 1, images: 0 });
    assert.deepEqual(fetched, [], "before the reload, plotly.js came with the kernel's output");

    await page.reload();
    await connected(page);
    assert.equal(await page.evaluate(() => typeof (globalThis as any).Plotly), "undefined", "the reloaded page has no plotly.js");
    await page.evaluate(() => (globalThis as any).Jupyter.notebook.execute_cells([3]));
    await page.waitForSelector(".sparse-rnn-plot .main-svg", { timeout: 60_000 });
    assert.deepEqual(await charts(page), { titles: ["After the reload"], live: 1, images: 0 });
    assert.equal(fetched.length, 1, `plotly.js fetched once from the Jupyter server: ${fetched.join(", ")}`);
    assert.match(fetched[0], new RegExp(`^http://127\\.0\\.0\\.1:${port}/kernelspecs/tslab-sparse-rnn/sparse-rnn-plotly-[\\d.]+\\.js$`));
    await page.evaluate(() => (globalThis as any).Jupyter.notebook.kernel.kill());
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** SIGTERM (Jupyter shuts its kernels down), SIGKILL after 10 s. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
