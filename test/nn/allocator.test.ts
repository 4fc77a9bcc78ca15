/**
 * One allocation routine per engine (src/nn/allocator.ts): allocateOnce refuses a routine
 * whose counting and real passes disagree, and every engine — each cell mode, both
 * layouts, plain, masked with skips, fused and random-structure specs, over js and wasm —
 * makes ONE reserve before its first buffer and then allocates exactly that much.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { allocateOnce, Allocator } from "../../src/nn/allocator";
import { ColumnEngine } from "../../src/nn/column-engine";
import { Engine } from "../../src/nn/engine";
import { planFusion } from "../../src/nn/fusion";
import { jsOps } from "../../src/nn/js-ops";
import type { KernelOps } from "../../src/nn/kernel-ops";
import { Network } from "../../src/nn/network";
import { CELL_MODES, CellMode, NetworkSpec } from "../../src/nn/spec";
import { thetaLayout } from "../../src/nn/theta-layout";
import { wasmAvailable } from "../../src/nn/wasm/load";
import { WasmOps } from "../../src/nn/wasm/wasm-ops";
import { barabasiAlbert, edgesOf, graphToSpec, layerEdges } from "../../src/graph";
import { Random } from "../../src/core/random";
import { smallSpec } from "./helpers";

/** The backend's reserves and the elements handed out after them (and any before the first). */
interface Log { reserves: Array<[number, number]>; floats: number; ints: number; beforeReserve: number }

/** `ops` with every reserve / alloc / allocInt recorded. */
function recorded<O extends KernelOps>(ops: O): { ops: O; log: Log } {
  const log: Log = { reserves: [], floats: 0, ints: 0, beforeReserve: 0 };
  const { reserve, alloc, allocInt } = ops;
  ops.reserve = (floats: number, ints = 0) => { log.reserves.push([floats, ints]); reserve.call(ops, floats, ints); };
  ops.alloc = (n: number) => {
    if (log.reserves.length === 0) log.beforeReserve++;
    log.floats += n;
    return alloc.call(ops, n);
  };
  ops.allocInt = (n: number) => {
    if (log.reserves.length === 0) log.beforeReserve++;
    log.ints += n;
    return allocInt.call(ops, n);
  };
  return { ops, log };
}

test("allocateOnce reserves exactly what the routine allocates, once, before its first buffer", () => {
  const { ops, log } = recorded(jsOps("f64"));
  const buffers = allocateOnce(ops, (a: Allocator) => ({ x: a.floats(7), none: a.floats(0), rows: a.ints(3), y: a.floats(5) }));
  assert.deepEqual(log, { reserves: [[12, 3]], floats: 12, ints: 3, beforeReserve: 0 });
  assert.deepEqual([buffers.x.length, buffers.none.length, buffers.rows.length, buffers.y.length], [7, 0, 3, 5]);
  assert.equal(buffers.x.buffer, buffers.y.buffer, "one arena");
});

test("allocateOnce refuses a routine whose real pass asks for more or less than its counting pass", () => {
  // the second call of each routine is the real pass
  const drifting = (real: (a: Allocator) => void) => {
    let pass = 0;
    return (a: Allocator) => {
      a.floats(10);
      a.ints(2);
      if (pass++ === 1) real(a);
    };
  };
  const cases: Array<[string, (a: Allocator) => void]> = [
    ["a float more", (a) => a.floats(1)],
    ["an int more", (a) => a.ints(1)],
  ];
  for (const [what, extra] of cases) {
    assert.throws(() => allocateOnce(jsOps("f64"), drifting(extra)), /counted \{"floats":10,"ints":2\} but allocated/, what);
  }
  // fewer on the real pass: counted 10 + 4 floats, allocated 10
  let pass = 0;
  const shrinking = (a: Allocator) => { a.floats(10); if (pass++ === 0) a.floats(4); };
  assert.throws(() => allocateOnce(jsOps("f64"), shrinking), /counted \{"floats":14,"ints":0\} but allocated \{"floats":10,"ints":0\}/);
  // wasm: refused before the backend hands out memory past the reserve
  if (wasmAvailable()) assert.throws(() => allocateOnce(new WasmOps(), drifting((a) => a.floats(1 << 20))), /allocateOnce/);
});

