// Element-wise recurrent cell, one time step over `rows` strings (KernelOps.cellForward /
// cellBackward): the gate functions of gates.ts walked over the rows. Rows hold G gate
// blocks of H floats; each block is walked 4 lanes at a time. When H is not a multiple
// of 4 the last vector of a block also reads the first lanes of the next block (or the
// next row / the zeroed guard past the last allocation); only the valid lanes are
// stored, and every vector's loads come before its stores, so in-place updates of a
// block never touch its neighbour before that neighbour is read.
import { storeLanes } from "./simd";
import { gruCell, gruCellGradient, lstmCell, lstmCellGradient, rnnCell, rnnCellGradient } from "./gates";

const ZERO: v128 = f32x4.splat(0.0);

/** RNN_TANH / RNN_RELU over n = rows·H contiguous floats: h = act(gi + gh) */
// @ts-ignore: decorator
@inline function rnnForward(relu: bool, n: i32, gi: usize, gh: usize, h: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    storeLanes(h + o, rnnCell(relu, f32x4.add(v128.load(gi + o), v128.load(gh + o))), n - i);
  }
}

export function forwardTanh(n: i32, gi: usize, gh: usize, h: usize): void {
  rnnForward(false, n, gi, gh, h);
}

export function forwardRelu(n: i32, gi: usize, gh: usize, h: usize): void {
  rnnForward(true, n, gi, gh, h);
}

/** dGi = the RNN cell's gradient from dh and h; dh = 0 (nothing bypasses W_hh) */
// @ts-ignore: decorator
@inline function rnnBackward(relu: bool, n: i32, h: usize, dh: usize, dGi: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const lanes = n - i;
    storeLanes(dGi + o, rnnCellGradient(relu, v128.load(dh + o), v128.load(h + o)), lanes);
    storeLanes(dh + o, ZERO, lanes);
  }
}

export function backwardTanh(n: i32, h: usize, dh: usize, dGi: usize): void {
  rnnBackward(false, n, h, dh, dGi);
}

export function backwardRelu(n: i32, h: usize, dh: usize, dGi: usize): void {
  rnnBackward(true, n, h, dh, dGi);
}

/** GRU forward; gi ← [r | z | n]. */
export function forwardGRU(rows: i32, H: i32, gi: usize, gh: usize, hPrev: usize, h: usize): void {
  const block = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * 3 * H) << 2, o = <usize>(r * H) << 2;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2, pi = gi + g + jb, ph = gh + g + jb;
      gruCell(false, f32x4.add(v128.load(pi), v128.load(ph)), f32x4.add(v128.load(pi + block), v128.load(ph + block)),
        v128.load(pi + 2 * block), v128.load(ph + 2 * block), v128.load(hPrev + o + jb), pi, block, h + o + jb, H - j);
    }
  }
}

/** GRU backward: dGi, dGh and dh ← d∘z. */
export function backwardGRU(rows: i32, H: i32, act: usize, gh: usize, hPrev: usize, dh: usize, dGi: usize, dGh: usize): void {
  const block = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * 3 * H) << 2, o = <usize>(r * H) << 2;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2, lanes = H - j;
      const direct = gruCellGradient(v128.load(dh + o + jb), v128.load(hPrev + o + jb), v128.load(gh + g + 2 * block + jb),
        act + g + jb, block, dGi + g + jb, dGh + g + jb, lanes);
      storeLanes(dh + o + jb, direct, lanes);
    }
  }
}

/** LSTM forward; gi ← [i | f | g | o]. */
export function forwardLSTM(rows: i32, H: i32, gi: usize, gh: usize, cPrev: usize, h: usize, c: usize): void {
  const block = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * 4 * H) << 2, o = <usize>(r * H) << 2;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2, pi = gi + g + jb, ph = gh + g + jb;
      lstmCell(false, f32x4.add(v128.load(pi), v128.load(ph)), f32x4.add(v128.load(pi + block), v128.load(ph + block)),
        f32x4.add(v128.load(pi + 2 * block), v128.load(ph + 2 * block)), f32x4.add(v128.load(pi + 3 * block), v128.load(ph + 3 * block)),
        v128.load(cPrev + o + jb), pi, block, c + o + jb, h + o + jb, H - j);
    }
  }
}

/** LSTM backward: dGi, dc ← ∂L/∂c_{t−1}, dh ← 0. */
export function backwardLSTM(rows: i32, H: i32, act: usize, cPrev: usize, c: usize, dh: usize, dc: usize, dGi: usize): void {
  const block = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * 4 * H) << 2, o = <usize>(r * H) << 2;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2, po = o + jb, lanes = H - j;
      const carry = lstmCellGradient(v128.load(dh + po), v128.load(dc + po), v128.load(cPrev + po), v128.load(c + po),
        act + g + jb, block, dGi + g + jb, lanes);
      storeLanes(dc + po, carry, lanes);
      storeLanes(dh + po, ZERO, lanes);
    }
  }
}
