// Vector helpers of KernelOps that run per time step or over every parameter each
// batch (bias adds, bias gradients, sequence adds, masks, gradient norm, Adam),
// mirroring JsOps. Lengths are in floats; ragged ends store only valid lanes.
import { storeLanes } from "./simd";

/** c[r·cols + j] += v[j] */
export function addRowVector(rows: i32, cols: i32, v: usize, c: usize): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j += 4) {
      const o = <usize>j << 2;
      storeLanes(c + o, f32x4.add(v128.load(c + o), v128.load(v + o)), cols - j);
    }
    c += row;
  }
}

/** out[j] = (accumulate ? out[j] : 0) + Σ_r a[r·cols + j] */
export function colSums(rows: i32, cols: i32, a: usize, out: usize, accumulate: bool): void {
  if (!accumulate) memory.fill(out, 0, <usize>cols << 2);
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j += 4) {
      const o = <usize>j << 2;
      storeLanes(out + o, f32x4.add(v128.load(out + o), v128.load(a + o)), cols - j);
    }
    a += row;
  }
}

/** dst[i] += src[i] */
export function add(n: i32, src: usize, dst: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    storeLanes(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)), n - i);
  }
}

/** dst[i] *= src[i] */
export function multiply(n: i32, src: usize, dst: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    storeLanes(dst + o, f32x4.mul(v128.load(dst + o), v128.load(src + o)), n - i);
  }
}

/** Σ a[i]² accumulated in float64 */
export function sumSquares(n: i32, a: usize): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(a + (<usize>i << 2));
    const x01 = f64x2.promote_low_f32x4(x);
    const x23 = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
    lo = f64x2.add(lo, f64x2.mul(x01, x01));
    hi = f64x2.add(hi, f64x2.mul(x23, x23));
  }
  const both = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; i < n; i++) {
    const x = <f64>load<f32>(a + (<usize>i << 2));
    s += x * x;
  }
  return s;
}

/**
 * Adam in float64 lanes like JsOps (the parameters stay float32):
 * g = grad·gradScale; m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
 * θ −= stepSize · m / (√v / bc2Sqrt + ε), stepSize and bc2Sqrt precomputed per step.
 */
export function adam(n: i32, theta: usize, grad: usize, m: usize, v: usize,
                     stepSize: f64, beta1: f64, beta2: f64, eps: f64, bc2Sqrt: f64, gradScale: f64): void {
  const scale = f64x2.splat(gradScale);
  const b1 = f64x2.splat(beta1), c1 = f64x2.splat(1 - beta1);
  const b2 = f64x2.splat(beta2), c2 = f64x2.splat(1 - beta2);
  const e = f64x2.splat(eps), bc = f64x2.splat(bc2Sqrt), lr = f64x2.splat(stepSize);
  for (let i = 0; i < n; i += 2) {
    const o = <usize>i << 2;
    const g = f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(grad + o)), scale);
    const mi = f64x2.add(f64x2.mul(b1, f64x2.promote_low_f32x4(v128.load64_zero(m + o))), f64x2.mul(c1, g));
    const vi = f64x2.add(f64x2.mul(b2, f64x2.promote_low_f32x4(v128.load64_zero(v + o))), f64x2.mul(f64x2.mul(c2, g), g));
    const step = f64x2.div(f64x2.mul(lr, mi), f64x2.add(f64x2.div(f64x2.sqrt(vi), bc), e));
    const t = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(theta + o)), step);
    const lanes = min(n - i, 2);
    storeLanes(m + o, f32x4.demote_f64x2_zero(mi), lanes);
    storeLanes(v + o, f32x4.demote_f64x2_zero(vi), lanes);
    storeLanes(theta + o, f32x4.demote_f64x2_zero(t), lanes);
  }
}

/** out[r·cols + j] = table[index[r]·cols + j] (embedding lookup; index holds i32 row numbers) */
export function gatherRows(rows: i32, cols: i32, table: usize, index: usize, out: usize): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(out, table + <usize>load<i32>(index) * row, row);
    index += 4;
    out += row;
  }
}

/** table[index[r]·cols + j] += src[r·cols + j], rows in order (embedding gradient) */
export function scatterAddRows(rows: i32, cols: i32, src: usize, index: usize, table: usize): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    add(cols, src, table + <usize>load<i32>(index) * row);
    index += 4;
    src += row;
  }
}

/** out[j·rows + r] = table[index[r]·cols + j]: gatherRows written feature-major (the column engine's embedding lookup) */
export function gatherColumns(rows: i32, cols: i32, table: usize, index: usize, out: usize): void {
  const row = <usize>cols << 2, column = <usize>rows << 2;
  for (let r = 0; r < rows; r++) {
    const from = table + <usize>load<i32>(index + (<usize>r << 2)) * row;
    let to = out + (<usize>r << 2);
    for (let j = 0; j < cols; j++) {
      store<f32>(to, load<f32>(from + (<usize>j << 2)));
      to += column;
    }
  }
}

/**
 * table[index[r]·cols + j] += src[j·rows + r]: scatterAddRows reading feature-major. Row by row, so
 * the adds of one row hit distinct addresses (no chain through memory for repeated tokens).
 */
export function scatterAddColumns(rows: i32, cols: i32, src: usize, index: usize, table: usize): void {
  const row = <usize>cols << 2, column = <usize>rows << 2;
  for (let r = 0; r < rows; r++) {
    const to = table + <usize>load<i32>(index + (<usize>r << 2)) * row;
    let from = src + (<usize>r << 2);
    for (let j = 0; j < cols; j++) {
      const p = to + (<usize>j << 2);
      store<f32>(p, load<f32>(p) + load<f32>(from));
      from += column;
    }
  }
}

/** dst[i] = src[i] (overlap allowed) */
export function copy(n: i32, src: usize, dst: usize): void {
  memory.copy(dst, src, <usize>n << 2);
}

/** dst[i] = value */
export function fill(n: i32, value: f32, dst: usize): void {
  if (value == 0 && !(1 / value < 0)) {
    memory.fill(dst, 0, <usize>n << 2); // +0.0 is all zero bits
    return;
  }
  const v = f32x4.splat(value);
  for (let i = 0; i < n; i += 4) storeLanes(dst + (<usize>i << 2), v, n - i);
}
