/**
 * Figure builders for notebook 03 (pruning). Pure functions returning PlotlyFigure;
 * where the thesis's own CSVs are given, its curves are drawn dashed beside ours.
 */
import type { PlotlyFigure } from "./figure";
import type { CellMode } from "../nn/spec";
import {
  PruneKind, PruneRecord, accuracyByLevel, baseAccuracy, baseMode, pruneMode, SparseSpeedRow,
} from "../prune";

const KIND_COLOR: Record<PruneKind, string> = { both: "#1f77b4", i2h: "#ff7f0e", h2h: "#2ca02c" };
const KIND_LABEL: Record<PruneKind, string> = { both: "i2h + h2h", i2h: "i2h only", h2h: "h2h only" };

function hasMode(records: readonly PruneRecord[], mode: string): boolean {
  return records.some((r) => r.mode === mode);
}

/** A 3×3 (or any small) weight matrix as a table-like heatmap: |w| shaded, pruned entries crossed out. */
export function maskExampleFigure(weights: ArrayLike<number>, mask: ArrayLike<number>, rows: number, cols: number,
  threshold: number, options: { title?: string } = {}): PlotlyFigure {
  const z: number[][] = [], text: string[][] = [];
  for (let r = 0; r < rows; r++) {
    z.push([]); text.push([]);
    for (let c = 0; c < cols; c++) {
      const w = weights[r * cols + c];
      z[r].push(mask[r * cols + c] ? Math.abs(w) : NaN);
      text[r].push(mask[r * cols + c] ? w.toFixed(3) : `<s>${w.toFixed(3)}</s><br>pruned`);
    }
  }
  return {
    data: [{
      type: "heatmap", z, text, texttemplate: "%{text}", colorscale: "Blues", showscale: false, hoverinfo: "text",
      xgap: 3, ygap: 3,
    }],
    layout: {
      title: { text: options.title ?? `mask = |w| ≥ ${threshold.toFixed(4)}` },
      width: 360, height: 340, xaxis: { title: { text: "column of W" }, showticklabels: false },
      yaxis: { title: { text: "row of W" }, autorange: "reversed", showticklabels: false },
      plot_bgcolor: "#f3d5d5", margin: { l: 20, r: 20, t: 50, b: 20 },
    },
  };
}

/**
 * Test accuracy right after pruning against the pruning level, one line per kind
 * (the thesis's figures 6.5–6.16, one variant per figure), thesis dashed.
 */
export function accuracyAfterPruningFigure(variant: CellMode, ours: readonly PruneRecord[], thesis: readonly PruneRecord[] | null,
  kinds: readonly PruneKind[]): PlotlyFigure {
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
  return {
    data,
    layout: {
      title: { text: `${variant}: test accuracy right after pruning (dotted: our base model)` },
      xaxis: { title: { text: "pruning level p (percentile of |w|)" }, dtick: 10 },
      yaxis: { title: { text: "test accuracy" }, range: [0.4, 1.02] },
      shapes, width: 760, height: 420, legend: { orientation: "h", y: -0.22 },
    },
  };
}

/** Test accuracy per retraining epoch (0 = right after pruning) for the given levels of one variant and kind. */
export function recoveryFigure(variant: CellMode, kind: PruneKind, records: readonly PruneRecord[], levels: readonly number[],
  thesis: readonly PruneRecord[] | null = null): PlotlyFigure {
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
  return {
    data,
    layout: {
      title: { text: `${variant}, ${KIND_LABEL[kind]}: recovery during retraining` },
      xaxis: { title: { text: "retraining epoch (0 = right after pruning)" }, dtick: 1 },
      yaxis: { title: { text: "test accuracy" }, range: [0.4, 1.02] }, width: 760, height: 400,
    },
  };
}

/** One-shot prune + retrain against gradual pruning at the same final level: test accuracy per epoch. */
export function gradualComparisonFigure(variant: CellMode, kind: PruneKind, records: readonly PruneRecord[], levels: readonly number[]): PlotlyFigure {
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
  return {
    data,
    layout: {
      title: { text: `${variant}, ${KIND_LABEL[kind]}: one-shot vs gradual (Zhu & Gupta) at equal final sparsity` },
      xaxis: { title: { text: "epoch after the base model (gradual: sparsity ramps up in the first epochs)" }, dtick: 1 },
      yaxis: { title: { text: "test accuracy" } }, width: 760, height: 400,
    },
  };
}

/** Speed-up of the sparse kernels over the dense ones against density, training and inference, per mode. */
export function sparseSpeedFigure(rows: readonly SparseSpeedRow[]): PlotlyFigure {
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
  return {
    data,
    layout: {
      title: { text: "Sparse kernels: speed-up over dense vs density of the recurrent weights" },
      xaxis: { title: { text: "recurrent weights kept (%)" }, autorange: "reversed" },
      yaxis: { title: { text: "speed-up (dense time / sparse time)" } },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 1, y1: 1, line: { color: "#888", dash: "dot", width: 1 } }],
      width: 760, height: 420,
    },
  };
}
