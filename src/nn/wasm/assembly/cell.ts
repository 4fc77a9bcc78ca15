// Element-wise recurrent cell, one time step over `rows` strings, mirroring
// JsOps.cellForward / cellBackward (src/nn/js-ops.ts) operation for operation.
// Rows hold G gate blocks of H floats; each block is walked 4 lanes at a time.
// When H is not a multiple of 4 the last vector of a block also reads the first
// lanes of the next block (or the next row / the zeroed guard past the last
// allocation); only the valid lanes are stored, so in-place updates of a block
// never touch its neighbour before that neighbour is read.
import { sigmoid4, storeLanes, tanh4 } from "./simd";

const ONE: v128 = f32x4.splat(1.0);

/** h = tanh(gi + gh) over n = rows·H contiguous floats */
export function forwardTanh(n: i32, gi: usize, gh: usize, h: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    storeLanes(h + o, tanh4(f32x4.add(v128.load(gi + o), v128.load(gh + o))), n - i);
  }
}

/** h = max(0, gi + gh) */
export function forwardRelu(n: i32, gi: usize, gh: usize, h: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    storeLanes(h + o, f32x4.max(f32x4.add(v128.load(gi + o), v128.load(gh + o)), f32x4.splat(0)), n - i);
  }
}

/** dGi = dh·(1 − h²); dh = 0 */
export function backwardTanh(n: i32, h: usize, dh: usize, dGi: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const y = v128.load(h + o);
    const lanes = n - i;
    storeLanes(dGi + o, f32x4.mul(v128.load(dh + o), f32x4.sub(ONE, f32x4.mul(y, y))), lanes);
    storeLanes(dh + o, f32x4.splat(0), lanes);
  }
}

/** dGi = h > 0 ? dh : 0; dh = 0 */
export function backwardRelu(n: i32, h: usize, dh: usize, dGi: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const positive = f32x4.gt(v128.load(h + o), f32x4.splat(0));
    const lanes = n - i;
    storeLanes(dGi + o, v128.and(v128.load(dh + o), positive), lanes);
    storeLanes(dh + o, f32x4.splat(0), lanes);
  }
}

/**
 * GRU: r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r∘gh_n),
 * h = n + z∘(hPrev − n); gi ← [r | z | n].
 */
export function forwardGRU(rows: i32, H: i32, gi: usize, gh: usize, hPrev: usize, h: usize): void {
  for (let r = 0; r < rows; r++) gruRowForward(H, gi + (<usize>(r * 3 * H) << 2), gh + (<usize>(r * 3 * H) << 2), hPrev + (<usize>(r * H) << 2), h + (<usize>(r * H) << 2));
}

/** forwardGRU of one row (pointers at the row's start); step.ts calls it too. */
// @ts-ignore: decorator
@inline export function gruRowForward(H: i32, gi: usize, gh: usize, hPrev: usize, h: usize): void {
  const block = <usize>H << 2;
  for (let j = 0; j < H; j += 4) {
    const lanes = H - j;
    const jb = <usize>j << 2;
    const pr = gi + jb, qr = gh + jb;
    const rg = sigmoid4(f32x4.add(v128.load(pr), v128.load(qr)));
    const zg = sigmoid4(f32x4.add(v128.load(pr + block), v128.load(qr + block)));
    const ng = tanh4(f32x4.add(v128.load(pr + 2 * block), f32x4.mul(rg, v128.load(qr + 2 * block))));
    storeLanes(pr, rg, lanes);
    storeLanes(pr + block, zg, lanes);
    storeLanes(pr + 2 * block, ng, lanes);
    storeLanes(h + jb, f32x4.add(ng, f32x4.mul(zg, f32x4.sub(v128.load(hPrev + jb), ng))), lanes);
  }
}

/**
 * GRU backward: dn = d(1−z)(1−n²), dz = d(hPrev−n)z(1−z), dr = dn·gh_n·r(1−r);
 * dGi = [dr | dz | dn], dGh = [dr | dz | dn∘r], dh ← d∘z.
 */
export function backwardGRU(rows: i32, H: i32, act: usize, gh: usize, hPrev: usize,
                            dh: usize, dGi: usize, dGh: usize): void {
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * 3 * H) << 2;
    const o = <usize>(r * H) << 2;
    gruRowBackward(H, act + g, gh + g, hPrev + o, dh + o, dGi + g, dGh + g);
  }
}

/**
 * GRU gate gradients, h' = n + z∘(h − n), n = tanh(i_n + r∘h_n): the pre-activation
 * gradients of n, z and r, from dh' and the saved activations. Shared by the cell
 * kernel and the fused step kernel (step.ts); inlined, so values stay in registers.
 */
// @ts-ignore: decorator
@inline export function gruDn(d: v128, zg: v128, ng: v128): v128 {
  return f32x4.mul(f32x4.mul(d, f32x4.sub(ONE, zg)), f32x4.sub(ONE, f32x4.mul(ng, ng)));
}
// @ts-ignore: decorator
@inline export function gruDz(d: v128, hPrev: v128, zg: v128, ng: v128): v128 {
  return f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(hPrev, ng)), zg), f32x4.sub(ONE, zg));
}
// @ts-ignore: decorator
@inline export function gruDr(dn: v128, hn: v128, rg: v128): v128 {
  return f32x4.mul(f32x4.mul(f32x4.mul(dn, hn), rg), f32x4.sub(ONE, rg));
}

