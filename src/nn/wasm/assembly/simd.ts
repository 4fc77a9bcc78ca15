// Shared SIMD helpers: a multiply-add that uses relaxed FMA when the build enables
// it, and float32 polynomial exp / sigmoid / tanh (wasm has no vector
// transcendental functions; the approximations below are accurate to a few
// float32 ulp, i.e. below 1e-6 relative).

/** a·b + c, fused when built with relaxed SIMD (one rounding), else mul + add. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * e^x lane-wise: x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-7 polynomial, 2^n via the
 * exponent bits. n comes from the "magic number" rounding: t = x·log2e + (1.5·2²³ + 127)
 * leaves round(x·log2e) + 127 in t's low mantissa bits, so n = t − magic and
 * 2^n = bits(t) << 23, without `nearest` and the float→int conversion (both multi-
 * instruction sequences in V8's x64 code). pmin/pmax are plain minps/maxps, while
 * wasm's min/max cost several instructions each for their NaN and −0 rules.
 */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  // clamp so that 2^n stays a normal float (n ∈ [−126, 127])
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const t = madd(x, f32x4.splat(1.44269504088896341), f32x4.splat(12583039.0));
  const n = f32x4.sub(t, f32x4.splat(12583039.0));
  // Cody–Waite reduction: ln2 split into an exactly representable high part and a low part
  let r = madd(n, f32x4.splat(-0.693359375), x);
  r = madd(n, f32x4.splat(2.12194440e-4), r);
  // Cephes expf: e^r ≈ 1 + r + r²·P(r)
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  const er = f32x4.add(madd(p, r2, r), f32x4.splat(1.0));
  return f32x4.mul(er, i32x4.shl(t, 23));
}

/** 1 / (1 + e^−x) */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

/**
 * tanh as a rational minimax approximation x·P(x²)/Q(x²) on [−7.905, 7.905] (the
 * coefficients of Eigen's float tanh; beyond that range tanh rounds to ±1 in
 * float32 within 3e-7): one division and no exp, max relative error 4e-7 over the
 * whole float range (checked against float64 tanh by the tests).
 */
// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const clamped = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-7.90531110763549805)), f32x4.splat(7.90531110763549805));
  const x2 = f32x4.mul(clamped, clamped);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = madd(p, x2, f32x4.splat(2.00018790482477e-13));
  p = madd(p, x2, f32x4.splat(-8.60467152213735e-11));
  p = madd(p, x2, f32x4.splat(5.12229709037114e-8));
  p = madd(p, x2, f32x4.splat(1.48572235717979e-5));
  p = madd(p, x2, f32x4.splat(6.37261928875436e-4));
  p = madd(p, x2, f32x4.splat(4.89352455891786e-3));
  let q = f32x4.splat(1.19825839466702e-6);
  q = madd(q, x2, f32x4.splat(1.18534705686654e-4));
  q = madd(q, x2, f32x4.splat(2.26843463243900e-3));
  q = madd(q, x2, f32x4.splat(4.89352518554385e-3));
  const rational = f32x4.div(f32x4.mul(clamped, p), q);
  // below 4e-4 tanh(x) = x to float32 precision (and the rational would lose relative accuracy for denormal x)
  return v128.bitselect(x, rational, f32x4.lt(f32x4.abs(x), f32x4.splat(0.0004)));
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
