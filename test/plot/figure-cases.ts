/**
 * One small hand-made call of every figure builder in src/plot/*-figures.ts, for
 * test/plot/figure-labels.test.ts (not a test file itself: no `.test.ts`).
 *
 * A new exported builder needs a case here (or an entry in NOT_FIGURES), else
 * figure-labels.test.ts fails.
 */
import * as fs from "fs";
import * as path from "path";
import type { PlotlyFigure } from "../../src/plot/figure";
import * as dataset from "../../src/plot/dataset-figures";
import * as training from "../../src/plot/training-figures";
import * as pruning from "../../src/plot/pruning-figures";
import * as structure from "../../src/plot/structure-figures";
import * as prediction from "../../src/plot/prediction-figures";
import * as structureBeyond from "../../src/plot/structure-beyond-figures";
import * as sparsity from "../../src/plot/sparsity-figures";
import { accuracyByDensity, degreeTailChanges } from "../../src/experiments/sparsity-findings";
import { sparsityRow } from "../experiments/sparsity-rows";
import { REBER } from "../../src/data/grammar";
import type { EpochRecord } from "../../src/nn/train";
import type { ThesisEpoch } from "../../src/nn/thesis-log";
import type { CellMode } from "../../src/nn/spec";
import type { PruneRecord, SparseSpeedRow } from "../../src/prune";
import { graphToSpec, layerEdges, type Edge } from "../../src/graph";
import type { CvRow, PropertyCorrelation, SplitResult } from "../../src/predict";

/** The builder modules by file name, as the test discovers them in src/plot. */
export const MODULES: Readonly<Record<string, Record<string, unknown>>> = {
  "dataset-figures.ts": dataset,
  "training-figures.ts": training,
  "pruning-figures.ts": pruning,
  "structure-figures.ts": structure,
  "prediction-figures.ts": prediction,
  "structure-beyond-figures.ts": structureBeyond,
  "sparsity-figures.ts": sparsity,
};

/** Exported functions of the builder modules that return something other than a figure. */
export const NOT_FIGURES: Readonly<Record<string, string>> = {
  "training-figures.ts:accuracyComparisonRows": "rows for showTable",
  "structure-figures.ts:layerTable": "rows for showTable",
};

export type FigureCase = { module: string; builder: string; label: string; build: () => PlotlyFigure };

/** The src/plot modules whose name ends in -figures.ts, found on disk. */
export function figureModuleFiles(): string[] {
  const dir = path.join(__dirname, "../../src/plot");
  return fs.readdirSync(dir).filter((f) => f.endsWith("-figures.ts")).sort();
}

// ---- small inputs ----

const epochs = (accs: number[], loss = 40): EpochRecord[] => accs.map((acc, i) => ({
  epoch: i + 1, trainLoss: loss / (i + 1), trainLossMean: loss / (i + 1) / 100, trainAcc: Math.min(1, acc + 0.01),
  testLoss: loss / (i + 1.5), testLossMean: loss / (i + 1.5) / 100, testAcc: acc, seconds: 1.5,
}));
const thesisEpochs = (mode: CellMode, accs: number[]): ThesisEpoch[] => accs.map((acc, i) => ({
  mode, epoch: i + 1, trainLoss: 30 / (i + 1), trainAcc: acc, testLoss: 25 / (i + 1), testAcc: acc - 0.01, seconds: 20,
}));

function pruneRecords(variant: string, withGradual: boolean): PruneRecord[] {
  const v = variant.toLowerCase();
  const row = (mode: string, prune: number, epoch: number, acc: number): PruneRecord => ({
    mode, prune, epoch, train_loss: 1 - acc, train_acc: acc, test_loss: 1 - acc, test_acc: acc, time: 1,
  });
  const rows = [row(v, 0, 1, 0.95), row(v, 0, 2, 0.99)];
  for (const [mode, drop] of [[`${v}_prune`, 0.3], [`${v}_prune_i2h`, 0.2], [`${v}_prune_h2h`, 0.1]] as const) {
    for (const p of [10, 50, 90]) {
      for (let e = 0; e <= 2; e++) rows.push(row(mode, p, e, Math.min(1, 0.99 - (drop * p) / 100 + 0.1 * e)));
    }
  }
  if (withGradual) for (const p of [50, 90]) for (let e = 1; e <= 3; e++) rows.push(row(`${v}_gradual`, p, e, 0.8 + 0.06 * e));
  return rows;
}

