import { test } from "node:test";
import assert from "node:assert/strict";
import { jsOps } from "../../../src/nn/js-ops";
import { at, Floats } from "../../../src/nn/kernel-ops";
import { WasmOps } from "../../../src/nn/wasm/wasm-ops";
import { loadKernelModule } from "../../../src/nn/wasm/load";
import { CELL_MODES, GATES, CellMode } from "../../../src/nn/spec";
import { assertClose, fillUniform, rng } from "./helpers";

const VARIANTS = ["simd", "relaxed"] as const;

/** Forward then backward of one step in wasm and in float64 JS from identical float32 inputs. */
function checkCell(wasm: WasmOps, mode: CellMode, rows: number, H: number, seed: number): void {
  const random = rng(seed);
  const G = GATES[mode];
  const what = `${wasm.name} ${mode} rows=${rows} H=${H}`;
  wasm.reset();
  wasm.reserve(16 * rows * G * H);
  const names = ["gi", "gh", "hPrev", "cPrev", "h", "c", "dh", "dc", "dGi", "dGh"] as const;
  const sizes = { gi: G, gh: G, hPrev: 1, cPrev: 1, h: 1, c: 1, dh: 1, dc: 1, dGi: G, dGh: G };
  const w = {} as Record<(typeof names)[number], Float32Array>;
  for (const name of names) w[name] = wasm.alloc(rows * H * sizes[name]);
  // pre-activations over [−6, 6] reach both tanh branches and saturation; inputs are
  // O(1), so float32 rounding of the arguments allows absolute errors ≈ 1e-7 … 1e-6
  fillUniform(w.gi, random, 3);
  fillUniform(w.gh, random, 3);
  fillUniform(w.hPrev, random);
  fillUniform(w.cPrev, random, 2);
  const js = jsOps("f64");
  const j = {} as Record<(typeof names)[number], Float64Array>;
  for (const name of names) j[name] = Float64Array.from(w[name]);

  const step = <B extends Floats>(b: Record<(typeof names)[number], B>) =>
    ({ mode, rows, hidden: H, gates: at(b.gi), gh: at(b.gh), hPrev: at(b.hPrev), cPrev: at(b.cPrev), h: at(b.h), c: at(b.c) });
  wasm.cellForward(step(w));
  js.cellForward(step(j));
  assertClose(w.gi, j.gi, `${what} forward act`, { rel: 2e-6, abs: 1e-6 });
  assertClose(w.h, j.h, `${what} forward h`, { rel: 2e-6, abs: 1e-6 });
  if (mode === "LSTM") assertClose(w.c, j.c, `${what} forward c`, { rel: 2e-6, abs: 1e-6 });

  // backward from the same float32 state
  for (const name of ["gi", "h", "c"] as const) j[name].set(w[name]);
  fillUniform(w.dh, random);
  fillUniform(w.dc, random);
  j.dh.set(w.dh);
  j.dc.set(w.dc);
  const dGh = mode === "GRU" ? "dGh" : "dGi";
  const gradient = <B extends Floats>(b: Record<(typeof names)[number], B>) =>
    ({ ...step(b), dh: at(b.dh), dc: at(b.dc), dGi: at(b.dGi), dGh: at(b[dGh]) });
  wasm.cellBackward(gradient(w));
  js.cellBackward(gradient(j));
  for (const name of ["dGi", "dGh", "dh", "dc"] as const) {
    assertClose(w[name], j[name], `${what} backward ${name}`, { rel: 1e-5, abs: 1e-7 });
  }
}

for (const variant of VARIANTS) {
  test(`${variant}: cellForward / cellBackward match the JS ops for every mode and odd sizes`, () => {
    const wasm = new WasmOps(loadKernelModule(variant));
    let seed = 100;
    for (const mode of CELL_MODES) for (const rows of [1, 3, 32]) for (const H of [1, 3, 49, 50, 151]) {
      checkCell(wasm, mode, rows, H, seed++);
    }
  });
}

test("polynomial tanh is accurate to float32 precision over the whole range", () => {
  const wasm = new WasmOps();
  const n = 4001;
  wasm.reserve(3 * n);
  const x = wasm.alloc(n), zero = wasm.alloc(n), h = wasm.alloc(n);
  for (let i = 0; i < n; i++) x[i] = Math.sign(i - 2000) * Math.pow(10, -8 + (10 * Math.abs(i - 2000)) / 2000);
  x[2000] = 0;
  wasm.cellForward({ mode: "RNN_TANH", rows: 1, hidden: n, gates: at(x), gh: at(zero), hPrev: at(zero), cPrev: at(zero), h: at(h), c: at(zero) });
  const expected = Array.from(x, (v) => Math.tanh(v));
  assertClose(h, expected, "tanh", { rel: 1e-6, abs: 0 });
  assert.equal(h[2000], 0);
});

test("NaN propagates through the cell (the engine detects divergence from the loss)", () => {
  const wasm = new WasmOps();
  wasm.reserve(64);
  const gi = wasm.alloc(12), gh = wasm.alloc(12), hPrev = wasm.alloc(4), h = wasm.alloc(4);
  gi[1] = NaN;
  wasm.cellForward({ mode: "GRU", rows: 1, hidden: 4, gates: at(gi), gh: at(gh), hPrev: at(hPrev), cPrev: at(hPrev), h: at(h), c: at(h) });
  assert.ok(Number.isNaN(h[1]));
  assert.ok(Number.isFinite(h[0]) && Number.isFinite(h[2]));
});
