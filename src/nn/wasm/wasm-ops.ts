/**
 * KernelOps over WebAssembly SIMD (float32). One WebAssembly.Memory holds every
 * buffer the engine allocates; `alloc` hands out Float32Array / Int32Array views of
 * it and each call passes byte offsets to wasm, so nothing is copied per call.
 * Every operation runs in wasm (no allocation per call, not even a subarray).
 *
 * Memory layout: [0, 1 KiB) unused, then the gemm packing scratch, then the arena.
 * The arena grows only in `reserve` (growth detaches earlier views, as the
 * KernelOps contract allows). A zeroed guard of GUARD_BYTES always follows the last
 * allocation: the kernels' ragged-edge vectors may read (never write) up to 28
 * bytes past a buffer.
 */
import type { KernelOps } from "../kernel-ops";
import { CellMode, GATES } from "../spec";
import { loadKernelModule, KernelModule } from "./load";
import type { WasmVariant } from "./build";
import { wasmApi, WasmGlobal, WasmMemory } from "./wasm-api";

interface KernelExports {
  SCRATCH_FLOATS: WasmGlobal;
  gemmNN(m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, scratch: number): void;
  gemmNT(m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, scratch: number): void;
  gemmTN(m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, scratch: number): void;
  forwardTanh(n: number, gi: number, gh: number, h: number): void;
  forwardRelu(n: number, gi: number, gh: number, h: number): void;
  backwardTanh(n: number, h: number, dh: number, dGi: number): void;
  backwardRelu(n: number, h: number, dh: number, dGi: number): void;
  forwardGRU(rows: number, H: number, gi: number, gh: number, hPrev: number, h: number): void;
  backwardGRU(rows: number, H: number, act: number, gh: number, hPrev: number, dh: number, dGi: number, dGh: number): void;
  forwardLSTM(rows: number, H: number, gi: number, gh: number, cPrev: number, h: number, c: number): void;
  backwardLSTM(rows: number, H: number, act: number, cPrev: number, c: number, dh: number, dc: number, dGi: number): void;
  stepGRU(rows: number, H: number, gi: number, gh: number, hPrev: number, w: number, bhh: number, h: number, scratch: number): void;
  stepBackGRU(rows: number, H: number, act: number, gh: number, hPrev: number, w: number, dh: number, dGi: number, dGh: number): void;
  columnForward(mode: number, H: number, T: number, R: number, steps: number, x: number, inputSize: number, wih: number, bih: number,
                w: number, bhh: number, act: number, hp: number, h: number, c: number, ghn: number): void;
  columnBackward(mode: number, H: number, T: number, R: number, steps: number, act: number, w: number,
                 hp: number, h: number, c: number, ghn: number, dOut: number, dGi: number, dGh: number, carry: number): void;
  addRowVector(rows: number, cols: number, v: number, c: number): void;
  colSums(rows: number, cols: number, a: number, out: number, accumulate: number): void;
  add(n: number, src: number, dst: number): void;
  multiply(n: number, src: number, dst: number): void;
  sumSquares(n: number, a: number): number;
  adam(n: number, theta: number, grad: number, m: number, v: number,
       stepSize: number, beta1: number, beta2: number, eps: number, bc2Sqrt: number, gradScale: number): void;
  gatherRows(rows: number, cols: number, table: number, index: number, out: number): void;
  scatterAddRows(rows: number, cols: number, src: number, index: number, table: number): void;
  gatherColumns(rows: number, cols: number, table: number, index: number, out: number): void;
  scatterAddColumns(rows: number, cols: number, src: number, index: number, table: number): void;
  copy(n: number, src: number, dst: number): void;
  fill(n: number, value: number, dst: number): void;
}

/** the i32 mode codes of the column kernels (assembly/column.ts) */
const MODE_CODE: Readonly<Record<CellMode, number>> = { RNN_TANH: 0, RNN_RELU: 1, GRU: 2, LSTM: 3 };

const PAGE = 65536;
const ALIGN = 64; // cache-line aligned buffers
const GUARD_BYTES = 64;
/** headroom `reserve` adds for alignment padding of the allocations that follow */
const RESERVE_SLACK = 256 * 1024;

export class WasmOps implements KernelOps<Float32Array> {
  readonly name: string;
  readonly precision = "f32";
  readonly variant: WasmVariant;
  readonly memory: WasmMemory;
  private readonly k: KernelExports;
  private readonly scratch: number;
  private readonly scratchFloats: number;
  private readonly arenaStart: number;
  private top: number;
  private buffer: ArrayBuffer | SharedArrayBuffer;

