/** Dataset statistics as plain data, the numbers behind the chapter's figures and tables. */
import { REBER_LETTERS } from "./grammar";
import type { Sample } from "./types";

export interface LengthSummary {
  min: number;
  max: number;
  /** the most common length (the shortest one on ties) */
  mode: number;
  modeCount: number;
  mean: number;
  /** histogram[L] = strings of length L, for L = 0 … max */
  histogram: number[];
}

export interface DatasetStats {
  count: number;
  valid: number;
  invalid: number;
  /** invalid strings spelled only with the Reber letters BEPSTVX */
  nearMiss: number;
  /** invalid strings using other letters */
  otherLetters: number;
  /** nearMiss / invalid (thesis: 0.44) */
  nearMissShare: number;
  distinct: number;
  /** copies beyond the first of repeated strings */
  duplicates: number;
  length: LengthSummary;
  validLength: LengthSummary;
  invalidLength: LengthSummary;
  /** occurrences of each character over all strings, keys sorted */
  charCounts: Record<string, number>;
}

/** whether a string is spelled only with Reber letters (an invalid one is then a near-miss) */
export function usesOnlyReberLetters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!REBER_LETTERS.includes(text[i])) return false;
  return true;
}

export function lengthSummary(samples: readonly Sample[]): LengthSummary {
  if (samples.length === 0) return { min: 0, max: 0, mode: 0, modeCount: 0, mean: 0, histogram: [] };
  let min = Infinity;
  let max = 0;
  let sum = 0;
  for (const s of samples) {
    min = Math.min(min, s.text.length);
    max = Math.max(max, s.text.length);
    sum += s.text.length;
  }
  const histogram = new Array<number>(max + 1).fill(0);
  for (const s of samples) histogram[s.text.length]++;
  let mode = min;
  for (let L = min; L <= max; L++) if (histogram[L] > histogram[mode]) mode = L;
  return { min, max, mode, modeCount: histogram[mode], mean: sum / samples.length, histogram };
}

export function charCounts(samples: readonly Sample[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const s of samples) for (const c of s.text) counts.set(c, (counts.get(c) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function datasetStats(samples: readonly Sample[]): DatasetStats {
  const valid = samples.filter((s) => s.valid);
  const invalid = samples.filter((s) => !s.valid);
  const nearMiss = invalid.filter((s) => usesOnlyReberLetters(s.text)).length;
  const distinct = new Set(samples.map((s) => s.text)).size;
  return {
    count: samples.length,
    valid: valid.length,
    invalid: invalid.length,
    nearMiss,
    otherLetters: invalid.length - nearMiss,
    nearMissShare: invalid.length ? nearMiss / invalid.length : 0,
    distinct,
    duplicates: samples.length - distinct,
    length: lengthSummary(samples),
    validLength: lengthSummary(valid),
    invalidLength: lengthSummary(invalid),
    charCounts: charCounts(samples),
  };
}

export interface SplitCounts {
  split: string;
  count: number;
  valid: number;
  invalid: number;
}

/** valid/invalid counts per named split, e.g. splitCounts({ train, test }) */
export function splitCounts(splits: Record<string, readonly Sample[]>): SplitCounts[] {
  return Object.entries(splits).map(([split, samples]) => {
    const valid = samples.filter((s) => s.valid).length;
    return { split, count: samples.length, valid, invalid: samples.length - valid };
  });
}

/**
 * Per-length comparison of two length histograms as shares of their totals:
 * rows { length, a, b, shareA, shareB, difference } for every length either has,
 * and the total variation distance ½ Σ |shareA − shareB|.
 */
export function compareLengths(a: readonly number[], b: readonly number[]): { rows: Array<{ length: number; a: number; b: number; shareA: number; shareB: number; difference: number }>; totalVariation: number } {
  const totalA = a.reduce((x, y) => x + y, 0);
  const totalB = b.reduce((x, y) => x + y, 0);
  const rows = [];
  let tv = 0;
  for (let L = 0; L < Math.max(a.length, b.length); L++) {
    const ca = a[L] ?? 0;
    const cb = b[L] ?? 0;
    if (ca === 0 && cb === 0) continue;
    const shareA = totalA ? ca / totalA : 0;
    const shareB = totalB ? cb / totalB : 0;
    tv += Math.abs(shareA - shareB) / 2;
    rows.push({ length: L, a: ca, b: cb, shareA, shareB, difference: shareA - shareB });
  }
  return { rows, totalVariation: tv };
}
