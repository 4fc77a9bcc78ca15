/**
 * The same seed gives bit-identical weights and records on one thread and on two
 * (sharded-runner.ts): the thesis's 3×50 LSTM and a random-structure GRU on the
 * feature-major engine, one epoch each; and a pruned network on the sparse backend.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateDataset } from "../../src/data";
import { Network } from "../../src/nn/network";
import { EpochRecord, train, TrainOptions } from "../../src/nn/train";
import type { NetworkSpec } from "../../src/nn/spec";
import { barabasiAlbert, edgesOf, graphToSpec, layerEdges } from "../../src/graph";
import { Random } from "../../src/core/random";
import { pruneNetwork, sparseBackend } from "../../src/prune";

const data = generateDataset({ size: 400, testSize: 100, seed: 7 });

/** A run's numbers: every weight and every record field except the clock. */
function run(spec: NetworkSpec, options: Omit<TrainOptions, "threads">, threads: number, prepare?: (net: Network) => void) {
  const net = Network.create(spec, { seed: 3 });
  prepare?.(net);
  const records = train(net, data, { ...options, threads });
  const numbers = records.map(({ seconds: _clock, ...rest }: EpochRecord) => rest);
  return { numbers, weights: net.parameterArrays().map((a) => Array.from(a)) };
}

function assertIdentical(spec: NetworkSpec, options: Omit<TrainOptions, "threads">, what: string, prepare?: (net: Network) => void): void {
  const one = run(spec, options, 1, prepare);
  const two = run(spec, options, 2, prepare);
  assert.ok(one.numbers.length >= 1 && one.weights.length >= 10, `${what}: something was trained`);
  assert.deepEqual(two.numbers, one.numbers, `${what}: records on 2 threads`);
  assert.deepEqual(two.weights, one.weights, `${what}: weights on 2 threads`);
}

test("a 3×50 LSTM trains to bit-identical weights and records on 1 and 2 threads (row-major engine)", () => {
  const spec: NetworkSpec = { mode: "LSTM", vocab: 128, classes: 2, layers: [{ size: 50 }, { size: 50 }, { size: 50 }], skips: [] };
  assertIdentical(spec, { epochs: 1, batchSize: 32, seed: 1, layout: "rows" }, "3×50 LSTM");
});

test("a random-structure GRU trains to bit-identical weights and records on 1 and 2 threads (feature-major engine)", () => {
  const graph = barabasiAlbert(30, 3, new Random(5));
  const n = 30;
  const spec = graphToSpec(layerEdges(n, edgesOf(graph)), { mode: "GRU", layout: "repeat" });
  assert.ok(spec.layers.length >= 5 && spec.skips.length >= 5, "a deep network with skip blocks");
  assertIdentical(spec, { epochs: 1, batchSize: 128, seed: 2, layout: "columns" }, "random-structure GRU");
});

test("a pruned RNN_TANH on the sparse backend gives the same numbers whatever thread count is asked for", () => {
  const spec: NetworkSpec = { mode: "RNN_TANH", vocab: 128, classes: 2, layers: [{ size: 20 }, { size: 20 }], skips: [] };
  const prune = (net: Network) => { pruneNetwork(net, { percent: 80, kind: "both", scope: "global" }); };
  assertIdentical(spec, { epochs: 1, batchSize: 32, seed: 4, backend: sparseBackend("wasm") as never }, "sparse RNN_TANH", prune);
});
