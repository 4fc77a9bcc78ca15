/**
 * Settings checked before any work: every protocol describes its settings object
 * with a small schema and `checkSettings` rejects unknown keys (suggesting the
 * nearest valid one), missing keys, wrong types and values out of range — naming
 * the key path, the value and where the settings came from.
 *
 *   checkSettings(settings, { epochs: integer({ min: 1 }), lr: number({ above: 0 }) }, "PruningSettings")
 */

export interface Rule {
  /** an error message for `value`, or undefined when it is fine */
  check(value: unknown, at: string): string | undefined;
  optional?: boolean;
}

export type Schema = Readonly<Record<string, Rule>>;

/** A value as an error message shows it: strings and arrays as JSON, numbers as themselves (NaN stays NaN, not JSON's null). */
export const showValue = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(value) : String(value));

/** A finite number within bounds (`above`/`below` exclusive, `min`/`max` inclusive). */
export function number(bounds: { min?: number; max?: number; above?: number; below?: number } = {}): Rule {
  return {
    check(value, at) {
      if (typeof value !== "number" || !Number.isFinite(value)) return `${at} must be a finite number, got ${showValue(value)}`;
      if (bounds.min !== undefined && value < bounds.min) return `${at} must be ≥ ${bounds.min}, got ${value}`;
      if (bounds.max !== undefined && value > bounds.max) return `${at} must be ≤ ${bounds.max}, got ${value}`;
      if (bounds.above !== undefined && !(value > bounds.above)) return `${at} must be > ${bounds.above}, got ${value}`;
      if (bounds.below !== undefined && !(value < bounds.below)) return `${at} must be < ${bounds.below}, got ${value}`;
      return undefined;
    },
  };
}

/** An integer within inclusive bounds. */
export function integer(bounds: { min?: number; max?: number } = {}): Rule {
  const inRange = number(bounds);
  return {
    check(value, at) {
      if (typeof value !== "number" || !Number.isInteger(value)) return `${at} must be an integer, got ${showValue(value)}`;
      return inRange.check(value, at);
    },
  };
}

/** One of the listed values. */
export function oneOf<T extends string | number | boolean>(values: readonly T[]): Rule {
  return {
    check(value, at) {
      if ((values as readonly unknown[]).includes(value)) return undefined;
      const hint = typeof value === "string" ? nearest(value, values.map(String)) : undefined;
      return `${at} must be one of ${values.map(showValue).join(", ")}, got ${showValue(value)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`;
    },
  };
}

/** A non-empty string. */
export function text(): Rule {
  return { check: (value, at) => (typeof value === "string" && value !== "" ? undefined : `${at} must be a non-empty string, got ${showValue(value)}`) };
}

/** An array whose every element passes `of`; `unique` refuses repeats. */
export function list(of: Rule, options: { minLength?: number; maxLength?: number; unique?: boolean } = {}): Rule {
  return {
    check(value, at) {
      if (!Array.isArray(value)) return `${at} must be a list, got ${showValue(value)}`;
      if (options.minLength !== undefined && value.length < options.minLength) return `${at} must hold at least ${options.minLength} value(s), got ${value.length}`;
      if (options.maxLength !== undefined && value.length > options.maxLength) return `${at} must hold at most ${options.maxLength} values, got ${value.length}`;
      for (let i = 0; i < value.length; i++) {
        const error = of.check(value[i], `${at}[${i}]`);
        if (error) return error;
      }
      if (options.unique && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return `${at} holds a value twice: ${showValue(value)}`;
      return undefined;
    },
  };
}

/** A nested settings object. */
export function object(schema: Schema): Rule {
  return { check: (value, at) => problems(value, schema, at)[0] };
}

/** `rule`, or absent (undefined). */
export function optional(rule: Rule): Rule {
  return { check: rule.check, optional: true };
}

function problems(value: unknown, schema: Schema, at: string): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [`${at} must be an object, got ${showValue(value)}`];
  const given = value as Record<string, unknown>;
  const keys = Object.keys(schema);
  const out: string[] = [];
  for (const key of Object.keys(given)) {
    if (!(key in schema)) {
      const hint = nearest(key, keys);
      out.push(`${at}: unknown setting ${JSON.stringify(key)}${hint ? `; did you mean ${JSON.stringify(hint)}?` : ""} (valid: ${keys.join(", ")})`);
    }
  }
  for (const key of keys) {
    const rule = schema[key];
    if (given[key] === undefined) {
      if (!rule.optional) out.push(`${at}.${key} is missing`);
      continue;
    }
    const error = rule.check(given[key], `${at}.${key}`);
    if (error) out.push(error);
  }
  return out;
}

/** Throw one error listing every problem of `value` against `schema`; `where` names the settings and their source. */
export function checkSettings(value: unknown, schema: Schema, where: string): void {
  const found = problems(value, schema, where);
  if (found.length === 1) throw new Error(found[0]);
  if (found.length > 1) throw new Error(`${found.length} problems in ${where}:\n  ${found.join("\n  ")}`);
}

/** The candidate closest to `word` by edit distance, when close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
