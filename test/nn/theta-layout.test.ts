/**
 * θ's layout (src/nn/theta-layout.ts) is Network.parameterArrays() laid end to end:
 * every named range has its array's length and place, the ranges tile θ without gaps,
 * the masked span of a block is its W_ih then W_hh, and thetaArrayIndex agrees.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../src/core/random";
import { barabasiAlbert, graphToSpec, layerGraph } from "../../src/graph";
import { Network } from "../../src/nn/network";
import { CELL_MODES, NetworkSpec } from "../../src/nn/spec";
import { thetaArrayIndex, thetaLayout, trainableParameters } from "../../src/nn/theta-layout";

function specs(): NetworkSpec[] {
  const out: NetworkSpec[] = [];
  for (const mode of CELL_MODES) {
    out.push({ mode, vocab: 5, classes: 2, layers: [{ size: 4 }, { size: 3 }, { size: 2 }], skips: [{ from: 0, to: 2 }] });
    out.push(graphToSpec(layerGraph(barabasiAlbert(16, 2, new Random(7))), { mode, vocab: 12 }));
  }
  return out;
}

test("θ's named ranges are Network.parameterArrays() end to end", () => {
  for (const spec of specs()) {
    const net = Network.create(spec, { seed: 3 });
    const theta = thetaLayout(spec), arrays = net.parameterArrays();
    assert.equal(theta.arrays.length, arrays.length);
    let offset = 0;
    theta.arrays.forEach((r, i) => {
      assert.equal(r.index, i);
      assert.equal(r.offset, offset, `array ${i} starts where the one before ends`);
      assert.equal(r.length, arrays[i].length);
      assert.equal(r.rows * r.cols, r.length);
      offset += r.length;
    });
    assert.equal(theta.size, offset);
    net.blocks.forEach((b, i) => {
      const t = theta.blocks[i];
      assert.deepEqual([t.wIH, t.wHH, t.bIH, t.bHH].map((r) => r.length), [b.wIH.length, b.wHH.length, b.bIH.length, b.bHH.length]);
      assert.deepEqual([t.wIH.rows, t.wIH.cols, t.wHH.cols], [b.gates * b.hidden, b.inputSize, b.hidden]);
      assert.deepEqual([t.wIH.block, t.wHH.block, t.bIH.block, t.bHH.block], [i, i, undefined, undefined], "only the weights are masked");
      assert.deepEqual(t.masked, { offset: t.wIH.offset, length: b.maskIH.length + b.maskHH.length });
      for (const key of ["wIH", "wHH", "bIH", "bHH"] as const) assert.equal(thetaArrayIndex(i, key), t[key].index);
    });
    assert.equal(theta.embedding.length, net.embedding.length);
    assert.equal(theta.headW.length, net.headW.length);
    assert.equal(theta.headB.length, net.headB.length);
    assert.deepEqual([theta.embedding, theta.headW, theta.headB].map((r) => r.index), [arrays.length - 3, arrays.length - 2, arrays.length - 1]);
  }
});

test("trainable parameters: θ's size for a dense spec, less every masked-out weight for a graph's", () => {
  const dense: NetworkSpec = { mode: "GRU", vocab: 5, classes: 2, layers: [{ size: 4 }, { size: 3 }], skips: [] };
  // GRU: layer 0: 3·4·4 + 3·4·4 + 2·3·4; layer 1: 3·3·4 + 3·3·3 + 2·3·3; embedding 5·4; head 2·3 + 2
  assert.equal(trainableParameters(dense), 48 + 48 + 24 + 36 + 27 + 18 + 20 + 6 + 2);
  assert.equal(trainableParameters(dense), thetaLayout(dense).size);
  const masked: NetworkSpec = { ...dense, layers: [{ size: 4 }, { size: 3, maskIH: new Uint8Array(36).fill(1).fill(0, 0, 10) }] };
  assert.equal(trainableParameters(masked), thetaLayout(masked).size - 10);
  let checked = 0;
  for (const spec of specs()) {
    const net = Network.create(spec, { seed: 1 });
    const kept = net.blocks.reduce((a, b) => a + b.maskIH.reduce((s, m) => s + m, 0) + b.maskHH.reduce((s, m) => s + m, 0) + b.bIH.length + b.bHH.length, 0)
      + net.embedding.length + net.headW.length + net.headB.length;
    assert.equal(trainableParameters(spec), kept);
    checked++;
  }
  assert.ok(checked >= 8);
});
