/**
 * The bench scripts' command lines: Node's util.parseArgs plus what it lacks.
 *
 *   const args = parseCli({ script: "bench/x.ts", summary: "…", options: {
 *     batches: { type: "number", integer: true, ge: 1, description: "…" },
 *     modes: { type: "list", choices: CELL_MODES, default: [...CELL_MODES], description: "…" },
 *   } });
 *
 * - --help (-h) prints the usage (summary, and each option with its type, allowed
 *   values and default) and exits 0;
 * - an unknown option, a missing or bad value, a stray argument: a message naming
 *   the option, the value and what is allowed, on stderr, exit code 2;
 * - numbers must parse completely and lie in range (gt/ge/lt/le; integer);
 *   lists are comma-separated and checked element by element;
 * - `required` options must be given; with no arguments at all, a script with
 *   required options prints its usage on stderr and exits 2.
 * Everything is checked before the script does any work.
 */
import { parseArgs } from "util";

type Range = { integer?: boolean; gt?: number; ge?: number; lt?: number; le?: number };
type Common = { description: string; required?: boolean; /** shown as the default when `default` is absent or computed */ defaultText?: string };
export type FlagOption = Common & { type: "flag" };
export type StringOption = Common & { type: "string"; choices?: readonly string[]; default?: string; valueName?: string };
export type NumberOption = Common & Range & { type: "number"; default?: number };
export type ListOption = Common & { type: "list"; choices?: readonly string[]; default?: readonly string[] };
export type NumberListOption = Common & Range & { type: "numbers"; default?: readonly number[] };
export type OptionSpec = FlagOption | StringOption | NumberOption | ListOption | NumberListOption;

export type CliSpec<O extends Record<string, OptionSpec>> = {
  /** how the script is named in messages, e.g. "bench/sweep.ts" */
  script: string;
  /** what the script does (a few lines) */
  summary: string;
  options: O;
};

type Raw<O> = O extends { type: "flag" }
  ? boolean
  : O extends { type: "string"; choices: readonly (infer C)[] }
    ? C
    : O extends { type: "string" }
      ? string
      : O extends { type: "number" }
        ? number
        : O extends { type: "list"; choices: readonly (infer C)[] }
          ? C[]
          : O extends { type: "list" }
            ? string[]
            : number[];
type Always<O> = O extends { type: "flag" } ? true : O extends { required: true } ? true : O extends { default: unknown } ? true : false;
/** The parsed values: options with a default, required options and flags always have one. */
export type CliValues<O extends Record<string, OptionSpec>> = { [K in keyof O]: Always<O[K]> extends true ? Raw<O[K]> : Raw<O[K]> | undefined };

/** A rejected command line: `message` for stderr, exit code 2 (0 and the usage for --help). */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Parse and check `argv`; throws CliExit for --help and for bad input. */
export function parseCliArgs<const O extends Record<string, OptionSpec>>(spec: CliSpec<O>, argv: readonly string[]): CliValues<O> {
  const fail = (message: string) => new CliExit(`${spec.script}: ${message}\nRun with --help for the options.`, 2);
  if (argv.includes("--help") || argv.includes("-h")) throw new CliExit(usage(spec), 0);
  const required = Object.keys(spec.options).filter((name) => spec.options[name].required);
  if (argv.length === 0 && required.length > 0) {
    throw new CliExit(`${spec.script}: ${required.map((n) => `--${n}`).join(" and ")} must be given\n\n${usage(spec)}`, 2);
  }
  const config = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type === "flag" ? ("boolean" as const) : ("string" as const) }]));
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw fail(explainParseError(error as Error & { code?: string }, spec, argv));
  }
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = parsed[name];
    if (given === undefined) {
      if (option.required) throw fail(`--${name} must be given (${valueDescription(option)})`);
      values[name] = option.type === "flag" ? false : option.default === undefined ? undefined : Array.isArray(option.default) ? [...option.default] : option.default;
      continue;
    }
    if (option.type === "flag") {
      values[name] = true;
      continue;
    }
    const text = given as string;
    const bad = (why: string) => fail(`--${name} ${JSON.stringify(text)}: ${why}`);
    switch (option.type) {
      case "string":
        if (option.choices && !option.choices.includes(text)) throw bad(`expected one of ${option.choices.join(", ")}`);
        if (text === "") throw bad("expected a non-empty value");
        values[name] = text;
        break;
      case "number": {
        const problem = numberProblem(text, option);
        if (problem) throw bad(problem);
        values[name] = Number(text);
        break;
      }
      case "list":
      case "numbers": {
        const items = text.split(",").map((item) => item.trim());
        const parsedItems: Array<string | number> = [];
        for (const item of items) {
          if (item === "") throw bad(`empty element; expected a ${valueDescription(option)}`);
          if (option.type === "list") {
            if (option.choices && !option.choices.includes(item)) throw bad(`${JSON.stringify(item)} is not one of ${option.choices.join(", ")}`);
            parsedItems.push(item);
          } else {
            const problem = numberProblem(item, option);
            if (problem) throw bad(`element ${JSON.stringify(item)}: ${problem}`);
            parsedItems.push(Number(item));
          }
        }
        values[name] = parsedItems;
        break;
      }
    }
  }
  return values as CliValues<O>;
}

/**
 * parseCliArgs on process.argv: prints the usage and exits 0 for --help; prints
 * the message and exits 2 for bad input.
 */
