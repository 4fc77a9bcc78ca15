// One whole GRU time step of a small block in one call: the recurrent product, its
// bias and the cell (forward), or the cell's backward and the product with W_hh
// (backward). For hidden sizes of a few units the separate gemm / bias / cell calls
// cost microseconds of call overhead and packing each for a few hundred flops; here
// a row's recurrent product is done in registers right before its cell.
// Mirrors JsOps.gruStepForward / gruStepBackward (src/nn/js-ops.ts).
//
// Values stay in registers between the product and the cell on purpose: storing a
// ragged row (H not a multiple of 4) lane by lane and reading it back as a vector
// defeats store-to-load forwarding, which made a store-then-reload version slower
// than the separate calls.
import { madd, sigmoid4, storeLanes, tanh4 } from "./simd";
import { gruDn, gruDr, gruDz, gruRowBackward, storeGruGateGradients } from "./cell";

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
      const pr = gi + g + jb;
      const rg = sigmoid4(f32x4.add(v128.load(pr), ar));
      const zg = sigmoid4(f32x4.add(v128.load(pr + block), az));
      const ng = tanh4(f32x4.add(v128.load(pr + 2 * block), f32x4.mul(rg, an)));
      storeLanes(pr, rg, lanes);
      storeLanes(pr + block, zg, lanes);
      storeLanes(pr + 2 * block, ng, lanes);
      storeLanes(h + o + jb, f32x4.add(ng, f32x4.mul(zg, f32x4.sub(v128.load(hPrev + o + jb), ng))), lanes);
    }
  }
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
    const q0 = gh + g + 0 * rowG, p0 = gi + g + 0 * rowG;
    storeLanes(q0, ar0, H); storeLanes(q0 + block, az0, H); storeLanes(q0 + 2 * block, an0, H);
    const q1 = gh + g + 1 * rowG, p1 = gi + g + 1 * rowG;
    storeLanes(q1, ar1, H); storeLanes(q1 + block, az1, H); storeLanes(q1 + 2 * block, an1, H);
    const q2 = gh + g + 2 * rowG, p2 = gi + g + 2 * rowG;
    storeLanes(q2, ar2, H); storeLanes(q2 + block, az2, H); storeLanes(q2 + 2 * block, an2, H);
    const q3 = gh + g + 3 * rowG, p3 = gi + g + 3 * rowG;
    storeLanes(q3, ar3, H); storeLanes(q3 + block, az3, H); storeLanes(q3 + 2 * block, an3, H);
    const rg0 = sigmoid4(f32x4.add(v128.load(p0), ar0));
    const rg1 = sigmoid4(f32x4.add(v128.load(p1), ar1));
    const rg2 = sigmoid4(f32x4.add(v128.load(p2), ar2));
    const rg3 = sigmoid4(f32x4.add(v128.load(p3), ar3));
    const zg0 = sigmoid4(f32x4.add(v128.load(p0 + block), az0));
    const zg1 = sigmoid4(f32x4.add(v128.load(p1 + block), az1));
    const zg2 = sigmoid4(f32x4.add(v128.load(p2 + block), az2));
    const zg3 = sigmoid4(f32x4.add(v128.load(p3 + block), az3));
    const ng0 = tanh4(f32x4.add(v128.load(p0 + 2 * block), f32x4.mul(rg0, an0)));
    const ng1 = tanh4(f32x4.add(v128.load(p1 + 2 * block), f32x4.mul(rg1, an1)));
    const ng2 = tanh4(f32x4.add(v128.load(p2 + 2 * block), f32x4.mul(rg2, an2)));
    const ng3 = tanh4(f32x4.add(v128.load(p3 + 2 * block), f32x4.mul(rg3, an3)));
    storeLanes(p0, rg0, H); storeLanes(p0 + block, zg0, H); storeLanes(p0 + 2 * block, ng0, H);
    storeLanes(h + o + 0 * block, f32x4.add(ng0, f32x4.mul(zg0, f32x4.sub(v128.load(hPrev + o + 0 * block), ng0))), H);
    storeLanes(p1, rg1, H); storeLanes(p1 + block, zg1, H); storeLanes(p1 + 2 * block, ng1, H);
    storeLanes(h + o + 1 * block, f32x4.add(ng1, f32x4.mul(zg1, f32x4.sub(v128.load(hPrev + o + 1 * block), ng1))), H);
    storeLanes(p2, rg2, H); storeLanes(p2 + block, zg2, H); storeLanes(p2 + 2 * block, ng2, H);
    storeLanes(h + o + 2 * block, f32x4.add(ng2, f32x4.mul(zg2, f32x4.sub(v128.load(hPrev + o + 2 * block), ng2))), H);
    storeLanes(p3, rg3, H); storeLanes(p3 + block, zg3, H); storeLanes(p3 + 2 * block, ng3, H);
    storeLanes(h + o + 3 * block, f32x4.add(ng3, f32x4.mul(zg3, f32x4.sub(v128.load(hPrev + o + 3 * block), ng3))), H);
  }
  return r;
}