  constructor(kernels: KernelModule = loadKernelModule()) {
    this.variant = kernels.variant;
    this.name = `wasm-${kernels.variant}`;
    const api = wasmApi!; // loadKernelModule succeeded, so WebAssembly exists
    this.memory = new api.Memory({ initial: 4 });
    const instance = new api.Instance(kernels.module, { env: { memory: this.memory } });
    this.k = instance.exports as unknown as KernelExports;
    this.scratch = 1024;
    this.scratchFloats = this.k.SCRATCH_FLOATS.value as number;
    this.arenaStart = align(this.scratch + this.scratchFloats * 4);
    this.top = this.arenaStart;
    this.buffer = this.memory.buffer;
    this.ensureCapacity(this.top + GUARD_BYTES);
  }

  /** bytes of linear memory currently in use by allocations */
  get bytesAllocated(): number {
    return this.top - this.arenaStart;
  }

  reserve(elements: number, ints = 0): void {
    this.ensureCapacity(this.top + (elements + ints) * 4 + RESERVE_SLACK + GUARD_BYTES);
  }

  alloc(elements: number): Float32Array {
    return new Float32Array(this.buffer, this.take(elements, "alloc"), elements);
  }

  allocInt(elements: number): Int32Array {
    return new Int32Array(this.buffer, this.take(elements, "allocInt"), elements);
  }

  reset(): void {
    this.top = this.arenaStart;
  }

  private take(elements: number, what: string): number {
    if (!Number.isInteger(elements) || elements < 0) {
      throw new Error(`WasmOps.${what}: elements must be a non-negative integer, got ${elements}`);
    }
    const start = this.top;
    const end = start + elements * 4;
    if (end + GUARD_BYTES > this.buffer.byteLength) {
      // growing here would detach the views already handed out
      throw new Error(
        `WasmOps.${what}(${elements}): out of reserved memory (${this.buffer.byteLength - start - GUARD_BYTES} bytes left); ` +
          `call reserve() with the total size before allocating`,
      );
    }
    this.top = align(end);
    // zero the new buffer and the guard after it (memory may be reused after reset)
    new Uint8Array(this.buffer, start, Math.min(this.top + GUARD_BYTES, this.buffer.byteLength) - start).fill(0);
    return start;
  }

  private ensureCapacity(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.buffer = this.memory.buffer;
  }

  /** byte address of x[off], checking that x is a live view of this backend's memory */
  private at(x: Float32Array | Int32Array, off: number): number {
    if (x.buffer !== this.buffer) {
      throw new Error(
        `${this.name}: buffer is not a live view of this backend's memory ` +
          `(allocate every operand with this backend's alloc, after the last reserve)`,
      );
    }
    return x.byteOffset + off * 4;
  }

  gemmNT(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    this.k.gemmNT(m, n, k, this.at(a, aOff), this.at(b, bOff), this.at(c, cOff), accumulate ? 1 : 0, this.scratch);
  }

  gemmNN(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    this.k.gemmNN(m, n, k, this.at(a, aOff), this.at(b, bOff), this.at(c, cOff), accumulate ? 1 : 0, this.scratch);
  }

  gemmTN(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, aOff = 0, bOff = 0, cOff = 0): void {
    this.k.gemmTN(m, n, k, this.at(a, aOff), this.at(b, bOff), this.at(c, cOff), accumulate ? 1 : 0, this.scratch);
  }

  cellForward(
    mode: CellMode, rows: number, H: number,
    gi: Float32Array, giOff: number, gh: Float32Array, ghOff: number,
    hPrev: Float32Array, hPrevOff: number, cPrev: Float32Array, cPrevOff: number,
    h: Float32Array, hOff: number, c: Float32Array, cOff: number,
  ): void {
    if (rows === 0) return;
    switch (mode) {
      case "RNN_TANH":
        return this.k.forwardTanh(rows * H, this.at(gi, giOff), this.at(gh, ghOff), this.at(h, hOff));
      case "RNN_RELU":
        return this.k.forwardRelu(rows * H, this.at(gi, giOff), this.at(gh, ghOff), this.at(h, hOff));
      case "GRU":
        return this.k.forwardGRU(rows, H, this.at(gi, giOff), this.at(gh, ghOff), this.at(hPrev, hPrevOff), this.at(h, hOff));
      case "LSTM":
        return this.k.forwardLSTM(rows, H, this.at(gi, giOff), this.at(gh, ghOff), this.at(cPrev, cPrevOff),
          this.at(h, hOff), this.at(c, cOff));
      default:
        throw new Error(`cellForward: unknown cell mode ${String(mode)}`);
    }
  }

