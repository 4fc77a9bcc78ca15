import { test } from "node:test";
import assert from "node:assert/strict";
import { graphToSpec, expandGateMask, vertexMask, layerEdges, layerGraph, barabasiAlbert, connectedWattsStrogatz, Edge } from "../../src/graph";
import { GATES, CELL_MODES } from "../../src/nn/spec";
import { validateSpec } from "../../src/nn/validate";
import { Random } from "../../src/data";

const worked: Edge[] = [[0, 2], [1, 2], [1, 3], [2, 3], [2, 4], [3, 4]];

test("worked example → network spec: sizes 2,1,1,1; masks from edges; skips (0,2) and (1,3)", () => {
  const spec = graphToSpec(layerEdges(5, worked), { mode: "RNN_TANH" });
  assert.deepEqual(spec.layers.map((l) => l.size), [2, 1, 1, 1]);
  assert.equal(spec.layers[0].maskIH, undefined, "layer 0 reads the embedding densely");
  assert.deepEqual(Array.from(spec.layers[1].maskIH!), [1, 1]); // node 2 ← nodes 0, 1
  assert.deepEqual(Array.from(spec.layers[2].maskIH!), [1]); // node 3 ← node 2
  assert.deepEqual(Array.from(spec.layers[3].maskIH!), [1]); // node 4 ← node 3
  assert.deepEqual(spec.skips.map((s) => [s.from, s.to, Array.from(s.maskIH!)]), [[0, 2, [0, 1]], [1, 3, [1]]]); // 1→3, 2→4
  assert.ok(spec.layers.every((l) => l.maskHH === undefined) && spec.skips.every((s) => s.maskHH === undefined), "h2h dense");
  assert.deepEqual([spec.vocab, spec.classes, spec.mode], [128, 2, "RNN_TANH"]);
});

test("gate layouts: repeat = np.repeat(mask, gates, axis=0), tile = each gate block is the vertex mask", () => {
  const mask = Uint8Array.from([1, 0, 0, 1]); // 2 × 2 identity
  assert.deepEqual(Array.from(expandGateMask(mask, 2, 2, 3, "repeat")), [1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(expandGateMask(mask, 2, 2, 3, "tile")), [1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
  assert.deepEqual(expandGateMask(mask, 2, 2, 1, "repeat"), expandGateMask(mask, 2, 2, 1, "tile"));
  assert.throws(() => expandGateMask(mask, 2, 3, 3, "tile"), /mask has 4 entries, expected 2×3/);
  assert.throws(() => expandGateMask(mask, 2, 2, 3, "zip" as never), /layout "zip"/);
});

test("row rules hold for every layer and skip of BA / WS graphs, and the specs validate", () => {
  const rng = new Random(5);
  for (let i = 0; i < 12; i++) {
    const n = 10 + rng.nextInt(41);
    const g = i % 2 ? barabasiAlbert(n, Math.floor(n / 10), rng) : connectedWattsStrogatz(n, Math.floor(n / 5), 1, 10, rng);
    const layering = layerGraph(g);
    for (const mode of CELL_MODES) {
      const gates = GATES[mode];
      const repeat = graphToSpec(layering, { mode, layout: "repeat" });
      const tile = graphToSpec(layering, { mode, layout: "tile" });
      validateSpec(repeat);
      validateSpec(tile);
      const blocks = [
        ...repeat.layers.map((l, k) => ({ from: k - 1, to: k, r: l.maskIH, t: tile.layers[k].maskIH })),
        ...repeat.skips.map((s, k) => ({ from: s.from, to: s.to, r: s.maskIH, t: tile.skips[k].maskIH })),
      ].filter((b) => b.from >= 0);
      let ones = 0;
      for (const { from, to, r, t } of blocks) {
        const rows = layering.layers[to].length, cols = layering.layers[from].length;
        const v = vertexMask(layering, from, to);
        for (let j = 0; j < gates * rows; j++) {
          for (let c = 0; c < cols; c++) {
            assert.equal(r![j * cols + c], v[Math.floor(j / gates) * cols + c]);
            assert.equal(t![j * cols + c], v[(j % rows) * cols + c]);
          }
        }
        for (const x of v) ones += x;
      }
      assert.equal(ones, layering.edges.length, "every edge lands in exactly one mask entry");
    }
  }
});
