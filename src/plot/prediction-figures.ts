/**
 * Figure builders for notebook 05 (performance prediction). Pure functions returning PlotlyFigure.
 */
import { applyFigureOptions, type FigureOptions, type PlotlyFigure } from "./figure";
import { fitLinePoints, linearFit } from "./fit";
import type { CvRow, PropertyCorrelation, RegressorName, SplitResult } from "../predict";

const REGRESSOR_COLORS: Record<string, string> = {
  BayesianRidge: "#1f77b4", RandomForestRegressor: "#2ca02c", AdaBoostRegressor: "#d62728",
};
const SHORT: Record<string, string> = { BayesianRidge: "Bayesian ridge", RandomForestRegressor: "Random forest", AdaBoostRegressor: "AdaBoost" };
const label = (name: string) => SHORT[name] ?? name;

/** Heatmap of Pearson r (property × variant); cells with p < alpha (default 0.05; a number as the last argument) are marked with *. */
export function correlationHeatmap(correlations: readonly PropertyCorrelation[], options: number | (FigureOptions & { alpha?: number }) = {}): PlotlyFigure {
  const { alpha = 0.05, ...figureOptions } = typeof options === "number" ? { alpha: options } : options;
  const variants = [...new Set(correlations.map((c) => c.variant))];
  const properties = [...new Set(correlations.map((c) => c.property))];
  const cell = (p: string, v: string) => correlations.find((c) => c.property === p && c.variant === v)!;
  return applyFigureOptions({
    data: [{
      type: "heatmap", x: variants, y: properties, zmin: -1, zmax: 1, colorscale: "RdBu", reversescale: true,
      z: properties.map((p) => variants.map((v) => cell(p, v).r)),
      text: properties.map((p) => variants.map((v) => `${cell(p, v).r.toFixed(2)}${cell(p, v).pValue < alpha ? "*" : ""}`)),
      texttemplate: "%{text}", colorbar: { title: { text: "r" } },
      hovertemplate: "%{y} vs test accuracy (%{x}): r = %{z:.3f}<extra></extra>",
    }],
    layout: {
      title: { text: `Pearson correlation of graph properties with test accuracy (* p < ${alpha})` },
      height: 720, margin: { l: 230 }, xaxis: { title: { text: "variant" } },
      yaxis: { title: { text: "graph property", standoff: 10 }, autorange: "reversed", automargin: true },
    },
  }, figureOptions);
}

/** Bars of r with their confidence intervals, one trace per variant. */
export function correlationBars(correlations: readonly PropertyCorrelation[], options: FigureOptions = {}): PlotlyFigure {
  const variants = [...new Set(correlations.map((c) => c.variant))];
  return applyFigureOptions({
    data: variants.map((v) => {
      const rows = correlations.filter((c) => c.variant === v);
      return {
        type: "bar", name: v, x: rows.map((c) => c.property), y: rows.map((c) => c.r),
        error_y: { type: "data", symmetric: false, array: rows.map((c) => c.ci[1] - c.r), arrayminus: rows.map((c) => c.r - c.ci[0]) },
      };
    }),
    layout: {
      title: { text: "Correlation with test accuracy, 95% Fisher-z intervals" }, barmode: "group", height: 520,
      yaxis: { title: { text: "Pearson r" }, range: [-1, 1] }, xaxis: { title: { text: "graph property" }, tickangle: -45 }, margin: { b: 200 },
    },
  }, options);
}

