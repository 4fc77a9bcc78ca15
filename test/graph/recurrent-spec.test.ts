/**
 * The `recurrent` graph → network mapping: the graph's nodes are one layer's units, its edges the
 * pattern of W_hh in every gate block. Spec shape, and the engine on such networks against the tfjs
 * reference (every mode, both sequence layouts, js-f64), with masked weights staying exactly zero.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  adjacencyMask, connectedWattsStrogatz, edgesOf, graphFromEdges, graphToSpec, layerGraph, newmanWattsStrogatz, recurrentSpec,
  GRAPH_MAPPINGS, type Edge,
} from "../../src/graph";
import { CELL_MODES, GATES, Padding } from "../../src/nn/spec";
import { validateSpec } from "../../src/nn/validate";
import { Engine } from "../../src/nn/engine";
import { ColumnEngine } from "../../src/nn/column-engine";
import { jsOps } from "../../src/nn/js-ops";
import { Network } from "../../src/nn/network";
import { referenceGradients } from "../../src/nn/reference/model";
import { Random } from "../../src/data";
import { randomBatch, relativeError } from "../nn/helpers";

const LAYOUTS = [["rows", Engine], ["columns", ColumnEngine]] as const;
const PADDINGS: Padding[] = ["post", "packed"];

test("recurrent mapping: one layer of n units, W_hh = the adjacency in every gate block (tile), i2h dense, no skips", () => {
  const edges: Edge[] = [[0, 1], [1, 2], [2, 3], [0, 3], [1, 3]];
  const n = 5; // node 4 is isolated: its unit reads only the embedding
  const adjacency = adjacencyMask(n, edges);
  assert.deepEqual(Array.from(adjacency), [
    0, 1, 0, 1, 0,
    1, 0, 1, 1, 0,
    0, 1, 0, 1, 0,
    1, 1, 1, 0, 0,
    0, 0, 0, 0, 0,
  ]);
  assert.deepEqual(Array.from(adjacencyMask(3, [[0, 2]], true)), [1, 0, 1, 0, 1, 0, 1, 0, 1]);
  for (const mode of CELL_MODES) {
    const gates = GATES[mode];
    const spec = recurrentSpec(n, edges, { mode });
    validateSpec(spec);
    assert.deepEqual(spec.layers.map((l) => l.size), [n]);
    assert.equal(spec.layers[0].maskIH, undefined, "the embedding reads into the layer densely");
    assert.deepEqual(spec.skips, []);
    assert.deepEqual([spec.vocab, spec.classes, spec.mode], [128, 2, mode]);
    const maskHH = spec.layers[0].maskHH!;
    assert.equal(maskHH.length, gates * n * n);
    for (let k = 0; k < gates; k++) assert.deepEqual(maskHH.subarray(k * n * n, (k + 1) * n * n), adjacency, `${mode} gate block ${k}`);
    // self-loops keep the diagonal of every block
    const loops = recurrentSpec(n, edges, { mode, selfLoops: true }).layers[0].maskHH!;
    for (let k = 0; k < gates; k++) for (let u = 0; u < n; u++) assert.equal(loops[k * n * n + u * n + u], 1);
    let ones = 0;
    for (const x of loops) ones += x;
    assert.equal(ones, gates * (2 * edges.length + n));
    // "repeat" is accepted (np.repeat's row order) but does not follow the graph for several gates
    const repeat = recurrentSpec(n, edges, { mode, layout: "repeat" }).layers[0].maskHH!;
    for (let j = 0; j < gates * n; j++) assert.deepEqual(repeat.subarray(j * n, (j + 1) * n), adjacency.subarray(Math.floor(j / gates) * n, (Math.floor(j / gates) + 1) * n));
  }
});

test("graphToSpec's recurrent mapping: the same spec from the graph, its layering or the edge list; layered stays the default", () => {
  const rng = new Random(8);
  for (let i = 0; i < 6; i++) {
    const g = i % 2 ? newmanWattsStrogatz(12 + i, 4, 0.2, rng) : connectedWattsStrogatz(12 + i, 4, 0.1, 20, rng);
    const n = g.getNodeCount();
    for (const mode of CELL_MODES) {
      const direct = recurrentSpec(n, edgesOf(g), { mode, vocab: 12 });
      assert.deepEqual(graphToSpec(g, { mode, mapping: "recurrent", vocab: 12 }), direct);
      assert.deepEqual(graphToSpec(layerGraph(g), { mode, mapping: "recurrent", vocab: 12 }), direct);
      assert.deepEqual(graphToSpec(layerGraph(g), { mode }), graphToSpec(g, { mode, mapping: "layered" }), "layered from a graph = layered from its layering");
      // every edge is two W_hh entries per gate block
      let ones = 0;
      for (const x of direct.layers[0].maskHH!) ones += x;
      assert.equal(ones, 2 * GATES[mode] * g.getLinkCount());
    }
  }
  assert.deepEqual(GRAPH_MAPPINGS, ["layered", "recurrent"]);
  const g = graphFromEdges(4, [[0, 1], [1, 2], [2, 3]]);
  assert.throws(() => graphToSpec(g, { mode: "GRU", mapping: "ring" as never }), /graphToSpec: mapping "ring" is not one of layered, recurrent/);
  assert.throws(() => graphToSpec(g, { mode: "GRU", selfLoops: true }), /selfLoops applies to the recurrent mapping only/);
  assert.throws(() => recurrentSpec(4, [[0, 4]], { mode: "GRU" }), /adjacencyMask: edge \[0, 4\] names node 4 but the graph has 4 nodes/);
  assert.throws(() => recurrentSpec(4, [[0, 1]], { mode: "GRU", layout: "zip" as never }), /recurrentSpec: layout "zip"/);
  assert.throws(() => recurrentSpec(4, [[0, 1]], { mode: "GRU", selfLoops: "yes" as never }), /selfLoops must be true or false/);
});

function instance(mode: (typeof CELL_MODES)[number], seed: number, selfLoops: boolean) {
  const rng = new Random(seed);
  const g = connectedWattsStrogatz(9, 4, 0.3, 50, rng);
  const spec = graphToSpec(g, { mode, mapping: "recurrent", vocab: 12, selfLoops });
  const net = Network.create(spec, { seed: seed + 1 });
  const batch = randomBatch(5, 6, spec.vocab, rng);
  return { g, net, batch };
}

for (const [layout, EngineClass] of LAYOUTS) for (const mode of CELL_MODES) {
  test(`${layout} ${mode}: a recurrent-mapped network matches the tfjs reference (loss, logits, every gradient; both paddings)`, () => {
    for (const padding of PADDINGS) {
      for (const selfLoops of [false, true]) {
        const { net, batch } = instance(mode, 61, selfLoops);
        const engine = new EngineClass(net, jsOps("f64"), { batch: batch.size, steps: batch.steps });
        const result = engine.lossAndGradient(batch, padding);
        const ref = referenceGradients(net, batch, padding);
        const where = `${padding}, selfLoops ${selfLoops}`;
        assert.ok(Math.abs(result.loss - ref.loss) <= 2e-5 * Math.abs(ref.loss), `${where}: loss ${result.loss} vs ${ref.loss}`);
        assert.ok(relativeError(engine.lastLogits(), ref.logits) <= 2e-5, `${where}: logits`);
        const names = net.blocks.flatMap((b) => [`${b.name}.wIH`, `${b.name}.wHH`, `${b.name}.bIH`, `${b.name}.bHH`]).concat(["embedding", "headW", "headB"]);
        const grads = engine.gradientArrays(net);
        assert.equal(grads.length, names.length);
        grads.forEach((grad, i) => {
          const err = relativeError(grad, ref.grads[i]);
          assert.ok(err <= 2e-5, `${where}: ${names[i]} relative error ${err}`);
        });
      }
    }
  });

  test(`${layout} ${mode}: masked W_hh weights get zero gradient and stay exactly zero through Adam steps`, () => {
    const { g, net, batch } = instance(mode, 71, false);
    const block = net.blocks[0];
    assert.ok(block.maskIH.every((m) => m === 1), "i2h dense");
    const engine = new EngineClass(net, jsOps("f64"), { batch: batch.size, steps: batch.steps });
    const before = engine.lossAndGradient(batch, "packed").loss;
    for (let s = 0; s < 8; s++) {
      engine.lossAndGradient(batch, "packed");
      const gHH = engine.gradientArrays(net)[1];
      block.maskHH.forEach((m, i) => { if (!m) assert.ok(gHH[i] === 0, `gradient of masked W_hh[${i}] = ${gHH[i]}`); }); // ±0
      engine.step({ lr: 0.01, clip: 5 });
    }
    const after = engine.lossAndGradient(batch, "packed").loss;
    assert.ok(after < before, `training lowers the loss (${before} → ${after})`);
    engine.storeParameters(net);
    const n = g.getNodeCount();
    let zeros = 0, moved = 0;
    block.maskHH.forEach((m, i) => {
      if (!m) {
        assert.ok(block.wHH[i] === 0, `masked W_hh[${i}] = ${block.wHH[i]}`);
        zeros++;
      } else if (block.wHH[i] !== 0) moved++;
    });
    assert.equal(zeros, GATES[mode] * (n * n - 2 * g.getLinkCount()), "the non-edges and the diagonal, per gate block");
    assert.equal(moved, GATES[mode] * 2 * g.getLinkCount());
  });
}
