/**
 * Figure builders for notebook 04 (random structures). Pure functions returning PlotlyFigure.
 */
import { applyFigureOptions, figureOptionsOf, type FigureOptions, type PlotlyFigure } from "./figure";
import { fitLinePoints, linearFit, type LinearFit } from "./fit";
import type { Edge, Layering, GateLayout } from "../graph";
import { expandGateMask, vertexMask } from "../graph";
import type { NetworkSpec } from "../nn/spec";
import { GATES } from "../nn/spec";

const FAMILY_COLORS: Record<string, string> = { barabasi_albert: "#1f77b4", watts_strogatz: "#d62728", erdos_renyi: "#2ca02c" };
const FAMILY_NAMES: Record<string, string> = { barabasi_albert: "Barabási–Albert", watts_strogatz: "Watts–Strogatz", erdos_renyi: "Erdős–Rényi" };
const familyName = (g: string) => FAMILY_NAMES[g] ?? g;
const FAMILY_SHORT: Record<string, string> = { barabasi_albert: "BA", watts_strogatz: "WS", erdos_renyi: "ER" };
const SKIP_COLOR = "#ff7f0e";
const EDGE_COLOR = "#888";
const hiddenAxis = { visible: false, zeroline: false, showgrid: false };
const FIT_COLOR = "#333";

/** "R² 0.29 (n = 200)", or why there is no line. */
function fitLabel(fit: LinearFit | undefined): string {
  return fit ? `R² ${fit.r2.toFixed(2)} (n = ${fit.n})` : "no fit (fewer than 2 points or a constant property)";
}

/** The least-squares line of test accuracy on a property over the given rows (every family at once). */
function propertyFit(rows: readonly ResultLike[], property: string): LinearFit | undefined {
  return linearFit(rows.map((r) => Number(r[property])), rows.map((r) => Number(r.test_acc)));
}

/** Line segments as one scatter trace (null-separated). */
function segments(pairs: Array<[[number, number], [number, number]]>, style: { color: string; width?: number; dash?: string; name?: string }): any {
  const x: Array<number | null> = [], y: Array<number | null> = [];
  for (const [[x0, y0], [x1, y1]] of pairs) x.push(x0, x1, null), y.push(y0, y1, null);
  return { type: "scatter", mode: "lines", x, y, line: { color: style.color, width: style.width ?? 1.5, dash: style.dash }, hoverinfo: "skip", name: style.name, showlegend: !!style.name };
}

function nodeTrace(ids: readonly number[], xs: readonly number[], ys: readonly number[], color = "#fff", hover?: string[]): any {
  return {
    type: "scatter", mode: "markers+text", x: xs, y: ys, text: ids.map(String), textposition: "middle center",
    marker: { size: ids.length > 30 ? 16 : 24, color, line: { color: "#333", width: 1.5 } },
    hovertext: hover ?? ids.map((v) => `node ${v}`), hoverinfo: "text", showlegend: false,
  };
}

/** The undirected graph on a circle (node 0 at the top, ids clockwise). A string as the last argument is the title. */
export function graphFigure(n: number, edges: readonly Edge[], options: FigureOptions | string = {}): PlotlyFigure {
  const angle = (v: number) => Math.PI / 2 - (2 * Math.PI * v) / n;
  const px = (v: number) => Math.cos(angle(v)), py = (v: number) => Math.sin(angle(v));
  const ids = Array.from({ length: n }, (_, v) => v);
  return applyFigureOptions({
    data: [segments(edges.map(([u, v]) => [[px(u), py(u)], [px(v), py(v)]]), { color: EDGE_COLOR }), nodeTrace(ids, ids.map(px), ids.map(py))],
    layout: {
      title: { text: `Undirected graph (${n} nodes, ${edges.length} edges)` },
      xaxis: hiddenAxis, yaxis: { ...hiddenAxis, scaleanchor: "x" }, width: 520, height: 520, showlegend: false,
    },
  }, options);
}