const stack = (mode: CellMode, sizes: number[]): NetworkSpec => ({ mode, vocab: 12, classes: 2, layers: sizes.map((size) => ({ size })), skips: [] });
const randomStructure = (mode: CellMode): NetworkSpec =>
  graphToSpec(layerEdges(30, edgesOf(barabasiAlbert(30, 3, new Random(5)))), { mode, layout: "repeat" });

test("every engine makes one reserve and allocates exactly it: all modes, both layouts, fused and random-structure specs, js and wasm", () => {
  const backends: Array<[string, () => KernelOps]> = [["js-f64", () => jsOps("f64")], ["js-f32", () => jsOps("f32")]];
  if (wasmAvailable()) backends.push(["wasm", () => new WasmOps()]);
  const capacity = { batch: 8, steps: 7 };
  let cases = 0, fusedCases = 0;
  for (const mode of CELL_MODES) {
    const specs: Array<[string, NetworkSpec]> = [
      ["2 layers", stack(mode, [10, 6])],
      ["masked with skips", smallSpec(mode, [3, 2, 4, 2], [[0, 2], [1, 3], [0, 3]], new Random(7), true)],
      ["random structure", randomStructure(mode)],
    ];
    for (const [name, spec] of specs) {
      const net = Network.create(spec, { seed: 1 });
      const engines: Array<[string, (ops: KernelOps) => unknown]> = [
        ["rows", (ops) => new Engine(net, ops, capacity)],
        ["rows unfused", (ops) => new Engine(net, ops, capacity, { maxFusedHidden: 0 })],
        ["columns", (ops) => new ColumnEngine(net, ops, capacity)],
      ];
      const fused = planFusion(spec, thetaLayout(spec), 4).layers.flat().some((b) => b.fused);
      for (const [backend, make] of backends) {
        for (const [layout, build] of engines) {
          const { ops, log } = recorded(make());
          build(ops);
          const what = `${mode} ${name}, ${layout}, ${backend}`;
          assert.equal(log.reserves.length, 1, `${what}: one reserve`);
          assert.equal(log.beforeReserve, 0, `${what}: nothing allocated before the reserve`);
          assert.deepEqual([log.floats, log.ints], log.reserves[0], `${what}: allocated exactly the reserve`);
          cases++;
          if (layout === "rows" && fused) fusedCases++;
        }
      }
    }
  }
  assert.ok(cases >= 4 * 3 * 3 * 2, `${cases} engines checked`);
  assert.ok(fusedCases >= 4 * 2, `${fusedCases} of them with fused blocks`);
});

test("the reserve is the size the hand-written sums gave (3×50 GRU and LSTM, a random-structure GRU; batch 16 × 12 steps)", () => {
  const capacity = { batch: 16, steps: 12 };
  const expected: Array<[string, NetworkSpec, "rows" | "columns", [number, number]]> = [
    ["GRU 3×50", stack("GRU", [50, 50, 50]), "rows", [614138, 208]],
    ["GRU 3×50", stack("GRU", [50, 50, 50]), "columns", [556896, 232]],
    ["LSTM 3×50", stack("LSTM", [50, 50, 50]), "rows", [757838, 208]],
    ["LSTM 3×50", stack("LSTM", [50, 50, 50]), "columns", [645746, 232]],
    ["random GRU", randomStructure("GRU"), "rows", [222056, 208]],
    ["random GRU", randomStructure("GRU"), "columns", [184464, 232]],
  ];
  for (const [name, spec, layout, size] of expected) {
    // vocab 128 as in the thesis: the embedding is part of θ
    const net = Network.create({ ...spec, vocab: 128 }, { seed: 1 });
    const { ops, log } = recorded(jsOps("f64"));
    if (layout === "rows") new Engine(net, ops, capacity); else new ColumnEngine(net, ops, capacity);
    assert.deepEqual(log.reserves, [size], `${name}, ${layout}`);
  }
});
