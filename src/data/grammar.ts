/**
 * Finite automata as plain data: the Reber grammar, the embedded Reber grammar,
 * relabelled copies of them (the thesis's invalid strings), and a validator that
 * says where and why a string breaks an automaton.
 *
 * Every automaton here is deterministic: a state has at most one transition per
 * symbol. The language is the set of strings spelled by paths from `start` to
 * `accept`; `accept` has no outgoing transitions.
 */

export interface GrammarState {
  id: number;
  /** short name for diagrams and messages */
  name: string;
  /** drawing position (arbitrary units) for the automaton diagram */
  x: number;
  y: number;
}

export interface Transition {
  from: number;
  to: number;
  /** one ASCII character */
  symbol: string;
}

export interface Grammar {
  name: string;
  states: readonly GrammarState[];
  transitions: readonly Transition[];
  start: number;
  accept: number;
}

export type GrammarName = "reber" | "embedded";

/** the letters of the Reber grammar */
export const REBER_LETTERS = "BEPSTVX";

/**
 * The standard Reber automaton: start –B→ 1; 1: T→2, P→3; 2: S→2, X→4; 3: T→3, V→5;
 * 4: X→3, S→6; 5: P→4, V→6; 6: E→end. The transition order here defines the
 * order of a labelling string (see `relabel`): "BTPSXTVXSPVE".
 */
export const REBER: Grammar = {
  name: "reber",
  states: [
    { id: 0, name: "start", x: 0, y: 0 },
    { id: 1, name: "1", x: 1, y: 0 },
    { id: 2, name: "2", x: 2, y: 1 },
    { id: 3, name: "3", x: 2, y: -1 },
    { id: 4, name: "4", x: 3.5, y: 1 },
    { id: 5, name: "5", x: 3.5, y: -1 },
    { id: 6, name: "6", x: 4.5, y: 0 },
    { id: 7, name: "end", x: 5.5, y: 0 },
  ],
  transitions: [
    { from: 0, to: 1, symbol: "B" },
    { from: 1, to: 2, symbol: "T" },
    { from: 1, to: 3, symbol: "P" },
    { from: 2, to: 2, symbol: "S" },
    { from: 2, to: 4, symbol: "X" },
    { from: 3, to: 3, symbol: "T" },
    { from: 3, to: 5, symbol: "V" },
    { from: 4, to: 3, symbol: "X" },
    { from: 4, to: 6, symbol: "S" },
    { from: 5, to: 4, symbol: "P" },
    { from: 5, to: 6, symbol: "V" },
    { from: 6, to: 7, symbol: "E" },
  ],
  start: 0,
  accept: 7,
};

/** the symbols of a grammar's transitions in order, e.g. "BTPSXTVXSPVE" for REBER */
export function labelling(grammar: Grammar): string {
  return grammar.transitions.map((t) => t.symbol).join("");
}

/**
 * The same automaton with its transitions spelled by `labels` (one character per
 * transition, in the grammar's transition order). The thesis's invalid strings are
 * walks of relabelled Reber automata (see THESIS_INVALID_KINDS in generate.ts).
 */
export function relabel(grammar: Grammar, labels: string, name = `${grammar.name}/${labels}`): Grammar {
  if (labels.length !== grammar.transitions.length) {
    throw new Error(`relabel: labels "${labels}" has ${labels.length} characters, grammar ${grammar.name} has ${grammar.transitions.length} transitions`);
  }
  const relabelled: Grammar = { ...grammar, name, transitions: grammar.transitions.map((t, i) => ({ ...t, symbol: labels[i] })) };
  compile(relabelled); // refuses a labelling that makes the automaton nondeterministic
  return relabelled;
}

/**
 * The embedded Reber grammar of Hochreiter & Schmidhuber's LSTM paper: B, then T or P,
 * then a string of `inner`, then the same T or P again, then E. Telling valid from
 * invalid needs the second letter remembered across the whole inner string.
 * `closers` swaps the closing letters when "crossed" (the mismatched negatives).
 */
export function embed(inner: Grammar = REBER, closers: "matched" | "crossed" = "matched", name?: string): Grammar {
  const n = inner.states.length;
  const width = Math.max(...inner.states.map((s) => s.x)) + 2;
  const states: GrammarState[] = [{ id: 0, name: "start", x: 0, y: 0 }, { id: 1, name: "1", x: 1, y: 0 }];
  const transitions: Transition[] = [{ from: 0, to: 1, symbol: "B" }];
  const copies: Array<{ letter: string; close: string; y: number }> = [
    { letter: "T", close: closers === "matched" ? "T" : "P", y: 2.6 },
    { letter: "P", close: closers === "matched" ? "P" : "T", y: -2.6 },
  ];
  const join = 2 + 2 * n;
  copies.forEach((copy, c) => {
    const offset = 2 + c * n;
    for (const s of inner.states) states.push({ id: offset + s.id, name: `${copy.letter}${s.name}`, x: 2 + s.x, y: copy.y + s.y });
    transitions.push({ from: 1, to: offset + inner.start, symbol: copy.letter });
    for (const t of inner.transitions) transitions.push({ from: offset + t.from, to: offset + t.to, symbol: t.symbol });
    transitions.push({ from: offset + inner.accept, to: join, symbol: copy.close });
  });
  states.push({ id: join, name: "join", x: width + 1, y: 0 }, { id: join + 1, name: "end", x: width + 2, y: 0 });
  transitions.push({ from: join, to: join + 1, symbol: "E" });
  return { name: name ?? (closers === "matched" ? `embedded(${inner.name})` : `embedded-crossed(${inner.name})`), states, transitions, start: 0, accept: join + 1 };
}

