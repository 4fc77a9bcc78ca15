/**
 * The figure type every chart builder returns, the platform's defaults applied
 * before a figure is drawn or exported (font, size), and the size templates
 * (screen, paper, paper-wide, slide) every builder and exportFigure accept.
 */
import { nearest } from "../core/settings";

/** A Plotly figure as Plotly.newPlot takes it; `sizing` records the template applied (see applyFigureOptions). */
export type PlotlyFigure = { data: any[]; layout?: any; config?: any; sizing?: FigureSizing };

/** Only DejaVu fonts are guaranteed on the machines that render figures. */
export const FONT_FAMILY = "DejaVu Sans, sans-serif";
export const DEFAULT_WIDTH = 720;
export const DEFAULT_HEIGHT = 450;
/** Plotly's default base font size (px). */
export const DEFAULT_FONT_PX = 12;
/** CSS pixels per inch and per point: what Chromium prints a figure at. */
export const PX_PER_IN = 96;
export const PX_PER_PT = 96 / 72;

/** The figure with the platform font and an explicit pixel size (the figure's own settings win); no cloud link. */
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
    // plotly.js 4's mode bar offers "Edit in Chart Studio", which uploads the data to Plotly's cloud: never shown.
    config: { displaylogo: false, ...figure.config, showSendToCloud: false, showEditInChartStudio: false, showLink: false },
    ...(figure.sizing ? { sizing: figure.sizing } : {}),
  };
}

/** Pixel size of a figure that went through withPlatformDefaults. */
export function figureSize(figure: PlotlyFigure): { width: number; height: number } {
  const { width, height } = figure.layout ?? {};
  if (!(width > 0 && height > 0)) throw new Error(`Figure has no positive layout.width/height (${width}×${height})`);
  return { width, height };
}

/** The figure's title text, if any (for alt text, file names and messages): line breaks become spaces, markup is dropped. */
export function figureTitle(figure: PlotlyFigure): string {
  const title = figure.layout?.title;
  const text = typeof title === "string" ? title : title?.text;
  return typeof text === "string" ? text.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "") : "";
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  return `an object with keys [${Object.keys(value).join(", ")}]`;
}

// ---- templates ----------------------------------------------------------------------------

export type TemplateName = "screen" | "paper" | "paper-wide" | "slide";
export type SizeUnits = "px" | "in" | "pt";

/**
 * The options every chapter builder takes as its last argument, and exportFigure too.
 * Sizes are in `units` (default "px"; "in" and "pt" at 96 px per inch, what a PDF page is printed at);
 * `fontSize` is the base font in points (tick labels, legend; titles a point larger).
 */
export type FigureOptions = {
  /** Replaces the figure's title text. */
  title?: string;
  /** Size preset: "paper" (one column, 3.3 in, 8–9 pt), "paper-wide" (two columns, 6.9 in, 9–10 pt), "slide" (10 in, 16–20 pt), "screen" (the builder's own size, 12 px). */
  template?: TemplateName;
  width?: number;
  height?: number;
  units?: SizeUnits;
  /** Base font size in points. */
  fontSize?: number;
};

export const FIGURE_OPTION_KEYS: readonly (keyof FigureOptions)[] = ["title", "template", "width", "height", "units", "fontSize"];

export type TemplateSpec = {
  /** Width in inches; undefined keeps the figure's own width. */
  widthIn?: number;
  /** Base font (ticks, legend, annotations), axis-title font and figure-title font, in points. */
  fontPt: number;
  axisTitlePt?: number;
  titlePt?: number;
  /** Line widths and marker sizes relative to the builders' screen sizes. */
  line: number;
  marker: number;
  /** Thinnest line drawn, in points (hairlines vanish in print). */
  minLinePt: number;
  /** Margins just around the labels (Plotly's automargin on every axis and the title) instead of Plotly's 80 px. */
  tight: boolean;
  /** Keep every font between the base and the title size (a paper's 8–9 pt). */
  clampFonts: boolean;
};

