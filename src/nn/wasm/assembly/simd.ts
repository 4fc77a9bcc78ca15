// Shared SIMD helpers: a multiply-add that uses relaxed FMA when the build enables
// it, and float32 polynomial exp / sigmoid / tanh (wasm has no vector
// transcendental functions; the Cephes-style polynomials below are accurate to a
// few float32 ulp, i.e. ~1e-7 relative).

/** a·b + c, fused when built with relaxed SIMD (one rounding), else mul + add. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** e^x lane-wise: x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-7 polynomial, 2^n via the exponent bits. */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  // clamp so that 2^n stays a normal float (n ∈ [−126, 127])
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  // Cody–Waite reduction: ln2 split into an exactly representable high part and a low part
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.add(r, f32x4.mul(n, f32x4.splat(2.12194440e-4)));
  // Cephes expf: e^r ≈ 1 + r + r²·P(r)
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  const er = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(er, scale);
}

/** 1 / (1 + e^−x) */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

/** tanh: odd polynomial for |x| < 0.625 (no cancellation near 0), else 1 − 2/(e^{2|x|} + 1) with the sign of x. */
// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const one = f32x4.splat(1.0);
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(exp4(f32x4.add(ax, ax)), one)));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, x2), x), x);
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** Store the first `lanes` (≥ 1) lanes of v: ragged ends of rows and vectors. */
// @ts-ignore: decorator
@inline export function storeLanes(p: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(p, v);
  } else if (lanes >= 2) {
    v128.store64_lane(p, v, 0);
    if (lanes == 3) v128.store32_lane(p, v, 2, 8);
  } else {
    v128.store32_lane(p, v, 0);
  }
}
