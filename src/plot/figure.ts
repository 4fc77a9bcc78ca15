/**
 * The figure type every chart builder returns, and the platform's defaults
 * applied before a figure is drawn or exported (font, size).
 */

/** A Plotly figure as Plotly.newPlot takes it. */
export type PlotlyFigure = { data: any[]; layout?: any; config?: any };

/** Only DejaVu fonts are guaranteed on the machines that render figures. */
export const FONT_FAMILY = "DejaVu Sans, sans-serif";
export const DEFAULT_WIDTH = 720;
export const DEFAULT_HEIGHT = 450;

/** The figure with the platform font and an explicit pixel size (the figure's own settings win). */
export function withPlatformDefaults(figure: PlotlyFigure): PlotlyFigure {
  if (!figure || !Array.isArray(figure.data)) {
    throw new Error(`Expected a Plotly figure { data: [...], layout?, config? }, got ${describe(figure)}`);
  }
  const layout = figure.layout ?? {};
  return {
    data: figure.data,
    layout: {
      ...layout,
      width: layout.width ?? DEFAULT_WIDTH,
      height: layout.height ?? DEFAULT_HEIGHT,
      font: { family: FONT_FAMILY, ...layout.font },
    },
    config: { displaylogo: false, ...figure.config },
  };
}

/** Pixel size of a figure that went through withPlatformDefaults. */
export function figureSize(figure: PlotlyFigure): { width: number; height: number } {
  const { width, height } = figure.layout ?? {};
  if (!(width > 0 && height > 0)) throw new Error(`Figure has no positive layout.width/height (${width}×${height})`);
  return { width, height };
}

/** The figure's title text, if any (for alt text and messages). */
export function figureTitle(figure: PlotlyFigure): string {
  const title = figure.layout?.title;
  const text = typeof title === "string" ? title : title?.text;
  return typeof text === "string" ? text.replace(/<[^>]*>/g, "") : "";
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  return `an object with keys [${Object.keys(value).join(", ")}]`;
}