export const TEMPLATES: Readonly<Record<TemplateName, TemplateSpec>> = {
  screen: { fontPt: DEFAULT_FONT_PX / PX_PER_PT, line: 1, marker: 1, minLinePt: 0, tight: false, clampFonts: false },
  paper: { widthIn: 3.3, fontPt: 8, axisTitlePt: 9, titlePt: 9, line: 0.55, marker: 0.6, minLinePt: 0.5, tight: true, clampFonts: true },
  "paper-wide": { widthIn: 6.9, fontPt: 9, axisTitlePt: 9, titlePt: 10, line: 0.7, marker: 0.75, minLinePt: 0.5, tight: true, clampFonts: true },
  slide: { widthIn: 10, fontPt: 16, axisTitlePt: 18, titlePt: 20, line: 1.5, marker: 1.5, minLinePt: 1, tight: true, clampFonts: false },
};
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];
const UNITS: readonly SizeUnits[] = ["px", "in", "pt"];

/** What applyFigureOptions did to a figure, so that applying another template (or the same again) starts from the builder's figure. */
export type FigureSizing = {
  template: TemplateName;
  /** Base font (px), line and marker factors in force. */
  fontPx: number;
  line: number;
  marker: number;
  /** The builder's own size and margins (screen). */
  base: { width?: number; height?: number; margin?: unknown };
};

/** Smallest figure side accepted, in px (catches a width in inches given without units: "in"). */
export const MIN_FIGURE_SIDE = 50;

/** A length in `units` as CSS pixels. */
export function toPx(value: number, units: SizeUnits = "px"): number {
  return units === "in" ? value * PX_PER_IN : units === "pt" ? value * PX_PER_PT : value;
}

/** Throws naming the option unless `options` is a valid FigureOptions (other keys are left to the caller). */
export function checkFigureOptions(options: unknown, who: string): asserts options is FigureOptions {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new Error(`${who}: options must be an object, got ${JSON.stringify(options)}`);
  const o = options as Record<string, unknown>;
  if (o.title !== undefined && typeof o.title !== "string") throw new Error(`${who}: options.title must be a string, got ${JSON.stringify(o.title)}`);
  if (o.template !== undefined && !TEMPLATE_NAMES.includes(o.template as TemplateName)) {
    throw new Error(`${who}: options.template is ${JSON.stringify(o.template)}; expected one of ${TEMPLATE_NAMES.join(", ")}${suggest(String(o.template), TEMPLATE_NAMES)}`);
  }
  if (o.units !== undefined && !UNITS.includes(o.units as SizeUnits)) {
    throw new Error(`${who}: options.units is ${JSON.stringify(o.units)}; expected one of ${UNITS.join(", ")}${suggest(String(o.units), UNITS)}`);
  }
  const units = (o.units as SizeUnits | undefined) ?? "px";
  for (const side of ["width", "height"] as const) {
    const v = o[side];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new Error(`${who}: options.${side} must be a finite positive number (in ${units}), got ${JSON.stringify(v) ?? String(v)}`);
    const px = toPx(v, units);
    if (px < MIN_FIGURE_SIDE) {
      throw new Error(`${who}: options.${side} is ${v} ${units} = ${+px.toFixed(2)} px, below ${MIN_FIGURE_SIDE} px` +
        (units === "px" ? `; for inches or points say units: "in" or "pt" (e.g. { ${side}: ${v}, units: "in" })` : ""));
    }
    if (px > 20_000) throw new Error(`${who}: options.${side} is ${v} ${units} = ${Math.round(px)} px, above 20000 px`);
  }
  if (o.fontSize !== undefined && (typeof o.fontSize !== "number" || !Number.isFinite(o.fontSize) || o.fontSize < 4 || o.fontSize > 72)) {
    throw new Error(`${who}: options.fontSize is the base font in points, a number in [4, 72]; got ${JSON.stringify(o.fontSize) ?? String(o.fontSize)}`);
  }
}

/** The FigureOptions part of a builder's options (or a legacy positional title). */
export function figureOptionsOf(options: FigureOptions | string | undefined | null): FigureOptions {
  if (typeof options === "string") return { title: options };
  if (options === undefined || options === null) return {};
  const picked: FigureOptions = {};
  for (const key of FIGURE_OPTION_KEYS) if ((options as Record<string, unknown>)[key] !== undefined) (picked as Record<string, unknown>)[key] = (options as Record<string, unknown>)[key];
  return picked;
}

