/**
 * Figure builders for notebook 03 (pruning). Pure functions returning PlotlyFigure;
 * where the thesis's own CSVs are given, its curves are drawn dashed beside ours.
 */
import { applyFigureOptions, type FigureOptions, type PlotlyFigure } from "./figure";
import type { CellMode } from "../nn/spec";
import {
  PruneKind, PruneRecord, accuracyByLevel, baseAccuracy, baseMode, percentile, pruneMode, SparseSpeedRow,
} from "../prune";
import { CELL_MODES } from "../nn/spec";

const KIND_COLOR: Record<PruneKind, string> = { both: "#1f77b4", i2h: "#ff7f0e", h2h: "#2ca02c" };
const KIND_LABEL: Record<PruneKind, string> = { both: "i2h + h2h", i2h: "i2h only", h2h: "h2h only" };

function hasMode(records: readonly PruneRecord[], mode: string): boolean {
  return records.some((r) => r.mode === mode);
}

/** A 3×3 (or any small) weight matrix as a table-like heatmap: |w| shaded, pruned entries crossed out. */
export function maskExampleFigure(weights: ArrayLike<number>, mask: ArrayLike<number>, rows: number, cols: number,
  threshold: number, options: FigureOptions = {}): PlotlyFigure {
  const z: number[][] = [], text: string[][] = [];
  for (let r = 0; r < rows; r++) {
    z.push([]); text.push([]);
    for (let c = 0; c < cols; c++) {
      const w = weights[r * cols + c];
      z[r].push(mask[r * cols + c] ? Math.abs(w) : NaN);
      text[r].push(mask[r * cols + c] ? w.toFixed(3) : `<s>${w.toFixed(3)}</s><br>pruned`);
    }
  }
  return applyFigureOptions({
    data: [{
      type: "heatmap", z, text, texttemplate: "%{text}", colorscale: "Blues", showscale: false, hoverinfo: "text",
      xgap: 3, ygap: 3,
    }],
    layout: {
      title: { text: `mask = |w| ≥ ${threshold.toFixed(4)}` },
      width: 360, height: 340, xaxis: { title: { text: "column of W" }, showticklabels: false },
      yaxis: { title: { text: "row of W" }, autorange: "reversed", showticklabels: false },
      plot_bgcolor: "#f3d5d5", margin: { l: 20, r: 20, t: 50, b: 20 },
    },
  }, options);
}

/**
 * Test accuracy right after pruning against the pruning level, one line per kind
 * (the thesis's figures 6.5–6.16, one variant per figure), thesis dashed.
 */
export function accuracyAfterPruningFigure(variant: CellMode, ours: readonly PruneRecord[], thesis: readonly PruneRecord[] | null,
  kinds: readonly PruneKind[], options: FigureOptions = {}): PlotlyFigure {
  const data: any[] = [];
  for (const kind of kinds) {
    for (const [records, source] of [[ours, "ours"], [thesis, "thesis"]] as const) {
      if (!records || !hasMode(records, pruneMode(variant, kind))) continue;
      const points = accuracyByLevel(records, variant, kind, 0);
      data.push({
        type: "scatter", mode: "lines+markers", name: `${KIND_LABEL[kind]} (${source})`,
        x: points.map((p) => p.prune), y: points.map((p) => p.acc),
        line: { color: KIND_COLOR[kind], dash: source === "thesis" ? "dash" : "solid", width: source === "thesis" ? 1.5 : 2.5 },
        marker: { size: source === "thesis" ? 5 : 7 },
      });
    }
  }
  const shapes = hasMode(ours, baseMode(variant))
    ? [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: baseAccuracy(ours, variant), y1: baseAccuracy(ours, variant), line: { color: "#888", dash: "dot", width: 1 } }]
    : [];
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `${variant}: test accuracy right after pruning (dotted: our base model)` },
      xaxis: { title: { text: "pruning level p (percentile of |w|)" }, dtick: 10 },
      yaxis: { title: { text: "test accuracy" }, range: [0.4, 1.02] },
      shapes, width: 760, height: 420, legend: { orientation: "h", y: -0.22 },
    },
  }, options);
}

