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
import type { AdamStep, Capabilities, CellGradient, CellStep, ColumnBackward, ColumnForward, GruStep, GruStepGradient, KernelOps, Operand, Product, StepTable, WasmHost } from "../kernel-ops";
import { at } from "../kernel-ops";
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

export class WasmOps implements KernelOps<Float32Array>, WasmHost {
  readonly name: string;
  readonly precision = "f32";
  /** two threads: DataParallel's worker builds the same kernels (same variant) on its own memory */
  readonly capabilities: Capabilities = { threads: 2, sparse: false, columns: true };
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

  /** its buffers all live in `memory`: other wasm kernels (src/prune/sparse) can run on them */
  get wasm(): WasmHost {
    return this;
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

  /** byte address where an operand starts, checking that its buffer is a live view of this backend's memory */
  private ptr(x: Operand<Float32Array | Int32Array>): number {
    if (x.data.buffer !== this.buffer) {
      throw new Error(
        `${this.name}: buffer is not a live view of this backend's memory ` +
          `(allocate every operand with this backend's alloc, after the last reserve)`,
      );
    }
    return x.data.byteOffset + x.offset * 4;
  }

  gemmNT(p: Product<Float32Array>): void {
    this.k.gemmNT(p.m, p.n, p.k, this.ptr(p.a), this.ptr(p.b), this.ptr(p.c), p.accumulate ? 1 : 0, this.scratch);
  }

  gemmNN(p: Product<Float32Array>): void {
    this.k.gemmNN(p.m, p.n, p.k, this.ptr(p.a), this.ptr(p.b), this.ptr(p.c), p.accumulate ? 1 : 0, this.scratch);
  }

  gemmTN(p: Product<Float32Array>): void {
    this.k.gemmTN(p.m, p.n, p.k, this.ptr(p.a), this.ptr(p.b), this.ptr(p.c), p.accumulate ? 1 : 0, this.scratch);
  }

  cellForward(s: CellStep<Float32Array>): void {
    const { mode, rows, hidden: H } = s;
    if (rows === 0) return;
    switch (mode) {
      case "RNN_TANH":
        return this.k.forwardTanh(rows * H, this.ptr(s.gates), this.ptr(s.gh), this.ptr(s.h));
      case "RNN_RELU":
        return this.k.forwardRelu(rows * H, this.ptr(s.gates), this.ptr(s.gh), this.ptr(s.h));
      case "GRU":
        return this.k.forwardGRU(rows, H, this.ptr(s.gates), this.ptr(s.gh), this.ptr(s.hPrev), this.ptr(s.h));
      case "LSTM":
        return this.k.forwardLSTM(rows, H, this.ptr(s.gates), this.ptr(s.gh), this.ptr(s.cPrev), this.ptr(s.h), this.ptr(s.c));
      default:
        throw new Error(`cellForward: unknown cell mode ${String(mode)}`);
    }
  }

  cellBackward(s: CellGradient<Float32Array>): void {
    const { mode, rows, hidden: H } = s;
    if (rows === 0) return;
    switch (mode) {
      case "RNN_TANH":
        return this.k.backwardTanh(rows * H, this.ptr(s.h), this.ptr(s.dh), this.ptr(s.dGi));
      case "RNN_RELU":
        return this.k.backwardRelu(rows * H, this.ptr(s.h), this.ptr(s.dh), this.ptr(s.dGi));
      case "GRU":
        return this.k.backwardGRU(rows, H, this.ptr(s.gates), this.ptr(s.gh), this.ptr(s.hPrev), this.ptr(s.dh), this.ptr(s.dGi), this.ptr(s.dGh));
      case "LSTM":
        return this.k.backwardLSTM(rows, H, this.ptr(s.gates), this.ptr(s.cPrev), this.ptr(s.c), this.ptr(s.dh), this.ptr(s.dc), this.ptr(s.dGi));
      default:
        throw new Error(`cellBackward: unknown cell mode ${String(mode)}`);
    }
  }

  gruStepForward(s: GruStep<Float32Array>): void {
    const { rows, hidden: H } = s;
    if (rows === 0) return;
    if (3 * H * H + 4 > this.scratchFloats) throw new Error(`gruStepForward: hidden size ${H} too large for the scratch (${this.scratchFloats} floats)`);
    this.k.stepGRU(rows, H, this.ptr(s.gates), this.ptr(s.gh), this.ptr(s.hPrev), this.ptr(s.w), this.ptr(s.bhh), this.ptr(s.h), this.scratch);
  }

  gruStepBackward(s: GruStepGradient<Float32Array>): void {
    if (s.rows === 0) return;
    this.k.stepBackGRU(s.rows, s.hidden, this.ptr(s.gates), this.ptr(s.gh), this.ptr(s.hPrev), this.ptr(s.w), this.ptr(s.dh), this.ptr(s.dGi), this.ptr(s.dGh));
  }

  columnForward(r: ColumnForward<Float32Array>): void {
    const code = modeCode(r.mode, "columnForward"), { T, R } = r.schedule;
    if (T === 0) return;
    checkColumnForward(r);
    this.k.columnForward(code, r.hidden, T, R, this.ptr(r.schedule.steps), this.ptr(r.x), r.inputSize, this.ptr(r.wih), this.ptr(r.bih),
      this.ptr(r.w), this.ptr(r.bhh), this.ptr(r.act), this.ptr(r.hp), this.ptr(r.h), this.ptr(r.c), this.ptr(r.ghn));
  }

  columnBackward(r: ColumnBackward<Float32Array>): void {
    const code = modeCode(r.mode, "columnBackward"), { T, R } = r.schedule;
    if (T === 0) return;
    checkColumnBackward(r);
    this.k.columnBackward(code, r.hidden, T, R, this.ptr(r.schedule.steps), this.ptr(r.act), this.ptr(r.w), this.ptr(r.hp), this.ptr(r.h),
      this.ptr(r.c), this.ptr(r.ghn), this.ptr(r.dOut), this.ptr(r.dGi), this.ptr(r.dGh), this.ptr(r.carry));
  }

  addRowVector(rows: number, cols: number, v: Operand<Float32Array>, c: Operand<Float32Array>): void {
    this.k.addRowVector(rows, cols, this.ptr(v), this.ptr(c));
  }

  colSums(rows: number, cols: number, a: Operand<Float32Array>, out: Operand<Float32Array>, accumulate: boolean): void {
    this.k.colSums(rows, cols, this.ptr(a), this.ptr(out), accumulate ? 1 : 0);
  }

  add(n: number, src: Operand<Float32Array>, dst: Operand<Float32Array>): void {
    this.k.add(n, this.ptr(src), this.ptr(dst));
  }

  multiply(n: number, src: Operand<Float32Array>, dst: Operand<Float32Array>): void {
    this.k.multiply(n, this.ptr(src), this.ptr(dst));
  }

  sumSquares(n: number, a: Operand<Float32Array>): number {
    return this.k.sumSquares(n, this.ptr(a));
  }

  adam({ n, theta, grad, m, v, lr, beta1, beta2, eps, step, gradScale }: AdamStep<Float32Array>): void {
    const stepSize = lr / (1 - Math.pow(beta1, step));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    this.k.adam(n, this.ptr(at(theta)), this.ptr(at(grad)), this.ptr(at(m)), this.ptr(at(v)), stepSize, beta1, beta2, eps, bc2Sqrt, gradScale);
  }

  copy(n: number, src: Operand<Float32Array>, dst: Operand<Float32Array>): void {
    this.k.copy(n, this.ptr(src), this.ptr(dst));
  }

  fill(n: number, value: number, dst: Operand<Float32Array>): void {
    this.k.fill(n, value, this.ptr(dst));
  }

  gatherRows(rows: number, cols: number, table: Operand<Float32Array>, index: Operand<Int32Array>, out: Operand<Float32Array>): void {
    this.k.gatherRows(rows, cols, this.ptr(table), this.ptr(index), this.ptr(out));
  }

  scatterAddRows(rows: number, cols: number, src: Operand<Float32Array>, index: Operand<Int32Array>, table: Operand<Float32Array>): void {
    this.k.scatterAddRows(rows, cols, this.ptr(src), this.ptr(index), this.ptr(table));
  }

  gatherColumns(rows: number, cols: number, table: Operand<Float32Array>, index: Operand<Int32Array>, out: Operand<Float32Array>): void {
    this.k.gatherColumns(rows, cols, this.ptr(table), this.ptr(index), this.ptr(out));
  }

  scatterAddColumns(rows: number, cols: number, src: Operand<Float32Array>, index: Operand<Int32Array>, table: Operand<Float32Array>): void {
    this.k.scatterAddColumns(rows, cols, this.ptr(src), this.ptr(index), this.ptr(table));
  }
}

/** The buffer extents and step table of a columnForward call (the kernels index memory unchecked); also the sparse kernels'. */
export function checkColumnForward(r: ColumnForward<Float32Array>): void {
  const GH = GATES[r.mode] * r.hidden, HR = r.hidden * r.schedule.R, where = "columnForward";
  if (!(Number.isInteger(r.inputSize) && r.inputSize >= 1)) throw new Error(`${where}: inputSize must be a positive integer, got ${r.inputSize}`);
  checkSteps(where, r.hidden, r.schedule);
  checkExtent(where, "x", r.x, r.inputSize * r.schedule.R);
  checkExtent(where, "wih", r.wih, GH * r.inputSize);
  checkExtent(where, "bih", r.bih, GH);
  checkExtent(where, "bhh", r.bhh, GH);
  if (r.mode === "GRU" || r.mode === "LSTM") checkExtent(where, "act", r.act, GH * r.schedule.R);
  checkExtent(where, "w", r.w, GH * r.hidden);
  checkExtent(where, "hp", r.hp, HR);
  checkExtent(where, "h", r.h, HR);
  if (r.mode === "GRU") checkExtent(where, "ghn", r.ghn, HR);
  if (r.mode === "LSTM") checkExtent(where, "c", r.c, HR);
}

/** The buffer extents and step table of a columnBackward call; also the sparse kernels'. */
export function checkColumnBackward(r: ColumnBackward<Float32Array>): void {
  const GH = GATES[r.mode] * r.hidden, HR = r.hidden * r.schedule.R, where = "columnBackward";
  checkSteps(where, r.hidden, r.schedule);
  checkExtent(where, "act", r.act, GH * r.schedule.R);
  checkExtent(where, "w", r.w, GH * r.hidden);
  checkExtent(where, "hp", r.hp, HR);
  checkExtent(where, "h", r.h, HR);
  checkExtent(where, "dOut", r.dOut, HR);
  checkExtent(where, "dGi", r.dGi, GH * r.schedule.R);
  checkExtent(where, "carry", r.carry, 2 * r.hidden * r.schedule.steps.data[r.schedule.steps.offset]);
  if (r.mode === "GRU") { checkExtent(where, "ghn", r.ghn, HR); checkExtent(where, "dGh", r.dGh, GH * r.schedule.R); }
  if (r.mode === "LSTM") checkExtent(where, "c", r.c, HR);
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
function checkSteps(where: string, H: number, { T, R, steps: { data: steps, offset: stepsOff } }: StepTable): void {
  if (!Number.isInteger(H) || H < 1) throw new Error(`${where}: hidden must be a positive integer, got ${H}`);
  if (!Number.isInteger(T) || T < 0 || stepsOff + 2 * T > steps.length) {
    throw new Error(`${where}: T = ${T} steps need ${2 * T} entries of steps from offset ${stepsOff}, it has ${steps.length - stepsOff}`);
  }
  let off = 0;
  for (let t = 0; t < T; t++) {
    const rows = steps[stepsOff + 2 * t], start = steps[stepsOff + 2 * t + 1];
    if (rows < 0 || (t > 0 && rows > steps[stepsOff + 2 * t - 2]) || start !== off) {
      throw new Error(`${where}: steps[${t}] = (rows ${rows}, off ${start}): rows must be non-increasing and off the sum of the rows before (${off})`);
    }
    off += rows;
  }
  if (off > R) throw new Error(`${where}: the steps cover ${off} rows, more than R = ${R}`);
}

/** The operand must hold `floats` floats: the kernels would otherwise write into the next buffer. */
function checkExtent(where: string, name: string, x: Operand<Float32Array>, floats: number): void {
  if (x.offset < 0 || x.offset + floats > x.data.length) {
    throw new Error(`${where}: ${name} needs ${floats} floats from offset ${x.offset}, its buffer has ${x.data.length}`);
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