const speedRows: SparseSpeedRow[] = (["GRU", "LSTM"] as CellMode[]).flatMap((mode) => [0.5, 0.3, 0.1].map((density) => ({
  mode, backend: "wasm", density, measuredDensity: density, denseLayout: "row", sparseLayout: "column",
  trainDense: 6, trainSparse: 6 * density + 1, inferDense: 1.2, inferSparse: 1.2 * density + 0.2,
  trainSpeedup: 6 / (6 * density + 1), inferSpeedup: 1.2 / (1.2 * density + 0.2),
})));

/** A 4×6 weight matrix per variant for the pruning explorer. */
export const explorerWeights = Object.fromEntries((["GRU", "LSTM"] as const).map((v, k) => [v, {
  rows: 4, cols: 6, label: "layer 0, h2h", values: Array.from({ length: 24 }, (_, i) => Math.sin(1.7 * i + k) * (0.2 + 0.03 * i)),
}]));

const worked = layerEdges(6, [[0, 2], [1, 3], [0, 3], [2, 4], [3, 5], [2, 5]] as Edge[]);

const sweepRows = (["GRU", "LSTM"] as const).flatMap((mode) => ["barabasi_albert", "watts_strogatz"].flatMap((graph, g) =>
  [0, 1, 2].map((k) => ({ mode, graph, test_acc: 0.7 + 0.1 * g + 0.03 * k, source_nodes: 1 + k + g, density: 0.1 + 0.05 * k }))));

const PROPS = ["source_nodes", "degree_var", "closeness_var"] as const;
const correlations: PropertyCorrelation[] = ["GRU", "LSTM"].flatMap((variant, v) => PROPS.map((property, j) => {
  const r = 0.6 - 0.5 * j - 0.1 * v;
  return { variant, property, r, pValue: j === 1 ? 0.2 : 0.01, ci: [r - 0.2, r + 0.15] as [number, number], n: 100 };
}));

const REGRESSORS = ["BayesianRidge", "RandomForestRegressor"] as const;
const splitResults: SplitResult[] = ["GRU", "LSTM"].flatMap((variant, v) => REGRESSORS.map((regressor, k) => ({
  variant, regressor, featureSet: "all", r2: 0.4 + 0.1 * k - 0.05 * v,
  yTest: [0.8, 0.85, 0.9, 0.95], yPred: [0.82, 0.84, 0.91, 0.93 - 0.01 * k],
  model: undefined as unknown as SplitResult["model"],
  importances: [0.5, 0.3, 0.2], permutation: { mean: [0.2, 0.1, 0.05], std: [0.02, 0.01, 0.01] }, features: PROPS,
})));
const thesisR2 = { GRU: { BayesianRidge: 0.67, RandomForestRegressor: 0.88 }, LSTM: { BayesianRidge: 0.37, RandomForestRegressor: 0.58 } };
const cvRows: CvRow[] = ["GRU", "LSTM"].flatMap((variant, v) => REGRESSORS.flatMap((regressor, k) => ["all", "degree"].map((featureSet, f) => ({
  variant, regressor, featureSet, mean: 0.5 - 0.1 * v + 0.05 * k - 0.2 * f, std: 0.1, scores: [0.4, 0.6],
}))));

// ---- the cases: every builder at least once ----

const sparsityRows = [0.5, 0.1].flatMap((density) => [
  sparsityRow({ method: "set", density, test_acc: 0.9 }), sparsityRow({ method: "rigl", density, test_acc: 0.92 }),
  sparsityRow({ method: "random-erk", density, test_acc: 0.85 }),
]).concat(sparsityRow({ method: "dense", density: 1, test_acc: 0.97 }));