/** Test accuracy per retraining epoch (0 = right after pruning) for the given levels of one variant and kind. */
export function recoveryFigure(variant: CellMode, kind: PruneKind, records: readonly PruneRecord[], levels: readonly number[],
  thesis: readonly PruneRecord[] | null = null, options: FigureOptions = {}): PlotlyFigure {
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const data: any[] = [];
  levels.forEach((p, i) => {
    for (const [rows, source] of [[records, "ours"], [thesis, "thesis"]] as const) {
      if (!rows) continue;
      const series = rows.filter((r) => r.mode === pruneMode(variant, kind) && r.prune === p).sort((a, b) => a.epoch - b.epoch);
      if (series.length === 0) continue;
      data.push({
        type: "scatter", mode: "lines+markers", name: `p = ${p} (${source})`,
        x: series.map((r) => r.epoch), y: series.map((r) => r.test_acc),
        line: { color: palette[i % palette.length], dash: source === "thesis" ? "dash" : "solid" },
      });
    }
  });
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `${variant}, ${KIND_LABEL[kind]}: recovery during retraining` },
      xaxis: { title: { text: "retraining epoch (0 = right after pruning)" }, dtick: 1 },
      yaxis: { title: { text: "test accuracy" }, range: [0.4, 1.02] }, width: 760, height: 400,
    },
  }, options);
}

/** One-shot prune + retrain against gradual pruning at the same final level: test accuracy per epoch. */
export function gradualComparisonFigure(variant: CellMode, kind: PruneKind, records: readonly PruneRecord[], levels: readonly number[],
  options: FigureOptions = {}): PlotlyFigure {
  const gradual = kind === "both" ? `${baseMode(variant)}_gradual` : `${baseMode(variant)}_gradual_${kind}`;
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
  const data: any[] = [];
  levels.forEach((p, i) => {
    for (const [mode, label, dash] of [[pruneMode(variant, kind), "one-shot", "solid"], [gradual, "gradual", "dash"]] as const) {
      const series = records.filter((r) => r.mode === mode && r.prune === p).sort((a, b) => a.epoch - b.epoch);
      if (series.length === 0) continue;
      data.push({
        type: "scatter", mode: "lines+markers", name: `${label}, ${p} % pruned`,
        x: series.map((r) => r.epoch), y: series.map((r) => r.test_acc), line: { color: palette[i % palette.length], dash },
      });
    }
  });
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `${variant}, ${KIND_LABEL[kind]}: one-shot vs gradual (Zhu & Gupta) at equal final sparsity` },
      xaxis: { title: { text: "epoch after the base model (gradual: sparsity ramps up in the first epochs)" }, dtick: 1 },
      yaxis: { title: { text: "test accuracy" } }, width: 760, height: 400,
    },
  }, options);
}

/** Speed-up of the sparse kernels over the dense ones against density, training and inference, per mode. */
export function sparseSpeedFigure(rows: readonly SparseSpeedRow[], options: FigureOptions = {}): PlotlyFigure {
  const data: any[] = [];
  const groups = [...new Set(rows.map((r) => `${r.mode} on ${r.backend}`))];
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];
  groups.forEach((g, i) => {
    const series = rows.filter((r) => `${r.mode} on ${r.backend}` === g).sort((a, b) => b.density - a.density);
    for (const [key, label, dash] of [["trainSpeedup", "training", "solid"], ["inferSpeedup", "inference", "dash"]] as const) {
      data.push({
        type: "scatter", mode: "lines+markers", name: `${g}, ${label}`,
        x: series.map((r) => 100 * r.density), y: series.map((r) => r[key]), line: { color: palette[i % palette.length], dash },
      });
    }
  });
  return applyFigureOptions({
    data,
    layout: {
      title: { text: "Sparse kernels: speed-up over dense vs density of the recurrent weights" },
      xaxis: { title: { text: "recurrent weights kept (%)" }, autorange: "reversed" },
      yaxis: { title: { text: "speed-up (dense time / sparse time)" } },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 1, y1: 1, line: { color: "#888", dash: "dot", width: 1 } }],
      width: 760, height: 420,
    },
  }, options);
}