  cellBackward(
    mode: CellMode, rows: number, H: number,
    act: Float32Array, actOff: number, gh: Float32Array, ghOff: number,
    hPrev: Float32Array, hPrevOff: number, h: Float32Array, hOff: number,
    cPrev: Float32Array, cPrevOff: number, c: Float32Array, cOff: number,
    dh: Float32Array, dhOff: number, dc: Float32Array, dcOff: number,
    dGi: Float32Array, dGiOff: number, dGh: Float32Array, dGhOff: number,
  ): void {
    if (rows === 0) return;
    switch (mode) {
      case "RNN_TANH":
        return this.k.backwardTanh(rows * H, this.at(h, hOff), this.at(dh, dhOff), this.at(dGi, dGiOff));
      case "RNN_RELU":
        return this.k.backwardRelu(rows * H, this.at(h, hOff), this.at(dh, dhOff), this.at(dGi, dGiOff));
      case "GRU":
        return this.k.backwardGRU(rows, H, this.at(act, actOff), this.at(gh, ghOff), this.at(hPrev, hPrevOff),
          this.at(dh, dhOff), this.at(dGi, dGiOff), this.at(dGh, dGhOff));
      case "LSTM":
        return this.k.backwardLSTM(rows, H, this.at(act, actOff), this.at(cPrev, cPrevOff), this.at(c, cOff),
          this.at(dh, dhOff), this.at(dc, dcOff), this.at(dGi, dGiOff));
      default:
        throw new Error(`cellBackward: unknown cell mode ${String(mode)}`);
    }
  }

  gruStepForward(
    rows: number, H: number, gi: Float32Array, giOff: number, gh: Float32Array, ghOff: number,
    hPrev: Float32Array, hPrevOff: number, w: Float32Array, wOff: number, bhh: Float32Array, bhhOff: number, h: Float32Array, hOff: number,
  ): void {
    if (rows === 0) return;
    if (3 * H * H + 4 > this.scratchFloats) throw new Error(`gruStepForward: hidden size ${H} too large for the scratch (${this.scratchFloats} floats)`);
    this.k.stepGRU(rows, H, this.at(gi, giOff), this.at(gh, ghOff), this.at(hPrev, hPrevOff), this.at(w, wOff), this.at(bhh, bhhOff), this.at(h, hOff), this.scratch);
  }

  gruStepBackward(
    rows: number, H: number, act: Float32Array, actOff: number, gh: Float32Array, ghOff: number,
    hPrev: Float32Array, hPrevOff: number, w: Float32Array, wOff: number, dh: Float32Array, dhOff: number,
    dGi: Float32Array, dGiOff: number, dGh: Float32Array, dGhOff: number,
  ): void {
    if (rows === 0) return;
    this.k.stepBackGRU(rows, H, this.at(act, actOff), this.at(gh, ghOff), this.at(hPrev, hPrevOff), this.at(w, wOff),
      this.at(dh, dhOff), this.at(dGi, dGiOff), this.at(dGh, dGhOff));
  }

  columnForward(
    mode: CellMode, H: number, T: number, R: number, steps: Int32Array, stepsOff: number,
    x: Float32Array, xOff: number, inputSize: number, wih: Float32Array, wihOff: number, bih: Float32Array, bihOff: number,
    w: Float32Array, wOff: number, bhh: Float32Array, bhhOff: number,
    act: Float32Array, actOff: number, hp: Float32Array, hpOff: number, h: Float32Array, hOff: number, c: Float32Array, cOff: number, ghn: Float32Array, ghnOff: number,
  ): void {
    const code = modeCode(mode, "columnForward");
    if (T === 0) return;
    checkColumnForward(mode, H, T, R, steps, stepsOff, x, xOff, inputSize, wih, wihOff, bih, bihOff, w, wOff, bhh, bhhOff,
      act, actOff, hp, hpOff, h, hOff, c, cOff, ghn, ghnOff);
    this.k.columnForward(code, H, T, R, this.at(steps, stepsOff), this.at(x, xOff), inputSize, this.at(wih, wihOff), this.at(bih, bihOff),
      this.at(w, wOff), this.at(bhh, bhhOff), this.at(act, actOff), this.at(hp, hpOff), this.at(h, hOff), this.at(c, cOff), this.at(ghn, ghnOff));
  }