/** Predicted vs actual test accuracy, one panel per (variant, regressor), with the fitted line and y = x. */
export function predictedVsActual(results: readonly SplitResult[], options: FigureOptions = {}): PlotlyFigure {
  const variants = [...new Set(results.map((r) => r.variant))];
  const regressors = [...new Set(results.map((r) => r.regressor))];
  const data: any[] = [];
  const annotations: any[] = [];
  const axisTitles: Record<string, unknown> = {};
  results.forEach((res) => {
    const i = variants.indexOf(res.variant) * regressors.length + regressors.indexOf(res.regressor) + 1;
    const axes = { xaxis: `x${i === 1 ? "" : i}`, yaxis: `y${i === 1 ? "" : i}` };
    axisTitles[`xaxis${i === 1 ? "" : i}`] = { title: { text: "actual" } };
    axisTitles[`yaxis${i === 1 ? "" : i}`] = { title: { text: "predicted" } };
    const lo = Math.min(...res.yTest, ...res.yPred), hi = Math.max(...res.yTest, ...res.yPred);
    const fit = linearFit(res.yTest, res.yPred);
    const color = REGRESSOR_COLORS[res.regressor];
    data.push(
      { type: "scatter", mode: "markers", x: res.yTest, y: res.yPred, marker: { color, size: 6 }, showlegend: false, ...axes,
        hovertemplate: "actual %{x:.4f}<br>predicted %{y:.4f}<extra></extra>" },
      { type: "scatter", mode: "lines", ...(fit ? fitLinePoints(fit) : { x: [], y: [] }), line: { color }, showlegend: false, ...axes,
        hovertemplate: fit ? `least-squares fit: predicted = ${fit.slope.toFixed(3)} · actual + ${fit.intercept.toFixed(3)}<extra></extra>` : undefined },
      { type: "scatter", mode: "lines", x: [lo, hi], y: [lo, hi], line: { color: "#888", dash: "dot", width: 1 }, showlegend: false, ...axes },
    );
    annotations.push({
      text: `${res.variant} · ${label(res.regressor)} · R² ${res.r2.toFixed(2)}`, xref: `${axes.xaxis} domain`, yref: `${axes.yaxis} domain`,
      x: 0.02, y: 1.12, showarrow: false, xanchor: "left", font: { size: 11 },
    });
  });
  return applyFigureOptions({
    data,
    layout: {
      title: { text: "Predicted vs actual test accuracy (held-out rows; line: least-squares fit, dotted: y = x)" },
      grid: { rows: variants.length, columns: regressors.length, pattern: "independent", ygap: 0.45, xgap: 0.3 },
      height: 260 * variants.length + 80, width: 900, annotations, ...axisTitles,
    },
  }, options);
}

/** Our single-split R² beside the thesis's, per variant and regressor. */
export function r2Comparison(ours: ReadonlyArray<Pick<SplitResult, "variant" | "regressor" | "r2">>, thesis: Readonly<Record<string, Partial<Record<RegressorName, number>>>>,
  options: FigureOptions = {}): PlotlyFigure {
  const variants = [...new Set(ours.map((r) => r.variant))];
  const regressors = [...new Set(ours.map((r) => r.regressor))];
  return applyFigureOptions({
    data: regressors.flatMap((reg) => [
      { type: "bar", name: `${label(reg)} (ours)`, x: variants, y: variants.map((v) => ours.find((r) => r.variant === v && r.regressor === reg)!.r2),
        marker: { color: REGRESSOR_COLORS[reg] }, offsetgroup: reg },
      { type: "scatter", mode: "markers", name: `${label(reg)} (thesis)`, x: variants, y: variants.map((v) => thesis[v]?.[reg] ?? null),
        marker: { color: REGRESSOR_COLORS[reg], symbol: "diamond-open", size: 12, line: { width: 2 } }, offsetgroup: reg },
    ]),
    layout: { title: { text: "R² on one 90/10 split: ours (bars) vs the thesis (diamonds)" }, barmode: "group", scattermode: "group", xaxis: { title: { text: "variant" } }, yaxis: { title: { text: "R²" } } },
  }, options);
}

