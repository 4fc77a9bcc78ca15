/**
 * Interactive figures in headless Chromium, on the page a notebook output and the offline HTML give them (the chart
 * HTML of show() after the plotly.js script tag, no network): moving the pruning explorer's level slider redraws its
 * bars and its mask, its variant dropdown switches the traces shown, and the scatter and CV explorers' dropdowns
 * restyle their data. No mode-bar button sends the chart to Plotly's cloud.
 */
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { chromium, type Browser, type Page } from "playwright-core";
import { findChromium } from "../../src/plot";
import { withPlatformDefaults, type PlotlyFigure } from "../../src/plot/figure";
import { plotlyScriptTag } from "../../src/plot/plotly-bundle";
import { chartHtml } from "../../src/plot/show";
import { CASES } from "./figure-cases";

let browser: Browser;
before(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), args: ["--no-sandbox", "--disable-gpu"] });
});
after(() => browser?.close());

/** Numbers equal to 1e-9 (the cases' data come from float arithmetic). */
function near(actual: unknown[], expected: number[], message?: string): void {
  assert.equal(actual.length, expected.length, message);
  actual.forEach((a, i) => assert.ok(Math.abs((a as number) - expected[i]) < 1e-9, `${message ?? ""} [${i}] ${a} ≠ ${expected[i]}`));
}

/**
 * The drawn state once `ready` holds for it: plotly moves a slider's label before the restyle of
 * that step has reached the traces, so a read right after the label can still see the old data.
 * Gives up after 10 s and returns the last state (the assertions then say what is wrong).
 */
async function drawnWhen(page: Page, ready: (state: Awaited<ReturnType<typeof drawn>>) => boolean): Promise<Awaited<ReturnType<typeof drawn>>> {
  const deadline = Date.now() + 10_000;
  let state = await drawn(page);
  while (!ready(state) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    state = await drawn(page);
  }
  return state;
}

const build = (builder: string, label?: string) => CASES.find((c) => c.builder === builder && (label === undefined || c.label === label))!.build();

/** A page holding the chart as show() outputs it, offline; resolves once plotly.js has drawn it. */
async function chartPage(figure: PlotlyFigure): Promise<Page> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8">${plotlyScriptTag()}</head><body>${chartHtml("chart", withPlatformDefaults(figure), undefined)}</body></html>`);
  await page.waitForSelector("#chart .main-svg");
  return page;
}

/** What is drawn: the bars' path geometry, the heatmap's image, the texts of annotations, axis titles and slider, the visible traces' data. */
type Drawn = {
  bars: string[]; heatmap: string | null; annotations: string[]; slider: string | null;
  visible: Array<{ name: string; x: unknown[]; y: unknown[] }>; cloudButtons: number; modebarButtons: number;
};
function drawn(page: Page): Promise<Drawn> {
  return page.evaluate((): Drawn => {
    const d = (globalThis as any).document;
    const gd = d.querySelector("#chart .js-plotly-plot");
    return {
      bars: [...d.querySelectorAll("#chart .barlayer .point path")].map((p: any) => p.getAttribute("d")),
      heatmap: d.querySelector("#chart .hm image")?.getAttribute("href") ?? null,
      annotations: [...d.querySelectorAll("#chart .annotation-text, #chart .xtitle, #chart .x2title, #chart .ytitle")].map((t: any) => t.textContent),
      slider: [...d.querySelectorAll("#chart .slider-container text.slider-label")].map((t: any) => t.textContent).find((t: string) => t.startsWith("pruning level")) ?? null,
      visible: gd._fullData.filter((t: any) => t.visible === true).map((t: any) => ({ name: t.name as string, x: Array.from(t.x ?? []) as unknown[], y: Array.from(t.y ?? []) as unknown[] })),
      cloudButtons: d.querySelectorAll('#chart .modebar-btn[data-title*="Chart Studio"], #chart .modebar-btn[data-title*="Cloud"]').length,
      modebarButtons: d.querySelectorAll("#chart .modebar-btn").length,
    };
  });
}

/** Click the slider's rail at step `index` of `count` (what a reader's click or drag does). */
async function moveSlider(page: Page, index: number, count: number): Promise<void> {
  const rail = await page.locator("#chart .slider-rail-touch-rect").boundingBox();
  assert.ok(rail, "the slider is drawn");
  const inset = 10; // plotly's rail starts and ends half a grip inside the touch rectangle
  const x = rail.x + inset + ((rail.width - 2 * inset) * index) / (count - 1);
  await page.mouse.click(x, rail.y + rail.height / 2);
}

/** Open dropdown `menu` (0-based, left to right) and pick the button labelled `label`. */
async function choose(page: Page, menu: number, label: string): Promise<void> {
  await page.locator("#chart .updatemenu-header-group").nth(menu).click();
  await page.locator("#chart .updatemenu-dropdown-button", { hasText: new RegExp(`^${label}$`) }).click();
}

