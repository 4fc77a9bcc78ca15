/**
 * Random walks of an automaton, drawn without the waste of rejection sampling.
 *
 * A uniform walk chooses each outgoing transition with equal probability, so a
 * string's probability is Π 1/outdegree along its path. In the Reber automata every
 * string of length L has the same number of binary choices, hence the same
 * probability p_L: the walk restricted to lengths min … max is "pick L with
 * probability N_L · p_L, then a uniformly random string of length L" (N_L strings of
 * length L). Drawing distinct walks (the thesis's data: every valid Reber string of
 * length 11 … 20 occurs exactly once) is the same with N_L replaced by the number of
 * strings of length L not drawn yet. Both are exact, and far faster than walking and
 * rejecting: the thesis's 12,500 distinct valid strings need ≈ 2 million raw walks.
 */
import { compile, type CompiledGrammar, type Grammar } from "./grammar";
import type { Random } from "../core/random";

const latin1 = new TextDecoder("latin1"); // symbols are ASCII, so latin1 decoding is exact

export class WalkSampler {
  readonly compiled: CompiledGrammar;
  /** N_L: number of strings of length L, index L − minLength */
  readonly counts: Float64Array;
  /** p_L: walk probability of each single string of length L, index L − minLength */
  readonly stringProbability: Float64Array;
  /** completions[state · (maxLength + 1) + r]: paths of exactly r symbols from state to accept */
  private readonly completions: Float64Array;
  /** N_L · p_L: walk probability mass per length, index L − minLength */
  private readonly lengthMass: Float64Array;
  /** transitions flattened for the sampling loop: those of state s are firstOut[s] … firstOut[s+1]−1 */
  private readonly firstOut: Int32Array;
  private readonly outTo: Int32Array;
  private readonly outCode: Uint8Array;
  private readonly buffer: Uint8Array;

  constructor(
    readonly grammar: Grammar,
    readonly minLength: number,
    readonly maxLength: number,
  ) {
    if (!Number.isInteger(minLength) || minLength < 1) throw new Error(`minLength must be a positive integer, got ${minLength}`);
    if (!Number.isInteger(maxLength) || maxLength < minLength) throw new Error(`maxLength must be an integer ≥ minLength (${minLength}), got ${maxLength}`);
    this.compiled = compile(grammar);
    const { stateCount, out } = this.compiled;
    const width = maxLength + 1;
    // count paths and the range of choice-information (Σ log2 outdegree) per (state, r)
    const completions = new Float64Array(stateCount * width);
    const bitsLow = new Float64Array(stateCount * width).fill(Infinity);
    const bitsHigh = new Float64Array(stateCount * width).fill(-Infinity);
    completions[grammar.accept * width] = 1;
    bitsLow[grammar.accept * width] = 0;
    bitsHigh[grammar.accept * width] = 0;
    for (let r = 1; r <= maxLength; r++) {
      for (let s = 0; s < stateCount; s++) {
        const choice = Math.log2(out[s].length);
        for (const t of out[s]) {
          const below = t.to * width + r - 1;
          if (completions[below] === 0) continue;
          const here = s * width + r;
          completions[here] += completions[below];
          bitsLow[here] = Math.min(bitsLow[here], bitsLow[below] + choice);
          bitsHigh[here] = Math.max(bitsHigh[here], bitsHigh[below] + choice);
        }
      }
    }
    this.completions = completions;
    this.counts = new Float64Array(maxLength - minLength + 1);
    this.stringProbability = new Float64Array(maxLength - minLength + 1);
    for (let length = minLength; length <= maxLength; length++) {
      const at = grammar.start * width + length;
      if (completions[at] === 0) continue;
      if (bitsHigh[at] - bitsLow[at] > 1e-9) {
        throw new Error(`Grammar ${grammar.name}: strings of length ${length} have unequal walk probabilities; WalkSampler needs every string of one length equally likely`);
      }
      this.counts[length - minLength] = completions[at];
      this.stringProbability[length - minLength] = Math.pow(2, -bitsLow[at]);
    }
    this.lengthMass = this.counts.map((n, i) => n * this.stringProbability[i]);
    const flat = out.flat();
    this.firstOut = Int32Array.from([0, ...out.map((_, s) => out.slice(0, s + 1).reduce((a, ts) => a + ts.length, 0))]);
    this.outTo = Int32Array.from(flat, (t) => t.to);
    this.outCode = Uint8Array.from(flat, (t) => t.symbol.charCodeAt(0));
    this.buffer = new Uint8Array(maxLength);
  }

