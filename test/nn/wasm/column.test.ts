/**
 * The feature-major whole-sequence kernels (columnForward / columnBackward) in wasm
 * match the float64 JS ops for every cell mode, on hidden sizes 1, 3, 4, 5 and 17
 * (ragged vectors and 4-unit blocks), with padding "post" (constant rows, not a multiple of 4) and
 * "packed" (decreasing rows), at non-zero offsets; and they write nothing but their
 * documented outputs: guard values around and after every buffer survive.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { jsOps } from "../../../src/nn/js-ops";
import { at, ColumnBackward, ColumnForward, Floats } from "../../../src/nn/kernel-ops";
import { CELL_MODES, CellMode, GATES } from "../../../src/nn/spec";
import { WasmOps } from "../../../src/nn/wasm/wasm-ops";
import { loadKernelModule } from "../../../src/nn/wasm/load";
import { assertClose, fillUniform, rng } from "./helpers";

const VARIANTS = ["simd", "relaxed"] as const;
/** every buffer starts this many floats into its allocation … */
const OFF = 3;
/** … and is followed by this many guard floats */
const TAIL = 9;
/** rows per step: padding "post" (13 is not a multiple of 4) and "packed" (non-increasing; full and partial 8-row groups, tails of 1–3) */
const LAYOUTS: Record<string, number[]> = {
  post: [13, 13, 13, 13, 13],
  packed: [19, 16, 16, 11, 9, 6, 3, 1],
};

/** gi: the forward's act output, read back by the backward */
type Name = "x" | "wih" | "bih" | "gi" | "w" | "bhh" | "hp" | "h" | "c" | "ghn" | "dOut" | "dGi" | "dGh" | "carry";

function stepTable(rows: number[]): Int32Array {
  const steps = new Int32Array(2 * rows.length);
  let off = 0;
  rows.forEach((n, t) => { steps[2 * t] = n; steps[2 * t + 1] = off; off += n; });
  return steps;
}