  columnBackward(
    mode: CellMode, H: number, T: number, R: number, steps: Int32Array, stepsOff: number,
    act: Float32Array, actOff: number, w: Float32Array, wOff: number,
    hp: Float32Array, hpOff: number, h: Float32Array, hOff: number, c: Float32Array, cOff: number, ghn: Float32Array, ghnOff: number,
    dOut: Float32Array, dOutOff: number, dGi: Float32Array, dGiOff: number, dGh: Float32Array, dGhOff: number, carry: Float32Array, carryOff: number,
  ): void {
    const code = modeCode(mode, "columnBackward");
    if (T === 0) return;
    checkColumnBackward(mode, H, T, R, steps, stepsOff, act, actOff, w, wOff, hp, hpOff, h, hOff, c, cOff, ghn, ghnOff,
      dOut, dOutOff, dGi, dGiOff, dGh, dGhOff, carry, carryOff);
    this.k.columnBackward(code, H, T, R, this.at(steps, stepsOff),
      this.at(act, actOff), this.at(w, wOff), this.at(hp, hpOff), this.at(h, hOff), this.at(c, cOff), this.at(ghn, ghnOff),
      this.at(dOut, dOutOff), this.at(dGi, dGiOff), this.at(dGh, dGhOff), this.at(carry, carryOff));
  }

  addRowVector(rows: number, cols: number, v: Float32Array, vOff: number, c: Float32Array, cOff: number): void {
    this.k.addRowVector(rows, cols, this.at(v, vOff), this.at(c, cOff));
  }

  colSums(rows: number, cols: number, a: Float32Array, aOff: number, out: Float32Array, outOff: number, accumulate: boolean): void {
    this.k.colSums(rows, cols, this.at(a, aOff), this.at(out, outOff), accumulate ? 1 : 0);
  }

  add(n: number, src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number): void {
    this.k.add(n, this.at(src, srcOff), this.at(dst, dstOff));
  }

  multiply(n: number, src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number): void {
    this.k.multiply(n, this.at(src, srcOff), this.at(dst, dstOff));
  }

  sumSquares(n: number, a: Float32Array, aOff: number): number {
    return this.k.sumSquares(n, this.at(a, aOff));
  }

  adam(n: number, theta: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array,
       lr: number, beta1: number, beta2: number, eps: number, step: number, gradScale: number): void {
    const stepSize = lr / (1 - Math.pow(beta1, step));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    this.k.adam(n, this.at(theta, 0), this.at(grad, 0), this.at(m, 0), this.at(v, 0),
      stepSize, beta1, beta2, eps, bc2Sqrt, gradScale);
  }

  copy(n: number, src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number): void {
    this.k.copy(n, this.at(src, srcOff), this.at(dst, dstOff));
  }

  fill(n: number, value: number, dst: Float32Array, dstOff: number): void {
    this.k.fill(n, value, this.at(dst, dstOff));
  }

  gatherRows(rows: number, cols: number, table: Float32Array, tableOff: number, index: Int32Array, indexOff: number, out: Float32Array, outOff: number): void {
    this.k.gatherRows(rows, cols, this.at(table, tableOff), this.at(index, indexOff), this.at(out, outOff));
  }

  scatterAddRows(rows: number, cols: number, src: Float32Array, srcOff: number, index: Int32Array, indexOff: number, table: Float32Array, tableOff: number): void {
    this.k.scatterAddRows(rows, cols, this.at(src, srcOff), this.at(index, indexOff), this.at(table, tableOff));
  }

  gatherColumns(rows: number, cols: number, table: Float32Array, tableOff: number, index: Int32Array, indexOff: number, out: Float32Array, outOff: number): void {
    this.k.gatherColumns(rows, cols, this.at(table, tableOff), this.at(index, indexOff), this.at(out, outOff));
  }

  scatterAddColumns(rows: number, cols: number, src: Float32Array, srcOff: number, index: Int32Array, indexOff: number, table: Float32Array, tableOff: number): void {
    this.k.scatterAddColumns(rows, cols, this.at(src, srcOff), this.at(index, indexOff), this.at(table, tableOff));
  }
}

