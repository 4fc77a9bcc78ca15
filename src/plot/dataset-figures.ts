/**
 * Figure builders for notebook 01 (the dataset). Pure functions returning PlotlyFigure;
 * each optionally overlays the thesis's numbers for comparison.
 */
import { applyFigureOptions, type FigureOptions, type PlotlyFigure } from "./figure";
import type { Grammar } from "../data/grammar";
import type { SplitCounts } from "../data/stats";

const VALID_COLOR = "#2ca02c";
const INVALID_COLOR = "#d62728";
const REBER_COLOR = "#1f77b4";
const OTHER_COLOR = "#bbbbbb";
const THESIS_COLOR = "#222222";

/**
 * The automaton as a diagram: states as circles at their drawing positions,
 * transitions as labelled arrows, self-loops as small circles above or below.
 */
export function automatonFigure(grammar: Grammar, options: FigureOptions = {}): PlotlyFigure {
  const byId = new Map(grammar.states.map((s) => [s.id, s]));
  const xs = grammar.states.map((s) => s.x);
  const ys = grammar.states.map((s) => s.y);
  const unit = 110; // pixels per drawing unit, equal on both axes
  const radius = 0.17;
  const annotations: any[] = [];
  const shapes: any[] = [];
  for (const t of grammar.transitions) {
    const a = byId.get(t.from)!;
    const b = byId.get(t.to)!;
    if (t.from === t.to) {
      // loop on the side away from the state's neighbours, label beyond it
      const neighbours = grammar.transitions.filter((u) => u.from !== u.to && (u.from === a.id || u.to === a.id));
      const meanY = neighbours.reduce((sum, u) => sum + byId.get(u.from === a.id ? u.to : u.from)!.y, 0) / Math.max(1, neighbours.length);
      const side = a.y >= meanY ? 1 : -1;
      const cy = a.y + side * (radius + 0.12);
      shapes.push({ type: "circle", xref: "x", yref: "y", x0: a.x - 0.12, x1: a.x + 0.12, y0: cy - 0.12, y1: cy + 0.12, line: { color: "#555", width: 1.5 } });
      annotations.push({ x: a.x, y: cy + side * 0.2, text: `<b>${t.symbol}</b>`, showarrow: false, font: { size: 15 } });
      continue;
    }
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length = Math.hypot(dx, dy);
    const ux = dx / length;
    const uy = dy / length;
    // arrow from edge of circle to edge of circle
    annotations.push({
      x: b.x - ux * radius, y: b.y - uy * radius, ax: a.x + ux * radius, ay: a.y + uy * radius,
      xref: "x", yref: "y", axref: "x", ayref: "y", text: "", showarrow: true,
      arrowhead: 2, arrowsize: 1.2, arrowwidth: 1.5, arrowcolor: "#555",
    });
    // label beside the midpoint, on the left of the direction of travel
    annotations.push({ x: (a.x + b.x) / 2 - uy * 0.14, y: (a.y + b.y) / 2 + ux * 0.14, text: `<b>${t.symbol}</b>`, showarrow: false, font: { size: 15 } });
  }
  const isEnd = (id: number) => id === grammar.start || id === grammar.accept;
  const xRange = [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5];
  const yRange = [Math.min(...ys) - 0.8, Math.max(...ys) + 0.8];
  return applyFigureOptions({
    data: [{
      type: "scatter", mode: "markers+text", x: xs, y: ys,
      text: grammar.states.map((s) => s.name), textposition: "middle center",
      marker: { size: 34, color: grammar.states.map((s) => (isEnd(s.id) ? "#fde9b7" : "#dbe9f6")), line: { color: "#333", width: 1.5 } },
      hovertemplate: "state %{text}<extra></extra>", showlegend: false,
    }],
    layout: {
      title: { text: `The ${grammar.name} automaton` },
      width: Math.round(unit * (xRange[1] - xRange[0])) + 20,
      height: Math.round(unit * (yRange[1] - yRange[0])) + 60,
      xaxis: { visible: false, range: xRange },
      yaxis: { visible: false, range: yRange, scaleanchor: "x" },
      annotations, shapes, plot_bgcolor: "white", margin: { l: 10, r: 10, t: 50, b: 10 },
    },
  }, options);
}

/** Valid/invalid counts per split as grouped bars; the thesis's counts as markers when given. */
export function classCountsFigure(splits: readonly SplitCounts[], thesis?: readonly SplitCounts[], options: FigureOptions = {}): PlotlyFigure {
  const names = splits.map((s) => s.split);
  const data: any[] = [];
  for (const [key, color] of [["valid", VALID_COLOR], ["invalid", INVALID_COLOR]] as const) {
    data.push({
      type: "bar", name: key, offsetgroup: key, x: names, y: splits.map((s) => s[key]), marker: { color },
      text: splits.map((s) => String(s[key])), textposition: "outside",
    });
    if (thesis) {
      data.push({
        type: "scatter", mode: "markers", name: "thesis", offsetgroup: key, showlegend: key === "valid", legendgroup: "thesis",
        x: names, y: names.map((n) => thesis.find((t) => t.split === n)?.[key] ?? null),
        marker: { symbol: "line-ew-open", size: 30, color: THESIS_COLOR, line: { width: 3 } },
        hovertemplate: `thesis ${key}: %{y}<extra></extra>`,
      });
    }
  }
  return applyFigureOptions({
    data,
    layout: {
      title: { text: "Valid and invalid strings per split" }, barmode: "group", scattermode: "group",
      xaxis: { title: { text: "split" } }, yaxis: { title: { text: "strings" } }, legend: { orientation: "h", y: -0.22 }, width: 620,
    },
  }, options);
}

