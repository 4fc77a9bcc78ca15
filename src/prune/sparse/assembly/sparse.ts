// SIMD kernels for products with a masked (sparse) weight matrix, float32, over the
// engine backend's own memory (imported). Vectors run along the batch dimension:
// activations are first transposed to batch-minor layout, so every kept weight
// multiplies one contiguous run of the batch (4 lanes at a time). All pointers are
// byte addresses; pattern arrays (ptr, idx, pos) are i32; pos is the element offset
// of the kept entry inside its weight matrix.

/** dst[j·ld + i] = src[i·cols + j] for i < rows, j < cols (dst rows padded to ld ≥ rows, pad lanes zeroed). */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize, ld: i32): void {
  for (let j = 0; j < cols; j++) {
    const d = dst + (<usize>(j * ld) << 2);
    for (let i = 0; i < rows; i++) store<f32>(d + (<usize>i << 2), load<f32>(src + (<usize>(i * cols + j) << 2)));
    for (let i = rows; i < ld; i++) store<f32>(d + (<usize>i << 2), 0);
  }
}

/**
 * ct[o·ld + i] = Σ_{e ∈ [ptr[o], ptr[o+1])} w[pos[e]] · at[idx[e]·ld + i] for o < nOut, i < ld (ld a multiple of 4).
 */
export function spmmT(nOut: i32, ld: i32, at: usize, ptr: usize, idx: usize, pos: usize, w: usize, ct: usize): void {
  for (let o = 0; o < nOut; o++) {
    const e0 = load<i32>(ptr + (<usize>o << 2)), e1 = load<i32>(ptr + (<usize>(o + 1) << 2));
    const out = ct + (<usize>(o * ld) << 2);
    let i = 0;
    for (; i + 16 <= ld; i += 16) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let e = e0; e < e1; e++) {
        const s = f32x4.splat(load<f32>(w + (<usize>load<i32>(pos + (<usize>e << 2)) << 2)));
        const p = at + (<usize>(load<i32>(idx + (<usize>e << 2)) * ld + i) << 2);
        a0 = f32x4.add(a0, f32x4.mul(s, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(s, v128.load(p, 16)));
        a2 = f32x4.add(a2, f32x4.mul(s, v128.load(p, 32)));
        a3 = f32x4.add(a3, f32x4.mul(s, v128.load(p, 48)));
      }
      const q = out + (<usize>i << 2);
      v128.store(q, a0); v128.store(q, a1, 16); v128.store(q, a2, 32); v128.store(q, a3, 48);
    }
    for (; i < ld; i += 4) {
      let a = f32x4.splat(0);
      for (let e = e0; e < e1; e++) {
        const s = f32x4.splat(load<f32>(w + (<usize>load<i32>(pos + (<usize>e << 2)) << 2)));
        a = f32x4.add(a, f32x4.mul(s, v128.load(at + (<usize>(load<i32>(idx + (<usize>e << 2)) * ld + i) << 2))));
      }
      v128.store(out + (<usize>i << 2), a);
    }
  }
}

/** c[i·n + o] (+)= ct[o·ld + i] for i < m, o < n. */
export function untranspose(m: i32, n: i32, ct: usize, ld: i32, c: usize, accumulate: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * n) << 2);
    if (accumulate) {
      for (let o = 0; o < n; o++) {
        const q = row + (<usize>o << 2);
        store<f32>(q, load<f32>(q) + load<f32>(ct + (<usize>(o * ld + i) << 2)));
      }
    } else {
      for (let o = 0; o < n; o++) store<f32>(row + (<usize>o << 2), load<f32>(ct + (<usize>(o * ld + i) << 2)));
    }
  }
}

/**
 * Weight gradient on the kept entries only: c[pos[e]] (+)= at[j·ld ..]·bt[idx[e]·ld ..] (dot products of
 * length ld, a multiple of 4) for the entries e of each row j < rows. Entries outside the pattern are left alone.
 */
export function sddmm(rows: i32, ld: i32, at: usize, bt: usize, ptr: usize, idx: usize, pos: usize, c: usize, accumulate: i32): void {
  for (let j = 0; j < rows; j++) {
    const e0 = load<i32>(ptr + (<usize>j << 2)), e1 = load<i32>(ptr + (<usize>(j + 1) << 2));
    const a = at + (<usize>(j * ld) << 2);
    for (let e = e0; e < e1; e++) {
      const b = bt + (<usize>(load<i32>(idx + (<usize>e << 2)) * ld) << 2);
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
      let q = 0;
      for (; q + 8 <= ld; q += 8) {
        const o = <usize>q << 2;
        s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
      }
      for (; q < ld; q += 4) s0 = f32x4.add(s0, f32x4.mul(v128.load(a + (<usize>q << 2)), v128.load(b + (<usize>q << 2))));
      const s = f32x4.add(s0, s1);
      const dot = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
      const target = c + (<usize>load<i32>(pos + (<usize>e << 2)) << 2);
      store<f32>(target, accumulate ? load<f32>(target) + dot : dot);
    }
  }
}