export const EMBEDDED_REBER: Grammar = embed(REBER, "matched", "embedded");

export function grammarByName(name: GrammarName): Grammar {
  if (name === "reber") return REBER;
  if (name === "embedded") return EMBEDDED_REBER;
  throw new Error(`Unknown grammar "${name}"; expected "reber" or "embedded"`);
}

/** A grammar prepared for fast walking: next[state · 128 + code] = target state or −1. */
export interface CompiledGrammar {
  grammar: Grammar;
  stateCount: number;
  next: Int16Array;
  /** outgoing transitions per state, in grammar order */
  out: ReadonlyArray<readonly Transition[]>;
}

const compiled = new WeakMap<Grammar, CompiledGrammar>();

export function compile(grammar: Grammar): CompiledGrammar {
  const cached = compiled.get(grammar);
  if (cached) return cached;
  const stateCount = grammar.states.length;
  grammar.states.forEach((s, i) => {
    if (s.id !== i) throw new Error(`Grammar ${grammar.name}: state ids must be 0 … ${stateCount - 1} in order, state ${i} has id ${s.id}`);
  });
  const next = new Int16Array(stateCount * 128).fill(-1);
  const out: Transition[][] = grammar.states.map(() => []);
  for (const t of grammar.transitions) {
    const code = t.symbol.length === 1 ? t.symbol.charCodeAt(0) : -1;
    if (code < 1 || code > 127) throw new Error(`Grammar ${grammar.name}: transition ${t.from}→${t.to} has symbol ${JSON.stringify(t.symbol)}, expected one ASCII character`);
    if (t.from >= stateCount || t.to >= stateCount || t.from < 0 || t.to < 0) throw new Error(`Grammar ${grammar.name}: transition ${t.from}→${t.to} names a missing state`);
    if (t.from === grammar.accept) throw new Error(`Grammar ${grammar.name}: the accepting state ${t.from} must have no outgoing transition`);
    const slot = t.from * 128 + code;
    if (next[slot] !== -1) throw new Error(`Grammar ${grammar.name}: state ${grammar.states[t.from].name} has two transitions on "${t.symbol}" (not deterministic)`);
    next[slot] = t.to;
    out[t.from].push(t);
  }
  const result = { grammar, stateCount, next, out };
  compiled.set(grammar, result);
  return result;
}

/**
 * A validation result. The valid case declares the other fields as absent so that
 * `v.position` etc. can be read without narrowing (notebooks compile non-strict,
 * where narrowing on `valid` does not apply).
 */
export type Verdict =
  | { valid: true; position?: undefined; char?: undefined; reason?: undefined }
  | { valid: false; position: number; char: string; reason: string };

/**
 * Whether `text` is in the language of `grammar`; when not, the first offending
 * position (0-based; text.length when the string stops too early), its character
 * ("" at the end) and a sentence saying what was expected.
 */
export function check(text: string, grammar: Grammar): Verdict {
  const { next, out } = compile(grammar);
  let state = grammar.start;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const target = code < 128 ? next[state * 128 + code] : -1;
    if (target < 0) {
      const prefix = text.slice(0, i);
      const where = i === 0 ? "at the start" : `after "${prefix}" (state ${grammar.states[state].name})`;
      const reason =
        state === grammar.accept
          ? `the string should end after "${prefix}" but continues with "${text[i]}"`
          : `${where} expected ${expected(out[state])}, got "${text[i]}"`;
      return { valid: false, position: i, char: text[i], reason };
    }
    state = target;
  }
  if (state === grammar.accept) return { valid: true };
  const reason = text.length === 0 ? "the string is empty" : `the string stops after "${text}" in state ${grammar.states[state].name}; expected ${expected(out[state])} next`;
  return { valid: false, position: text.length, char: "", reason };
}

function expected(transitions: readonly Transition[]): string {
  return transitions.map((t) => `"${t.symbol}"`).join(" or ");
}

/** Validate a string against the Reber (default) or embedded Reber grammar. */
export function isReber(text: string, grammar: GrammarName = "reber"): Verdict {
  return check(text, grammarByName(grammar));
}

/**
 * Whether two automata accept a common string: reachability in the product
 * automaton. Used to prove that a relabelling only spells invalid strings.
 */
export function languagesIntersect(a: Grammar, b: Grammar): boolean {
  const ca = compile(a);
  const cb = compile(b);
  const seen = new Uint8Array(ca.stateCount * cb.stateCount);
  const stack = [a.start * cb.stateCount + b.start];
  seen[stack[0]] = 1;
  while (stack.length > 0) {
    const pair = stack.pop()!;
    const sa = Math.floor(pair / cb.stateCount);
    const sb = pair % cb.stateCount;
    if (sa === a.accept && sb === b.accept) return true;
    for (const t of ca.out[sa]) {
      const tb = cb.next[sb * 128 + t.symbol.charCodeAt(0)];
      if (tb < 0) continue;
      const key = t.to * cb.stateCount + tb;
      if (!seen[key]) {
        seen[key] = 1;
        stack.push(key);
      }
    }
  }
  return false;
}