/** A weight matrix to show masked in pruningLevelExplorer: row-major `values` of rows × cols. */
export type WeightSample = {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  /** What the matrix is, e.g. "layer 0, h2h". */
  label?: string;
  /** The pruning threshold per level (e.g. the protocol's global thresholds); default: the level's percentile of this matrix's |w|. */
  thresholds?: Readonly<Record<number, number>>;
};

export type PruningExplorerOptions = FigureOptions & {
  /** Variants offered in the dropdown (default: every variant with pruning rows in `records`); the first is shown first. */
  variants?: readonly CellMode[];
  kinds?: readonly PruneKind[];
  /** The level shown first (default: the median level). */
  level?: number;
  /** Per variant, a weight matrix drawn with the mask of the selected level. */
  weights?: Readonly<Partial<Record<CellMode, WeightSample>>>;
};

/**
 * Interactive: a slider over the pruning levels and a variant dropdown (plotly.js sliders and menus over precomputed
 * results: live in the notebook and the offline HTML without the kernel). Left, test accuracy per kind right after
 * pruning and after retraining at the selected level (dotted: the base model); right, when `weights` are given, the
 * variant's weight matrix with that level's mask (pruned entries blank). A still image shows the first state.
 */
export function pruningLevelExplorer(records: readonly PruneRecord[], options: PruningExplorerOptions = {}): PlotlyFigure {
  const kinds = options.kinds ?? (["both", "i2h", "h2h"] as const);
  const variants = options.variants ?? CELL_MODES.filter((v) => kinds.some((k) => hasMode(records, pruneMode(v, k))));
  if (variants.length === 0) throw new Error("pruningLevelExplorer: no pruning rows for any variant in the records");
  const levels = [...new Set(records.filter((r) => variants.some((v) => kinds.some((k) => r.mode === pruneMode(v, k)))).map((r) => r.prune))].sort((a, b) => a - b);
  const start = options.level ?? levels[Math.floor((levels.length - 1) / 2)];
  if (!levels.includes(start)) throw new Error(`pruningLevelExplorer: options.level ${start} is not a level of the records (${levels.join(", ")})`);
  const weights = options.weights ?? {};
  const withMasks = variants.some((v) => weights[v] !== undefined);
  const labels = kinds.map((k) => KIND_LABEL[k]);

  const accuracy = (v: CellMode, kind: PruneKind, level: number, which: "pruned" | "retrained"): number | null => {
    const rows = records.filter((r) => r.mode === pruneMode(v, kind) && r.prune === level);
    if (rows.length === 0) return null;
    const row = which === "pruned" ? rows.find((r) => r.epoch === 0) : rows.reduce((a, b) => (b.epoch > a.epoch ? b : a));
    return row ? row.test_acc : null;
  };
  const maskAt = (sample: WeightSample, level: number): Array<Array<number | null>> => {
    const magnitudes = Array.from(sample.values, Math.abs);
    const threshold = sample.thresholds?.[level] ?? percentile(magnitudes, level);
    return Array.from({ length: sample.rows }, (_, r) => Array.from({ length: sample.cols }, (_, c) => {
      const m = magnitudes[r * sample.cols + c];
      return m >= threshold ? m : null;
    }));
  };

  type Slot = { variant: CellMode; kind: "pruned" | "retrained" | "base" | "mask" };
  const slots: Slot[] = [];
  const data: any[] = [];
  const shown = (v: CellMode) => v === variants[0];
  for (const v of variants) {
    const hasBase = hasMode(records, baseMode(v));
    data.push(
      { type: "bar", name: "right after pruning", legendgroup: "pruned", showlegend: shown(v), x: labels,
        y: kinds.map((k) => accuracy(v, k, start, "pruned")), marker: { color: "#d62728" }, visible: shown(v),
        hovertemplate: `${v}, %{x}: %{y:.4f} right after pruning<extra></extra>` },
      { type: "bar", name: "after retraining", legendgroup: "retrained", showlegend: shown(v), x: labels,
        y: kinds.map((k) => accuracy(v, k, start, "retrained")), marker: { color: "#1f77b4" }, visible: shown(v),
        hovertemplate: `${v}, %{x}: %{y:.4f} after retraining<extra></extra>` },
      { type: "scatter", mode: "lines", name: "base model", legendgroup: "base", showlegend: shown(v) && hasBase, x: labels,
        y: labels.map(() => (hasBase ? baseAccuracy(records, v) : null)), line: { color: "#444", dash: "dot", width: 1.5 }, visible: shown(v),
        hovertemplate: `${v} base model: %{y:.4f}<extra></extra>` },
    );
    slots.push({ variant: v, kind: "pruned" }, { variant: v, kind: "retrained" }, { variant: v, kind: "base" });
    const sample = weights[v];
    if (withMasks && sample) {
      if (sample.values.length !== sample.rows * sample.cols) throw new Error(`pruningLevelExplorer: weights.${v} has ${sample.values.length} values, not rows × cols = ${sample.rows * sample.cols}`);
      data.push({
        type: "heatmap", z: maskAt(sample, start), xaxis: "x2", yaxis: "y2", colorscale: "Blues", showscale: false, visible: shown(v),
        name: sample.label ?? `${v} weights`, hovertemplate: "row %{y}, column %{x}: |w| = %{z:.4f}<extra></extra>",
      });
      slots.push({ variant: v, kind: "mask" });
    }
  }
  const indices = slots.map((_, i) => i);
  // The state is written into the axis titles (the slider sets the level's, the dropdown the variant's), so that a still
  // image, which has no controls, names it too.
  const levelTitle = (level: number) => `kind of pruning, ${level} % of the weights pruned`;
  const variantTitle = (v: CellMode) => `${v} test accuracy`;
  const maskTitle = (v: CellMode) => `column (input) of ${v}'s ${weights[v]?.label ?? "weights"}`;
  const steps = levels.map((level) => ({
    label: `${level} %`, method: "update",
    args: [{
      y: slots.map((s) => (s.kind === "pruned" || s.kind === "retrained" ? kinds.map((k) => accuracy(s.variant, k, level, s.kind as "pruned" | "retrained")) : s.kind === "base" ? data[slots.indexOf(s)].y : null)),
      z: slots.map((s) => (s.kind === "mask" ? maskAt(weights[s.variant]!, level) : null)),
    }, { "xaxis.title.text": levelTitle(level) }, indices],
  }));
  const layout: any = {
    title: { text: "Pruning explorer: test accuracy per kind, and the mask, at one pruning level" },
    width: withMasks ? 900 : 640, height: 520, barmode: "group", legend: { orientation: "h", y: -0.24 },
    xaxis: { title: { text: levelTitle(start) }, ...(withMasks ? { domain: [0, 0.44] } : {}) },
    yaxis: { title: { text: variantTitle(variants[0]) }, range: [0, 1.02] },
    updatemenus: [{
      type: "dropdown", x: 0, xanchor: "left", y: 1, yanchor: "bottom", pad: { b: 4 }, active: 0, showactive: true,
      buttons: variants.map((v) => ({
        label: v, method: "update",
        args: [{ visible: slots.map((s) => s.variant === v), showlegend: slots.map((s, i) => s.variant === v && (s.kind !== "base" || data[i].y[0] !== null)) },
          { "yaxis.title.text": variantTitle(v), ...(withMasks ? { "xaxis2.title.text": maskTitle(v) } : {}) }],
      })),
    }],
    sliders: [{
      active: levels.indexOf(start), steps, x: 0, len: 1, y: 0, yanchor: "top", pad: { t: 95 },
      currentvalue: { prefix: "pruning level: ", xanchor: "left" },
    }],
    margin: { b: 150 },
  };
  if (withMasks) {
    layout.xaxis2 = { title: { text: maskTitle(variants[0]) }, domain: [0.56, 1], anchor: "y2", showgrid: false, zeroline: false };
    layout.yaxis2 = { title: { text: "row (unit)" }, anchor: "x2", autorange: "reversed", showgrid: false, zeroline: false };
    // pruned entries (blank cells) show a light red ground under the mask, as in maskExampleFigure
    layout.shapes = [{ type: "rect", xref: "x2 domain", yref: "y2 domain", x0: 0, x1: 1, y0: 0, y1: 1, fillcolor: "#f3d5d5", line: { width: 0 }, layer: "below" }];
  }
  return applyFigureOptions({ data, layout }, options);
}