  /** total number of strings with lengths minLength … maxLength */
  get total(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** P(length = L | minLength ≤ length ≤ maxLength) for the uniform walk, index L − minLength */
  lengthDistribution(): Float64Array {
    const sum = this.lengthMass.reduce((a, b) => a + b, 0);
    return this.lengthMass.map((m) => m / sum);
  }

  /** one string drawn uniformly from the strings of exactly `length` symbols */
  sampleOfLength(rng: Random, length: number): string {
    const { completions, firstOut, outTo, outCode, buffer } = this;
    const width = this.maxLength + 1;
    let state = this.grammar.start;
    for (let r = length, i = 0; r > 0; r--, i++) {
      let u = rng.nextFloat() * completions[state * width + r];
      let k = firstOut[state];
      const end = firstOut[state + 1] - 1;
      for (; k < end; k++) {
        u -= completions[outTo[k] * width + r - 1];
        if (u < 0) break;
      }
      buffer[i] = outCode[k];
      state = outTo[k];
    }
    return latin1.decode(buffer.subarray(0, length));
  }

  /** one uniform walk, conditioned on minLength ≤ length ≤ maxLength */
  sample(rng: Random): string {
    const index = pickIndex(rng, this.lengthMass);
    if (index < 0) throw new Error(`Grammar ${this.grammar.name}: no strings of length ${this.minLength} … ${this.maxLength}`);
    return this.sampleOfLength(rng, this.minLength + index);
  }

  /** a stateful sampler of distinct walks (see DistinctWalks) */
  distinct(shared?: Set<string>): DistinctWalks {
    return new DistinctWalks(this, shared);
  }
}

/**
 * Walks without repetition: each draw is a uniform walk conditioned on its string
 * being new, i.e. not drawn before by this sampler nor in `shared` (a set other
 * samplers also fill, so that no string repeats across them). Exact: the length is
 * drawn with weight (strings of that length not known to be taken) · p_L, the
 * string uniformly within the length, and a string found taken is counted and redrawn.
 */
export class DistinctWalks {
  /** strings of this grammar known to be unavailable (drawn here or found in `shared`) */
  private readonly blocked: Set<string>;
  private readonly taken: Set<string>;
  private readonly unavailable: Float64Array;
  private readonly weights: Float64Array;

  constructor(
    readonly walks: WalkSampler,
    shared?: Set<string>,
  ) {
    this.blocked = new Set();
    this.taken = shared ?? this.blocked;
    this.unavailable = new Float64Array(walks.counts.length);
    this.weights = new Float64Array(walks.counts.length);
  }

  /** strings still available to this sampler (an upper bound when `taken` is shared) */
  get remaining(): number {
    let sum = 0;
    for (let i = 0; i < this.unavailable.length; i++) sum += this.walks.counts[i] - this.unavailable[i];
    return sum;
  }

  next(rng: Random): string {
    const { counts, stringProbability, minLength, grammar } = this.walks;
    for (;;) {
      for (let i = 0; i < counts.length; i++) this.weights[i] = (counts[i] - this.unavailable[i]) * stringProbability[i];
      const index = pickIndex(rng, this.weights);
      if (index < 0) throw new Error(`Grammar ${grammar.name}: no distinct strings of length ${minLength} … ${this.walks.maxLength} left`);
      // uniform among the strings of this length not blocked yet (the weights already count the blocked ones)
      let text = this.walks.sampleOfLength(rng, minLength + index);
      while (this.blocked.has(text)) text = this.walks.sampleOfLength(rng, minLength + index);
      this.blocked.add(text);
      this.unavailable[index] += 1;
      if (this.taken !== this.blocked) {
        if (this.taken.has(text)) continue; // drawn by another sampler: now known, draw again
        this.taken.add(text);
      }
      return text;
    }
  }
}

/** index i with probability weights[i] / Σ weights; −1 when all weights are 0 */
function pickIndex(rng: Random, weights: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  if (!(sum > 0)) return -1;
  let u = rng.nextFloat() * sum;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] <= 0) continue;
    last = i;
    u -= weights[i];
    if (u < 0) return i;
  }
  return last; // rounding left u ≥ 0 after the last positive weight
}
