/**
 * The bench scripts' command lines are hard to misuse: --help answers with the
 * usage and exit code 0; an unknown option, a bad value or (for the hours-long
 * sweep) no arguments at all are refused with exit code 2 and a
 * message naming the option, the value and what is allowed — before any work.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "child_process";
import * as path from "path";
import { CliExit, parseCliArgs, usage, type CliSpec, type OptionSpec } from "../../bench/cli";

const ROOT = path.resolve(__dirname, "..", "..");

// --- the parser ----------------------------------------------------------------

const SPEC = {
  script: "bench/example.ts",
  summary: "An example.",
  options: {
    batches: { type: "number", integer: true, ge: 1, description: "batches to time" },
    tolerance: { type: "number", gt: 0, lt: 1, default: 0.05, description: "tolerance" },
    modes: { type: "list", choices: ["GRU", "LSTM"], default: ["GRU"], description: "modes" },
    densities: { type: "numbers", gt: 0, le: 1, default: [1, 0.5], description: "densities" },
    profile: { type: "string", choices: ["quick", "thesis"], default: "quick", description: "profile" },
    "no-torch": { type: "flag", description: "skip torch" },
    out: { type: "string", valueName: "file", default: "x.json", description: "output" },
  },
} as const satisfies CliSpec<Record<string, OptionSpec>>;

function refusal(argv: string[], spec: CliSpec<Record<string, OptionSpec>> = SPEC): CliExit {
  try {
    parseCliArgs(spec, argv);
  } catch (error) {
    if (error instanceof CliExit) return error;
    throw error;
  }
  assert.fail(`accepted ${JSON.stringify(argv)}`);
}

test("parseCliArgs: defaults, values of every type, --flag=value forms", () => {
  assert.deepEqual(parseCliArgs(SPEC, []), { batches: undefined, tolerance: 0.05, modes: ["GRU"], densities: [1, 0.5], profile: "quick", "no-torch": false, out: "x.json" });
  const args = parseCliArgs(SPEC, ["--batches", "40", "--tolerance=0.1", "--modes", "LSTM,GRU", "--densities", "0.3, 0.1", "--profile", "thesis", "--no-torch", "--out", "y.json"]);
  assert.deepEqual(args, { batches: 40, tolerance: 0.1, modes: ["LSTM", "GRU"], densities: [0.3, 0.1], profile: "thesis", "no-torch": true, out: "y.json" });
  const modes: Array<"GRU" | "LSTM"> = args.modes; // typed from the choices
  assert.equal(modes.length, 2);
});

test("parseCliArgs: bad input is refused with exit code 2, naming option, value and what is allowed", () => {
  const cases: Array<[string[], RegExp]> = [
    [["--bogus"], /unknown option --bogus; the options are --batches, --tolerance, .*--help/],
    [["stray"], /unexpected argument "stray"/],
    [["--batches", "abc"], /--batches "abc": not a number; expected an integer ≥ 1/],
    [["--batches", "2.5"], /--batches "2\.5": not an integer; expected an integer ≥ 1/],
    [["--batches", "0"], /--batches "0": out of range; expected an integer ≥ 1/],
    [["--batches", ""], /--batches "": not a number/],
    [["--batches"], /--batches needs a value: integer ≥ 1/],
    [["--tolerance", "1"], /--tolerance "1": out of range; expected a number > 0 and < 1/],
    [["--modes", "GRU,RNN"], /--modes "GRU,RNN": "RNN" is not one of GRU, LSTM/],
    [["--modes", "GRU,,LSTM"], /--modes "GRU,,LSTM": empty element/],
    [["--densities", "0.5,0"], /--densities "0\.5,0": element "0": out of range; expected a number > 0 and ≤ 1/],
    [["--profile", "nonsense"], /--profile "nonsense": expected one of quick, thesis/],
    [["--no-torch=yes"], /--no-torch is a flag and takes no value/],
  ];
  for (const [argv, message] of cases) {
    const exit = refusal(argv);
    assert.equal(exit.code, 2, argv.join(" "));
    assert.match(exit.message, message, argv.join(" "));
    assert.match(exit.message, /^bench\/example\.ts: /);
  }
});

test("parseCliArgs: required options; no arguments at all print the usage", () => {
  const spec = { ...SPEC, options: { ...SPEC.options, profile: { type: "string", choices: ["quick", "thesis"], required: true, description: "profile" } } } satisfies CliSpec<Record<string, OptionSpec>>;
  const none = refusal([], spec);
  assert.equal(none.code, 2);
  assert.match(none.message, /--profile must be given\n\nUsage: node --import tsx bench\/example\.ts --profile <quick\|thesis> \[options\]/);
  assert.match(refusal(["--batches", "3"], spec).message, /--profile must be given \(one of: quick, thesis\)/);
  assert.equal(parseCliArgs(spec, ["--profile", "thesis"]).profile, "thesis");
});

test("--help: exit code 0 and a usage text with each option's type, allowed values and default", () => {
  const help = refusal(["--modes", "nonsense", "--help"]);
  assert.equal(help.code, 0);
  assert.equal(help.message, usage(SPEC));
  const text = help.message;
  assert.match(text, /^Usage: node --import tsx bench\/example\.ts \[options\]\n\nAn example\.\n\nOptions:\n/);
  assert.match(text, /--batches <integer> +batches to time\n +integer ≥ 1; default: none\n/);
  assert.match(text, /--tolerance <number> +tolerance\n +number > 0 and < 1; default: 0\.05\n/);
  assert.match(text, /--modes <a,b,…> +modes\n +comma-separated list, each one of: GRU, LSTM; default: GRU\n/);
  assert.match(text, /--densities <a,b,…> +densities\n +comma-separated list of numbers > 0 and ≤ 1; default: 1,0\.5\n/);
  assert.match(text, /--profile <quick\|thesis> +profile\n +one of: quick, thesis; default: quick\n/);
  assert.match(text, /--no-torch +skip torch\n +flag \(no value\); default: off\n/);
  assert.match(text, /--out <file> +output\n +text; default: x\.json\n/);
  assert.match(text, /-h, --help +show this help and exit\n$/);
});

// --- the scripts -----------------------------------------------------------------

type Run = { code: number | null; stdout: string; stderr: string; ms: number };

function runScript(script: string, args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    // a script that got past its argument check would start real work: the timeout kills it and the test fails
    execFile(process.execPath, ["--import", "tsx", path.join("bench", script), ...args], { cwd: ROOT, timeout: 60_000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code as number | null) ?? null : 0;
      resolve({ code: typeof code === "number" ? code : null, stdout, stderr, ms: Date.now() - started });
    });
  });
}

type ScriptCase = { script: string; unknown: string[]; bad: string[]; badMessage: RegExp; needsArguments?: boolean };

const SCRIPTS: ScriptCase[] = [
  { script: "engine.ts", unknown: ["--no-such-flag"], bad: ["--layouts", "weird"], badMessage: /--layouts "weird": "weird" is not one of auto, rows, columns/ },
  { script: "kernels.ts", unknown: ["--fast"], bad: ["now"], badMessage: /unexpected argument "now"; this script takes no options but --help/ },
  { script: "sparse.ts", unknown: ["--density", "0.5"], bad: ["--densities", "0.5,1.5"], badMessage: /--densities "0\.5,1\.5": element "1\.5": out of range; expected a number > 0 and ≤ 1/ },
  { script: "regressors.ts", unknown: ["--python", "python3"], bad: ["gru.csv"], badMessage: /unexpected argument "gru\.csv"; this script takes no options but --help/ },
  { script: "structure.ts", unknown: ["--fast"], bad: ["--masking", "never"], badMessage: /--masking "never": "never" is not one of per-step, per-sequence/ },
  { script: "sparsity-timing.ts", unknown: ["--profile", "quick", "--seeds", "2"], bad: ["--profile", "quick", "--tasks", "dyck"], badMessage: /--tasks "dyck": "dyck" is not one of reber, embedded/, needsArguments: true },
  { script: "sweep.ts", unknown: ["--profile", "quick", "--graphs", "3"], bad: ["--profile", "nonsense"], badMessage: /--profile "nonsense": expected one of quick, thesis/, needsArguments: true },
  { script: "structure-study.ts", unknown: ["--profile", "quick", "--seeds", "3"], bad: ["--profile", "quick", "--graphs", "0"], badMessage: /--graphs "0": out of range; expected an integer ≥ 1 and ≤ 50/, needsArguments: true },
];

for (const c of SCRIPTS) {
  test(`bench/${c.script}: --help, an unknown option, a bad value${c.needsArguments ? ", no arguments" : ""}`, { timeout: 300_000 }, async () => {
    const help = await runScript(c.script, ["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: node --import tsx bench/${c.script.replace(".", "\\.")} `));
    assert.match(help.stdout, /\nOptions:\n[^]*-h, --help +show this help and exit\n$/);
    assert.equal(help.stderr, "");

    const unknown = await runScript(c.script, c.unknown);
    assert.equal(unknown.code, 2, unknown.stdout + unknown.stderr);
    const flag = c.unknown.find((a) => a.startsWith("--") && !["--profile", "--variants"].includes(a))!;
    assert.match(unknown.stderr, new RegExp(`^bench/${c.script.replace(".", "\\.")}: unknown option ${flag}; `));
    assert.equal(unknown.stdout, "", "no work started");

    const bad = await runScript(c.script, c.bad);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, c.badMessage);
    assert.equal(bad.stdout, "", "no work started");

    if (c.needsArguments) {
      const none = await runScript(c.script, []);
      assert.equal(none.code, 2, none.stdout + none.stderr);
      assert.match(none.stderr, /must be given\n\nUsage: node --import tsx bench\//);
      assert.match(none.stderr, /--profile <[a-z|]*thesis>/);
      assert.equal(none.stdout, "", "no work started");
    }
  });
}
