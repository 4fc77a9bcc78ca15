/**
 * bench/structure.ts's PyTorch peer (bench/structure_torch.py, the thesis's
 * ArbitraryStructureRNN written from its description) computes the same network as our
 * engine: on bench/engine.ts's random-structure graph (BA(30, 3), 11 layers, 31 skip
 * blocks), from the same exported initial weights and on the same batch, float64 on
 * both sides, the loss and logits of a forward pass, every gradient, the gradient norm
 * and two clipped Adam steps (the loss before each, after the last, and every weight
 * after them) agree to 1e-5 for GRU and LSTM, in both engine layouts. The wasm
 * backend the bench times agrees to float32 precision. A peer given one wrong mask is
 * caught. Needs /usr/bin/python3 with torch (Debian's python3-torch); skipped, saying
 * why, without it.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { generateDataset } from "../../src/data";
import { availableBackends, batchesOf, CellMode, encodeSamples, Network } from "../../src/nn";
import { benchLayering, compareChecks, oursCheck, peerCheck, peerDir, structureSpec, torchMissing, writeBatches, writeNetwork } from "../../bench/structure-peer";

const TOL = 1e-5;
const STEPS = 2;
const missing = torchMissing();
const skip = missing ? `the PyTorch peer cannot run: ${missing}` : false;

const { layering } = benchLayering();
const data = generateDataset({ seed: 1, size: 200 });
const batch = batchesOf(encodeSamples(data.train, 128, "train"), Int32Array.from({ length: 16 }, (_, i) => i), 16)[0];

test("the check's graph has skip blocks and the batch strings of different lengths", () => {
  assert.equal(layering.layers.length, 11);
  assert.equal(layering.skips.length, 31);
  assert.ok(new Set(batch.lengths).size > 1, "lengths vary, so post padding matters");
});

for (const mode of ["GRU", "LSTM"] as CellMode[]) {
  test(`${mode}: the PyTorch peer matches our engine (float64) on the random-structure network`, { skip, timeout: 300_000 }, () => {
    const net = Network.create(structureSpec(layering, mode), { seed: 1 });
    const dir = peerDir();
    try {
      const netFile = writeNetwork(net, path.join(dir, "net.json"));
      const batchFile = writeBatches([batch], path.join(dir, "batch.json"));
      const peer = peerCheck(netFile, batchFile, { steps: STEPS });
      // every parameter array twice (gradient, after the steps), logits, loss, norm, losses
      const parameters = net.parameterArrays().reduce((n, a) => n + a.length, 0);
      const minimum = 2 * parameters + 2 * batch.size + 2 + STEPS + 1;
      assert.ok(parameters > 1000, `${parameters} parameters`);
      for (const layout of ["rows", "columns"] as const) {
        const ours = oursCheck(net, batch, { steps: STEPS, layout });
        const c = compareChecks(net, ours, peer);
        assert.equal(c.values, minimum, `${layout}: values compared`);
        assert.ok(c.maxError <= TOL, `${layout}: ${c.worst} differs by ${c.maxError} (relative to its scale)`);
        assert.ok(Math.abs(ours.loss - peer.loss) <= TOL * peer.loss, `${layout}: loss ${ours.loss} vs ${peer.loss}`);
        ours.losses.forEach((l, s) => assert.ok(Math.abs(l - peer.losses[s]) <= TOL * peer.losses[s], `${layout}: loss ${s}: ${l} vs ${peer.losses[s]}`));
        assert.ok(peer.losses[STEPS] < peer.losses[0], "the steps lower the loss");
      }
      if (availableBackends().includes("wasm")) {
        const c = compareChecks(net, oursCheck(net, batch, { steps: STEPS, backend: "wasm" }), peer);
        const losses = c.arrays.filter((a) => a.name === "loss" || a.name === "losses");
        for (const a of losses) assert.ok(a.error <= 1e-5, `wasm (float32): ${a.name} differs by ${a.error}`);
        assert.ok(c.maxError <= 1e-2, `wasm (float32): ${c.worst} differs by ${c.maxError}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("a peer given one wrong mask is caught", { skip, timeout: 300_000 }, () => {
  const net = Network.create(structureSpec(layering, "GRU"), { seed: 1 });
  const dir = peerDir();
  try {
    const wrong = net.toJSON();
    const skipBlock = wrong.blocks[net.spec.layers.length]; // the first skip block: unmasked entirely
    assert.ok(skipBlock.maskIH.includes("0"));
    skipBlock.maskIH = "1".repeat(skipBlock.maskIH.length);
    const netFile = path.join(dir, "net.json");
    fs.writeFileSync(netFile, JSON.stringify(wrong));
    const peer = peerCheck(netFile, writeBatches([batch], path.join(dir, "batch.json")), { steps: STEPS });
    const c = compareChecks(net, oursCheck(net, batch, { steps: STEPS }), peer);
    assert.ok(c.maxError > 1e-2, `max difference ${c.maxError}`);
    assert.match(c.worst, new RegExp(skipBlock.name));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
