/**
 * The sparse feature-major path of SparseWeightOps: its wasm time loops (columnForward /
 * columnBackward over packed CSR / CSC entries) match the dense wasm kernels on the same
 * masked weights for every cell mode, hidden sizes with 16-row groups and ragged tails,
 * padding "post" and "packed"; they write only their outputs; the column products
 * (dW = dG·xᵀ on the kept entries, dx = W_ihᵀ·dG) match dense products in wasm and plain
 * JS; and createEngine picks the column layout for a sparse network.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseLayout, createEngine, createOps, Network } from "../../../src/nn";
import { at } from "../../../src/nn/kernel-ops";
import { CELL_MODES, CellMode, GATES } from "../../../src/nn/spec";
import { WasmOps } from "../../../src/nn/wasm/wasm-ops";
import { loadKernelModule } from "../../../src/nn/wasm/load";
import { pruneNetwork, SparseWeightOps } from "../../../src/prune";
import { assertClose, fillUniform, rng } from "../../nn/wasm/helpers";

const LAYOUTS: Record<string, number[]> = {
  post: [21, 21, 21, 21], // one 16-row group, one full vector, one lane
  packed: [35, 33, 17, 16, 9, 3, 1],
};

function stepTable(rows: number[]): Int32Array {
  const steps = new Int32Array(2 * rows.length);
  let off = 0;
  rows.forEach((n, t) => { steps[2 * t] = n; steps[2 * t + 1] = off; off += n; });
  return steps;
}

type Name = "x" | "act" | "hp" | "h" | "c" | "ghn" | "dOut" | "dGi" | "dGh" | "carry";
const SLACK = 8; // the kernels may read (never write) up to 3 floats past a step's last row

function checkSparseColumns(ops: SparseWeightOps<Float32Array>, mode: CellMode, H: number, In: number, rowsPerStep: number[], seed: number): void {
  const random = rng(seed), G = GATES[mode], GH = G * H, T = rowsPerStep.length, R = rowsPerStep.reduce((a, b) => a + b, 0);
  const what = `${ops.name} ${mode} H=${H} In=${In} rows=[${rowsPerStep.join(",")}]`;
  const sizes: Record<Name, number> = {
    x: In * R, act: GH * R, hp: H * R, h: H * R, c: H * R, ghn: H * R, dOut: H * R, dGi: GH * R, dGh: GH * R, carry: 2 * H * rowsPerStep[0],
  };
  const names = Object.keys(sizes) as Name[];
  // θ: [W_ih | b_ih | W_hh | b_hh], its 0/1 mask keeping ~30% of the weights and every bias
  const wih = 0, bih = GH * In, w = bih + GH, bhh = w + GH * H, P = bhh + GH;
  ops.reset();
  ops.reserve(2 * (P + names.reduce((n, name) => n + sizes[name] + SLACK, 0)), 2 * T);
  const theta = ops.alloc(P), mask = ops.alloc(P);
  fillUniform(theta, random, 1.5 / Math.sqrt(Math.max(In, H)));
  for (let i = 0; i < P; i++) mask[i] = i >= bih && i < w ? 1 : i >= bhh ? 1 : random() < 0.3 ? 1 : 0;
  // θ's four arrays declared as matrices 0–3 (the weights masked by block 0), then masked
  ops.bindParameters({ matrices: [
    { offset: wih, rows: GH, cols: In, block: 0 }, { offset: bih, rows: GH, cols: 1 }, { offset: w, rows: GH, cols: H, block: 0 }, { offset: bhh, rows: GH, cols: 1 },
  ] }, mask);
  ops.multiply(P, at(mask), at(theta));
  const param = (offset: number, matrix: number) => ({ data: theta, offset, matrix });
  const sparse = {} as Record<Name, Float32Array>, dense = {} as Record<Name, Float32Array>;
  for (const name of names) {
    sparse[name] = ops.alloc(sizes[name] + SLACK);
    fillUniform(sparse[name], random, name === "x" ? 2.5 : 1);
    dense[name] = ops.alloc(sizes[name] + SLACK);
    dense[name].set(sparse[name]);
  }
  const steps = ops.allocInt(2 * T);
  steps.set(stepTable(rowsPerStep));
  const schedule = { T, R, steps: at(steps) };
  const forward = (k: Pick<SparseWeightOps<Float32Array>, "columnForward">, b: Record<Name, Float32Array>) => k.columnForward!({
    mode, hidden: H, schedule, x: at(b.x), inputSize: In, wih: param(wih, 0), bih: param(bih, 1), w: param(w, 2), bhh: param(bhh, 3),
    act: at(b.act), hp: at(b.hp), h: at(b.h), c: at(b.c), ghn: at(b.ghn),
  });
  const backward = (k: Pick<SparseWeightOps<Float32Array>, "columnBackward">, b: Record<Name, Float32Array>) => k.columnBackward!({
    mode, hidden: H, schedule, act: at(b.act), w: param(w, 2), hp: at(b.hp), h: at(b.h), c: at(b.c), ghn: at(b.ghn),
    dOut: at(b.dOut), dGi: at(b.dGi), dGh: at(mode === "GRU" ? b.dGh : b.dGi), carry: at(b.carry),
  });
  const compare = (outputs: Name[], phase: string) => {
    for (const name of names) {
      if (name === "carry") continue; // scratch
      const scale = Math.max(1e-3, ...Array.from(dense[name], Math.abs));
      assertClose(sparse[name], dense[name], `${what} ${phase} ${name}${outputs.includes(name) ? "" : " (not an output)"}`, { rel: 0, abs: 2e-5 * scale });
    }
  };
  const before = ops.stats.sparse;
  forward(ops, sparse);
  forward(ops.base, dense);
  const gated = mode === "GRU" || mode === "LSTM";
  compare([...(gated ? ["act" as const] : []), "hp", "h", "c", "ghn"], "forward");
  backward(ops, sparse);
  backward(ops.base, dense);
  compare(["dGi", "dGh"], "backward");
  assert.equal(ops.stats.sparse - before, 2, `${what}: both loops ran sparse`);
}

for (const variant of ["simd", "relaxed"] as const) {
  test(`${variant}: the sparse column loops match the dense wasm kernels on masked weights`, () => {
    const ops = new SparseWeightOps(new WasmOps(loadKernelModule(variant)), { maxDensity: 1 });
    let seed = 40;
    for (const mode of CELL_MODES) {
      for (const [H, In] of [[1, 3], [5, 2], [17, 20]]) {
        for (const rows of Object.values(LAYOUTS)) checkSparseColumns(ops, mode, H, In, rows, seed++);
      }
    }
  });
}

for (const backend of ["wasm", "js-f32"]) {
  test(`${backend}: the column products with a masked operand match the dense ones`, () => {
    const ops = new SparseWeightOps(createOps(backend) as unknown as WasmOps, { maxDensity: 0.5 });
    const random = rng(7), GH = 12, In = 7, R = 45; // R not a multiple of 4: scalar tails
    const P = GH * In;
    ops.reserve(5 * P + (GH + 3 * In) * R, 0);
    const theta = ops.alloc(P), grad = ops.alloc(P), mask = ops.alloc(P);
    const dG = ops.alloc(GH * R), x = ops.alloc(In * R), dx = ops.alloc(In * R), expected = ops.alloc(In * R);
    fillUniform(theta, random); fillUniform(grad, random); fillUniform(dG, random); fillUniform(x, random); fillUniform(dx, random);
    for (let i = 0; i < P; i++) mask[i] = random() < 0.3 ? 1 : 0;
    ops.bindParameters({ matrices: [{ offset: 0, rows: GH, cols: In, block: 0 }] }, mask);
    ops.multiply(P, at(mask), at(theta));
    // dx (+)= W_ihᵀ·dG with θ the masked operand (matrix 0)
    for (const accumulate of [false, true]) {
      expected.set(dx);
      ops.base.gemmTN({ m: In, n: R, k: GH, a: at(theta), b: at(dG), c: at(expected), accumulate });
      const before = ops.stats.sparse;
      ops.gemmTN({ m: In, n: R, k: GH, a: { data: theta, offset: 0, matrix: 0 }, b: at(dG), c: at(dx), accumulate });
      assert.equal(ops.stats.sparse, before + 1, `${backend}: Wᵀ·dG ran sparse`);
      assertClose(dx, expected, `${backend} Wᵀ·dG accumulate=${accumulate}`, { rel: 1e-5, abs: 1e-5 });
    }
    // grad (+)= dG·xᵀ on the kept entries only, the gradient of matrix 0 the output (once the engine has masked a gradient)
    ops.multiply(P, at(mask), at(grad));
    ops.gradientMasked();
    const full = ops.alloc(P);
    for (const accumulate of [false, true]) {
      const start = grad.slice();
      ops.base.gemmNT({ m: GH, n: In, k: R, a: at(dG), b: at(x), c: at(full), accumulate: false });
      ops.gemmNT({ m: GH, n: In, k: R, a: at(dG), b: at(x), c: { data: grad, offset: 0, matrix: 0 }, accumulate });
      for (let i = 0; i < P; i++) {
        const want = mask[i] ? full[i] + (accumulate ? start[i] : 0) : accumulate ? start[i] : 0;
        assert.ok(Math.abs(grad[i] - want) <= 1e-5 * (1 + Math.abs(want)), `${backend} dG·xᵀ accumulate=${accumulate} entry ${i}: ${grad[i]} vs ${want}`);
      }
    }
  });
}

test("createEngine's auto layout runs a sparse network feature-major through the sparse ops, a dense one as before", () => {
  const ops = new SparseWeightOps(createOps("wasm"), { maxDensity: 0.3 });
  const net = Network.create({ mode: "GRU", vocab: 128, layers: [{ size: 50 }, { size: 50 }], skips: [], classes: 2 }, { seed: 1 });
  assert.equal(chooseLayout(net, ops), "rows", "unpruned: the wide layers stay row-major");
  pruneNetwork(net, { percent: 80, kind: "both" });
  assert.equal(chooseLayout(net, ops), "columns", "80% pruned: kept fraction 0.2 ≤ 0.3");
  assert.equal(chooseLayout(net, createOps("wasm")), "rows", "a dense backend ignores sparsity");
  assert.equal(chooseLayout(net, new SparseWeightOps(createOps("js"), { maxDensity: 0.3 })), "rows", "the plain-JS sparse ops have no sparse column loops");
});

test("a sparse network's patterns fit the reservation however small the batch capacity", () => {
  const net = Network.create({ mode: "LSTM", vocab: 128, layers: [{ size: 50 }, { size: 50 }], skips: [], classes: 2 }, { seed: 2 });
  pruneNetwork(net, { percent: 60, kind: "both" });
  const ops = new SparseWeightOps(createOps("wasm"), { maxDensity: 0.5 });
  const engine = createEngine(net, ops, { batch: 1, steps: 1 });
  assert.equal(engine.layout, "columns");
  const batch = { size: 1, steps: 1, tokens: Uint8Array.from([66]), lengths: Int32Array.from([1]), labels: Uint8Array.from([1]) };
  const { loss } = engine.lossAndGradient(batch, "post");
  assert.ok(Number.isFinite(loss), `loss ${loss}`);
  assert.ok(ops.stats.sparse > 0, "the sparse loops ran");
});
