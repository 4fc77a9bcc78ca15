/**
 * Figure builders for notebook 02 (base models): learning curves like the thesis's
 * figures 6.1–6.4 (train/test loss and accuracy per epoch, thesis curves overlaid),
 * the test-accuracy comparison table rows, and the engine benchmark chart.
 * Pure functions returning PlotlyFigure / plain rows.
 */
import { applyFigureOptions, type FigureOptions, type PlotlyFigure } from "./figure";
import type { EpochRecord } from "../nn/train";
import type { ThesisEpoch } from "../nn/thesis-log";
import type { CellMode } from "../nn/spec";

const TRAIN_COLOR = "#1f77b4";
const TEST_COLOR = "#ff7f0e";
const THESIS_COLOR = "#555555";

/** Whole-epoch ticks when there are few epochs (Plotly would otherwise label 1.5). */
function epochAxis(maxEpoch: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: "epoch" }, ...(maxEpoch <= 12 ? { tick0: 1, dtick: 1 } : {}), ...extra };
}

/**
 * One mode's learning curves: loss (left; sum over batches, as the thesis logs it)
 * and accuracy (right), train and test, with the thesis's curves dashed when given.
 */
export function learningCurvesFigure(mode: CellMode, records: readonly EpochRecord[], thesis: readonly ThesisEpoch[] = [],
  options: FigureOptions = {}): PlotlyFigure {
  const epochs = records.map((r) => r.epoch);
  const line = (name: string, x: number[], y: number[], color: string, axis: 1 | 2, dash = "solid", show = true) => ({
    type: "scatter", mode: x.length > 1 ? "lines+markers" : "markers", name, x, y,
    xaxis: axis === 1 ? "x" : "x2", yaxis: axis === 1 ? "y" : "y2",
    line: { color, dash, width: 2 }, marker: { size: 5 }, legendgroup: name, showlegend: show,
  });
  const th = thesis.filter((t) => t.epoch <= Math.max(...epochs, 1));
  const data = [
    line("train", epochs, records.map((r) => r.trainLoss), TRAIN_COLOR, 1),
    line("test", epochs, records.map((r) => r.testLoss), TEST_COLOR, 1),
    line("train", epochs, records.map((r) => r.trainAcc), TRAIN_COLOR, 2, "solid", false),
    line("test", epochs, records.map((r) => r.testAcc), TEST_COLOR, 2, "solid", false),
  ];
  if (th.length > 0) {
    const x = th.map((t) => t.epoch);
    data.push(
      line("thesis train", x, th.map((t) => t.trainLoss), THESIS_COLOR, 1, "dot"),
      line("thesis test", x, th.map((t) => t.testLoss), THESIS_COLOR, 1, "dash"),
      line("thesis train", x, th.map((t) => t.trainAcc), THESIS_COLOR, 2, "dot", false),
      line("thesis test", x, th.map((t) => t.testAcc), THESIS_COLOR, 2, "dash", false),
    );
  }
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `${mode}: learning curves` },
      width: 900, height: 380,
      grid: { rows: 1, columns: 2, pattern: "independent" },
      xaxis: epochAxis(Math.max(...epochs, 1), { domain: [0, 0.45] }),
      yaxis: { title: { text: "loss (sum over batches)" }, rangemode: "tozero" },
      xaxis2: epochAxis(Math.max(...epochs, 1), { domain: [0.55, 1] }),
      yaxis2: { title: { text: "accuracy" }, range: [Math.min(0.5, ...records.map((r) => r.testAcc)), 1.005] },
      legend: { orientation: "h", y: -0.22 },
      margin: { t: 50, b: 80 },
    },
  }, options);
}