/** max |x| over the buffer's body: the scale of the float32 tolerance */
function magnitude(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = OFF; i < x.length - TAIL; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

function assertSameBody(actual: Float32Array, expected: Float64Array, what: string): void {
  const scale = magnitude(expected);
  assertClose(actual, expected, what, { rel: 0, abs: 2e-5 * scale + 1e-7 });
}

/** the guard floats before and after the body are the values they were filled with */
function assertGuards(x: Float32Array, before: Float32Array, what: string): void {
  for (let i = 0; i < OFF; i++) assert.equal(x[i], before[i], `${what}: guard float ${i} before the buffer was written`);
  for (let i = x.length - TAIL; i < x.length; i++) assert.equal(x[i], before[i], `${what}: guard float ${i - (x.length - TAIL)} after the buffer was written`);
}

function checkColumn(wasm: WasmOps, mode: CellMode, H: number, rowsPerStep: number[], seed: number): void {
  const random = rng(seed);
  const G = GATES[mode];
  const T = rowsPerStep.length;
  const R = rowsPerStep.reduce((a, b) => a + b, 0);
  const In = 2 + (H % 3); // input sizes differ from H
  const what = `${wasm.name} ${mode} H=${H} In=${In} rows=[${rowsPerStep.join(",")}]`;
  const sizes: Record<Name, number> = {
    x: In * R, wih: G * H * In, bih: G * H, gi: G * H * R, w: G * H * H, bhh: G * H, hp: H * R, h: H * R, c: H * R, ghn: H * R,
    dOut: H * R, dGi: G * H * R, dGh: G * H * R, carry: 2 * H * rowsPerStep[0],
  };
  const names = Object.keys(sizes) as Name[];
  wasm.reset();
  wasm.reserve(names.reduce((n, name) => n + sizes[name] + OFF + TAIL, 0), 2 * T + OFF);
  const x = {} as Record<Name, Float32Array>;
  // every float, outputs and guards included, starts random: an output the kernel
  // forgets to write, or a float it writes outside its outputs, shows up as a mismatch
  for (const name of names) { x[name] = wasm.alloc(sizes[name] + OFF + TAIL); fillUniform(x[name], random); }
  fillUniform(x.x, random, 2.5);
  fillUniform(x.wih, random, 1.5 / Math.sqrt(In));
  fillUniform(x.w, random, 1.5 / Math.sqrt(H));
  const steps = wasm.allocInt(2 * T + OFF);
  steps.set(stepTable(rowsPerStep), OFF);
  const stepsBefore = steps.slice();

  const js = jsOps("f64");
  const y = {} as Record<Name, Float64Array>;
  for (const name of names) y[name] = Float64Array.from(x[name]);
  const jsSteps = steps.slice();

  // forward
  const before = {} as Record<Name, Float32Array>;
  for (const name of names) before[name] = x[name].slice();
  const forward = <B extends Floats>(b: Record<Name, B>, table: Int32Array): ColumnForward<B> => ({
    mode, hidden: H, schedule: { T, R, steps: at(table, OFF) }, x: at(b.x, OFF), inputSize: In, wih: at(b.wih, OFF), bih: at(b.bih, OFF),
    w: at(b.w, OFF), bhh: at(b.bhh, OFF), act: at(b.gi, OFF), hp: at(b.hp, OFF), h: at(b.h, OFF), c: at(b.c, OFF), ghn: at(b.ghn, OFF),
  });
  wasm.columnForward(forward(x, steps));
  js.columnForward(forward(y, jsSteps));
  const gated = mode === "GRU" || mode === "LSTM";
  const forwardOutputs: Name[] = [...(gated ? ["gi" as const] : []), "hp", "h", ...(mode === "LSTM" ? ["c" as const] : []), ...(mode === "GRU" ? ["ghn" as const] : [])];
  for (const name of names) {
    if (forwardOutputs.includes(name)) {
      assertSameBody(x[name], y[name], `${what} forward ${name}`);
      assertGuards(x[name], before[name], `${what} forward ${name}`);
    } else {
      assert.deepEqual(x[name], before[name], `${what} forward: ${name} is not an output but was written`);
    }
  }
  assert.deepEqual(steps, stepsBefore, `${what} forward: steps was written`);

  // backward from the same float32 state (forward rounding does not compound)
  for (const name of names) y[name].set(x[name]);
  for (const name of names) before[name] = x[name].slice();
  // non-GRU modes pass dGi as dGh (the contract); dGh must then stay untouched
  const backward = <B extends Floats>(b: Record<Name, B>, table: Int32Array): ColumnBackward<B> => ({
    mode, hidden: H, schedule: { T, R, steps: at(table, OFF) }, act: at(b.gi, OFF), w: at(b.w, OFF), hp: at(b.hp, OFF), h: at(b.h, OFF),
    c: at(b.c, OFF), ghn: at(b.ghn, OFF), dOut: at(b.dOut, OFF), dGi: at(b.dGi, OFF), dGh: at(mode === "GRU" ? b.dGh : b.dGi, OFF), carry: at(b.carry, OFF),
  });
  wasm.columnBackward(backward(x, steps));
  js.columnBackward(backward(y, jsSteps));
  const backwardOutputs: Name[] = ["dGi", ...(mode === "GRU" ? ["dGh" as const] : [])];
  for (const name of names) {
    if (backwardOutputs.includes(name)) {
      assertSameBody(x[name], y[name], `${what} backward ${name}`);
      assertGuards(x[name], before[name], `${what} backward ${name}`);
    } else if (name === "carry") {
      assertGuards(x[name], before[name], `${what} backward carry`);
    } else {
      assert.deepEqual(x[name], before[name], `${what} backward: ${name} is not an output but was written`);
    }
  }
  assert.deepEqual(steps, stepsBefore, `${what} backward: steps was written`);
}

for (const variant of VARIANTS) {
  test(`${variant}: columnForward / columnBackward match the JS ops and write only their outputs`, () => {
    const wasm = new WasmOps(loadKernelModule(variant));
    let seed = 900;
    for (const mode of CELL_MODES) {
      for (const H of [1, 3, 4, 5, 17]) {
        for (const rows of Object.values(LAYOUTS)) checkColumn(wasm, mode, H, rows, seed++);
      }
    }
  });
}

test("the column kernels reject an unknown mode, a malformed step table and short buffers by name", () => {
  const wasm = new WasmOps(loadKernelModule("simd"));
  wasm.reserve(256, 16);
  const x = wasm.alloc(64), short = wasm.alloc(5), steps = wasm.allocInt(8);
  const X = at(x);
  const forward = (mode: CellMode, T: number, R: number, act = x) => wasm.columnForward({
    mode, hidden: 2, schedule: { T, R, steps: at(steps) }, x: X, inputSize: 2, wih: X, bih: X, w: X, bhh: X, act: at(act), hp: X, h: X, c: X, ghn: X,
  });
  const backward = (T: number, R: number, carry: Float32Array) => wasm.columnBackward({
    mode: "GRU", hidden: 2, schedule: { T, R, steps: at(steps) }, act: X, w: X, hp: X, h: X, c: X, ghn: X, dOut: X, dGi: X, dGh: X, carry: at(carry),
  });
  steps.set(stepTable([4, 3, 1]));
  assert.throws(() => forward("SRU" as CellMode, 3, 8), /columnForward: unknown cell mode SRU/);
  assert.throws(() => forward("RNN_TANH", 3, 7), /columnForward: the steps cover 8 rows, more than R = 7/);
  assert.throws(() => forward("RNN_TANH", 5, 8), /columnForward: T = 5 steps need 10 entries of steps from offset 0, it has 8/);
  assert.throws(() => forward("GRU", 3, 8, short), /columnForward: act needs 48 floats from offset 0, its buffer has 5/);
  assert.throws(() => backward(3, 8, short), /columnBackward: carry needs 16 floats from offset 0, its buffer has 5/);
  steps.set([3, 0, 4, 3]);
  assert.throws(() => forward("GRU", 2, 8), /steps\[1\] = \(rows 4, off 3\): rows must be non-increasing/);
  steps.set([4, 0, 3, 5]);
  assert.throws(() => backward(2, 8, x), /columnBackward: steps\[1\] = \(rows 3, off 5\).*off the sum of the rows before \(4\)/);
  // a well-formed call passes every check
  steps.set(stepTable([4, 3, 1]));
  forward("LSTM", 3, 8);
  backward(3, 8, x);
});
