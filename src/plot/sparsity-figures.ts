/**
 * Figure builders for notebook 06 (sparse training beyond pruning). Pure functions returning
 * PlotlyFigure from the comparison's rows and their summaries (src/experiments/sparsity-findings.ts).
 */
import { applyFigureOptions, type FigureOptions, type PlotlyFigure } from "./figure";
import type { AccuracyPoint, TailChange } from "../experiments/sparsity-findings";
import type { SparsityMethod, SparsityRow } from "../experiments/sparsity-settings";
import { parseDegreeHistogram } from "../sparsity/degree-tail";
import type { CellMode } from "../nn/spec";
import type { GrammarName } from "../data/grammar";

/** One colour per method (controls in greys and browns, drawn dashed). */
export const METHOD_COLORS: Readonly<Record<SparsityMethod, string>> = {
  "one-shot": "#1f77b4", gradual: "#17becf", lottery: "#d62728", "lottery-late": "#ff7f0e", snip: "#9467bd",
  set: "#2ca02c", rigl: "#bcbd22", "graph-ba": "#e377c2", "graph-ws": "#8c564b", "graph-er": "#aec7e8",
  "random-erk": "#555555", shuffled: "#999999", "small-dense": "#000000",
};

const TASK_LABEL: Record<GrammarName, string> = { reber: "Reber", embedded: "embedded Reber" };

/** "#1f77b4" → "rgba(31,119,180,a)" for the std bands. */
function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/**
 * Test accuracy against the kept fraction (log axis) for one variant and task: per method the mean over
 * seeds as a line and mean ± std as a band; controls dashed; the dense network dotted across. Points sit
 * at the kept fraction reached (a graph family may keep more than its target density).
 */
export function accuracyByDensityFigure(points: readonly AccuracyPoint[], variant: CellMode, task: GrammarName, options: FigureOptions = {}): PlotlyFigure {
  const mine = points.filter((p) => p.variant === variant && p.task === task);
  const methods = [...new Set(mine.filter((p) => p.method !== "dense").map((p) => p.method as SparsityMethod))];
  const data: any[] = [];
  for (const method of methods) {
    const series = mine.filter((p) => p.method === method).sort((a, b) => a.keptFraction - b.keptFraction);
    const color = METHOD_COLORS[method];
    const x = series.map((p) => p.keptFraction);
    data.push({
      type: "scatter", mode: "lines", name: `${method} ± std`, legendgroup: method, showlegend: false, hoverinfo: "skip",
      x: [...x, ...[...x].reverse()], y: [...series.map((p) => p.mean + p.std), ...series.map((p) => p.mean - p.std).reverse()],
      fill: "toself", fillcolor: withAlpha(color, 0.12), line: { width: 0, color },
    });
    data.push({
      type: "scatter", mode: "lines+markers", name: series[0].role === "control" ? `${method} (control)` : method, legendgroup: method,
      x, y: series.map((p) => p.mean), line: { color, dash: series[0].role === "control" ? "dash" : "solid", width: 2 }, marker: { size: 6 },
    });
  }
  const dense = mine.find((p) => p.method === "dense");
  const shapes = dense ? [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: dense.mean, y1: dense.mean, line: { color: "#888", dash: "dot", width: 1.5 } }] : [];
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `${variant}, ${TASK_LABEL[task]}: test accuracy by density (mean ± std over seeds; dotted: dense)` },
      xaxis: { title: { text: "kept fraction of the recurrent weights (log)" }, type: "log" },
      yaxis: { title: { text: "test accuracy" } },
      shapes, width: 820, height: 480, legend: { orientation: "h", y: -0.25 },
    },
  }, options);
}

/** Degree counts summed over rows: { degree → units }. */
function pooledHistogram(texts: readonly string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const text of texts) for (const { degree, count } of parseDegreeHistogram(text)) counts.set(degree, (counts.get(degree) ?? 0) + count);
  return counts;
}

/**
 * The distribution of connections per unit (unit-graph.ts) of SET's and RigL's masks at the start of
 * training (their shared random ERK start) and at the end, pooled over seeds, on log–log axes (units
 * without connections left out: a log axis has no 0). A heavy tail shows as points far to the right.
 */
export function degreeDistributionFigure(rows: readonly SparsityRow[], variant: CellMode, task: GrammarName, density: number, options: FigureOptions = {}): PlotlyFigure {
  const of = (method: SparsityMethod) => rows.filter((r) => r.variant === variant && r.task === task && r.method === method && r.density === density);
  const series: Array<{ name: string; histogram: Map<number, number>; color: string; dash: string }> = [];
  const set = of("set"), rigl = of("rigl");
  const start = set.length > 0 ? set : rigl;
  if (start.length > 0) series.push({ name: "start (random ERK)", histogram: pooledHistogram(start.map((r) => r.start_degree_histogram)), color: "#555555", dash: "dot" });
  if (set.length > 0) series.push({ name: "SET, end", histogram: pooledHistogram(set.map((r) => r.degree_histogram)), color: METHOD_COLORS.set, dash: "solid" });
  if (rigl.length > 0) series.push({ name: "RigL, end", histogram: pooledHistogram(rigl.map((r) => r.degree_histogram)), color: METHOD_COLORS.rigl, dash: "solid" });
  const data = series.map(({ name, histogram, color, dash }) => {
    const degrees = [...histogram.keys()].filter((d) => d > 0).sort((a, b) => a - b);
    const units = [...histogram.values()].reduce((a, b) => a + b, 0);
    return {
      type: "scatter", mode: "lines+markers", name, x: degrees, y: degrees.map((d) => histogram.get(d)! / units),
      line: { color, dash, width: 1.5 }, marker: { size: 5 },
    };
  });
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `${variant}, ${TASK_LABEL[task]}, ${+(100 * density).toFixed(1)} % kept: connections per unit, start and end of training` },
      xaxis: { title: { text: "connections of a unit (kept weights, every gate)" }, type: "log" },
      yaxis: { title: { text: "fraction of units" }, type: "log" },
      width: 760, height: 440, legend: { orientation: "h", y: -0.22 },
    },
  }, options);
}

/** The degree coefficient of variation of SET's and RigL's masks at the start (dashed) and the end (solid) of training, by density. */
export function degreeTailFigure(changes: readonly TailChange[], variant: CellMode, task: GrammarName, options: FigureOptions = {}): PlotlyFigure {
  const mine = changes.filter((c) => c.variant === variant && c.task === task);
  const data: any[] = [];
  for (const method of [...new Set(mine.map((c) => c.method))]) {
    const series = mine.filter((c) => c.method === method).sort((a, b) => a.density - b.density);
    for (const [when, key, dash] of [["start", "startCv", "dash"], ["end", "endCv", "solid"]] as const) {
      data.push({
        type: "scatter", mode: "lines+markers", name: `${method}, ${when}`, x: series.map((c) => c.density), y: series.map((c) => c[key]),
        line: { color: METHOD_COLORS[method], dash }, marker: { size: 6 },
      });
    }
  }
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `${variant}, ${TASK_LABEL[task]}: how heavy the degree tail is, start vs end of training` },
      xaxis: { title: { text: "kept fraction of the recurrent weights (log)" }, type: "log" },
      yaxis: { title: { text: "degree coefficient of variation σ/μ" } },
      width: 720, height: 420, legend: { orientation: "h", y: -0.22 },
    },
  }, options);
}
