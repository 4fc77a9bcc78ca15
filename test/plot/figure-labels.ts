/**
 * What makes a figure's labels drawable, as pure checks on the figure data, and
 * reading the labels back out of a rendered SVG. Shared by
 * test/plot/figure-labels.test.ts (every builder) and
 * test/notebooks/committed.test.ts (every figure in the committed notebooks).
 *
 * plotly.js 4 draws only object titles: `title: { text: "…" }`. A bare string
 * (`title: "…"`, `xaxis: { title: "…" }`, a colorbar's `title: "…"`) is dropped
 * silently: no error, no label.
 */

/** Paths of every `title` in the figure (layout, axes, colorbars, legends…) that is a bare string. */
export function bareStringTitles(value: unknown, where = "figure"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => bareStringTitles(item, `${where}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "title" && typeof child === "string"
      ? [`${where}.title = ${JSON.stringify(child)}`]
      : bareStringTitles(child, `${where}.${key}`),
  );
}

/** The text of a title in the form plotly draws, or undefined (missing, bare string, empty). */
export function drawableText(title: unknown): string | undefined {
  const text = title !== null && typeof title === "object" ? (title as { text?: unknown }).text : undefined;
  return typeof text === "string" && normalize(text) !== "" ? text : undefined;
}

/** Trace types drawn on x/y axes (others, e.g. pie or table, have none). */
const CARTESIAN = new Set(["scatter", "scattergl", "bar", "box", "violin", "histogram", "histogram2d", "heatmap", "contour", "waterfall", "funnel"]);

/** "x" / "x1" → "xaxis", "y3" → "yaxis3" (plotly treats x1 as x). */
function axisKey(ref: string): string {
  const m = /^([xy])(\d*)$/.exec(ref);
  if (!m) throw new Error(`not an axis reference: ${ref}`);
  return `${m[1]}axis${m[2] === "" || m[2] === "1" ? "" : m[2]}`;
}

/** Layout keys ("xaxis", "yaxis2", …) of the axes plotly draws: declared or used by a trace, not `visible: false`. */
export function visibleAxes(figure: { data: any[]; layout?: any }): string[] {
  const layout = figure.layout ?? {};
  const keys = new Set(Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k)).map((k) => axisKey(k[0] + k.slice(5))));
  for (const trace of figure.data) {
    if (!CARTESIAN.has(trace.type ?? "scatter")) continue;
    keys.add(axisKey(trace.xaxis ?? "x"));
    keys.add(axisKey(trace.yaxis ?? "y"));
  }
  const sorted = [...keys].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return sorted.filter((k) => layout[k]?.visible !== false);
}

/**
 * What keeps a figure's labels from drawing: bare-string titles anywhere, no title text,
 * and (with `axes`) a visible axis without a title text. Empty when all is well.
 */
export function labelProblems(figure: { data: any[]; layout?: any }, options: { axes?: boolean } = {}): string[] {
  const problems = bareStringTitles(figure).map((p) => `bare-string title, plotly does not draw it: ${p} (use { text: … })`);
  if (drawableText(figure.layout?.title) === undefined) problems.push(`no drawable figure title: layout.title = ${JSON.stringify(figure.layout?.title)}`);
  if (options.axes ?? true) {
    for (const key of visibleAxes(figure)) {
      if (drawableText(figure.layout?.[key]?.title) === undefined) problems.push(`visible axis ${key} has no drawable title: ${key}.title = ${JSON.stringify(figure.layout?.[key]?.title)}`);
    }
  }
  return problems;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Label text as compared: markup and line breaks dropped, entities decoded, no whitespace at all (plotly splits lines into tspans). */
export function normalize(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(?:#(\d+)|#x([0-9a-f]+)|(\w+));/gi, (all, dec, hex, name) =>
      dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ENTITIES[name.toLowerCase()] ?? all)
    .replace(/\s+/g, "");
}

/** Every <text> element of a plotly SVG: its class (plotly names titles gtitle, xtitle, y2title, …cbtitle) and normalized text. */
export function svgTexts(svg: string): Array<{ cls: string; text: string }> {
  return [...svg.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)].map((m) => ({
    cls: /\bclass="([^"]*)"/.exec(m[1])?.[1] ?? "",
    text: normalize(m[2]),
  }));
}

/**
 * Labels the figure should show that are missing from its rendered SVG: the figure title
 * (class gtitle), each visible axis's title (class xtitle, y2title, …) and each colorbar title.
 */
export function missingSvgLabels(figure: { data: any[]; layout?: any }, svg: string): string[] {
  const texts = svgTexts(svg);
  const drawn = (cls: RegExp) => texts.filter((t) => cls.test(t.cls)).map((t) => t.text);
  const missing: string[] = [];
  const expect = (what: string, title: unknown, cls: RegExp) => {
    // A bare string is looked for too: the SVG, not the figure data, decides whether it was drawn.
    const text = drawableText(title) ?? (typeof title === "string" && normalize(title) !== "" ? title : undefined);
    if (text === undefined) return missing.push(`${what}: no title text to draw (${JSON.stringify(title)})`);
    const found = drawn(cls);
    if (!found.includes(normalize(text))) {
      const why = typeof title === "string" ? " (a bare-string title: plotly.js 4 draws only { text: … })" : "";
      missing.push(`${what}: "${text}" not drawn${why}; drawn texts of class ${cls}: ${JSON.stringify(found)}`);
    }
  };
  expect("figure title", figure.layout?.title, /^gtitle$/);
  for (const key of visibleAxes(figure)) {
    const id = key[0] + key.slice(5); // xaxis2 → x2
    expect(`axis ${key}`, figure.layout?.[key]?.title, new RegExp(`^${id}title$`));
  }
  figure.data.forEach((trace, i) => {
    if (trace.colorbar?.title !== undefined && trace.showscale !== false) expect(`colorbar of trace ${i}`, trace.colorbar.title, /cb\w*title$/);
  });
  return missing;
}
