/**
 * The thesis's dataset recipe, reproducible from a seed.
 *
 * Measured on the thesis's published 25,000 strings (see the notebook 01-dataset):
 * - the 12,500 valid strings are distinct uniform walks of the Reber automaton of
 *   length ≥ 11: every valid string of length 11 … 20 occurs exactly once, and the
 *   transition frequencies match walks drawn without repetition;
 * - every one of the 12,500 invalid strings is a distinct walk of the same automaton
 *   spelled with one of eight other labellings (THESIS_INVALID_KINDS): four over the
 *   Reber letters (near-misses, 5,500 strings) and four with other letters (7,000).
 */
import { check, embed, languagesIntersect, grammarByName, relabel, REBER, type Grammar, type GrammarName } from "./grammar";
import { Random } from "./random";
import type { Sample } from "./types";
import { WalkSampler } from "./walks";

export interface InvalidKind {
  name: string;
  /** near-miss: only Reber letters BEPSTVX; other-letters: spelled with other letters of A–Z */
  family: "near-miss" | "other-letters";
  /** relative share of the invalid strings */
  share: number;
  /** the automaton whose walks are the invalid strings; it must share no string with the target grammar */
  grammar: Grammar;
}

function reberKind(name: string, family: InvalidKind["family"], labels: string, count: number): InvalidKind {
  return { name, family, share: count / 12500, grammar: relabel(REBER, labels, name) };
}

/**
 * The eight labellings of the Reber automaton found in the thesis's invalid strings,
 * with their counts there. Labels are in REBER's transition order
 * B, 1T2, 1P3, 2S2, 2X4, 3T3, 3V5, 4X3, 4S6, 5P4, 5V6, E  (valid: "BTPSXTVXSPVE").
 */
export const THESIS_INVALID_KINDS: readonly InvalidKind[] = [
  reberKind("first branch swapped (T↔P)", "near-miss", "BPTSXTVXSPVE", 1500),
  reberKind("states 2 and 3 swapped", "near-miss", "BTPTVSXXSPVE", 2000),
  reberKind("states 4 and 5 swapped", "near-miss", "BTPSXTVPVXSE", 1500),
  reberKind("loops and exits of 2 and 3 swapped", "near-miss", "BTPXSVTXSPVE", 500),
  reberKind("letters MNOQWVURZY", "other-letters", "BMNOQWVURZYE", 2000),
  reberKind("letters MNOQCAURFD", "other-letters", "BMNOQCAURFDE", 1500),
  reberKind("letters ACDFJIHGLK", "other-letters", "BACDFJIHGLKE", 2000),
  reberKind("letters QOMNCAURFD", "other-letters", "BQOMNCAURFDE", 1500),
];

/**
 * Invalid kinds for the embedded grammar (not in the thesis): half of the near-miss
 * share goes to strings whose closing T/P does not match the opening one (the
 * long-range negatives of the LSTM paper), the rest are the thesis's kinds embedded.
 */
export const EMBEDDED_INVALID_KINDS: readonly InvalidKind[] = (() => {
  const nearMissShare = THESIS_INVALID_KINDS.filter((k) => k.family === "near-miss").reduce((a, k) => a + k.share, 0);
  const crossed: InvalidKind = { name: "closing letter mismatched", family: "near-miss", share: nearMissShare / 2, grammar: embed(REBER, "crossed") };
  const embedded = THESIS_INVALID_KINDS.map((k) => ({
    ...k,
    share: k.family === "near-miss" ? k.share / 2 : k.share,
    grammar: embed(k.grammar, "matched", `embedded(${k.name})`),
  }));
  return [crossed, ...embedded];
})();

export interface DatasetOptions {
  /** total strings (25,000) */
  size?: number;
  /** share of valid strings (0.5) */
  validFraction?: number;
  /** test strings; default size − trainSize, or size · testFraction */
  testSize?: number;
  /** training strings; default size − testSize */
  trainSize?: number;
  /** test share when neither testSize nor trainSize is given (0.25: 18,750 / 6,250) */
  testFraction?: number;
  seed?: number;
  grammar?: GrammarName;
  /** shortest string (11, as in the thesis) */
  minLength?: number;
  /** longest string (100; the walk's tail makes strings above 60 vanishingly rare) */
  maxLength?: number;
  /** within each class and invalid kind, draw each string at most once (true, the thesis's data) */
  distinct?: boolean;
  /** no string at all occurs twice in the dataset (false: the thesis's data has 8 repeats across kinds) */
  forbidDuplicates?: boolean;
  /** invalid kinds; default THESIS_INVALID_KINDS, or EMBEDDED_INVALID_KINDS for grammar "embedded" */
  invalidKinds?: readonly InvalidKind[];
}

export type ResolvedDatasetOptions = Required<Omit<DatasetOptions, "invalidKinds" | "testFraction">>;

export interface DatasetReport {
  options: ResolvedDatasetOptions;
  /** copies beyond the first of repeated strings in `all` (thesis: 8) */
  duplicates: number;
  /** distinct test strings that also occur in train (thesis: 1) */
  overlap: number;
  /** strings per class / invalid kind */
  kindCounts: Record<string, number>;
  /** wall-clock time of the generation */
  milliseconds: number;
}