/** Lane q of v in every lane. */
// @ts-ignore: decorator
@inline function lane(v: v128, q: i32): v128 {
  if (q == 0) return v128.shuffle<f32>(v, v, 0, 0, 0, 0);
  if (q == 1) return v128.shuffle<f32>(v, v, 1, 1, 1, 1);
  if (q == 2) return v128.shuffle<f32>(v, v, 2, 2, 2, 2);
  return v128.shuffle<f32>(v, v, 3, 3, 3, 3);
}

/** The GRU cell's backward (backwardGRU), then dh += dGh·W (rows × H; W is 3H × H). */
export function stepBackGRU(rows: i32, H: i32, act: usize, gh: usize, hPrev: usize, w: usize, dh: usize, dGi: usize, dGh: usize): void {
  if (H > 4) { stepBackWide(rows, H, act, gh, hPrev, w, dh, dGi, dGh); return; }
  const GH = 3 * H;
  const block = <usize>H << 2, wGate = <usize>(H * H) << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * GH) << 2;
    const o = <usize>(r * H) << 2;
    const pa = act + g;
    const rg = v128.load(pa), zg = v128.load(pa + block), ng = v128.load(pa + 2 * block);
    const d = v128.load(dh + o);
    const dn = gruDn(d, zg, ng);
    const dz = gruDz(d, v128.load(hPrev + o), zg, ng);
    const dr = gruDr(dn, v128.load(gh + g + 2 * block), rg);
    const dnr = storeGruGateGradients(dGi + g, dGh + g, block, dr, dz, dn, rg, H);
    // dh = d∘z + Σ_q dGh[q]·W[q], one accumulator per gate
    let ar = f32x4.mul(d, zg), az = f32x4.splat(0), an = f32x4.splat(0);
    for (let q = 0; q < H; q++) {
      const pw = w + (<usize>(q * H) << 2);
      ar = madd(lane(dr, q), v128.load(pw), ar);
      az = madd(lane(dz, q), v128.load(pw + wGate), az);
      an = madd(lane(dnr, q), v128.load(pw + 2 * wGate), an);
    }
    storeLanes(dh + o, f32x4.add(ar, f32x4.add(az, an)), H);
  }
}

/** stepBackGRU for H > 4: the cell row by row, then the product (its dh reload may miss store forwarding). */
function stepBackWide(rows: i32, H: i32, act: usize, gh: usize, hPrev: usize, w: usize, dh: usize, dGi: usize, dGh: usize): void {
  const GH = 3 * H;
  const gate = <usize>H << 2, wGate = <usize>(H * H) << 2;
  for (let r = 0; r < rows; r++) {
    const g = <usize>(r * GH) << 2;
    const o = <usize>(r * H) << 2;
    gruRowBackward(H, act + g, gh + g, hPrev + o, dh + o, dGi + g, dGh + g);
    for (let k = 0; k < H; k += 4) {
      const kb = <usize>k << 2;
      let ar = v128.load(dh + o + kb), az = f32x4.splat(0), an = f32x4.splat(0);
      for (let q = 0; q < H; q++) {
        const d = dGh + g + (<usize>q << 2), pw = w + (<usize>(q * H) << 2) + kb;
        ar = madd(v128.load32_splat(d), v128.load(pw), ar);
        az = madd(v128.load32_splat(d + gate), v128.load(pw + wGate), az);
        an = madd(v128.load32_splat(d + 2 * gate), v128.load(pw + 2 * wGate), an);
      }
      storeLanes(dh + o + kb, f32x4.add(ar, f32x4.add(az, an)), H - k);
    }
  }
}
