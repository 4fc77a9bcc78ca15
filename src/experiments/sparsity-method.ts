/**
 * One task of the sparse-training comparison: one method (or the dense reference) for one variant,
 * task and seed, at every density of the settings — the rows it leaves. Pure apart from the clock
 * and the dense run's snapshots (written by the dense task, read by the methods that start from it);
 * the comparison's executor runs it in a worker thread or in this one.
 *
 * The budget. Every network is trained `epochs` (E) epochs from its initialisation θ₀ to the weights
 * evaluated: the sparse-from-scratch methods and controls for E epochs; one-shot and gradual for
 * `denseEpochs` (D) dense epochs (shared: the dense run's snapshot) and E − D sparse; a lottery ticket
 * rewound to θ_j for E − j epochs after the j the dense run gave it. What finding a mask costs besides
 * (a ticket's dense run and earlier rounds) is reported as search_epochs, not hidden in the budget.
 *
 * The lottery chains: one iterative-magnitude chain per rewinding passes through all the densities in
 * order (50 → 20 → 10 → 5 → 2 %, say): the ticket at one density is trained, scored, and its trained
 * weights pruned to the next density (never reviving a weight), rewound and trained again.
 */
import * as fs from "fs";
import * as path from "path";
import type { GrammarName } from "../data/grammar";
import type { Sample } from "../data/types";
import { Network } from "../nn/network";
import { CellMode, NetworkSpec } from "../nn/spec";
import { train, evaluate, type TrainOptions } from "../nn/train";
import { gradualPruningHook, pruneNetwork, rampSchedule, sparseBackend } from "../prune";
import {
  applyPlan, graphMasks, keptRecurrentWeights, magnitudeTopK, randomMasks, recurrentWeightCount, rigl, set, shuffledMasks,
  smallDenseSpec, snipMasks, degreeColumns, maskGraphMetrics, type GraphFamilyName, type DegreeColumns,
} from "../sparsity";
import { roleOf, SPARSITY_GROUP, type SparsityComparisonSettings, type SparsityMethod, type SparsityRow } from "./sparsity-settings";

export interface SparsityTask {
  settings: SparsityComparisonSettings;
  variant: CellMode;
  task: GrammarName;
  seed: number;
  method: SparsityMethod | "dense";
  /** the folder of this variant, task and seed's dense-run snapshots (epoch-<k>.json) */
  snapshots: string;
}

/** The dense run's snapshot after epoch k. */
export function snapshotFile(folder: string, epoch: number): string {
  return path.join(folder, `epoch-${epoch}.json`);
}

/** The stacked network the comparison trains (before any mask). */
export function comparisonSpec(settings: Pick<SparsityComparisonSettings, "layers">, variant: CellMode): NetworkSpec {
  return { mode: variant, vocab: 128, classes: 2, layers: settings.layers.map((size) => ({ size })), skips: [] };
}

const FAMILY_OF: Partial<Record<SparsityMethod, GraphFamilyName>> = { "graph-ba": "barabasi_albert", "graph-ws": "watts_strogatz", "graph-er": "erdos_renyi" };

interface Trained { train_acc: number; test_acc: number; test_loss: number; seconds: number }

