// One whole GRU time step of a small block in one call: the recurrent product, its
// bias and the cell (forward), or the cell's backward and the product with W_hh
// (backward). For hidden sizes of a few units the separate gemm / bias / cell calls
// cost microseconds of call overhead and packing each for a few hundred flops; here
// a row's recurrent product is done in registers right before its cell (gates.ts).
// Mirrors JsOps.gruStepForward / gruStepBackward (src/nn/js-ops.ts).
//
// Values stay in registers between the product and the cell on purpose: storing a
// ragged row (H not a multiple of 4) lane by lane and reading it back as a vector
// defeats store-to-load forwarding, which made a store-then-reload version slower
// than the separate calls.
import { madd, storeLanes } from "./simd";
import { gruCell, gruCellGradient } from "./gates";

/**
 * gh = hPrev·Wᵀ + b_hh (rows × 3H, W is 3H × H), then the GRU cell (forwardGRU).
 * Wᵀ is first laid out in `scratch` (H × 3H) so each gate vector of a row is
 * b_hh + Σ_k hPrev[k]·Wᵀ[k]. scratch must hold 3H·H + 4 floats.
 */
export function stepGRU(rows: i32, H: i32, gi: usize, gh: usize, hPrev: usize, w: usize, bhh: usize, h: usize, scratch: usize): void {
  const GH = 3 * H;
  for (let q = 0; q < GH; q++) {
    for (let k = 0; k < H; k++) store<f32>(scratch + (<usize>(k * GH + q) << 2), load<f32>(w + (<usize>(q * H + k) << 2)));
  }
  const block = <usize>H << 2;
  for (let r = H <= 4 ? stepNarrow4(rows, H, gi, gh, hPrev, bhh, h, scratch) : 0; r < rows; r++) {
    const g = <usize>(r * GH) << 2;
    const o = <usize>(r * H) << 2;
    for (let j = 0; j < H; j += 4) {
      const lanes = H - j;
      const jb = <usize>j << 2;
      // the three gate blocks' recurrent products: independent chains of H madds
      let ar = v128.load(bhh + jb), az = v128.load(bhh + block + jb), an = v128.load(bhh + 2 * block + jb);
      for (let k = 0; k < H; k++) {
        const x = v128.load32_splat(hPrev + o + (<usize>k << 2));
        const row = scratch + (<usize>(k * GH) << 2) + jb;
        ar = madd(x, v128.load(row), ar);
        az = madd(x, v128.load(row + block), az);
        an = madd(x, v128.load(row + 2 * block), an);
      }
      const qr = gh + g + jb;
      storeLanes(qr, ar, lanes);
      storeLanes(qr + block, az, lanes);
      storeLanes(qr + 2 * block, an, lanes);
      gruStepCell(gi + g + jb, block, ar, az, an, v128.load(hPrev + o + jb), h + o + jb, lanes);
    }
  }
}

/** The GRU cell of a step whose recurrent pre-activations ar, az, an are in registers; gi's are read at pr. */
// @ts-ignore: decorator
@inline function gruStepCell(pr: usize, block: usize, ar: v128, az: v128, an: v128, hPrev: v128, h: usize, lanes: i32): void {
  gruCell(false, f32x4.add(v128.load(pr), ar), f32x4.add(v128.load(pr + block), az), v128.load(pr + 2 * block), an, hPrev, pr, block, h, lanes);
}

/**
 * stepGRU for H ≤ 4 (one vector per gate block), four rows at a time: the rows' gate
 * chains (σ, σ, tanh: long dependent polynomial chains) are independent, and
 * writing them side by side lets the CPU overlap them — one row at a time the
 * forward step is latency-bound. Returns the rows done (a multiple of 4).
 */