/**
 * The figure with `options` applied; the one place builders and exportFigure size figures.
 *  - title: replaces the title text (keeping its style);
 *  - template: width (paper 3.3 in, paper-wide 6.9 in, slide 10 in; screen: the builder's own), fonts (base, axis
 *    titles and title in points), line widths and marker sizes scaled, and for paper and slide margins tightened
 *    to the labels (Plotly's automargin), long titles wrapped to the width, legends below the plot moved above it;
 *  - width / height (in units): override the template's; without a height the figure keeps its proportions,
 *    shrinking less in height than in width (its text shrinks less than the figure);
 *  - fontSize: the base font in points (titles one point larger).
 * Pure: the input figure is not changed. Applying a template to a figure that has one starts from the builder's
 * figure again (recorded in `sizing`), so templates do not compound.
 */
export function applyFigureOptions(figure: PlotlyFigure, options: FigureOptions | string = {}): PlotlyFigure {
  if (!figure || !Array.isArray(figure.data)) throw new Error(`applyFigureOptions: expected a Plotly figure { data: [...], layout? }, got ${describe(figure)}`);
  const opts = figureOptionsOf(options);
  checkFigureOptions(opts, "applyFigureOptions");
  const fig: PlotlyFigure = structuredClone({ data: figure.data, layout: figure.layout ?? {}, ...(figure.config ? { config: figure.config } : {}) });
  const layout = fig.layout;
  if (opts.title !== undefined) {
    const old = layout.title;
    layout.title = { ...(old !== null && typeof old === "object" ? old : {}), text: opts.title };
    if (figure.sizing && TEMPLATES[figure.sizing.template].tight) layout.title.text = wrapText(opts.title, titleChars(layout.width ?? DEFAULT_WIDTH, layout.title.font?.size ?? figure.sizing.fontPx * 1.1));
  }
  const sizingOnly = opts.template === undefined && opts.width === undefined && opts.height === undefined && opts.fontSize === undefined;
  if (sizingOnly) return figure.sizing ? { ...fig, sizing: figure.sizing } : fig;

  const current: FigureSizing = figure.sizing ?? {
    template: "screen", fontPx: layout.font?.size ?? DEFAULT_FONT_PX, line: 1, marker: 1,
    base: { width: layout.width, height: layout.height, margin: layout.margin },
  };
  const name = opts.template ?? current.template;
  const spec = TEMPLATES[name];
  const units = opts.units ?? "px";
  const fontPx = opts.fontSize !== undefined ? opts.fontSize * PX_PER_PT : name === "screen" ? (current.template === "screen" ? current.fontPx : DEFAULT_FONT_PX) : spec.fontPt * PX_PER_PT;
  const fontStep = opts.fontSize !== undefined ? opts.fontSize / spec.fontPt : 1; // an own fontSize moves the titles along
  const axisTitlePx = spec.axisTitlePt !== undefined ? spec.axisTitlePt * PX_PER_PT * fontStep : undefined;
  const titlePx = spec.titlePt !== undefined ? spec.titlePt * PX_PER_PT * fontStep : undefined;

  // size
  const baseWidth = current.base.width ?? DEFAULT_WIDTH, baseHeight = current.base.height ?? DEFAULT_HEIGHT;
  const width = opts.width !== undefined ? toPx(opts.width, units) : spec.widthIn !== undefined ? spec.widthIn * PX_PER_IN : baseWidth;
  const height = opts.height !== undefined ? toPx(opts.height, units)
    : derivedHeight(baseWidth, baseHeight, width) + (spec.tight && width < baseWidth ? decorationHeight(fig, width, fontPx, titlePx ?? fontPx * 1.4) : 0);
  layout.width = round2(width);
  layout.height = round2(height);

  // fonts
  const fontFactor = fontPx / current.fontPx;
  const clamp = spec.clampFonts && name !== "screen"
    ? (px: number) => Math.min(Math.max(px, fontPx), titlePx ?? fontPx * 1.125) : (px: number) => px;
  scaleFonts(fig, (size) => round2(clamp(size * fontFactor)));
  layout.font = { ...layout.font, size: round2(fontPx) };
  if (titlePx !== undefined) {
    layout.title = typeof layout.title === "string" ? { text: layout.title } : layout.title ?? {};
    layout.title.font = { ...layout.title.font, size: round2(titlePx) };
  } else if (layout.title?.font?.size !== undefined && current.template !== "screen") {
    delete layout.title.font.size; // back to Plotly's default for the base font
  }
  for (const key of axisKeys(fig)) {
    const axis = (layout[key] ??= {});
    if (axisTitlePx !== undefined && axis.title && typeof axis.title === "object") axis.title.font = { ...axis.title.font, size: round2(axisTitlePx) };
  }

  // lines and markers
  const minLinePx = spec.minLinePt * PX_PER_PT;
  const lineFactor = spec.line / current.line, markerFactor = spec.marker / current.marker;
  scaleStrokes(fig, (w) => round2(Math.max(w * lineFactor, Math.min(w, minLinePx))), (s) => round2(Math.max(1, s * markerFactor)), markerFactor);

  // margins, titles, legends
  if (spec.tight) tighten(fig, width, height, titlePx ?? fontPx * 1.4, axisTitlePx ?? fontPx * 1.2);
  else if (current.template !== "screen" || name === "screen") layout.margin = current.base.margin;
  if (layout.margin === undefined) delete layout.margin;

  return { ...fig, sizing: { template: name, fontPx, line: spec.line, marker: spec.marker, base: current.base } };
}

