/**
 * show(figure): draw a Plotly figure in the notebook.
 *
 * One text/html output carries three things (tslab's public display API sends
 * one MIME type per output, so the fallback must live inside the HTML):
 *  - a PNG <img> rendered by headless Chromium now: what GitHub, nbviewer and
 *    untrusted notebooks show (sanitizers drop scripts and SVG, keep PNG);
 *  - the figure as JSON;
 *  - a script that waits until both its div is in the page (Notebook 6 may run
 *    output scripts before inserting the output) and window.Plotly exists, then
 *    draws the live chart over the image and removes the image.
 * plotly.js itself is sent once per kernel in a separate output that is
 * blanked right after the page ran it (update by display id), so saved
 * notebooks never contain the 4.8 MB bundle; offline HTML pages get it once
 * in their <head> (environment/run_notebooks.py). A page without
 * window.Plotly after all (the browser tab was reloaded since the kernel sent
 * it, or a saved notebook was opened) fetches it from the Jupyter server: the
 * kernel keeps a copy in its kernel spec's folder, which Jupyter serves at
 * <base_url>kernelspecs/tslab-sparse-rnn/ (see ensurePlotlyResource).
 *
 * When SPARSE_RNN_FIGURES_DIR is set (the main job), every shown figure is also
 * exported there as <notebook>--<title slug>.{svg,png,pdf} and, in the paper
 * template, <notebook>--<title slug>.paper.{svg,png,pdf} (see naming.ts).
 */
import { textDigest } from "../core/hash";
import * as path from "path";
import { exportFigure } from "./export";
import { figureSize, figureTitle, withPlatformDefaults, type PlotlyFigure } from "./figure";
import { escapeHtml, scriptJson } from "./html";
import { outputName } from "./naming";
import { inNotebook, tslab } from "./notebook";
import { KERNEL_SPEC_NAME, ensurePlotlyResource, plotlyResourceName, plotlyScriptTag } from "./plotly-bundle";
import { renderFigure } from "./render";

/** Kernel-wide state, kept on globalThis so it survives re-importing src/ after an edit. */
type ShowState = { shown: number; bundleSent: boolean; warnedNoPng: boolean };
const STATE_KEY = Symbol.for("sparse-rnn-lab.plot.show");
function state(): ShowState {
  const g = globalThis as unknown as Record<symbol, ShowState>;
  g[STATE_KEY] ??= { shown: 0, bundleSent: false, warnedNoPng: false };
  return g[STATE_KEY];
}

/** How long a chart script waits for its div and for plotly.js before keeping the image. */
const DRAW_WAIT_MS = 60_000;
/** How long a chart script waits for the kernel's plotly.js output before fetching plotly.js from the Jupyter server. */
const FETCH_AFTER_MS = 500;
/** Figures narrower than this get a PNG fallback at twice the pixel density (paper-sized figures stay sharp). */
const SMALL_FIGURE_PX = 500;

export async function show(figure: PlotlyFigure): Promise<void> {
  const fig = withPlatformDefaults(figure);
  const s = state();
  s.shown++;
  const figuresDir = process.env.SPARSE_RNN_FIGURES_DIR;
  if (figuresDir) {
    const name = outputName("figure", process.env.SPARSE_RNN_NOTEBOOK || "figure", figureTitle(fig));
    await exportFigure(fig, path.join(figuresDir, name));
    await exportFigure(fig, path.join(figuresDir, `${name}.paper`), { template: "paper" });
  }
  if (!inNotebook()) {
    if (!figuresDir) console.log(`show(): not in a notebook, figure "${figureTitle(fig)}" not drawn (use exportFigure to save it)`);
    return;
  }
  if (!s.bundleSent) {
    ensurePlotlyResource(); // for pages that lose window.Plotly later (see chartHtml)
    const loader = tslab().newDisplay();
    loader.html(plotlyScriptTag());
    loader.html(""); // the page has run the bundle; keep it out of the saved notebook
    s.bundleSent = true;
  }
  const id = `sparse-rnn-plot-${s.shown}-${textDigest(JSON.stringify(fig), "sha1").slice(0, 10)}`;
  tslab().display.html(chartHtml(id, fig, await fallbackPng(fig, s)));
}

async function fallbackPng(fig: PlotlyFigure, s: ShowState): Promise<Buffer | undefined> {
  try {
    return await renderFigure(fig, "png", { scale: figureSize(fig).width < SMALL_FIGURE_PX ? 2 : 1 });
  } catch (error) {
    if (!s.warnedNoPng) console.error(`show(): no static PNG fallback (${(error as Error).message}); the live chart still draws.`);
    s.warnedNoPng = true;
    return undefined;
  }
}

/** The output HTML: static image first, then the script that swaps in the live chart. */
export function chartHtml(id: string, fig: PlotlyFigure, png: Buffer | undefined): string {
  const { width, height } = figureSize(fig);
  const title = figureTitle(fig) || "chart";
  const image = png
    ? `<img src="data:image/png;base64,${png.toString("base64")}" width="${width}" height="${height}" ` +
      `alt="${escapeHtml(title)}" style="max-width:100%;height:auto">`
    : "";
  return `<div id="${id}" class="sparse-rnn-plot" style="position:relative;max-width:100%">${image}</div>
<script type="text/javascript">
(function () {
  var id = ${scriptJson(id)}, figure = ${scriptJson(fig)}, started = Date.now(), deadline = started + ${DRAW_WAIT_MS};
  // Jupyter pages (Notebook 6: body[data-base-url]; JupyterLab, Notebook 7: #jupyter-config-data) serve plotly.js
  // from the kernel spec's folder: fetched once per page when the kernel's copy is gone (the tab was reloaded).
  function fetchPlotly() {
    if (window.Plotly || window.__sparseRnnPlotlyRequested) return;
    var base = document.body && document.body.getAttribute("data-base-url"), config = document.getElementById("jupyter-config-data");
    if (base === null && config) { try { base = JSON.parse(config.textContent).baseUrl; } catch (e) { base = null; } }
    if (typeof base !== "string") return;
    window.__sparseRnnPlotlyRequested = true;
    var script = document.createElement("script");
    script.src = base.replace(/\\/?$/, "/") + "kernelspecs/" + ${scriptJson(KERNEL_SPEC_NAME)} + "/" + ${scriptJson(plotlyResourceName())};
    document.head.appendChild(script);
  }
  function draw() {
    var host = document.getElementById(id), Plotly = window.Plotly;
    if (!host || !host.isConnected || !Plotly) {
      if (host && !Plotly && Date.now() - started > ${FETCH_AFTER_MS}) fetchPlotly();
      if (Date.now() < deadline) setTimeout(draw, 50);
      return;
    }
    var image = host.querySelector("img"), chart = document.createElement("div");
    if (image) chart.style.cssText = "position:absolute;top:0;left:0";
    host.appendChild(chart);
    Plotly.newPlot(chart, figure.data, figure.layout, figure.config).then(function () {
      if (image) { host.removeChild(image); chart.style.cssText = ""; }
    });
  }
  draw();
})();
</script>`;
}