test("pruning explorer: moving the level slider changes the drawn bars and mask; the variant dropdown switches traces", { timeout: 120_000 }, async () => {
  const page = await chartPage(build("pruningLevelExplorer", "two variants with weight masks"));
  const start = await drawn(page);
  assert.equal(start.slider, "pruning level: 50 %");
  assert.ok(start.annotations.includes("kind of pruning, 50 % of the weights pruned"), JSON.stringify(start.annotations));
  assert.ok(start.annotations.includes("GRU test accuracy") && start.annotations.includes("column (input) of GRU's layer 0, h2h"), JSON.stringify(start.annotations));
  assert.equal(start.bars.length, 6, "two bars per kind");
  assert.ok(start.heatmap?.startsWith("data:image/png"), "the mask is drawn");
  assert.equal(start.cloudButtons, 0, "no Chart Studio / cloud button");
  assert.ok(start.modebarButtons > 3, "the mode bar is there");

  await moveSlider(page, 2, 3); // 90 %
  await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll("#chart .slider-label")].some((t: any) => t.textContent === "pruning level: 90 %"));
  const prunedAt = (state: Awaited<ReturnType<typeof drawn>>, value: number) =>
    Math.abs(Number(state.visible.find((t) => t.name === "right after pruning")?.y?.[0]) - value) < 1e-9;
  const moved = await drawnWhen(page, (state) => prunedAt(state, 0.72));
  assert.ok(moved.annotations.includes("kind of pruning, 90 % of the weights pruned"));
  assert.notDeepEqual(moved.bars, start.bars, "the bars are redrawn for the new level");
  assert.notEqual(moved.heatmap, start.heatmap, "the mask is redrawn for the new level");
  const pruned = moved.visible.find((t) => t.name === "right after pruning")!;
  near(pruned.y, [0.72, 0.81, 0.9], "GRU at 90 %: 0.99 − drop × 0.9 per kind");

  await choose(page, 0, "LSTM");
  await page.waitForFunction(() => (globalThis as any).document.querySelector("#chart .js-plotly-plot")._fullData.some((t: any) => t.visible === true && t.hovertemplate?.startsWith("LSTM")));
  const lstm = await drawn(page);
  assert.ok(lstm.annotations.includes("LSTM test accuracy") && lstm.annotations.includes("column (input) of LSTM's layer 0, h2h"), JSON.stringify(lstm.annotations));
  assert.ok(lstm.annotations.includes("kind of pruning, 90 % of the weights pruned"), "the level stays");
  assert.equal(lstm.visible.length, 4, "LSTM's bars, base line and mask only");
  await moveSlider(page, 0, 3); // 10 %
  await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll("#chart .slider-label")].some((t: any) => t.textContent === "pruning level: 10 %"));
  const low = await drawnWhen(page, (state) => prunedAt(state, 0.96));
  near(low.visible.find((t) => t.name === "right after pruning")!.y, [0.96, 0.97, 0.98]);
  assert.notDeepEqual(low.bars, lstm.bars);
  await page.context().close();
});

test("property and CV explorers: each dropdown restyles the drawn data", { timeout: 120_000 }, async () => {
  const page = await chartPage(build("propertyScatterExplorer"));
  const first = await drawn(page);
  assert.deepEqual(first.visible.map((t) => t.name.replace(/R² [-\d.]+/, "R² …")), ["Barabási–Albert", "Watts–Strogatz", "least-squares fit, R² … (n = 6)"]);
  await choose(page, 0, "density");
  await page.waitForFunction(() => (globalThis as any).document.querySelector("#chart .xtitle")?.textContent === "density");
  const density = await drawn(page);
  near(density.visible[0].x, [0.1, 0.15, 0.2]);
  assert.notDeepEqual(density.visible[0].x, first.visible[0].x);
  await choose(page, 1, "LSTM");
  await page.waitForFunction(() => (globalThis as any).document.querySelector("#chart .ytitle")?.textContent === "LSTM test accuracy");
  near((await drawn(page)).visible[0].x, [0.1, 0.15, 0.2], "the property stays");
  await page.context().close();

  const cv = await chartPage(build("cvExplorer"));
  const all = await drawn(cv);
  assert.equal(all.visible.length, 4, "every regressor and the thesis's diamonds");
  await choose(cv, 1, "degree only");
  await cv.waitForFunction(() => [...(globalThis as any).document.querySelectorAll("#chart .annotation-text")].some((t: any) => t.textContent === "feature set: degree only"));
  const degree = await drawn(cv);
  near(degree.visible.find((t) => t.name === "Bayesian ridge")!.y, [0.3, 0.2]);
  assert.notDeepEqual(degree.bars, all.bars);
  await choose(cv, 0, "Random forest");
  await cv.waitForFunction(() => (globalThis as any).document.querySelector("#chart .js-plotly-plot")._fullData.filter((t: any) => t.visible === true).length === 2);
  assert.deepEqual((await drawn(cv)).visible.map((t) => t.name), ["Random forest", "Random forest (thesis, one split)"]);
  await cv.context().close();
});