/** Points of the quadratic Bézier curve from p to q bulging by `bend` (fraction of the length) to the left of p→q. */
function arc([x0, y0]: [number, number], [x1, y1]: [number, number], bend: number, steps = 16): [number[], number[]] {
  const cx = (x0 + x1) / 2 - (y1 - y0) * bend, cy = (y0 + y1) / 2 + (x1 - x0) * bend;
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps, a = (1 - t) * (1 - t), b = 2 * t * (1 - t), c = t * t;
    xs.push(a * x0 + b * cx + c * x1);
    ys.push(a * y0 + b * cy + c * y1);
  }
  return [xs, ys];
}

/**
 * The layered DAG: node v at x = its layer, stacked by position in the layer. Every edge
 * points from the lower id to the higher, i.e. rightwards; edges between adjacent layers
 * are grey lines, edges skipping layers (t − s ≥ 2) orange arcs.
 */
export function dagFigure(layering: Layering, options: FigureOptions | string = {}): PlotlyFigure {
  const { layerOf, indexInLayer, layers } = layering;
  const n = layerOf.length;
  const pos = (v: number): [number, number] => [layerOf[v], indexInLayer[v] - (layers[layerOf[v]].length - 1) / 2];
  const isSkip = ([u, v]: Edge) => layerOf[v] - layerOf[u] >= 2;
  const skipX: Array<number | null> = [], skipY: Array<number | null> = [];
  for (const e of layering.edges.filter(isSkip)) {
    const [xs, ys] = arc(pos(e[0]), pos(e[1]), 0.12);
    skipX.push(...xs, null);
    skipY.push(...ys, null);
  }
  const ids = Array.from({ length: n }, (_, v) => v);
  const tallest = Math.max(...layers.map((l) => l.length));
  return applyFigureOptions({
    data: [
      segments(layering.edges.filter((e) => !isSkip(e)).map(([u, v]) => [pos(u), pos(v)]), { color: EDGE_COLOR, name: "edge to the next layer" }),
      { type: "scatter", mode: "lines", x: skipX, y: skipY, line: { color: SKIP_COLOR, width: 1.5 }, opacity: 0.75, hoverinfo: "skip", name: "skip edge" },
      nodeTrace(ids, ids.map((v) => pos(v)[0]), ids.map((v) => pos(v)[1]), "#fff", ids.map((v) => `node ${v}: layer ${layerOf[v]}`)),
    ],
    layout: {
      title: { text: "Layered DAG (edges point right: lower id → higher id)" }, showlegend: true,
      legend: { orientation: "h", x: 1, xanchor: "right", y: 1.02, yanchor: "bottom" },
      xaxis: { title: { text: "layer" }, dtick: 1, zeroline: false, showgrid: false, range: [-0.5, layers.length - 0.5] },
      yaxis: hiddenAxis, height: Math.min(900, 220 + 42 * tallest), width: Math.min(1100, 260 + 90 * layers.length),
    },
  }, options);
}

/** One row per layer: index, size, its nodes, and the layers it reads through skips. */
export function layerTable(layering: Layering): Array<Record<string, unknown>> {
  return layering.layers.map((nodes, l) => ({
    layer: l,
    size: nodes.length,
    nodes: nodes.join(", "),
    reads: l === 0 ? "embedding" : [l - 1, ...layering.skips.filter(([, t]) => t === l).map(([s]) => s)].map((s) => `layer ${s}`).join(" + "),
  }));
}

/**
 * The recurrent network a spec describes: embedding → recurrent layers (box size ∝ units,
 * label "units · kept/total input weights") → linear head; skip blocks as orange arcs.
 * The title (options.title, or a string as the last argument) is followed by the number of skip blocks.
 */
