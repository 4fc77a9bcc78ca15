/**
 * GFLOP/s of the matrix products and µs per element-wise cell step, wasm SIMD
 * (relaxed FMA and plain) against the plain-JS ops, on the thesis's base GRU
 * shapes (3×50, batch 32, T = 33 steps). Not a test: timings depend on the machine
 * and its load. Run: node --import tsx bench/kernels.ts
 */
import { jsOps } from "../src/nn/js-ops";
import { at, Floats, KernelOps } from "../src/nn/kernel-ops";
import { CellMode, GATES } from "../src/nn/spec";
import { WasmOps } from "../src/nn/wasm/wasm-ops";
import { loadKernelModule, relaxedSimdSupported } from "../src/nn/wasm/load";
import { parseCli } from "./cli";

const T = 33, B = 32, H = 50;

type Kind = "NT" | "NN" | "TN";
interface Shape { label: string; kind: Kind; m: number; n: number; k: number }

const SHAPES: Shape[] = [
  { label: "input projection  x·W_ihᵀ", kind: "NT", m: T * B, n: 3 * H, k: H },
  { label: "recurrent step    h·W_hhᵀ", kind: "NT", m: B, n: 3 * H, k: H },
  { label: "step gradient     dG·W_hh", kind: "NN", m: B, n: H, k: 3 * H },
  { label: "input gradient    dG·W_ih", kind: "NN", m: T * B, n: H, k: 3 * H },
  { label: "weight gradient   dGᵀ·x  ", kind: "TN", m: 3 * H, n: H, k: T * B },
];

/**
 * Seconds per call: the minimum over many short samples (≈ 5 ms each, 1.5 s in
 * all), which filters out the time slices other processes take on a shared machine.
 */
function time(run: () => void): number {
  let calls = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run();
    if (Number(process.hrtime.bigint() - start) >= 5e6) break;
    calls *= 2;
  }
  let best = Infinity;
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9 / calls);
  }
  return best;
}

function randomize(x: Floats): void {
  for (let i = 0; i < x.length; i++) x[i] = Math.random() * 2 - 1;
}

function gemmRate<F extends Floats>(ops: KernelOps<F>, s: Shape): number {
  ops.reset();
  ops.reserve(3 * (s.m * s.k + s.n * s.k + s.m * s.n));
  const a = ops.alloc(s.m * s.k), b = ops.alloc(s.n * s.k), c = ops.alloc(s.m * s.n);
  randomize(a);
  randomize(b);
  const gemm = s.kind === "NT" ? ops.gemmNT : s.kind === "NN" ? ops.gemmNN : ops.gemmTN;
  const product = { m: s.m, n: s.n, k: s.k, a: at(a), b: at(b), c: at(c), accumulate: false };
  const seconds = time(() => gemm.call(ops, product));
  return (2 * s.m * s.n * s.k) / seconds / 1e9;
}

/** µs for one forward + one backward cell step of B rows */
function cellMicros<F extends Floats>(ops: KernelOps<F>, mode: CellMode): number {
  const G = GATES[mode];
  ops.reset();
  ops.reserve(20 * B * G * H);
  const gi = ops.alloc(B * G * H), gh = ops.alloc(B * G * H), dGi = ops.alloc(B * G * H), dGh = ops.alloc(B * G * H);
  const [hPrev, cPrev, h, c, dh, dc] = [0, 1, 2, 3, 4, 5].map(() => ops.alloc(B * H));
  for (const x of [gh, hPrev, cPrev]) randomize(x);
  const giSource = ops.alloc(B * G * H), dhSource = ops.alloc(B * H), dcSource = ops.alloc(B * H);
  for (const x of [giSource, dhSource, dcSource]) randomize(x);
  const step = { mode, rows: B, hidden: H, gates: at(gi), gh: at(gh), hPrev: at(hPrev), cPrev: at(cPrev), h: at(h), c: at(c) };
  const seconds = time(() => {
    // the cell overwrites gi, dh and dc; repeated in place they would decay into denormals
    ops.copy(B * G * H, at(giSource), at(gi));
    ops.copy(B * H, at(dhSource), at(dh));
    ops.copy(B * H, at(dcSource), at(dc));
    ops.cellForward(step);
    ops.cellBackward({ ...step, dh: at(dh), dc: at(dc), dGi: at(dGi), dGh: at(mode === "GRU" ? dGh : dGi) });
  });
  return seconds * 1e6;
}

function main(): void {
  parseCli({
    script: "bench/kernels.ts",
    summary: `GFLOP/s of the matrix products and µs per element-wise cell step, wasm SIMD (relaxed FMA
and plain) against the plain-JS ops, on the thesis's base GRU shapes (3×50, batch 32, T = 33
steps); about a minute. Timings depend on the machine and its load.`,
    options: {},
  });
  const backends: Array<KernelOps<Float32Array> | KernelOps<Float64Array>> = [];
  if (relaxedSimdSupported()) backends.push(new WasmOps(loadKernelModule("relaxed")));
  backends.push(new WasmOps(loadKernelModule("simd")), jsOps("f32"), jsOps("f64"));
  const names = backends.map((ops) => ops.name.padStart(13));
  console.log(`GFLOP/s, base GRU shapes (T=${T}, B=${B}, H=${H}); min over 5 ms samples; noisy on a shared machine`);
  console.log(`${"product".padEnd(27)} ${"m×n×k".padEnd(13)}${names.join("")}`);
  let batchSeconds = backends.map(() => 0);
  for (const s of SHAPES) {
    const rates = backends.map((ops) => gemmRate(ops as KernelOps<Floats>, s));
    // per batch and layer: the per-step products run T times, the others once
    const perBatch = s.m === B ? T : 1;
    batchSeconds = batchSeconds.map((t, i) => t + (perBatch * 2 * s.m * s.n * s.k) / (rates[i] * 1e9));
    console.log(`${s.label.padEnd(27)} ${`${s.m}×${s.n}×${s.k}`.padEnd(13)}${rates.map((r) => r.toFixed(1).padStart(13)).join("")}`);
  }
  // the forward recurrent product and the forward input projection also appear
  // in backward as weight gradients (TN, counted once above): per layer and batch
  // the GRU runs the 5 products listed plus one more TN for W_ih
  const tn = SHAPES[4];
  const tnRates = backends.map((ops) => gemmRate(ops as KernelOps<Floats>, tn));
  batchSeconds = batchSeconds.map((t, i) => t + (2 * tn.m * tn.n * tn.k) / (tnRates[i] * 1e9));
  console.log(`${"all products, 3-layer GRU batch (ms)".padEnd(41)}${batchSeconds.map((t) => (3 * t * 1e3).toFixed(2).padStart(13)).join("")}`);
  console.log(`\nµs per cell step (forward + backward, ${B} rows × H=${H})`);
  for (const mode of ["RNN_TANH", "RNN_RELU", "GRU", "LSTM"] as CellMode[]) {
    const micros = backends.map((ops) => cellMicros(ops as KernelOps<Floats>, mode));
    console.log(`${mode.padEnd(41)}${micros.map((u) => u.toFixed(2).padStart(13)).join("")}`);
  }
}

main();
