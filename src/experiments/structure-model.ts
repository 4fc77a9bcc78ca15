/**
 * One model of the random-structure experiments: graph → sparse recurrent network (the thesis's
 * layered DAG, or the graph as one layer's W_hh pattern) → trained and tested. Pure apart from the
 * clock; the sweep's and the structure study's workers run it.
 */
import type { Sample } from "../data/types";
import { CellMode } from "../nn/spec";
import { Network, train, evaluate, availableBackends } from "../nn";
import { Edge, GateLayout, GraphMapping, graphFromEdges, layerEdges, graphToSpec } from "../graph";

export interface StructureTask {
  mode: CellMode;
  nodes: number;
  edges: Edge[];
  layout: GateLayout;
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  precision: "f32" | "f64";
  /** graph → network (src/graph/to-spec.ts); absent: "layered", the thesis's (the sweep's tasks) */
  mapping?: GraphMapping;
}

export interface StructureOutcome {
  /** test accuracy after the last epoch */
  test_acc: number;
  /** test loss after the last epoch, summed over batches (the thesis's column) */
  test_loss: number;
  /** training seconds */
  time: number;
}

export async function trainStructureModel(task: StructureTask, data: { train: Sample[]; test: Sample[] }): Promise<StructureOutcome> {
  const spec = task.mapping === "recurrent"
    ? graphToSpec(graphFromEdges(task.nodes, task.edges), { mode: task.mode, mapping: "recurrent", layout: task.layout })
    : graphToSpec(layerEdges(task.nodes, task.edges), { mode: task.mode, layout: task.layout });
  const net = Network.create(spec, { seed: task.seed, precision: task.precision });
  availableBackends(); // loads (and on first use builds) the wasm kernels outside the timed region
  const start = process.hrtime.bigint();
  // Only the last epoch's test result is recorded, so the test set is evaluated once, after
  // training, instead of after every epoch (about a tenth of the run time saved).
  train(net, { train: data.train, test: [] }, { epochs: task.epochs, batchSize: task.batchSize, lr: task.lr, seed: task.seed, precision: task.precision, threads: 1 });
  const test = evaluate(net, data.test, { batchSize: task.batchSize, precision: task.precision });
  const time = Number(process.hrtime.bigint() - start) / 1e9;
  return { test_acc: test.acc, test_loss: test.loss, time };
}