/** Test accuracy of all modes on one chart (ours solid, thesis dashed). */
export function testAccuracyFigure(runs: ReadonlyArray<{ mode: CellMode; records: readonly EpochRecord[]; thesis?: readonly ThesisEpoch[] }>,
  options: FigureOptions = {}): PlotlyFigure {
  const colors: Record<CellMode, string> = { RNN_TANH: "#1f77b4", RNN_RELU: "#2ca02c", GRU: "#d62728", LSTM: "#9467bd" };
  const data: any[] = [];
  for (const run of runs) {
    data.push({ type: "scatter", mode: "lines+markers", name: run.mode, x: run.records.map((r) => r.epoch), y: run.records.map((r) => r.testAcc), line: { color: colors[run.mode] } });
    const last = run.records.length ? run.records[run.records.length - 1].epoch : 0;
    const th = (run.thesis ?? []).filter((t) => t.epoch <= last);
    if (th.length) data.push({ type: "scatter", mode: "lines", name: `${run.mode} (thesis)`, x: th.map((t) => t.epoch), y: th.map((t) => t.testAcc), line: { color: colors[run.mode], dash: "dash" } });
  }
  const maxEpoch = Math.max(1, ...runs.map((r) => r.records.length ? r.records[r.records.length - 1].epoch : 1));
  return applyFigureOptions(
    { data, layout: { title: { text: "Test accuracy per epoch" }, width: 800, height: 420, xaxis: epochAxis(maxEpoch), yaxis: { title: { text: "test accuracy" } } } },
    options);
}

/** Rows for showTable: our test accuracy after the first and the last epoch beside the thesis's at the same epochs. */
export function accuracyComparisonRows(runs: ReadonlyArray<{ mode: CellMode; records: readonly EpochRecord[]; thesis?: readonly ThesisEpoch[] }>): Array<Record<string, unknown>> {
  return runs.map(({ mode, records, thesis = [] }) => {
    const first = records[0], last = records[records.length - 1];
    const at = (epoch: number) => thesis.find((t) => t.epoch === epoch)?.testAcc;
    return {
      mode,
      "test acc, epoch 1": first?.testAcc,
      "thesis, epoch 1": at(1) ?? "—",
      [`test acc, epoch ${last?.epoch}`]: last?.testAcc,
      [`thesis, epoch ${last?.epoch}`]: (last && at(last.epoch)) ?? "—",
      "thesis, epoch 50": at(50) ?? "—",
      "s/epoch (ours)": records.reduce((a, r) => a + r.seconds, 0) / Math.max(1, records.length),
      "s/epoch (thesis, K80)": thesis.length ? thesis.reduce((a, t) => a + t.seconds, 0) / thesis.length : "—",
    };
  });
}

/** The shape bench/engine.ts writes (bench/results/engine.json). */
export interface EngineBenchResult {
  date: string;
  loadavg?: number[];
  ours: Record<string, Record<string, number>>;
  torch: Record<string, number>;
  randomNet?: { seed: number; layers: number[]; skips: number; backends: Record<string, number> };
}

/** Seconds per epoch of the thesis's base configuration, per mode: each backend of ours beside PyTorch (one thread). */
export function benchmarkFigure(result: EngineBenchResult, options: FigureOptions = {}): PlotlyFigure {
  const modes = Object.keys(Object.values(result.ours)[0] ?? result.torch);
  const data: any[] = Object.entries(result.ours).map(([backend, byMode]) => ({
    type: "bar", name: backend, x: modes, y: modes.map((m) => byMode[m]),
    text: modes.map((m) => (result.torch[m] ? `${(byMode[m] / result.torch[m]).toFixed(2)}×` : "")), textposition: "outside",
  }));
  if (Object.keys(result.torch).length) data.push({ type: "bar", name: "PyTorch (1 thread)", x: modes, y: modes.map((m) => result.torch[m]), marker: { color: "#444" } });
  return applyFigureOptions({
    data,
    layout: {
      title: { text: "Seconds per epoch, thesis base configuration (586 batches of 32, 3×50, post padding)" },
      barmode: "group", width: 900, height: 430,
      xaxis: { title: { text: "variant" } },
      yaxis: { title: { text: "seconds per epoch (log scale)" }, type: "log" },
      annotations: [{ text: `labels: ratio to PyTorch · measured ${result.date.slice(0, 16)} on a shared machine (noisy)`, xref: "paper", yref: "paper", x: 0, y: -0.15, showarrow: false }],
    },
  }, options);
}