export const CASES: readonly FigureCase[] = [
  { module: "dataset-figures.ts", builder: "automatonFigure", label: "Reber automaton, default title", build: () => dataset.automatonFigure(REBER) },
  { module: "dataset-figures.ts", builder: "automatonFigure", label: "Reber automaton, own title", build: () => dataset.automatonFigure(REBER, { title: "The Reber grammar (thesis figure 4.1)" }) },
  {
    module: "dataset-figures.ts", builder: "classCountsFigure", label: "two splits with the thesis",
    build: () => dataset.classCountsFigure(
      [{ split: "train", count: 10, valid: 4, invalid: 6 }, { split: "test", count: 4, valid: 1, invalid: 3 }],
      [{ split: "train", count: 10, valid: 5, invalid: 5 }, { split: "test", count: 4, valid: 2, invalid: 2 }]),
  },
  {
    module: "dataset-figures.ts", builder: "lengthDistributionFigure", label: "three panels",
    build: () => dataset.lengthDistributionFigure([
      { name: "entire", histogram: [0, 0, 3, 1, 2], thesis: [0, 0, 2, 2, 1] },
      { name: "train", histogram: [0, 1, 2, 1] },
      { name: "test", histogram: [0, 0, 1, 1] },
    ]),
  },
  { module: "dataset-figures.ts", builder: "charCountsFigure", label: "with thesis", build: () => dataset.charCountsFigure({ B: 5, T: 3, Q: 1 }, { thesis: { B: 4 } }) },
  {
    module: "dataset-figures.ts", builder: "lengthModelsFigure", label: "two curves, own title",
    build: () => dataset.lengthModelsFigure([{ name: "a", histogram: [0, 1, 3] }, { name: "b", histogram: [0, 0, 1, 1], dash: "dash" }], "Lengths: a vs b"),
  },

  {
    module: "training-figures.ts", builder: "learningCurvesFigure", label: "GRU with the thesis",
    build: () => training.learningCurvesFigure("GRU", epochs([0.9, 0.95, 0.99]), thesisEpochs("GRU", [0.92, 0.96, 0.98])),
  },
  {
    module: "training-figures.ts", builder: "testAccuracyFigure", label: "two modes",
    build: () => training.testAccuracyFigure([
      { mode: "GRU", records: epochs([0.9, 0.95]), thesis: thesisEpochs("GRU", [0.9, 0.97]) },
      { mode: "LSTM", records: epochs([0.85, 0.99]) },
    ]),
  },
  {
    module: "training-figures.ts", builder: "benchmarkFigure", label: "two backends and PyTorch",
    build: () => training.benchmarkFigure({
      date: "2026-11-28T10:00:00Z", ours: { "js-f64": { GRU: 9, LSTM: 10 }, wasm: { GRU: 5.9, LSTM: 6.8 } }, torch: { GRU: 10.7, LSTM: 12.2 },
    }),
  },

  {
    module: "pruning-figures.ts", builder: "maskExampleFigure", label: "3×3, default title",
    build: () => pruning.maskExampleFigure([0.5, -0.01, 0.3, 0.02, -0.7, 0.1, 0.05, 0.2, -0.03], [1, 0, 1, 0, 1, 1, 1, 1, 0], 3, 3, 0.04),
  },
  {
    module: "pruning-figures.ts", builder: "maskExampleFigure", label: "3×3, own title",
    build: () => pruning.maskExampleFigure([0.5, -0.01, 0.3, 0.02, -0.7, 0.1, 0.05, 0.2, -0.03], [1, 0, 1, 0, 1, 1, 1, 1, 0], 3, 3, 0.04, { title: "p = 10: threshold 0.0400" }),
  },
  {
    module: "pruning-figures.ts", builder: "accuracyAfterPruningFigure", label: "three kinds with the thesis",
    build: () => pruning.accuracyAfterPruningFigure("RNN_TANH", pruneRecords("RNN_TANH", false), pruneRecords("RNN_TANH", false), ["both", "i2h", "h2h"]),
  },
  {
    module: "pruning-figures.ts", builder: "recoveryFigure", label: "two levels with the thesis",
    build: () => pruning.recoveryFigure("RNN_TANH", "both", pruneRecords("RNN_TANH", false), [50, 90], pruneRecords("RNN_TANH", false)),
  },
  {
    module: "pruning-figures.ts", builder: "gradualComparisonFigure", label: "longest variant name",
    build: () => pruning.gradualComparisonFigure("RNN_TANH", "both", pruneRecords("RNN_TANH", true), [50, 90]),
  },
  { module: "pruning-figures.ts", builder: "sparseSpeedFigure", label: "two modes", build: () => pruning.sparseSpeedFigure(speedRows) },
  {
    module: "pruning-figures.ts", builder: "pruningLevelExplorer", label: "two variants with weight masks",
    build: () => pruning.pruningLevelExplorer([...pruneRecords("GRU", false), ...pruneRecords("LSTM", false)], { weights: explorerWeights }),
  },
  {
    module: "pruning-figures.ts", builder: "pruningLevelExplorer", label: "accuracy only, paper template",
    build: () => pruning.pruningLevelExplorer(pruneRecords("RNN_TANH", false), { template: "paper", title: "RNN_TANH pruning levels" }),
  },

  { module: "structure-figures.ts", builder: "graphFigure", label: "worked graph", build: () => structure.graphFigure(6, worked.edges) },
  { module: "structure-figures.ts", builder: "dagFigure", label: "worked DAG", build: () => structure.dagFigure(worked) },
  { module: "structure-figures.ts", builder: "networkFigure", label: "worked GRU network", build: () => structure.networkFigure(graphToSpec(worked, { mode: "GRU" })) },
  { module: "structure-figures.ts", builder: "gateMaskFigure", label: "GRU gates", build: () => structure.gateMaskFigure(worked, 0, 1, 3) },
  { module: "structure-figures.ts", builder: "accuracyByFamilyFigure", label: "two families", build: () => structure.accuracyByFamilyFigure(sweepRows) },
  {
    module: "structure-figures.ts", builder: "propertyScatterFigure", label: "2 variants × 2 properties",
    build: () => structure.propertyScatterFigure(sweepRows, ["source_nodes", "density"]),
  },
  {
    module: "structure-figures.ts", builder: "layoutComparisonFigure", label: "two modes",
    build: () => structure.layoutComparisonFigure([
      { mode: "GRU", graph: "watts_strogatz", repeat: 0.6, tile: 0.9 }, { mode: "LSTM", graph: "barabasi_albert", repeat: 0.8, tile: 0.7 },
    ]),
  },

  {
    module: "structure-figures.ts", builder: "propertyScatterExplorer", label: "2 properties × 2 variants",
    build: () => structure.propertyScatterExplorer(sweepRows, ["source_nodes", "density"], ["GRU", "LSTM"]),
  },

  { module: "prediction-figures.ts", builder: "correlationHeatmap", label: "3 properties × 2 variants", build: () => prediction.correlationHeatmap(correlations) },
  { module: "prediction-figures.ts", builder: "correlationBars", label: "3 properties × 2 variants", build: () => prediction.correlationBars(correlations) },
  { module: "prediction-figures.ts", builder: "predictedVsActual", label: "2 variants × 2 regressors", build: () => prediction.predictedVsActual(splitResults) },
  { module: "prediction-figures.ts", builder: "r2Comparison", label: "with the thesis", build: () => prediction.r2Comparison(splitResults, thesisR2) },
  { module: "prediction-figures.ts", builder: "cvBars", label: "with the thesis", build: () => prediction.cvBars(cvRows, "all", thesisR2) },
  { module: "prediction-figures.ts", builder: "importanceBars", label: "random forest", build: () => prediction.importanceBars(splitResults[1]) },
  { module: "prediction-figures.ts", builder: "cvExplorer", label: "two feature sets with the thesis", build: () => prediction.cvExplorer(cvRows, { thesis: thesisR2, featureSetLabels: { all: "all properties", degree: "degree only" } }) },
  {
    module: "structure-figures.ts", builder: "propertyScatterFigure", label: "fit lines per family",
    build: () => structure.propertyScatterFigure(sweepRows, ["source_nodes", "density"], { fitBy: "family" }),
  },
  {
    module: "structure-beyond-figures.ts", builder: "clPlaneHeatmap", label: "six models, three bins",
    build: () => structureBeyond.clPlaneHeatmap([0, 1, 2, 3, 4, 5].map((i) => ({ average_clustering: i / 10, average_shortest_path_length: 1 + i / 3, test_acc: 0.6 + i / 20 })), { bins: 3 }),
  },
  {
    module: "structure-beyond-figures.ts", builder: "accuracyByRewiringFigure", label: "two variants × two mappings",
    build: () => structureBeyond.accuracyByRewiringFigure(["GRU", "RNN_TANH"].flatMap((mode) => ["layered", "recurrent"].flatMap((mapping) =>
      ["WS p=0", "WS p=1", "BA"].map((family, i) => ({ mode, mapping, family, p: [0, 1, null][i], graphs: 2, mean: 0.7 + 0.05 * i, se: 0.02 }))))),
  },
  {
    module: "structure-beyond-figures.ts", builder: "noiseCeilingFigure", label: "two targets",
    build: () => structureBeyond.noiseCeilingFigure([
      { label: "GRU, one run", ceiling: { estimate: 0.7, low: 0.6, high: 0.8 }, scores: [{ name: "thesis, one split", mean: 0.88 }, { name: "random forest, CV", mean: 0.6, std: 0.1 }] },
      { label: "GRU, seed mean", ceiling: { estimate: 0.9, low: 0.85, high: 0.95 }, scores: [{ name: "random forest, CV", mean: 0.7, std: 0.1 }] },
    ]),
  },
  { module: "prediction-figures.ts", builder: "featureSetHeatmap", label: "two feature sets", build: () => prediction.featureSetHeatmap(cvRows, { all: "all properties", degree: "degree only" }) },

  { module: "sparsity-figures.ts", builder: "accuracyByDensityFigure", label: "a method and a control", build: () => sparsity.accuracyByDensityFigure(accuracyByDensity(sparsityRows), "GRU", "reber") },
  { module: "sparsity-figures.ts", builder: "degreeDistributionFigure", label: "SET and RigL", build: () => sparsity.degreeDistributionFigure(sparsityRows, "GRU", "reber", 0.1) },
  { module: "sparsity-figures.ts", builder: "degreeTailFigure", label: "SET and RigL", build: () => sparsity.degreeTailFigure(degreeTailChanges(sparsityRows), "GRU", "reber") },
];