/** Run one task: its rows, one per density (the dense reference: one row). */
export function runSparsityTask(t: SparsityTask, data: { train: Sample[]; test: Sample[] }): SparsityRow[] {
  const s = t.settings;
  const E = s.epochs, D = s.denseEpochs;
  const spec = comparisonSpec(s, t.variant);
  const total = recurrentWeightCount(spec);
  const backend = sparseBackend(s.backend);
  const options: TrainOptions = { epochs: E, batchSize: s.batchSize, lr: s.lr, seed: t.seed, backend: backend as TrainOptions["backend"], precision: "f32", threads: 1 };
  const stepsPerEpoch = Math.ceil(data.train.length / s.batchSize);
  const fresh = (of: NetworkSpec = spec) => Network.create(of, { seed: t.seed, precision: "f32" });
  const snapshot = (epoch: number) => Network.loadFile(snapshotFile(t.snapshots, epoch));
  const pruneOneShot = (net: Network, density: number) => pruneNetwork(net, { percent: 100 * (1 - density), kind: SPARSITY_GROUP, scope: "global" });

  /** Train (only the training set is evaluated per epoch), then test once. */
  const trainAndTest = (net: Network, extra: Partial<TrainOptions> = {}): Trained => {
    const start = process.hrtime.bigint();
    const records = train(net, { train: data.train, test: [] }, { ...options, ...extra });
    const test = evaluate(net, data.test, { batchSize: s.batchSize, backend: options.backend, precision: "f32" });
    return { train_acc: records[records.length - 1].trainAcc, test_acc: test.acc, test_loss: test.loss, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
  };
  const row = (net: Network, density: number, start: DegreeColumns, trained: Trained, searchEpochs = 0): SparsityRow => {
    const kept = keptRecurrentWeights(net);
    return {
      variant: t.variant, task: t.task, seed: t.seed, method: t.method, role: roleOf(t.method),
      density, kept, total, kept_fraction: kept / total, epochs: E, search_epochs: searchEpochs, ...trained,
      ...maskGraphMetrics(net, { smallWorld: s.smallWorld, seed: t.seed }),
      start_degree_cv: start.degree_cv, start_degree_max_ratio: start.degree_max_ratio, start_degree_histogram: start.degree_histogram,
    };
  };
  /** A network whose mask is fixed from initialisation on: start and end masks are one. */
  const staticRow = (net: Network, density: number, searchEpochs = 0): SparsityRow => row(net, density, degreeColumns(net), trainAndTest(net), searchEpochs);
  const denseStart = degreeColumns(fresh());

  switch (t.method) {
    case "dense": {
      const net = fresh();
      const keep = new Set([D, s.rewindEpoch, E]);
      fs.mkdirSync(t.snapshots, { recursive: true });
      const trained = trainAndTest(net, { onEpoch: (r) => { if (keep.has(r.epoch)) net.save(snapshotFile(t.snapshots, r.epoch)); } });
      return [row(net, 1, denseStart, trained)];
    }
    case "one-shot":
      return s.densities.map((d) => {
        const net = snapshot(D);
        pruneOneShot(net, d);
        return row(net, d, denseStart, trainAndTest(net, { epochs: E - D, startEpoch: D + 1 }));
      });
    case "gradual":
      return s.densities.map((d) => {
        const net = snapshot(D);
        const afterStep = gradualPruningHook(rampSchedule(1 - d, s.rampEpochs * stepsPerEpoch, s.gradualIntervals), { kind: SPARSITY_GROUP, scope: "global" });
        return row(net, d, denseStart, trainAndTest(net, { epochs: E - D, startEpoch: D + 1, afterStep }));
      });
    case "lottery":
    case "lottery-late": {
      const j = t.method === "lottery" ? 0 : s.rewindEpoch;
      const rewindTo = j === 0 ? fresh() : snapshot(j);
      let trained = snapshot(E);
      return s.densities.map((d, i) => {
        const ticket = rewindTo.clone();
        applyPlan(ticket, magnitudeTopK(trained, SPARSITY_GROUP, d, "global"));
        const start = degreeColumns(ticket);
        const result = row(ticket, d, start, trainAndTest(ticket, { epochs: E - j, startEpoch: j + 1 }), E + i * (E - j));
        trained = ticket;
        return result;
      });
    }
    case "snip":
      return s.densities.map((d) => {
        const net = fresh();
        applyPlan(net, snipMasks(net, { train: data.train }, { group: SPARSITY_GROUP, density: d, batchSize: s.batchSize, batches: s.snipBatches, seed: t.seed }));
        return staticRow(net, d);
      });
    case "set":
    case "rigl":
      return s.densities.map((d) => {
        const make = t.method === "set" ? set : rigl;
        const method = make({
          group: SPARSITY_GROUP, density: d, rule: "erk", seed: t.seed,
          schedule: { every: s.updateEvery, fraction: s.updateFraction, endStep: Math.max(1, Math.floor(0.75 * E * stepsPerEpoch)), decay: "cosine" },
        });
        const net = fresh();
        applyPlan(net, method.masksAt(net));
        const start = degreeColumns(net);
        return row(net, d, start, trainAndTest(net, { afterStep: method.afterStep }));
      });
    case "graph-ba":
    case "graph-ws":
    case "graph-er": {
      const family = FAMILY_OF[t.method]!;
      return s.densities.map((d) => {
        const net = fresh();
        applyPlan(net, graphMasks(net, { group: SPARSITY_GROUP, family, density: d, seed: t.seed }));
        return staticRow(net, d);
      });
    }
    case "random-erk":
      return s.densities.map((d) => {
        const net = fresh();
        applyPlan(net, randomMasks(net, { group: SPARSITY_GROUP, density: d, rule: "erk", seed: t.seed }));
        return staticRow(net, d);
      });
    case "shuffled":
      return s.densities.map((d) => {
        const pruned = snapshot(D);
        pruneOneShot(pruned, d);
        const net = fresh();
        applyPlan(net, shuffledMasks(pruned, { group: SPARSITY_GROUP, seed: t.seed }));
        return staticRow(net, d, D);
      });
    case "small-dense":
      return s.densities.map((d) => staticRow(fresh(smallDenseSpec(spec, Math.round(d * total)).spec), d));
  }
}
