/**
 * Seeded pseudo-random numbers for the whole project (data generation, weight
 * initialisation, random graphs): the same seed gives the same numbers on every
 * machine, because everything is 32-bit integer arithmetic (Math.imul, >>>) except
 * `normal()`, which uses only Math.log and Math.sqrt (sqrt is correctly rounded by
 * IEEE 754; V8's Math.log is a fixed software port of fdlibm, not the platform libm).
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018), 128-bit state, period 2^128 − 1,
 * seeded through splitmix32 so that nearby seeds give unrelated streams. Written by
 * hand because Math.random cannot be seeded and the npm seeded PRNGs either lack
 * `fork`/typed-array fills or differ in float conversion; this file is the contract.
 *
 *   const rng = new Random(42);
 *   rng.nextFloat();        // uniform [0, 1), 53 random bits
 *   rng.nextInt(6);         // uniform integer 0 … 5, unbiased
 *   rng.shuffle(array);     // Fisher–Yates, in place
 *   rng.normal();           // standard normal (Marsaglia polar method)
 *   const child = rng.fork(); // an independent stream, e.g. one per worker
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** the second normal deviate of the last polar pair, NaN when none is cached */
  private spare = NaN;

  /** `seed`: any safe integer (negative and > 2^32 values are folded in, not truncated). */
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`Random: seed must be a safe integer, got ${seed}`);
    // splitmix32 over both 32-bit halves of the seed fills the four state words
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x9e3779b9);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** uniform 32-bit unsigned integer */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** uniform float in [0, 1) with 53 random bits (two draws) */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** uniform integer in 0 … n−1 for 1 ≤ n ≤ 2^32, without modulo bias (rejection) */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new Error(`Random.nextInt: n must be an integer in 1 … 2^32, got ${n}`);
    // accept x below the largest multiple of n that fits in 2^32
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** uniform float in [low, high) */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.nextFloat();
  }

  /** normal deviate N(mean, std²), Marsaglia's polar method (no trigonometry, see the file comment) */
  normal(mean = 0, std = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return mean + std * z;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.nextFloat() - 1;
      v = 2 * this.nextFloat() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * factor;
    return mean + std * u * factor;
  }

  /** true with probability p */
  bernoulli(p: number): boolean {
    return this.nextFloat() < p;
  }

  /** one element of a non-empty array, uniformly */
  choice<T>(items: ArrayLike<T>): T {
    if (items.length === 0) throw new Error("Random.choice: empty array");
    return items[this.nextInt(items.length)];
  }

  /** Fisher–Yates shuffle in place; returns the same array */
  shuffle<T, A extends { length: number; [i: number]: T }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** fill a typed array with uniform [low, high) values */
  fillUniform<A extends Float32Array | Float64Array>(out: A, low: number, high: number): A {
    const width = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + width * this.nextFloat();
    return out;
  }

  /** fill a typed array with N(mean, std²) values */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean = 0, std = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /**
   * A new generator whose stream is independent of this one (seeded from two of
   * this generator's outputs), e.g. one per model or worker; advances this stream.
   */
  fork(): Random {
    return new Random(this.nextUint32() * 2097152 + (this.nextUint32() >>> 11));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