/** Height for a new width: the figure's proportions, but shrinking (or growing) less in height, since its text does not scale. */
export function derivedHeight(baseWidth: number, baseHeight: number, width: number): number {
  if (width === baseWidth) return baseHeight;
  const ratio = width / baseWidth;
  return Math.max(MIN_FIGURE_SIDE * 2, Math.min(baseHeight * Math.pow(ratio, 0.7), width * 2));
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Layout keys of every cartesian axis the figure declares or its traces use. */
function axisKeys(fig: PlotlyFigure): string[] {
  const keys = new Set(Object.keys(fig.layout).filter((k) => /^[xy]axis\d*$/.test(k)));
  const ref = (r: string) => { const m = /^([xy])(\d*)$/.exec(r); return m ? `${m[1]}axis${m[2] === "1" ? "" : m[2]}` : undefined; };
  for (const trace of fig.data) {
    if (["pie", "table", "sunburst", "treemap", "indicator", "sankey", "parcoords"].includes(trace.type)) continue;
    for (const r of [trace.xaxis ?? "x", trace.yaxis ?? "y"]) { const k = ref(r); if (k) keys.add(k); }
  }
  return [...keys];
}

/** Call `scale` on every font size in the figure (objects under a key ending in "font", any depth). */
function scaleFonts(fig: PlotlyFigure, scale: (size: number) => number): void {
  const visit = (value: any, key: string): void => {
    if (Array.isArray(value)) { value.forEach((v) => visit(v, key)); return; }
    if (value === null || typeof value !== "object") return;
    if (/font$/i.test(key) && value.size !== undefined) {
      value.size = Array.isArray(value.size) ? value.size.map((s: unknown) => (typeof s === "number" ? scale(s) : s)) : typeof value.size === "number" ? scale(value.size) : value.size;
    }
    for (const [k, v] of Object.entries(value)) if (v !== null && typeof v === "object") visit(v, k);
  };
  visit(fig.layout, "layout"); // includes the fonts of sliders, menus and of their steps' updates
  fig.data.forEach((trace) => visit(trace, "trace"));
}

const LINES_DEFAULT = 2, MARKER_DEFAULT = 6;

/** Scale line widths (`line`) and marker sizes (`marker`), setting Plotly's defaults explicitly where a builder relied on them. */
function scaleStrokes(fig: PlotlyFigure, line: (w: number) => number, marker: (s: number) => number, markerFactor: number): void {
  const scaleLine = (obj: any, dflt?: number) => {
    if (!obj || typeof obj !== "object") return;
    if (typeof obj.width === "number") obj.width = line(obj.width);
    else if (dflt !== undefined && obj.width === undefined) obj.width = line(dflt);
  };
  const scaleMarker = (m: any, dflt: number) => {
    if (typeof m.size === "number") m.size = marker(m.size);
    else if (Array.isArray(m.size)) m.size = m.size.map((s: unknown) => (typeof s === "number" ? marker(s) : s));
    else if (m.size === undefined) m.size = marker(dflt);
    if (m.line) scaleLine(m.line);
  };
  for (const trace of fig.data) {
    const type = trace.type ?? "scatter";
    const mode: string = trace.mode ?? "lines+markers";
    if (type === "scatter" || type === "scattergl") {
      if (mode.includes("lines")) scaleLine((trace.line ??= {}), LINES_DEFAULT);
      if (mode.includes("markers")) scaleMarker((trace.marker ??= {}), MARKER_DEFAULT);
    } else if (type === "box" || type === "violin") {
      scaleLine((trace.line ??= {}), LINES_DEFAULT);
      scaleMarker((trace.marker ??= {}), MARKER_DEFAULT);
    } else if (trace.marker?.line) {
      scaleLine(trace.marker.line);
    }
    for (const bars of [trace.error_x, trace.error_y]) {
      if (!bars || typeof bars !== "object") continue;
      bars.thickness = line(bars.thickness ?? LINES_DEFAULT);
      bars.width = marker(bars.width ?? 4);
    }
    if (type === "heatmap") {
      for (const gap of ["xgap", "ygap"]) if (typeof trace[gap] === "number") trace[gap] = round2(trace[gap] * Math.min(1, markerFactor));
    }
    if (trace.colorbar && typeof trace.colorbar === "object") trace.colorbar.thickness = round2((trace.colorbar.thickness ?? 30) * markerFactor);
  }
  for (const shape of fig.layout.shapes ?? []) scaleLine((shape.line ??= {}), LINES_DEFAULT);
  for (const a of fig.layout.annotations ?? []) {
    if (a.showarrow !== false && (a.arrowwidth !== undefined || a.ax !== undefined)) a.arrowwidth = line(a.arrowwidth ?? 1);
  }
}

/** Plotly's margins shrunk to what the labels need: automargin on every axis and the title, long titles wrapped. */
function tighten(fig: PlotlyFigure, width: number, height: number, titlePx: number, axisTitlePx: number): void {
  const layout = fig.layout;
  const pad = Math.max(4, Math.round(axisTitlePx * 0.4));
  const hasTitle = figureTitle(fig) !== "";
  layout.margin = { l: pad, r: pad, b: pad, t: hasTitle ? pad : pad, pad: 0, autoexpand: true };
  if (hasTitle) {
    layout.title = typeof layout.title === "string" ? { text: layout.title } : layout.title;
    layout.title.text = wrapText(unwrap(layout.title.text), titleChars(width, titlePx));
    Object.assign(layout.title, { automargin: true, x: 0.5, xanchor: "center", y: 1, yanchor: "bottom", yref: "paper", pad: { t: 0, b: pad } });
  }
  for (const key of axisKeys(fig)) {
    const axis = layout[key];
    if (!axis || axis.visible === false) continue;
    axis.automargin = true;
    if (axis.title && typeof axis.title === "object" && typeof axis.title.text === "string") {
      const domain: number[] = Array.isArray(axis.domain) ? axis.domain : [0, 1];
      const side = key.startsWith("x") ? width * 0.8 : height * 0.6; // the plot area, roughly
      const columns = key.startsWith("x") && layout.grid?.columns ? layout.grid.columns : key.startsWith("y") && layout.grid?.rows ? layout.grid.rows : 1;
      const span = Math.min(domain[1] - domain[0], 1 / columns) * side;
      axis.title.text = wrapText(unwrap(axis.title.text), Math.max(8, Math.floor(span / (axisTitlePx * 0.55))));
      if (axis.title.standoff !== undefined) axis.title.standoff = Math.min(axis.title.standoff, pad);
    }
  }
  // Side-by-side panels: the gap must hold the right panel's tick labels and axis title (Plotly's automargin only
  // moves the outer margins), and stacked panels the upper panel's x tick labels and title.
  const gapX = Math.min(0.45, (5 * 0.6 * fontPxOf(layout) + axisTitlePx * 1.4 + 12) / width);
  const gapY = Math.min(0.45, (fontPxOf(layout) * 1.6 + axisTitlePx * 1.5 + 14) / height);
  if (layout.grid && typeof layout.grid === "object") {
    if ((layout.grid.columns ?? 1) > 1) layout.grid.xgap = Math.max(layout.grid.xgap ?? 0.1, gapX);
    if ((layout.grid.rows ?? 1) > 1) layout.grid.ygap = Math.max(layout.grid.ygap ?? 0.1, gapY);
  }
  for (const letter of ["x", "y"] as const) widenDomainGaps(layout, letter, letter === "x" ? gapX : gapY);
  const legend = layout.legend;
  if (legend?.orientation === "h" && typeof legend.y === "number" && legend.y < 0) {
    // a legend placed below the plot in paper units collides with the x-axis title once the figure is small:
    // anchor it to the bottom of the figure instead, where it pushes the margin
    Object.assign(legend, { x: 0, xanchor: "left", y: 0, yanchor: "bottom", yref: "container" });
  }
  layout.legend = { ...legend, tracegroupgap: 2, itemwidth: 30 };
}

const fontPxOf = (layout: any): number => (typeof layout.font?.size === "number" ? layout.font.size : DEFAULT_FONT_PX);

/** Where axes of one letter have explicit domains side by side, make each gap between them at least `gap` (a fraction). */
function widenDomainGaps(layout: any, letter: "x" | "y", gap: number): void {
  const axes = Object.keys(layout).filter((k) => k.startsWith(`${letter}axis`) && Array.isArray(layout[k]?.domain));
  const spans = [...new Map(axes.map((k) => [String(layout[k].domain), layout[k].domain as number[]])).values()].sort((a, b) => a[0] - b[0]);
  if (spans.length < 2) return;
  for (let i = 1; i < spans.length; i++) if (spans[i][0] < spans[i - 1][1]) return; // overlapping (insets, twin axes): leave them
  const total = spans[spans.length - 1][1] - spans[0][0];
  const gaps = spans.slice(1).map((s, i) => s[0] - spans[i][1]);
  if (gaps.every((g) => g >= gap)) return;
  const newGaps = gaps.map((g) => Math.max(g, gap));
  const room = total - newGaps.reduce((a, b) => a + b, 0);
  const widths = spans.map((s) => s[1] - s[0]);
  const scale = room / widths.reduce((a, b) => a + b, 0);
  if (!(scale > 0.3)) return;
  let at = spans[0][0];
  const moved = new Map<string, number[]>();
  spans.forEach((s, i) => {
    const next = [round4(at), round4(at + widths[i] * scale)];
    moved.set(String(s), next);
    at += widths[i] * scale + (newGaps[i] ?? 0);
  });
  for (const k of axes) layout[k] = { ...layout[k], domain: moved.get(String(layout[k].domain)) };
}
const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** Extra height (px) a tight template needs beyond the scaled plot: the rows of a horizontal legend and a wrapped title. */
function decorationHeight(fig: PlotlyFigure, width: number, fontPx: number, titlePx: number): number {
  const layout = fig.layout;
  let extra = 0;
  const title = figureTitle(fig);
  if (title !== "") extra += (Math.ceil(title.length / titleChars(width, titlePx)) - 1) * titlePx * 1.3;
  if (layout.legend?.orientation === "h" && layout.showlegend !== false) {
    const names = [...new Set(fig.data.filter((t) => t.showlegend !== false && typeof t.name === "string" && t.name !== "").map((t) => String(t.name)))];
    if (names.length > 1 || layout.showlegend === true) {
      const item = 40 + Math.max(...names.map((n) => n.length)) * fontPx * 0.55;
      const perRow = Math.max(1, Math.floor((width - 10) / item));
      extra += Math.ceil(names.length / perRow) * fontPx * 1.5;
    }
  }
  return extra;
}

/** Characters of a title line that fit `width` px at font size `px` (DejaVu Sans averages ≈ 0.55 em per character). */
function titleChars(width: number, px: number): number {
  return Math.max(12, Math.floor((width - 16) / (px * 0.55)));
}

function unwrap(text: unknown): string {
  return typeof text === "string" ? text.replace(/<br\s*\/?>/gi, " ").replace(/ {2,}/g, " ") : String(text ?? "");
}

/** `text` broken into lines of at most `chars` characters (markup-free length) at spaces, joined with <br>. */
export function wrapText(text: string, chars: number): string {
  const visible = (s: string) => s.replace(/<[^>]*>/g, "").replace(/&\w+;|&#\d+;/g, "x").length;
  if (visible(text) <= chars) return text;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && visible(line) + 1 + visible(word) > chars) { lines.push(line); line = word; }
    else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.join("<br>");
}

/** " (did you mean "x"?)" for the valid name nearest to `name`, or "" when none is near. */
export function suggest(name: string, valid: readonly string[]): string {
  const best = nearest(name, valid);
  return best === undefined ? "" : ` (did you mean ${JSON.stringify(best)}?)`;
}
