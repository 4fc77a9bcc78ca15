/**
 * The whole-step GRU kernels (gruStepForward / gruStepBackward: recurrent product,
 * bias and cell in one call) in wasm match the float64 JS ops, which compose them
 * from gemm, bias add and cell — on odd hidden sizes (ragged vectors), row counts
 * that are not multiples of the 4-row interleave, and non-zero offsets.
 */
import { test } from "node:test";
import { jsOps } from "../../../src/nn/js-ops";
import { at, Floats, GruStep, GruStepGradient } from "../../../src/nn/kernel-ops";
import { WasmOps } from "../../../src/nn/wasm/wasm-ops";
import { loadKernelModule } from "../../../src/nn/wasm/load";
import { assertClose, fillUniform, rng } from "./helpers";

const VARIANTS = ["simd", "relaxed"] as const;
/** every buffer starts this many floats into its allocation */
const OFF = 3;

function checkStep(wasm: WasmOps, rows: number, H: number, seed: number): void {
  const random = rng(seed);
  const GH = 3 * H;
  const what = `${wasm.name} rows=${rows} H=${H}`;
  wasm.reset();
  wasm.reserve(16 * rows * GH + 4 * GH * H + 64);
  const sizes = { gi: rows * GH, gh: rows * GH, hPrev: rows * H, w: GH * H, bhh: GH, h: rows * H, dh: rows * H, dGi: rows * GH, dGh: rows * GH };
  type Name = keyof typeof sizes;
  const names = Object.keys(sizes) as Name[];
  const w = {} as Record<Name, Float32Array>;
  for (const name of names) w[name] = wasm.alloc(sizes[name] + OFF);
  fillUniform(w.gi, random, 3);
  fillUniform(w.hPrev, random);
  fillUniform(w.w, random, 1.5);
  fillUniform(w.bhh, random);
  const js = jsOps("f64");
  const j = {} as Record<Name, Float64Array>;
  for (const name of names) j[name] = Float64Array.from(w[name]);

  const step = <B extends Floats>(b: Record<Name, B>): GruStep<B> =>
    ({ rows, hidden: H, gates: at(b.gi, OFF), gh: at(b.gh, OFF), hPrev: at(b.hPrev, OFF), h: at(b.h, OFF), w: at(b.w, OFF), bhh: at(b.bhh, OFF) });
  wasm.gruStepForward(step(w));
  js.gruStepForward(step(j));
  // gh sums H + 1 products of O(1) float32 numbers; the gates then see its rounding
  assertClose(w.gh, j.gh, `${what} forward gh`, { rel: 1e-5, abs: 1e-6 });
  assertClose(w.gi, j.gi, `${what} forward act`, { rel: 1e-5, abs: 2e-6 });
  assertClose(w.h, j.h, `${what} forward h`, { rel: 1e-5, abs: 2e-6 });

  // backward from the same float32 state
  for (const name of ["gi", "gh", "h"] as const) j[name].set(w[name]);
  fillUniform(w.dh, random);
  j.dh.set(w.dh);
  const gradient = <B extends Floats>(b: Record<Name, B>): GruStepGradient<B> => ({
    rows, hidden: H, gates: at(b.gi, OFF), gh: at(b.gh, OFF), hPrev: at(b.hPrev, OFF), w: at(b.w, OFF), dh: at(b.dh, OFF), dGi: at(b.dGi, OFF), dGh: at(b.dGh, OFF),
  });
  wasm.gruStepBackward(gradient(w));
  js.gruStepBackward(gradient(j));
  for (const name of ["dGi", "dGh"] as const) assertClose(w[name], j[name], `${what} backward ${name}`, { rel: 1e-5, abs: 1e-7 });
  assertClose(w.dh, j.dh, `${what} backward dh`, { rel: 1e-5, abs: 1e-6 });
}

for (const variant of VARIANTS) {
  test(`${variant}: gruStepForward / gruStepBackward match the JS ops on odd sizes and offsets`, () => {
    const wasm = new WasmOps(loadKernelModule(variant));
    let seed = 500;
    for (const rows of [1, 3, 4, 7, 13, 128]) for (const H of [1, 2, 3, 4, 5, 6, 9]) checkStep(wasm, rows, H, seed++);
  });
}
