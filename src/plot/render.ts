/**
 * Render a Plotly figure to SVG, PNG or vector PDF in the shared headless
 * browser. A page with plotly.js loaded stays open, so a render costs one
 * Plotly.toImage call (plus one print for PDF) — no start-up per figure.
 */
import type { BrowserContext, Page } from "playwright-core";
import { withBrowser } from "./browser";
import { figureSize, withPlatformDefaults, type PlotlyFigure } from "./figure";
import { plotlyBundle } from "./plotly-bundle";

export type ImageFormat = "svg" | "png" | "pdf";
export const IMAGE_FORMATS: readonly ImageFormat[] = ["svg", "png", "pdf"];

export type RenderOptions = {
  /** Pixel-density multiplier for PNG (e.g. 3 for print); default 1. */
  scale?: number;
};

type Pages = { plot: Page; print: Page };
const pagesByContext = new WeakMap<BrowserContext, Promise<Pages>>();

/** The figure as an image file's bytes. */
export async function renderFigure(figure: PlotlyFigure, format: ImageFormat, options: RenderOptions = {}): Promise<Buffer> {
  if (!IMAGE_FORMATS.includes(format)) throw new Error(`Unknown image format "${format}"; expected one of ${IMAGE_FORMATS.join(", ")}`);
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 10)) throw new Error(`options.scale must be in (0, 10], got ${scale}`);
  const fig = withPlatformDefaults(figure);
  return oneAtATime(() =>
    withBrowser(async (context) => {
      const pages = await pagesFor(context);
      if (format === "pdf") return printPdf(pages.print, await toImage(pages.plot, fig, "svg", 1), fig);
      const url = await toImage(pages.plot, fig, format, scale);
      return format === "png" ? Buffer.from(url.slice(url.indexOf(",") + 1), "base64") : Buffer.from(decodeSvg(url));
    }),
  );
}

/** Renders share two pages, so overlapping calls (e.g. Promise.all of exports) take turns. */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task, task);
  queue = result.catch(() => undefined);
  return result;
}

function pagesFor(context: BrowserContext): Promise<Pages> {
  let pages = pagesByContext.get(context);
  if (!pages) {
    pages = (async () => {
      const plot = await context.newPage();
      await plot.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
      await plot.addScriptTag({ content: plotlyBundle() });
      return { plot, print: await context.newPage() };
    })();
    pagesByContext.set(context, pages);
  }
  return pages;
}

async function toImage(page: Page, figure: PlotlyFigure, format: "svg" | "png", scale: number): Promise<string> {
  const { width, height } = figureSize(figure);
  return page.evaluate(
    ({ figure, options }) => (globalThis as any).Plotly.toImage(figure, options) as Promise<string>,
    { figure, options: { format, width, height, scale } },
  );
}

function decodeSvg(dataUrl: string): string {
  const comma = dataUrl.indexOf(",");
  const head = dataUrl.slice(0, comma);
  const body = dataUrl.slice(comma + 1);
  return head.endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body);
}

/** One PDF page the size of the figure, with the SVG inline so text and lines stay vectors. */
async function printPdf(page: Page, svgUrl: string, figure: PlotlyFigure): Promise<Buffer> {
  const { width, height } = figureSize(figure);
  await page.setContent(
    "<!doctype html><html><head><meta charset='utf-8'><style>" +
      `@page { size: ${width}px ${height}px; margin: 0 } html, body { margin: 0; padding: 0; overflow: hidden }` +
      " svg { display: block }</style></head><body>" +
      decodeSvg(svgUrl) +
      "</body></html>",
  );
  // The page in inches (CSS: 96 px per inch), so a 3.3 in figure is a 237.6 pt page; text stays text, with its font embedded.
  return page.pdf({ width: `${width / 96}in`, height: `${height / 96}in`, printBackground: true, pageRanges: "1", tagged: false });
}