/** Cross-validated R² (mean ± std over folds × repeats) per variant and regressor for one feature set, thesis marked. */
export function cvBars(rows: readonly CvRow[], featureSet: string, thesis?: Readonly<Record<string, Partial<Record<RegressorName, number>>>>,
  options: FigureOptions = {}): PlotlyFigure {
  const subset = rows.filter((r) => r.featureSet === featureSet);
  const variants = [...new Set(subset.map((r) => r.variant))];
  const regressors = [...new Set(subset.map((r) => r.regressor))];
  const data: any[] = regressors.map((reg) => {
    const cells = variants.map((v) => subset.find((r) => r.variant === v && r.regressor === reg)!);
    return { type: "bar", name: label(reg), x: variants, y: cells.map((c) => c.mean), marker: { color: REGRESSOR_COLORS[reg] },
      error_y: { type: "data", array: cells.map((c) => c.std) }, offsetgroup: reg };
  });
  if (thesis) {
    for (const reg of regressors) {
      data.push({ type: "scatter", mode: "markers", name: `${label(reg)} (thesis, one split)`, x: variants, y: variants.map((v) => thesis[v]?.[reg] ?? null),
        marker: { color: REGRESSOR_COLORS[reg], symbol: "diamond-open", size: 12, line: { width: 2 } }, offsetgroup: reg });
    }
  }
  return applyFigureOptions({
    data,
    layout: { title: { text: `Repeated k-fold R² (mean ± std), feature set "${featureSet}"` }, barmode: "group", scattermode: "group", xaxis: { title: { text: "variant" } }, yaxis: { title: { text: "R²" } } },
  }, options);
}

/** Model importances beside permutation importances (± std) for one fitted split. */
export function importanceBars(result: SplitResult, options: FigureOptions = {}): PlotlyFigure {
  const names = result.features as readonly string[];
  const modelKind = result.regressor === "BayesianRidge" ? "coefficient (scaled features)"
    : result.regressor === "RandomForestRegressor" ? "impurity importance" : "weighted impurity importance";
  return applyFigureOptions({
    data: [
      { type: "bar", orientation: "h", name: modelKind, y: names, x: result.importances, marker: { color: REGRESSOR_COLORS[result.regressor] }, xaxis: "x", yaxis: "y" },
      { type: "bar", orientation: "h", name: "permutation importance (drop in R²)", y: names, x: result.permutation.mean,
        error_x: { type: "data", array: result.permutation.std }, marker: { color: "#7f7f7f" }, xaxis: "x2", yaxis: "y" },
    ],
    layout: {
      title: { text: `${result.variant} · ${label(result.regressor)}: feature importances` },
      grid: { rows: 1, columns: 2, pattern: "coupled", xgap: 0.1 }, height: Math.max(320, 22 * names.length + 180), width: 980, margin: { l: 220 },
      yaxis: { title: { text: "graph property", standoff: 10 }, autorange: "reversed", automargin: true },
      xaxis: { title: { text: modelKind } }, xaxis2: { title: { text: "drop in R²" } },
      legend: { orientation: "h", x: 0, y: 1.01, yanchor: "bottom" },
    },
  }, options);
}

/** Mean CV R² for every variant × regressor (rows) and feature set (columns). */
export function featureSetHeatmap(rows: readonly CvRow[], featureSetLabels: Readonly<Record<string, string>> = {}, options: FigureOptions = {}): PlotlyFigure {
  const sets = [...new Set(rows.map((r) => r.featureSet))];
  const keys = [...new Set(rows.map((r) => `${r.variant} · ${label(r.regressor)}`))];
  const cell = (k: string, s: string) => rows.find((r) => `${r.variant} · ${label(r.regressor)}` === k && r.featureSet === s)!;
  return applyFigureOptions({
    data: [{
      type: "heatmap", x: sets.map((s) => featureSetLabels[s] ?? s), y: keys, colorscale: "Viridis", zmin: 0, zmax: 1,
      z: keys.map((k) => sets.map((s) => cell(k, s).mean)),
      text: keys.map((k) => sets.map((s) => `${cell(k, s).mean.toFixed(2)} ± ${cell(k, s).std.toFixed(2)}`)), texttemplate: "%{text}",
      colorbar: { title: { text: "mean R²", side: "right" } },
    }],
    layout: {
      title: { text: "Cross-validated R² by feature set" }, height: 120 + 28 * keys.length, width: 980, margin: { l: 220 },
      xaxis: { title: { text: "feature set" } }, yaxis: { title: { text: "variant · regressor", standoff: 10 }, autorange: "reversed", automargin: true },
    },
  }, options);
}

export type CvExplorerOptions = FigureOptions & {
  /** The thesis's single-split R² per variant and regressor, drawn as diamonds for the feature set "all". */
  thesis?: Readonly<Record<string, Partial<Record<RegressorName, number>>>>;
  /** Display names of the feature sets. */
  featureSetLabels?: Readonly<Record<string, string>>;
  /** The feature set shown first (default: "all" if present, else the first). */
  featureSet?: string;
};