// @ts-ignore: decorator
@inline function stepNarrow4(rows: i32, H: i32, gi: usize, gh: usize, hPrev: usize, bhh: usize, h: usize, scratch: usize): i32 {
  const GH = 3 * H, block = <usize>H << 2, rowG = <usize>GH << 2;
  const br = v128.load(bhh), bz = v128.load(bhh + block), bn = v128.load(bhh + 2 * block);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const g = <usize>(r * GH) << 2, o = <usize>(r * H) << 2;
    let ar0 = br, az0 = bz, an0 = bn;
    let ar1 = br, az1 = bz, an1 = bn;
    let ar2 = br, az2 = bz, an2 = bn;
    let ar3 = br, az3 = bz, an3 = bn;
    for (let k = 0; k < H; k++) {
      const row = scratch + (<usize>(k * GH) << 2);
      const wr = v128.load(row), wz = v128.load(row + block), wn = v128.load(row + 2 * block);
      const hk = hPrev + o + (<usize>k << 2);
      const x0 = v128.load32_splat(hk + 0 * block);
      ar0 = madd(x0, wr, ar0); az0 = madd(x0, wz, az0); an0 = madd(x0, wn, an0);
      const x1 = v128.load32_splat(hk + 1 * block);
      ar1 = madd(x1, wr, ar1); az1 = madd(x1, wz, az1); an1 = madd(x1, wn, an1);
      const x2 = v128.load32_splat(hk + 2 * block);
      ar2 = madd(x2, wr, ar2); az2 = madd(x2, wz, az2); an2 = madd(x2, wn, an2);
      const x3 = v128.load32_splat(hk + 3 * block);
      ar3 = madd(x3, wr, ar3); az3 = madd(x3, wz, az3); an3 = madd(x3, wn, an3);
    }
    const q0 = gh + g + 0 * rowG, q1 = gh + g + 1 * rowG, q2 = gh + g + 2 * rowG, q3 = gh + g + 3 * rowG;
    storeLanes(q0, ar0, H); storeLanes(q0 + block, az0, H); storeLanes(q0 + 2 * block, an0, H);
    storeLanes(q1, ar1, H); storeLanes(q1 + block, az1, H); storeLanes(q1 + 2 * block, an1, H);
    storeLanes(q2, ar2, H); storeLanes(q2 + block, az2, H); storeLanes(q2 + 2 * block, an2, H);
    storeLanes(q3, ar3, H); storeLanes(q3 + block, az3, H); storeLanes(q3 + 2 * block, an3, H);
    const p = gi + g, hp = hPrev + o, ho = h + o;
    gruStepCell(p + 0 * rowG, block, ar0, az0, an0, v128.load(hp + 0 * block), ho + 0 * block, H);
    gruStepCell(p + 1 * rowG, block, ar1, az1, an1, v128.load(hp + 1 * block), ho + 1 * block, H);
    gruStepCell(p + 2 * rowG, block, ar2, az2, an2, v128.load(hp + 2 * block), ho + 2 * block, H);
    gruStepCell(p + 3 * rowG, block, ar3, az3, an3, v128.load(hp + 3 * block), ho + 3 * block, H);
  }
  return r;
}

/**
 * The GRU cell's backward (backwardGRU), then dh += dGh·W (rows × H; W is 3H × H), one
 * accumulator per gate, the gate gradients read back one lane at a time. For H ≤ 4 one
 * vector holds the row, and its d∘z stays in a register (reading back a ragged row
 * stored lane by lane would miss store-to-load forwarding).
 */
export function stepBackGRU(rows: i32, H: i32, act: usize, gh: usize, hPrev: usize, w: usize, dh: usize, dGi: usize, dGh: usize): void {
  const GH = 3 * H;
  const block = <usize>H << 2, wGate = <usize>(H * H) << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * GH) << 2;
    const o = <usize>(r * H) << 2;
    let direct = f32x4.splat(0);
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2;
      direct = gruCellGradient(v128.load(dh + o + jb), v128.load(hPrev + o + jb), v128.load(gh + g + 2 * block + jb),
        act + g + jb, block, dGi + g + jb, dGh + g + jb, H - j);
      if (H > 4) storeLanes(dh + o + jb, direct, H - j);
    }
    for (let k = 0; k < H; k += 4) {
      const kb = <usize>k << 2;
      let ar = H > 4 ? v128.load(dh + o + kb) : direct, az = f32x4.splat(0), an = f32x4.splat(0);
      for (let q = 0; q < H; q++) {
        const d = dGh + g + (<usize>q << 2), pw = w + (<usize>(q * H) << 2) + kb;
        ar = madd(v128.load32_splat(d), v128.load(pw), ar);
        az = madd(v128.load32_splat(d + block), v128.load(pw + wGate), az);
        an = madd(v128.load32_splat(d + 2 * block), v128.load(pw + 2 * wGate), an);
      }
      storeLanes(dh + o + kb, f32x4.add(ar, f32x4.add(az, an)), H - k);
    }
  }
}