/**
 * Store the GRU gate gradients dGi = [dr | dz | dn] at pi and dGh = [dr | dz | dn∘r] at ph
 * (gate blocks `gate` bytes apart, first `lanes` lanes); returns dn∘r. Shared by the cell,
 * step (step.ts) and column (column.ts) kernels.
 */
// @ts-ignore: decorator
@inline export function storeGruGateGradients(pi: usize, ph: usize, gate: usize, dr: v128, dz: v128, dn: v128, rg: v128, lanes: i32): v128 {
  const dnr = f32x4.mul(dn, rg);
  storeLanes(pi, dr, lanes);
  storeLanes(pi + gate, dz, lanes);
  storeLanes(pi + 2 * gate, dn, lanes);
  storeLanes(ph, dr, lanes);
  storeLanes(ph + gate, dz, lanes);
  storeLanes(ph + 2 * gate, dnr, lanes);
  return dnr;
}

/** backwardGRU of one row (pointers at the row's start); step.ts calls it too. */
// @ts-ignore: decorator
@inline export function gruRowBackward(H: i32, act: usize, gh: usize, hPrev: usize, dh: usize, dGi: usize, dGh: usize): void {
  const block = <usize>H << 2;
  for (let j = 0; j < H; j += 4) {
    const lanes = H - j;
    const jb = <usize>j << 2;
    const pa = act + jb;
    const rg = v128.load(pa), zg = v128.load(pa + block), ng = v128.load(pa + 2 * block);
    const d = v128.load(dh + jb);
    const dn = gruDn(d, zg, ng);
    const dz = gruDz(d, v128.load(hPrev + jb), zg, ng);
    const dr = gruDr(dn, v128.load(gh + jb + 2 * block), rg);
    storeGruGateGradients(dGi + jb, dGh + jb, block, dr, dz, dn, rg, lanes);
    storeLanes(dh + jb, f32x4.mul(d, zg), lanes);
  }
}

/**
 * LSTM: i, f, o = σ(gi + gh), g = tanh(gi_g + gh_g), c = f∘cPrev + i∘g,
 * h = o∘tanh(c); gi ← [i | f | g | o].
 */
export function forwardLSTM(rows: i32, H: i32, gi: usize, gh: usize, cPrev: usize, h: usize, c: usize): void {
  const block = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * 4 * H) << 2;
    const o = <usize>(r * H) << 2;
    for (let j = 0; j < H; j += 4) {
      const lanes = H - j;
      const jb = <usize>j << 2;
      const pi = gi + g + jb, ph = gh + g + jb;
      const ig = sigmoid4(f32x4.add(v128.load(pi), v128.load(ph)));
      const fg = sigmoid4(f32x4.add(v128.load(pi + block), v128.load(ph + block)));
      const gg = tanh4(f32x4.add(v128.load(pi + 2 * block), v128.load(ph + 2 * block)));
      const og = sigmoid4(f32x4.add(v128.load(pi + 3 * block), v128.load(ph + 3 * block)));
      storeLanes(pi, ig, lanes);
      storeLanes(pi + block, fg, lanes);
      storeLanes(pi + 2 * block, gg, lanes);
      storeLanes(pi + 3 * block, og, lanes);
      const po = o + jb;
      const cn = f32x4.add(f32x4.mul(fg, v128.load(cPrev + po)), f32x4.mul(ig, gg));
      storeLanes(c + po, cn, lanes);
      storeLanes(h + po, f32x4.mul(og, tanh4(cn)), lanes);
    }
  }
}

/**
 * LSTM backward: tc = tanh(c), dct = dc + d·o(1−tc²);
 * dGi = [dct·g·i(1−i) | dct·cPrev·f(1−f) | dct·i(1−g²) | d·tc·o(1−o)]; dc ← dct∘f; dh ← 0.
 */
export function backwardLSTM(rows: i32, H: i32, act: usize, cPrev: usize, c: usize,
                             dh: usize, dc: usize, dGi: usize): void {
  const block = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * 4 * H) << 2;
    const o = <usize>(r * H) << 2;
    for (let j = 0; j < H; j += 4) {
      const lanes = H - j;
      const jb = <usize>j << 2;
      const pa = act + g + jb;
      const ig = v128.load(pa), fg = v128.load(pa + block);
      const gg = v128.load(pa + 2 * block), og = v128.load(pa + 3 * block);
      const po = o + jb;
      const tc = tanh4(v128.load(c + po));
      const d = v128.load(dh + po);
      const dct = f32x4.add(v128.load(dc + po), f32x4.mul(f32x4.mul(d, og), f32x4.sub(ONE, f32x4.mul(tc, tc))));
      const pi = dGi + g + jb;
      storeLanes(pi, f32x4.mul(f32x4.mul(f32x4.mul(dct, gg), ig), f32x4.sub(ONE, ig)), lanes);
      storeLanes(pi + block, f32x4.mul(f32x4.mul(f32x4.mul(dct, v128.load(cPrev + po)), fg), f32x4.sub(ONE, fg)), lanes);
      storeLanes(pi + 2 * block, f32x4.mul(f32x4.mul(dct, ig), f32x4.sub(ONE, f32x4.mul(gg, gg))), lanes);
      storeLanes(pi + 3 * block, f32x4.mul(f32x4.mul(f32x4.mul(d, tc), og), f32x4.sub(ONE, og)), lanes);
      storeLanes(dc + po, f32x4.mul(dct, fg), lanes);
      storeLanes(dh + po, f32x4.splat(0), lanes);
    }
  }
}