export function networkFigure(spec: NetworkSpec, options: FigureOptions | string = {}): PlotlyFigure {
  const { title = `${spec.mode} network from the graph`, ...sizing } = figureOptionsOf(options);
  const L = spec.layers.length;
  const G = GATES[spec.mode];
  const kept = (mask: Uint8Array | undefined, total: number) => (mask ? mask.reduce((a, b) => a + b, 0) : total);
  const labels = spec.layers.map((layer, l) => {
    const inputs = l === 0 ? spec.layers[0].size : spec.layers[l - 1].size;
    const total = G * layer.size * inputs;
    return `${layer.size} unit${layer.size > 1 ? "s" : ""}<br>${kept(layer.maskIH, total)}/${total}`;
  });
  const xs = [-1, ...spec.layers.map((_, l) => l), L];
  const text = ["embedding<br>" + spec.layers[0].size, ...labels, "head<br>" + spec.classes];
  const sizes = [30, ...spec.layers.map((l) => 26 + 6 * Math.min(l.size, 12)), 30];
  const arcs = spec.skips.map((s) => {
    const px: number[] = [], py: number[] = [];
    const h = 0.35 + 0.25 * (s.to - s.from);
    for (let i = 0; i <= 24; i++) {
      const t = i / 24;
      px.push(s.from + (s.to - s.from) * t);
      py.push(0.12 + 4 * h * t * (1 - t));
    }
    const total = G * spec.layers[s.to].size * spec.layers[s.from].size;
    return {
      type: "scatter", mode: "lines", x: px, y: py, line: { color: SKIP_COLOR, width: 1.5 }, showlegend: false,
      hoverinfo: "text", hovertext: `skip ${s.from}→${s.to}: ${kept(s.maskIH, total)}/${total} weights`,
    };
  });
  return applyFigureOptions({
    data: [
      segments(xs.slice(1).map((x, i) => [[xs[i], 0], [x, 0]]), { color: EDGE_COLOR, width: 2 }),
      ...arcs,
      {
        type: "scatter", mode: "markers+text", x: xs, y: xs.map(() => 0), text, textposition: "bottom center",
        marker: { symbol: "square", size: sizes, color: ["#ddd", ...spec.layers.map(() => "#9ecae1"), "#ddd"], line: { color: "#333", width: 1 } },
        hoverinfo: "text", hovertext: text.map((t) => t.replace(/<br>/g, " ")), showlegend: false,
      },
    ],
    layout: {
      title: { text: title + ` — ${spec.skips.length} skip block${spec.skips.length === 1 ? "" : "s"}` },
      xaxis: { ...hiddenAxis, range: [-1.6, L + 0.6] }, yaxis: { ...hiddenAxis, range: [-1.4, 0.8 + 0.25 * L] },
      width: Math.min(1100, 260 + 80 * L), height: 420,
    },
  }, sizing);
}

/**
 * A vertex mask and its two gate expansions side by side (rows = weight rows, gate
 * blocks stacked; columns = inputs): `repeat` (the thesis) and `tile` (the graph).
 */
export function gateMaskFigure(layering: Layering, from: number, to: number, gates: number, options: FigureOptions | string = {}): PlotlyFigure {
  const rows = layering.layers[to].length, cols = layering.layers[from].length;
  const vertex = vertexMask(layering, from, to);
  const grid = (mask: Uint8Array, r: number) => Array.from({ length: r }, (_, i) => Array.from(mask.subarray(i * cols, (i + 1) * cols)));
  const panels: Array<[string, number[][]]> = [
    ["graph (vertex rows)", grid(vertex, rows)],
    ...(["repeat", "tile"] as GateLayout[]).map((layout): [string, number[][]] => [`${layout}: ${gates} gate blocks`, grid(expandGateMask(vertex, rows, cols, gates, layout), gates * rows)]),
  ];
  const colNames = layering.layers[from].map((v) => `n${v}`);
  return applyFigureOptions({
    data: panels.map(([, z], i) => ({
      type: "heatmap", z, x: colNames, xaxis: `x${i + 1}`, yaxis: `y${i + 1}`, zmin: 0, zmax: 1, showscale: false,
      colorscale: [[0, "#f7f7f7"], [1, "#08519c"]], xgap: 1, ygap: 1,
      y: z.map((_, r) => (i === 0 ? `n${layering.layers[to][r]}` : `g${Math.floor(r / rows)}·r${r % rows}`)),
      hovertemplate: "row %{y}, input %{x}: %{z}<extra></extra>",
    })),
    layout: {
      title: { text: `Mask of layer ${from} → ${to}` }, grid: { rows: 1, columns: 3, pattern: "independent", xgap: 0.35 },
      annotations: panels.map(([name], i) => ({ text: name, xref: `x${i + 1} domain`, yref: `y${i + 1} domain`, x: 0.5, y: 1, yanchor: "bottom", yshift: 6, showarrow: false })),
      ...Object.fromEntries(panels.flatMap((_, i) => [
        [`xaxis${i === 0 ? "" : i + 1}`, { title: { text: `input: layer ${from} node` } }],
        [`yaxis${i === 0 ? "" : i + 1}`, { title: { text: i === 0 ? `layer ${to} node` : "gate · row" }, autorange: "reversed", type: "category" }],
      ])),
      height: 220 + 14 * gates * rows, width: 900, margin: { t: 110 },
    },
  }, options);
}

