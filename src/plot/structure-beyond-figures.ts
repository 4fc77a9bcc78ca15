/**
 * Figure builders for notebook 07 (structure beyond the thesis). Pure functions returning PlotlyFigure.
 */
import { applyFigureOptions, type FigureOptions, type PlotlyFigure } from "./figure";
import { clPlaneGrid, type ClRow, type FamilyAccuracy } from "../experiments/structure-study-analysis";
import type { Interval } from "../predict";

const MAPPING_COLORS: Record<string, string> = { layered: "#1f77b4", recurrent: "#d62728" };
const SCORE_COLORS = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

/**
 * Mean test accuracy over the (C, L) plane — average clustering against average shortest path length,
 * as You et al. (2020) draw theirs — in `bins` × `bins` equal-width cells over the rows' range (empty cells
 * blank, each cell's model count on hover), with the rows themselves as dots.
 */
export function clPlaneHeatmap(rows: readonly ClRow[], options: FigureOptions & { bins?: number } = {}): PlotlyFigure {
  const { bins = 6, ...figureOptions } = options;
  const { cEdges, lEdges, cells } = clPlaneGrid(rows, bins);
  const L = rows.map((r) => r.average_shortest_path_length), C = rows.map((r) => r.average_clustering);
  const centers = (e: number[]) => e.slice(1).map((v, i) => (v + e[i]) / 2);
  return applyFigureOptions({
    data: [
      {
        type: "heatmap", x: centers(lEdges), y: centers(cEdges), z: cells.map((row) => row.map((cell) => (cell.models ? cell.mean : null))),
        customdata: cells.map((row) => row.map((cell) => cell.models)), colorscale: "Viridis", colorbar: { title: { text: "mean test acc" } },
        hovertemplate: "L ≈ %{x:.2f}, C ≈ %{y:.2f}: mean accuracy %{z:.3f} over %{customdata} models<extra></extra>",
      },
      {
        type: "scatter", mode: "markers", x: L, y: C, name: "models", showlegend: false,
        marker: { size: 4, color: "rgba(255,255,255,0.7)", line: { color: "#333", width: 0.5 } },
        text: rows.map((r) => r.test_acc.toFixed(3)), hovertemplate: "L %{x:.2f}, C %{y:.2f}: accuracy %{text}<extra></extra>",
      },
    ],
    layout: {
      title: { text: "Test accuracy over the (C, L) plane" }, width: 640, height: 520,
      xaxis: { title: { text: "average shortest path length L" } }, yaxis: { title: { text: "average clustering C" } },
    },
  }, figureOptions);
}

/**
 * Mean accuracy (± one standard error over graphs) along the Watts–Strogatz rewiring sweep, then the
 * density-matched BA and ER graphs, one panel per variant, one line per mapping.
 */
export function accuracyByRewiringFigure(families: readonly FamilyAccuracy[], options: FigureOptions = {}): PlotlyFigure {
  if (families.length === 0) throw new Error("accuracyByRewiringFigure: no rows");
  const modes = [...new Set(families.map((f) => f.mode))];
  const mappings = [...new Set(families.map((f) => f.mapping))];
  const categories = [...new Set(families.map((f) => f.family))];
  const data = modes.flatMap((mode, i) => mappings.map((mapping) => {
    const mine = categories.map((c) => families.find((f) => f.mode === mode && f.mapping === mapping && f.family === c));
    const axis = i === 0 ? "" : String(i + 1);
    return {
      type: "scatter", mode: "lines+markers", name: mapping, legendgroup: mapping, showlegend: i === 0, xaxis: `x${axis}`, yaxis: `y${axis}`,
      x: categories, y: mine.map((f) => f?.mean ?? null), error_y: { type: "data", array: mine.map((f) => f?.se ?? 0) },
      customdata: mine.map((f) => f?.graphs ?? 0), marker: { color: MAPPING_COLORS[mapping] }, line: { color: MAPPING_COLORS[mapping] },
      hovertemplate: `${mode}, ${mapping}, %{x}: %{y:.3f} (%{customdata} graphs)<extra></extra>`,
    };
  }));
  const axes = Object.fromEntries(modes.flatMap((mode, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    return [
      [`xaxis${suffix}`, { title: { text: "Watts–Strogatz p, then matched BA / ER" }, type: "category" }],
      [`yaxis${suffix}`, { title: { text: `${mode} test accuracy` } }],
    ];
  }));
  return applyFigureOptions({
    data,
    layout: {
      title: { text: "Accuracy along the small-world sweep, per mapping (± one standard error over graphs)" },
      grid: { rows: 1, columns: modes.length, pattern: "independent", xgap: 0.2 }, ...axes, width: Math.max(640, 460 * modes.length), height: 460,
      legend: { orientation: "h", y: -0.25 },
    },
  }, options);
}

export interface CeilingEntry {
  /** the x category, e.g. "GRU, one run" */
  label: string;
  /** the noise ceiling with its interval */
  ceiling: Interval;
  /** regressors' R² on the same target: name, mean and optional spread (std over folds) */
  scores: ReadonlyArray<{ name: string; mean: number; std?: number }>;
}

/**
 * Regressors' R² against the noise ceiling: per category, bars of each score (± its spread) and the
 * ceiling as a black marker with its confidence interval. A bar above the interval claims more than seed
 * noise allows.
 */
export function noiseCeilingFigure(entries: readonly CeilingEntry[], options: FigureOptions = {}): PlotlyFigure {
  if (entries.length === 0) throw new Error("noiseCeilingFigure: no entries");
  const names = [...new Set(entries.flatMap((e) => e.scores.map((s) => s.name)))];
  const labels = entries.map((e) => e.label);
  return applyFigureOptions({
    data: [
      ...names.map((name, i) => {
        const cells = entries.map((e) => e.scores.find((s) => s.name === name));
        return {
          type: "bar", name, x: labels, y: cells.map((c) => c?.mean ?? null), offsetgroup: name, marker: { color: SCORE_COLORS[i % SCORE_COLORS.length] },
          error_y: { type: "data", array: cells.map((c) => c?.std ?? 0), visible: cells.some((c) => c?.std !== undefined) },
          hovertemplate: `%{x} · ${name}: R² %{y:.3f}<extra></extra>`,
        };
      }),
      {
        type: "scatter", mode: "markers", name: "noise ceiling (95% CI)", x: labels, y: entries.map((e) => e.ceiling.estimate),
        marker: { color: "#000", symbol: "line-ew-open", size: 28, line: { width: 3 } },
        error_y: { type: "data", symmetric: false, array: entries.map((e) => e.ceiling.high - e.ceiling.estimate), arrayminus: entries.map((e) => e.ceiling.estimate - e.ceiling.low), color: "#000", thickness: 2, width: 10 },
        hovertemplate: "%{x}: ceiling %{y:.3f}<extra></extra>",
      },
    ],
    layout: {
      title: { text: "Predictors' R² against the noise ceiling" }, barmode: "group", width: Math.max(640, 220 * entries.length), height: 480,
      xaxis: { title: { text: "variant and target" } }, yaxis: { title: { text: "R²" }, range: [Math.min(0, ...entries.flatMap((e) => e.scores.map((s) => s.mean - (s.std ?? 0)))) - 0.05, 1.05] },
      legend: { orientation: "h", y: -0.25 },
    },
  }, options);
}
