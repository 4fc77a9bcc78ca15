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
import { Random } from "../core/random";
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

/**
 * Largest dataset generateDataset makes: 10 million strings (400 times the thesis's 25,000; about a
 * minute and a gigabyte of strings). Larger sizes are refused before any work starts.
 */
export const MAX_DATASET_SIZE = 10_000_000;
/**
 * Longest string length allowed for minLength / maxLength: walk probabilities are powers of 1/2 per
 * choice and would underflow double precision (2^−1074) well before 10,000 symbols; 1,000 is far above
 * anything the grammars produce in practice (the thesis's longest string has 53).
 */
export const MAX_STRING_LENGTH = 1000;

const OPTION_KEYS: readonly (keyof DatasetOptions)[] = [
  "size", "validFraction", "testSize", "trainSize", "testFraction", "seed", "grammar", "minLength", "maxLength",
  "distinct", "forbidDuplicates", "invalidKinds",
];

/**
 * Options with defaults filled in, every one checked first; errors name the option and its value.
 * size: integer in 2 … MAX_DATASET_SIZE; validFraction in [0, 1]; testFraction in (0, 1);
 * testSize and trainSize integers in 1 … size − 1 (both sets non-empty) summing to size;
 * seed a safe integer; grammar "reber" or "embedded"; minLength ≤ maxLength integers in
 * 1 … MAX_STRING_LENGTH; distinct / forbidDuplicates booleans; unknown option names are refused.
 */
export function resolveDatasetOptions(options: DatasetOptions = {}): ResolvedDatasetOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new Error(`dataset options must be an object, got ${show(options)}`);
  const unknown = Object.keys(options).filter((k) => !(OPTION_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`unknown dataset option(s) ${unknown.join(", ")}; expected some of ${OPTION_KEYS.join(", ")}`);
  const size = options.size ?? 25000;
  requireInteger("size", size, 2, MAX_DATASET_SIZE);
  const validFraction = options.validFraction ?? 0.5;
  requireFraction("validFraction", validFraction, true);
  if (options.testFraction !== undefined) requireFraction("testFraction", options.testFraction, false);
  let { trainSize, testSize } = options;
  if (testSize !== undefined) requireInteger("testSize", testSize, 1, size - 1);
  if (trainSize !== undefined) requireInteger("trainSize", trainSize, 1, size - 1);
  if (trainSize !== undefined && testSize !== undefined && trainSize + testSize !== size) {
    throw new Error(`trainSize (${trainSize}) + testSize (${testSize}) must equal size (${size})`);
  }
  if (testSize === undefined) testSize = trainSize !== undefined ? size - trainSize : Math.round(size * (options.testFraction ?? 0.25));
  trainSize = size - testSize;
  if (testSize < 1 || trainSize < 1) {
    throw new Error(`testFraction ${options.testFraction ?? 0.25} of size ${size} leaves ${testSize} test and ${trainSize} training strings; both must be ≥ 1`);
  }
  const minLength = options.minLength ?? 11;
  const maxLength = options.maxLength ?? 100;
  requireInteger("minLength", minLength, 1, MAX_STRING_LENGTH);
  requireInteger("maxLength", maxLength, minLength, MAX_STRING_LENGTH);
  const seed = options.seed ?? 0;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${show(seed)}`);
  const grammar = options.grammar ?? "reber";
  if (grammar !== "reber" && grammar !== "embedded") throw new Error(`grammar must be "reber" or "embedded", got ${show(grammar)}`);
  const distinct = options.distinct ?? true;
  const forbidDuplicates = options.forbidDuplicates ?? false;
  for (const [name, value] of [["distinct", distinct], ["forbidDuplicates", forbidDuplicates]] as const) {
    if (typeof value !== "boolean") throw new Error(`${name} must be true or false, got ${show(value)}`);
  }
  if (options.invalidKinds !== undefined) checkInvalidKinds(options.invalidKinds);
  return { size, validFraction, trainSize, testSize, seed, grammar, minLength, maxLength, distinct, forbidDuplicates };
}

/** Each kind needs a name, a family, a finite share ≥ 0 (some > 0) and a grammar. */
function checkInvalidKinds(kinds: readonly InvalidKind[]): void {
  if (!Array.isArray(kinds) || kinds.length === 0) throw new Error(`invalidKinds must be a non-empty array, got ${show(kinds)}`);
  kinds.forEach((kind, i) => {
    const where = `invalidKinds[${i}]`;
    if (kind === null || typeof kind !== "object") throw new Error(`${where} must be an object, got ${show(kind)}`);
    if (typeof kind.name !== "string" || kind.name === "") throw new Error(`${where}.name must be a non-empty string, got ${show(kind.name)}`);
    if (kind.family !== "near-miss" && kind.family !== "other-letters") throw new Error(`${where}.family must be "near-miss" or "other-letters", got ${show(kind.family)}`);
    if (typeof kind.share !== "number" || !Number.isFinite(kind.share) || kind.share < 0) throw new Error(`${where}.share must be a finite number ≥ 0, got ${show(kind.share)}`);
    if (kind.grammar === null || typeof kind.grammar !== "object") throw new Error(`${where}.grammar must be a Grammar, got ${show(kind.grammar)}`);
  });
  if (!kinds.some((k) => k.share > 0)) throw new Error(`invalidKinds: at least one share must be > 0, got [${kinds.map((k) => k.share).join(", ")}]`);
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

function requireInteger(name: string, value: unknown, min: number, max = Infinity): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer in ${min} … ${max === Infinity ? "∞" : max}, got ${show(value)}`);
  }
}

/** [0, 1] when closed, else (0, 1). */
function requireFraction(name: string, value: unknown, closed: boolean): void {
  const ok = typeof value === "number" && (closed ? value >= 0 && value <= 1 : value > 0 && value < 1);
  if (!ok) throw new Error(`${name} must be in ${closed ? "[0, 1]" : "(0, 1)"}, got ${show(value)}`);
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}