type ResultLike = Readonly<Record<string, unknown>>;

/** Box plots of test accuracy per variant, Barabási–Albert vs Watts–Strogatz (the thesis's figures 6.x). */
export function accuracyByFamilyFigure(rows: readonly ResultLike[], options: FigureOptions | string = {}): PlotlyFigure {
  const families = [...new Set(rows.map((r) => String(r.graph)))];
  return applyFigureOptions({
    data: families.map((g) => {
      const mine = rows.filter((r) => r.graph === g);
      return {
        type: "box", name: familyName(g), x: mine.map((r) => String(r.mode)), y: mine.map((r) => Number(r.test_acc)),
        marker: { color: FAMILY_COLORS[g] }, boxpoints: "all", jitter: 0.4, pointpos: 0,
      };
    }),
    layout: { title: { text: "Test accuracy of graph-based networks" }, boxmode: "group", yaxis: { title: { text: "test accuracy" } }, xaxis: { title: { text: "variant" } } },
  }, options);
}

/**
 * Scatter of graph properties (columns) against test accuracy, one row of panels per variant, each panel
 * with least-squares lines of accuracy on the property: by default one over all its points, with the line's
 * R² (= the squared Pearson r of the correlation tables) in the panel's corner; with `fitBy: "family"` one
 * per graph family, in the family's colour, each with its R² and n in the legend.
 */
