/**
 * The random source the generators draw from: uniform floats in [0, 1) and uniform
 * integers in [0, n). The seeded PRNG (src/core/random.ts) fits it; so
 * does a tape replaying networkx's draws in the tests.
 */
export interface Rng {
  nextFloat(): number;
  nextInt(n: number): number;
}