/** The buffer extents and step table of a columnForward call (the kernels index memory unchecked); also the sparse kernels'. */
export function checkColumnForward(
  mode: CellMode, H: number, T: number, R: number, steps: Int32Array, stepsOff: number,
  x: Float32Array, xOff: number, inputSize: number, wih: Float32Array, wihOff: number, bih: Float32Array, bihOff: number,
  w: Float32Array, wOff: number, bhh: Float32Array, bhhOff: number,
  act: Float32Array, actOff: number, hp: Float32Array, hpOff: number, h: Float32Array, hOff: number, c: Float32Array, cOff: number, ghn: Float32Array, ghnOff: number,
): void {
  const GH = GATES[mode] * H, where = "columnForward";
  if (!(Number.isInteger(inputSize) && inputSize >= 1)) throw new Error(`${where}: inputSize must be a positive integer, got ${inputSize}`);
  checkSteps(where, H, T, R, steps, stepsOff);
  checkExtent(where, "x", x, xOff, inputSize * R);
  checkExtent(where, "wih", wih, wihOff, GH * inputSize);
  checkExtent(where, "bih", bih, bihOff, GH);
  checkExtent(where, "bhh", bhh, bhhOff, GH);
  if (mode === "GRU" || mode === "LSTM") checkExtent(where, "act", act, actOff, GH * R);
  checkExtent(where, "w", w, wOff, GH * H);
  checkExtent(where, "hp", hp, hpOff, H * R);
  checkExtent(where, "h", h, hOff, H * R);
  if (mode === "GRU") checkExtent(where, "ghn", ghn, ghnOff, H * R);
  if (mode === "LSTM") checkExtent(where, "c", c, cOff, H * R);
}

/** The buffer extents and step table of a columnBackward call; also the sparse kernels'. */
export function checkColumnBackward(
  mode: CellMode, H: number, T: number, R: number, steps: Int32Array, stepsOff: number,
  act: Float32Array, actOff: number, w: Float32Array, wOff: number,
  hp: Float32Array, hpOff: number, h: Float32Array, hOff: number, c: Float32Array, cOff: number, ghn: Float32Array, ghnOff: number,
  dOut: Float32Array, dOutOff: number, dGi: Float32Array, dGiOff: number, dGh: Float32Array, dGhOff: number, carry: Float32Array, carryOff: number,
): void {
  const GH = GATES[mode] * H, where = "columnBackward";
  checkSteps(where, H, T, R, steps, stepsOff);
  checkExtent(where, "act", act, actOff, GH * R);
  checkExtent(where, "w", w, wOff, GH * H);
  checkExtent(where, "hp", hp, hpOff, H * R);
  checkExtent(where, "h", h, hOff, H * R);
  checkExtent(where, "dOut", dOut, dOutOff, H * R);
  checkExtent(where, "dGi", dGi, dGiOff, GH * R);
  checkExtent(where, "carry", carry, carryOff, 2 * H * steps[stepsOff]);
  if (mode === "GRU") { checkExtent(where, "ghn", ghn, ghnOff, H * R); checkExtent(where, "dGh", dGh, dGhOff, GH * R); }
  if (mode === "LSTM") checkExtent(where, "c", c, cOff, H * R);
}

export function modeCode(mode: CellMode, where: string): number {
  const code = MODE_CODE[mode];
  if (code === undefined) throw new Error(`${where}: unknown cell mode ${String(mode)}`);
  return code;
}

/**
 * Validate the step table of a column kernel call (the kernels index memory with it
 * unchecked): T pairs [rows_t, off_t] with rows non-increasing and off_t the running
 * sum, all within R columns.
 */
function checkSteps(where: string, H: number, T: number, R: number, steps: Int32Array, stepsOff: number): void {
  if (!Number.isInteger(H) || H < 1) throw new Error(`${where}: hidden must be a positive integer, got ${H}`);
  if (!Number.isInteger(T) || T < 0 || stepsOff + 2 * T > steps.length) {
    throw new Error(`${where}: T = ${T} steps need ${2 * T} entries of steps from offset ${stepsOff}, it has ${steps.length - stepsOff}`);
  }
  let off = 0;
  for (let t = 0; t < T; t++) {
    const rows = steps[stepsOff + 2 * t], at = steps[stepsOff + 2 * t + 1];
    if (rows < 0 || (t > 0 && rows > steps[stepsOff + 2 * t - 2]) || at !== off) {
      throw new Error(`${where}: steps[${t}] = (rows ${rows}, off ${at}): rows must be non-increasing and off the sum of the rows before (${off})`);
    }
    off += rows;
  }
  if (off > R) throw new Error(`${where}: the steps cover ${off} rows, more than R = ${R}`);
}

/** x[off …] must hold `floats` floats: the kernels would otherwise write into the next buffer. */
function checkExtent(where: string, name: string, x: Float32Array, off: number, floats: number): void {
  if (off < 0 || off + floats > x.length) {
    throw new Error(`${where}: ${name} needs ${floats} floats from offset ${off}, its buffer has ${x.length}`);
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