export function propertyScatterFigure(rows: readonly ResultLike[], properties: readonly string[],
  options: (FigureOptions & { fitBy?: "all" | "family" }) | string = {}): PlotlyFigure {
  const { fitBy = "all", ...figureOptions } = typeof options === "string" ? { title: options } : options;
  if (fitBy !== "all" && fitBy !== "family") throw new Error(`propertyScatterFigure: fitBy must be "all" or "family", got ${JSON.stringify(fitBy)}`);
  const modes = [...new Set(rows.map((r) => String(r.mode)))];
  const families = [...new Set(rows.map((r) => String(r.graph)))];
  const data: any[] = [];
  modes.forEach((mode, i) => properties.forEach((p, j) => {
    const axis = i * properties.length + j + 1;
    for (const g of families) {
      const mine = rows.filter((r) => r.mode === mode && r.graph === g);
      data.push({
        type: "scatter", mode: "markers", x: mine.map((r) => Number(r[p])), y: mine.map((r) => Number(r.test_acc)),
        xaxis: `x${axis}`, yaxis: `y${axis}`, name: familyName(g), legendgroup: g, showlegend: axis === 1,
        marker: { color: FAMILY_COLORS[g], size: 5, opacity: 0.7 },
        hovertemplate: `${mode} ${familyName(g)}<br>${p} = %{x:.4g}<br>accuracy %{y:.3f}<extra></extra>`,
      });
    }
  }));
  const axes: Record<string, unknown> = {};
  const annotations: any[] = [];
  modes.forEach((mode, i) => properties.forEach((p, j) => {
    const axis = i * properties.length + j + 1;
    const suffix = axis === 1 ? "" : String(axis);
    axes[`xaxis${suffix}`] = { title: { text: p } };
    axes[`yaxis${suffix}`] = { title: { text: `${mode} accuracy` } };
    if (fitBy === "family") {
      for (const g of families) {
        const fit = propertyFit(rows.filter((r) => r.mode === mode && r.graph === g), p);
        data.push({
          type: "scatter", mode: "lines", ...(fit ? fitLinePoints(fit) : { x: [], y: [] }), xaxis: `x${axis}`, yaxis: `y${axis}`,
          name: `${mode} · ${p} · ${FAMILY_SHORT[g] ?? g}: ${fitLabel(fit)}`, legendgroup: `fit ${g}`, showlegend: true,
          line: { color: FAMILY_COLORS[g] ?? FIT_COLOR, width: 1.5, dash: "dash" }, hoverinfo: "name",
        });
      }
      return;
    }
    const fit = propertyFit(rows.filter((r) => r.mode === mode), p);
    data.push({
      type: "scatter", mode: "lines", ...(fit ? fitLinePoints(fit) : { x: [], y: [] }), xaxis: `x${axis}`, yaxis: `y${axis}`,
      name: "least-squares fit", legendgroup: "fit", showlegend: axis === 1, line: { color: FIT_COLOR, width: 1.5, dash: "dash" },
      hovertemplate: `${mode}, ${p}: ${fitLabel(fit)}<extra></extra>`,
    });
    annotations.push({ text: fit ? `R² ${fit.r2.toFixed(2)}` : "no fit", xref: `x${suffix} domain`, yref: `y${suffix} domain`, x: 0.98, y: 0.02, xanchor: "right", yanchor: "bottom", showarrow: false, font: { size: 10 } });
  }));
  const title = fitBy === "family"
    ? "Graph properties vs test accuracy (dashed: least-squares fit per family, R² in the legend)"
    : "Graph properties vs test accuracy (dashed: least-squares fit, its R²)";
  // per-family fits: one legend entry per panel and family, listed one per line under the panels
  const legendRows = fitBy === "family" ? families.length + modes.length * properties.length * families.length : 0;
  return applyFigureOptions({
    data,
    layout: {
      title: { text: title }, grid: { rows: modes.length, columns: properties.length, pattern: "independent", ygap: 0.35, xgap: 0.25 }, ...axes,
      height: 160 + 230 * modes.length + 20 * legendRows, width: Math.max(fitBy === "family" ? 900 : 720, 220 * properties.length), annotations,
      ...(fitBy === "family" ? {
        // the legend's top 70 px under the plot area (of about 230 px per row of panels)
        legend: { orientation: "v", x: 0, xanchor: "left", y: -70 / (230 * modes.length - 30), yanchor: "top", traceorder: "normal" },
        margin: { b: 90 + 20 * legendRows },
      } : {}),
    },
  }, figureOptions);
}

/** Paired accuracies of the same graphs and seeds under the two gate layouts (diagonal = no difference). */
export function layoutComparisonFigure(pairs: ReadonlyArray<{ mode: string; graph: string; repeat: number; tile: number }>, options: FigureOptions = {}): PlotlyFigure {
  const modes = [...new Set(pairs.map((p) => p.mode))];
  const all = pairs.flatMap((p) => [p.repeat, p.tile]);
  const lo = Math.min(...all), hi = Math.max(...all);
  return applyFigureOptions({
    data: [
      { type: "scatter", mode: "lines", x: [lo, hi], y: [lo, hi], line: { color: "#aaa", dash: "dot" }, showlegend: false, hoverinfo: "skip" },
      ...modes.map((mode) => {
        const mine = pairs.filter((p) => p.mode === mode);
        return {
          type: "scatter", mode: "markers", name: mode, x: mine.map((p) => p.repeat), y: mine.map((p) => p.tile),
          text: mine.map((p) => familyName(p.graph)), hovertemplate: "%{text}<br>repeat %{x:.3f}, tile %{y:.3f}<extra>" + mode + "</extra>",
        };
      }),
    ],
    layout: {
      title: { text: "Same graphs, same seeds: thesis gate layout (repeat) vs graph-faithful (tile)" },
      xaxis: { title: { text: "test accuracy, repeat (thesis)" } }, yaxis: { title: { text: "test accuracy, tile" } }, width: 620, height: 560,
    },
  }, options);
}

/**
 * Interactive: one scatter of a graph property against test accuracy, Barabási–Albert and Watts–Strogatz coloured,
 * with two dropdowns — the property and the variant — over precomputed rows (plotly.js menus: live in the notebook and
 * the offline HTML without the kernel). A still image shows the first property of the first variant.
 */
