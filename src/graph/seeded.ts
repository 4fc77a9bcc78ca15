import { Rng } from "./rng";

/**
 * Interim seeded generator (mulberry32) until the data module's PRNG lands; same
 * interface, so callers switch by changing one import.
 */
export function seededRng(seed: number): Rng {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const nextFloat = (): number => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { nextFloat, nextInt: (n: number) => Math.floor(nextFloat() * n) };
}