/**
 * Interactive: cross-validated R² (mean ± std) per variant as bars, with two dropdowns — the regressor (or all three)
 * and the feature set — over precomputed CV rows (plotly.js menus: live in the notebook and the offline HTML without the
 * kernel). A still image shows every regressor on the first feature set.
 */
export function cvExplorer(rows: readonly CvRow[], options: CvExplorerOptions = {}): PlotlyFigure {
  const sets = [...new Set(rows.map((r) => r.featureSet))];
  if (sets.length === 0) throw new Error("cvExplorer: no CV rows");
  const start = options.featureSet ?? (sets.includes("all") ? "all" : sets[0]);
  if (!sets.includes(start)) throw new Error(`cvExplorer: options.featureSet ${JSON.stringify(start)} is not among the rows' feature sets (${sets.join(", ")})`);
  const variants = [...new Set(rows.map((r) => r.variant))];
  const regressors = [...new Set(rows.map((r) => r.regressor))];
  const setLabel = (s: string) => options.featureSetLabels?.[s] ?? s;
  const cell = (v: string, reg: string, s: string) => rows.find((r) => r.variant === v && r.regressor === reg && r.featureSet === s);
  type Slot = { regressor: string; thesis: boolean };
  const slots: Slot[] = regressors.flatMap((regressor) => [{ regressor, thesis: false }, ...(options.thesis ? [{ regressor, thesis: true }] : [])]);
  const ys = (s: string) => slots.map((slot) => variants.map((v) => (slot.thesis
    ? (s === "all" ? options.thesis![v]?.[slot.regressor as RegressorName] ?? null : null)
    : cell(v, slot.regressor, s)?.mean ?? null)));
  const stds = (s: string) => slots.map((slot) => (slot.thesis ? null : variants.map((v) => cell(v, slot.regressor, s)?.std ?? 0)));
  const data = slots.map((slot, i) => slot.thesis
    ? { type: "scatter", mode: "markers", name: `${label(slot.regressor)} (thesis, one split)`, x: variants, y: ys(start)[i], offsetgroup: slot.regressor,
      marker: { color: REGRESSOR_COLORS[slot.regressor], symbol: "diamond-open", size: 12, line: { width: 2 } } }
    : { type: "bar", name: label(slot.regressor), x: variants, y: ys(start)[i], offsetgroup: slot.regressor, marker: { color: REGRESSOR_COLORS[slot.regressor] },
      error_y: { type: "data", array: stds(start)[i] }, hovertemplate: `%{x} · ${label(slot.regressor)}: R² %{y:.3f}<extra></extra>` });
  const state = (s: string) => `feature set: ${setLabel(s)}`;
  return applyFigureOptions({
    data,
    layout: {
      title: { text: "Repeated k-fold R² (mean ± std) by regressor and feature set" }, barmode: "group", scattermode: "group",
      width: 760, height: 480, legend: { orientation: "h", y: -0.22 },
      xaxis: { title: { text: "variant" } }, yaxis: { title: { text: "R²" } },
      annotations: [{ text: state(start), xref: "paper", yref: "paper", x: 1, y: 1, xanchor: "right", yanchor: "bottom", yshift: 4, showarrow: false }],
      updatemenus: [
        {
          type: "dropdown", x: 0, xanchor: "left", y: 1, yanchor: "bottom", pad: { b: 4 }, active: 0,
          buttons: [
            { label: "all regressors", method: "restyle", args: [{ visible: slots.map(() => true) }] },
            ...regressors.map((reg) => ({ label: label(reg), method: "restyle", args: [{ visible: slots.map((s) => s.regressor === reg) }] })),
          ],
        },
        {
          type: "dropdown", x: 0.32, xanchor: "left", y: 1, yanchor: "bottom", pad: { b: 4 }, active: sets.indexOf(start),
          buttons: sets.map((s) => ({
            label: setLabel(s), method: "update", args: [{ y: ys(s), "error_y.array": stds(s) }, { "annotations[0].text": state(s) }],
          })),
        },
      ],
    },
  }, options);
}
