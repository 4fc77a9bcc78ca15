import { test } from "node:test";
import assert from "node:assert/strict";
import { derivedFeatures, withDerivedFeatures } from "../../src/predict/derived-features";
import { averageClustering, barabasiAlbert, edgesOf, formatEdges, graphFromEdges, graphToSpec, layerEdges } from "../../src/graph";
import { trainableParameters } from "../../src/nn/theta-layout";
import { Random } from "../../src/core/random";

test("a row with an edge list: parameters of its layered network and its average clustering", () => {
  // a triangle 0–1–2 with a pendant 3: C = (1 + 1 + 1/3 + 0) / 4; the layered network has layers {0}, {1}, {2}, {3} with skip 0→2
  const row = { mode: "RNN_TANH", nodes: 4, edge_list: "0-1 0-2 1-2 2-3", layout: "repeat" };
  const features = derivedFeatures(row)!;
  assert.equal(features.average_clustering, (1 + 1 + 1 / 3) / 4);
  // layers: 1 unit each: layer 0 (in 1: 1+1+2), layers 1–3 (in 1: 1+1+2) each, skip 0→2 (1+1+2), embedding 128, head 2 + 2
  assert.equal(features.parameters, 5 * 4 + 128 + 4);
});

test("derived features agree with the graph functions on sweep-like rows, per mapping", () => {
  let checked = 0;
  for (let seed = 1; seed <= 4; seed++) {
    const g = barabasiAlbert(12 + seed, 2, new Random(seed));
    const row = { mode: "GRU", nodes: g.getNodeCount(), edge_list: formatEdges(edgesOf(g)), layout: "repeat" };
    const layered = derivedFeatures(row)!, recurrent = derivedFeatures(row, "recurrent")!;
    assert.equal(layered.parameters, trainableParameters(graphToSpec(layerEdges(row.nodes, edgesOf(g)), { mode: "GRU", layout: "repeat" })));
    assert.equal(recurrent.parameters, trainableParameters(graphToSpec(graphFromEdges(row.nodes, edgesOf(g)), { mode: "GRU", mapping: "recurrent", layout: "repeat" })));
    assert.equal(layered.average_clustering, averageClustering(g));
    checked++;
  }
  assert.equal(checked, 4);
});

test("rows without an edge list (the thesis's tables) are left as they are", () => {
  assert.equal(derivedFeatures({ mode: "GRU", nodes: 10 }), undefined);
  const [row] = withDerivedFeatures([{ mode: "GRU", nodes: 10, test_acc: 0.9 }]);
  assert.deepEqual(row, { mode: "GRU", nodes: 10, test_acc: 0.9 });
});