export function parseCli<const O extends Record<string, OptionSpec>>(spec: CliSpec<O>, argv: readonly string[] = process.argv.slice(2)): CliValues<O> {
  try {
    return parseCliArgs(spec, argv);
  } catch (error) {
    if (!(error instanceof CliExit)) throw error;
    (error.code === 0 ? process.stdout : process.stderr).write(error.message.endsWith("\n") ? error.message : `${error.message}\n`);
    process.exit(error.code);
  }
}

/** The usage text: command line, summary, and each option with type, allowed values and default. */
export function usage<O extends Record<string, OptionSpec>>(spec: CliSpec<O>): string {
  const entries = Object.entries(spec.options);
  const required = entries.flatMap(([name, o]) => (o.required && o.type !== "flag" ? [`--${name} ${placeholder(name, o)}`] : []));
  const lines = [`Usage: node --import tsx ${spec.script} ${[...required, "[options]"].join(" ")}`, "", spec.summary.trim(), "", "Options:"];
  const rows: Array<[string, string[]]> = entries.map(([name, option]) => {
    const head = option.type === "flag" ? `--${name}` : `--${name} ${placeholder(name, option)}`;
    const type = valueDescription(option);
    const fallback = option.required ? "required" : `default: ${defaultText(option)}`;
    const details = type.length + fallback.length > 70 ? [option.description, type, fallback] : [option.description, `${type}; ${fallback}`];
    return [head, details];
  });
  rows.push(["-h, --help", ["show this help and exit"]]);
  const width = Math.min(30, Math.max(...rows.map(([head]) => head.length)) + 2);
  for (const [head, details] of rows) {
    const first = head.length + 2 > width ? [`  ${head}`, " ".repeat(width + 2) + details[0]] : [`  ${head.padEnd(width)}${details[0]}`];
    lines.push(...first, ...details.slice(1).map((d) => " ".repeat(width + 2) + d));
  }
  return lines.join("\n") + "\n";
}

function placeholder(name: string, option: Exclude<OptionSpec, FlagOption>): string {
  if (option.type === "string" && option.valueName) return `<${option.valueName}>`;
  if (option.type === "string" && option.choices) return `<${option.choices.join("|")}>`;
  if (option.type === "number") return option.integer ? "<integer>" : "<number>";
  if (option.type === "list" || option.type === "numbers") return "<a,b,…>";
  return `<${name}>`;
}

function rangeText(r: Range): string {
  const parts = [r.gt !== undefined && `> ${r.gt}`, r.ge !== undefined && `≥ ${r.ge}`, r.lt !== undefined && `< ${r.lt}`, r.le !== undefined && `≤ ${r.le}`].filter(Boolean);
  return parts.length ? ` ${parts.join(" and ")}` : "";
}

/** The option's type and allowed values, e.g. "integer ≥ 1", "comma-separated list, each one of: GRU, LSTM". */
function valueDescription(option: OptionSpec): string {
  switch (option.type) {
    case "flag":
      return "flag (no value)";
    case "string":
      return option.choices ? `one of: ${option.choices.join(", ")}` : "text";
    case "list":
      return option.choices ? `comma-separated list, each one of: ${option.choices.join(", ")}` : "comma-separated list";
    case "number":
      return `${option.integer ? "integer" : "number"}${rangeText(option)}`;
    case "numbers":
      return `comma-separated list of ${option.integer ? "integers" : "numbers"}${rangeText(option)}`;
  }
}

function defaultText(option: OptionSpec): string {
  if (option.defaultText !== undefined) return option.defaultText;
  if (option.type === "flag") return "off";
  const value = option.default;
  if (value === undefined) return "none";
  return Array.isArray(value) ? value.join(",") : String(value);
}

function numberProblem(text: string, option: Range): string | undefined {
  const value = text.trim() === "" ? NaN : Number(text);
  const expected = `expected ${option.integer ? "an integer" : "a number"}${rangeText(option)}`;
  if (!Number.isFinite(value)) return `not a number; ${expected}`;
  if (option.integer && !Number.isInteger(value)) return `not an integer; ${expected}`;
  if ((option.gt !== undefined && !(value > option.gt)) || (option.ge !== undefined && !(value >= option.ge)) || (option.lt !== undefined && !(value < option.lt)) || (option.le !== undefined && !(value <= option.le))) {
    return `out of range; ${expected}`;
  }
  return undefined;
}

/** util.parseArgs' errors, reworded to name the option and what it accepts. */
function explainParseError(error: Error & { code?: string }, spec: CliSpec<Record<string, OptionSpec>>, argv: readonly string[]): string {
  const names = Object.keys(spec.options).map((n) => `--${n}`);
  const known = names.length ? `the options are ${[...names, "--help"].join(", ")}` : "this script takes no options but --help";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const option = error.message.match(/'([^']+)'/)?.[1] ?? "?";
      return `unknown option ${option}; ${known}`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const value = error.message.match(/'([^']+)'/)?.[1] ?? "?";
      return `unexpected argument ${JSON.stringify(value)}; ${known}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = (error.message.match(/'--?([^' ]+)/)?.[1] ?? "").replace(/=.*$/, "");
      const option = spec.options[name];
      if (option?.type === "flag") return `--${name} is a flag and takes no value (given: ${argv.find((a) => a.startsWith(`--${name}=`)) ?? "?"})`;
      if (option) return `--${name} needs a value: ${valueDescription(option)} (a value starting with "-" goes as --${name}=<value>)`;
      return error.message;
    }
    default:
      return error.message;
  }
}