export interface Dataset {
  train: Sample[];
  test: Sample[];
  /** the shuffled full set: train = all[0 … trainSize), test = the rest */
  all: Sample[];
  report: DatasetReport;
}

export function resolveDatasetOptions(options: DatasetOptions = {}): ResolvedDatasetOptions {
  const size = options.size ?? 25000;
  requireInteger("size", size, 2);
  const validFraction = options.validFraction ?? 0.5;
  if (!(validFraction >= 0 && validFraction <= 1)) throw new Error(`validFraction must be in [0, 1], got ${validFraction}`);
  let { trainSize, testSize } = options;
  if (trainSize !== undefined && testSize !== undefined && trainSize + testSize !== size) {
    throw new Error(`trainSize (${trainSize}) + testSize (${testSize}) must equal size (${size})`);
  }
  if (testSize === undefined) testSize = trainSize !== undefined ? size - trainSize : Math.round(size * (options.testFraction ?? 0.25));
  trainSize = size - testSize;
  requireInteger("testSize", testSize, 0, size);
  requireInteger("trainSize", trainSize, 0, size);
  const minLength = options.minLength ?? 11;
  const maxLength = options.maxLength ?? 100;
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  return {
    size,
    validFraction,
    trainSize,
    testSize,
    seed,
    grammar: options.grammar ?? "reber",
    minLength,
    maxLength,
    distinct: options.distinct ?? true,
    forbidDuplicates: options.forbidDuplicates ?? false,
  };
}

/**
 * Generate a labelled dataset: valid walks of the grammar and invalid walks of the
 * invalid kinds, shuffled together and split into train and test.
 */
export function generateDataset(options: DatasetOptions = {}): Dataset {
  const started = performance.now();
  const o = resolveDatasetOptions(options);
  const grammar = grammarByName(o.grammar);
  const kinds = options.invalidKinds ?? (o.grammar === "embedded" ? EMBEDDED_INVALID_KINDS : THESIS_INVALID_KINDS);
  for (const kind of kinds) {
    if (languagesIntersect(kind.grammar, grammar)) throw new Error(`Invalid kind "${kind.name}" can spell strings that are valid in grammar ${grammar.name}`);
  }
  const validCount = Math.round(o.size * o.validFraction);
  const invalidCounts = apportion(o.size - validCount, kinds.map((k) => k.share));
  const rng = new Random(o.seed);
  const shared = o.forbidDuplicates ? new Set<string>() : undefined;
  const kindCounts: Record<string, number> = {};
  const samples: Sample[] = [];
  const draw = (source: Grammar, count: number, valid: boolean, label: string) => {
    const walks = new WalkSampler(source, o.minLength, o.maxLength);
    if ((o.distinct || shared) && walks.total < count) {
      throw new Error(`Grammar ${source.name} has only ${walks.total} distinct strings of length ${o.minLength} … ${o.maxLength}; ${count} requested for "${label}"`);
    }
    const stream = rng.fork(); // one stream per kind: changing one kind's count leaves the others' strings alone
    const distinct = o.distinct || shared ? walks.distinct(shared) : undefined;
    for (let i = 0; i < count; i++) samples.push({ text: distinct ? distinct.next(stream) : walks.sample(stream), valid });
    kindCounts[label] = count;
  };
  draw(grammar, validCount, true, "valid");
  kinds.forEach((kind, i) => draw(kind.grammar, invalidCounts[i], false, kind.name));
  const all = rng.shuffle(samples);
  const train = all.slice(0, o.trainSize);
  const test = all.slice(o.trainSize);
  const report: DatasetReport = {
    options: o,
    duplicates: all.length - new Set(all.map((s) => s.text)).size,
    overlap: overlapCount(train, test),
    kindCounts,
    milliseconds: performance.now() - started,
  };
  return { train, test, all, report };
}

/** the name of the first kind whose automaton spells `text`, or null */
export function invalidKindOf(text: string, kinds: readonly InvalidKind[] = THESIS_INVALID_KINDS): string | null {
  for (const kind of kinds) if (check(text, kind.grammar).valid) return kind.name;
  return null;
}

/** distinct strings of `b` that also occur in `a` */
export function overlapCount(a: readonly Sample[], b: readonly Sample[]): number {
  const inA = new Set(a.map((s) => s.text));
  let count = 0;
  for (const text of new Set(b.map((s) => s.text))) if (inA.has(text)) count++;
  return count;
}

/** split `total` into integers proportional to `weights` (largest remainder) */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || !(sum > 0)) throw new Error(`apportion: weights must be positive, got [${weights.join(", ")}]`);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => i).sort((i, j) => exact[j] - counts[j] - (exact[i] - counts[i]) || i - j);
  for (const i of order) {
    if (left-- <= 0) break;
    counts[i]++;
  }
  return counts;
}

function requireInteger(name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer in ${min} … ${max === Infinity ? "∞" : max}, got ${value}`);
  }
}