/**
 * String-length distributions, one panel per set (e.g. entire / train / test),
 * with the thesis's histogram of the same set as a line when given.
 * Histograms are indexed by length: histogram[L] = strings of length L.
 */
export function lengthDistributionFigure(
  sets: ReadonlyArray<{ name: string; histogram: readonly number[]; thesis?: readonly number[] }>,
  options: FigureOptions = {},
): PlotlyFigure {
  const data: any[] = [];
  const layout: any = {
    title: { text: "String lengths" }, grid: { rows: sets.length, columns: 1, pattern: "independent", ygap: 0.3 },
    height: 280 * sets.length + 60, legend: { orientation: "h", y: -0.08 }, annotations: [], bargap: 0.05,
  };
  sets.forEach((set, i) => {
    const axis = i === 0 ? "" : String(i + 1);
    const longest = Math.max(set.histogram.length, set.thesis?.length ?? 0);
    const lengths = Array.from({ length: longest }, (_, L) => L).filter((L) => (set.histogram[L] ?? 0) > 0 || (set.thesis?.[L] ?? 0) > 0);
    data.push({
      type: "bar", name: "this run", x: lengths, y: lengths.map((L) => set.histogram[L] ?? 0), xaxis: `x${axis}`, yaxis: `y${axis}`,
      marker: { color: REBER_COLOR }, showlegend: i === 0, legendgroup: "run", hovertemplate: `${set.name}: length %{x}, %{y} strings<extra></extra>`,
    });
    if (set.thesis) {
      data.push({
        type: "scatter", mode: "lines+markers", name: "thesis", x: lengths, y: lengths.map((L) => set.thesis![L] ?? 0),
        xaxis: `x${axis}`, yaxis: `y${axis}`, line: { color: THESIS_COLOR, width: 1.5 }, marker: { size: 4 },
        showlegend: i === 0, legendgroup: "thesis", hovertemplate: `thesis ${set.name}: length %{x}, %{y} strings<extra></extra>`,
      });
    }
    layout[`xaxis${axis}`] = { title: { text: "string length" }, dtick: 5 };
    layout[`yaxis${axis}`] = { title: { text: set.name } };
  });
  return applyFigureOptions({ data, layout }, options);
}

/**
 * Character counts over all strings, letters A–Z (and any others present), the
 * Reber letters highlighted; the thesis's counts as markers when given.
 */
export function charCountsFigure(
  counts: Readonly<Record<string, number>>,
  options: FigureOptions & { reberLetters?: string; thesis?: Readonly<Record<string, number>> } = {},
): PlotlyFigure {
  const reber = options.reberLetters ?? "BEPSTVX";
  const letters = [...new Set([..."ABCDEFGHIJKLMNOPQRSTUVWXYZ", ...Object.keys(counts), ...Object.keys(options.thesis ?? {})])].sort();
  const data: any[] = [{
    type: "bar", name: "this run", x: letters, y: letters.map((c) => counts[c] ?? 0),
    marker: { color: letters.map((c) => (reber.includes(c) ? REBER_COLOR : OTHER_COLOR)) },
    hovertemplate: "%{x}: %{y}<extra></extra>",
  }];
  if (options.thesis) {
    data.push({
      type: "scatter", mode: "markers", name: "thesis", x: letters, y: letters.map((c) => options.thesis![c] ?? 0),
      marker: { symbol: "line-ew-open", size: 16, color: THESIS_COLOR, line: { width: 2 } }, hovertemplate: "thesis %{x}: %{y}<extra></extra>",
    });
  }
  return applyFigureOptions({
    data,
    layout: {
      title: { text: `Character counts (Reber letters ${reber.split("").join(" ")} in blue)` },
      xaxis: { title: { text: "character" }, type: "category" },
      yaxis: { title: { text: "occurrences" } }, legend: { orientation: "h", y: -0.2 },
    },
  }, options);
}

/** Several length distributions as lines on one chart, each scaled to shares of its total (a string as the last argument: the title). */
export function lengthModelsFigure(
  curves: ReadonlyArray<{ name: string; histogram: ArrayLike<number>; dash?: string; color?: string }>,
  options: FigureOptions | string = {},
): PlotlyFigure {
  return applyFigureOptions({
    data: curves.map((c) => {
      const counts = Array.from(c.histogram);
      const total = counts.reduce((a, b) => a + b, 0);
      const lengths = counts.map((_, L) => L).filter((L) => counts[L] > 0);
      return {
        type: "scatter", mode: "lines+markers", name: c.name, x: lengths, y: lengths.map((L) => counts[L] / total),
        line: { dash: c.dash ?? "solid", color: c.color }, marker: { size: 4 },
        hovertemplate: `${c.name}: length %{x}, share %{y:.4f}<extra></extra>`,
      };
    }),
    layout: {
      title: { text: "Length distributions" }, xaxis: { title: { text: "string length" }, dtick: 5 },
      yaxis: { title: { text: "share of strings" }, tickformat: ".0%" }, legend: { orientation: "h", y: -0.2 },
    },
  }, options);
}
