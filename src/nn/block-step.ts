/**
 * One block's time-step operands in the row-major engine (engine.ts), with the kernel
 * records over them, made once and re-pointed at every step, so the time loops allocate
 * nothing: kernels read their operands during the call only. (A step of a 3×50 RNN_TANH
 * layer takes a few µs of kernels; allocating its ~20 operand objects afresh cost ~6 %.)
 */
import type { CellGradient, Floats, GruStep, GruStepGradient, Operand, Product } from "./kernel-ops";
import type { CellMode } from "./spec";

/** An operand moved from step to step. */
interface Cursor { data: Floats; offset: number }

/** A block's sequence buffers (see BlockPlan in engine.ts) and the shared ones its steps use. */
export interface StepBuffers {
  /** per step rows × G·H: gi / act, gh; the engine's ∂L/∂gi, ∂L/∂gh workspace */
  gi: Floats; gh: Floats; dGi: Floats; dGh: Floats;
  /** rows × H: the output sequence after `base` zeros, the packed h_{t−1} copies, c; ∂L/∂ of the output sequence */
  h: Floats; base: number; hPrev: Floats; c: Floats; dOut: Floats;
  /** c_{−1} = 0 */
  zeros: Floats;
  /** ∂L/∂h and ∂L/∂c carried between steps (one step's rows, from 0) */
  dh: Operand; dc: Operand;
  wHH: Operand; bHH: Operand;
}

function cursor(data: Floats): Cursor {
  return { data, offset: 0 };
}

export class BlockStep {
  /** step t's gates (gi, then act), gh, h_{t−1}, c_{t−1}, h_t, c_t, ∂L/∂h_t from above, dGi, dGh */
  private readonly gates: Cursor; private readonly gh: Cursor;
  readonly hPrev: Cursor; private readonly cPrev: Cursor;
  private readonly h: Cursor; private readonly c: Cursor;
  readonly dOut: Cursor; private readonly dGi: Cursor; private readonly dGh: Cursor;
  /** h_{t−1} in the output sequence: what "packed" copies into hPrev */
  readonly hLast: Cursor;
  /** the cell (cellForward reads its CellStep part) */
  readonly cell: CellGradient;
  /** gh = h_{t−1}·W_hhᵀ */
  readonly recurrent: Product;
  /** dh += dGh·W_hh */
  readonly recurrentGradient: Product;
  readonly gruStep: GruStep;
  readonly gruStepGradient: GruStepGradient;

  constructor(mode: CellMode, private readonly hidden: number, private readonly G: number, private readonly b: StepBuffers) {
    this.gates = cursor(b.gi); this.gh = cursor(b.gh);
    this.hPrev = cursor(b.hPrev); this.cPrev = cursor(b.zeros);
    this.h = cursor(b.h); this.c = cursor(b.c);
    this.dOut = cursor(b.dOut); this.dGi = cursor(b.dGi); this.dGh = cursor(b.dGh);
    this.hLast = cursor(b.h);
    const { gates, gh, hPrev, cPrev, h, c, dGi, dGh } = this, { dh, dc, wHH: w, bHH: bhh } = b, H = hidden, GH = G * H;
    this.cell = { mode, rows: 0, hidden: H, gates, gh, hPrev, cPrev, h, c, dh, dc, dGi, dGh };
    this.recurrent = { m: 0, n: GH, k: H, a: hPrev, b: w, c: gh, accumulate: false };
    this.recurrentGradient = { m: 0, n: H, k: GH, a: dGh, b: w, c: dh, accumulate: true };
    this.gruStep = { rows: 0, hidden: H, gates, gh, hPrev, h, w, bhh };
    this.gruStepGradient = { rows: 0, hidden: H, gates, gh, hPrev, w, dh, dGi, dGh };
  }

  /**
   * Point everything at a step of `rows` rows from row `off`, the step before starting at
   * row `prevOff` (−1 at t = 0). h_{t−1} is read from the packed copies in hPrev, or with
   * padding "post" straight from the output sequence: the `batch` rows before h_t.
   */
  moveTo(rows: number, off: number, prevOff: number, packed: boolean, batch: number): void {
    const H = this.hidden, GH = this.G * H, b = this.b;
    this.cell.rows = this.gruStep.rows = this.gruStepGradient.rows = this.recurrent.m = this.recurrentGradient.m = rows;
    this.gates.offset = this.gh.offset = this.dGi.offset = this.dGh.offset = off * GH;
    this.h.offset = b.base + off * H;
    this.c.offset = this.dOut.offset = off * H;
    if (packed) { this.hPrev.data = b.hPrev; this.hPrev.offset = off * H; } else { this.hPrev.data = b.h; this.hPrev.offset = b.base + (off - batch) * H; }
    this.hLast.offset = b.base + prevOff * H;
    if (prevOff < 0) { this.cPrev.data = b.zeros; this.cPrev.offset = 0; } else { this.cPrev.data = b.c; this.cPrev.offset = prevOff * H; }
  }
}