export function propertyScatterExplorer(rows: readonly ResultLike[], properties: readonly string[], variants?: readonly string[],
  options: FigureOptions = {}): PlotlyFigure {
  const modes = variants ?? [...new Set(rows.map((r) => String(r.mode)))];
  if (properties.length === 0) throw new Error("propertyScatterExplorer: no properties to offer");
  if (modes.length === 0) throw new Error("propertyScatterExplorer: no variants in the rows");
  const missing = properties.filter((p) => !rows.some((r) => r[p] !== undefined));
  if (missing.length > 0) throw new Error(`propertyScatterExplorer: no row has the propert${missing.length === 1 ? "y" : "ies"} ${missing.join(", ")}`);
  const families = [...new Set(rows.map((r) => String(r.graph)))];
  const slots = modes.flatMap((mode) => families.map((graph) => ({ mode, graph, rows: rows.filter((r) => r.mode === mode && r.graph === graph) })));
  const hover = (p: string) => slots.map((s) => `${s.mode} ${familyName(s.graph)}<br>${p} = %{x:.4g}<br>accuracy %{y:.3f}<extra></extra>`);
  const xs = (p: string) => slots.map((s) => s.rows.map((r) => Number(r[p])));
  const first = properties[0];
  // after the scatter traces, one least-squares line per variant (over all its families) for the chosen property
  const fits = (p: string) => modes.map((mode) => propertyFit(rows.filter((r) => r.mode === mode), p));
  const lines = (p: string) => fits(p).map((fit) => (fit ? fitLinePoints(fit) : { x: [], y: [] }));
  const ys = (p: string) => [...slots.map((s) => s.rows.map((r) => Number(r.test_acc))), ...lines(p).map((l) => l.y)];
  const names = (p: string) => [...slots.map((s) => familyName(s.graph)), ...fits(p).map((fit) => `least-squares fit, ${fitLabel(fit)}`)];
  const data = [
    ...slots.map((s, i) => ({
      type: "scatter", mode: "markers", name: familyName(s.graph), legendgroup: s.graph, visible: s.mode === modes[0],
      showlegend: s.mode === modes[0], x: xs(first)[i], y: s.rows.map((r) => Number(r.test_acc)),
      marker: { color: FAMILY_COLORS[s.graph], size: 7, opacity: 0.75 }, hovertemplate: hover(first)[i],
    })),
    ...modes.map((mode, m) => ({
      type: "scatter", mode: "lines", name: names(first)[slots.length + m], legendgroup: "fit", visible: m === 0, showlegend: m === 0,
      ...lines(first)[m], line: { color: FIT_COLOR, width: 2, dash: "dash" }, hoverinfo: "name",
    })),
  ];
  const onlyMode = (mode: string) => [...slots.map((s) => s.mode === mode), ...modes.map((m) => m === mode)];
  return applyFigureOptions({
    data,
    layout: {
      title: { text: "Graph property vs test accuracy (choose the property and the variant; dashed: least-squares fit)" },
      width: 760, height: 520, legend: { orientation: "h", y: -0.22 },
      xaxis: { title: { text: first } }, yaxis: { title: { text: `${modes[0]} test accuracy` } },
      updatemenus: [
        {
          type: "dropdown", x: 0, xanchor: "left", y: 1, yanchor: "bottom", pad: { b: 4 }, active: 0,
          buttons: properties.map((p) => ({
            label: p, method: "update",
            args: [{ x: [...xs(p), ...lines(p).map((l) => l.x)], y: ys(p), name: names(p), hovertemplate: [...hover(p), ...modes.map(() => null)] }, { "xaxis.title.text": p }],
          })),
        },
        {
          type: "dropdown", x: 0.42, xanchor: "left", y: 1, yanchor: "bottom", pad: { b: 4 }, active: 0,
          buttons: modes.map((mode) => ({
            label: mode, method: "update",
            args: [{ visible: onlyMode(mode), showlegend: onlyMode(mode) }, { "yaxis.title.text": `${mode} test accuracy` }],
          })),
        },
      ],
    },
  }, options);
}
