/**
 * Parameters from outside (papermill's convention): `-p NAME VALUE` and PARAMS inject a cell tagged
 * `injected-parameters` after the `parameters` cell, recorded in the executed notebook's metadata; a name the
 * parameters cell does not declare, or a value of the wrong type, fails before any kernel starts; a run with
 * parameters never writes back to the notebook. Plus the parameter checker itself (environment/notebook-parameters.ts).
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { injectParameters } from "../../environment/notebook-parameters";
import { runNotebooks } from "./run-notebook";

const FIXTURE = path.join(__dirname, "fixtures", "parameters.ipynb");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-parameters-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A copy of the fixture (the runner may be asked to write back to it). */
function fixtureCopy(name = "parameters"): string {
  const file = path.join(work, `${name}.ipynb`);
  fs.copyFileSync(FIXTURE, file);
  return file;
}

test("-p and PARAMS inject a cell after the parameters cell, recorded in the metadata; the notebook is not written back", { timeout: 240_000 }, async () => {
  const notebook = fixtureCopy();
  const before = fs.readFileSync(notebook, "utf8");
  const out = path.join(work, "out");
  const marker = path.join(work, "ran-1");
  const { code, output } = await runNotebooks([notebook], {
    args: ["--out", out, "--write-back", "-p", "levels", "[30,60,90]", "-p", "variant", "LSTM", "-p", "workers", "2"],
    env: { PARAMS: JSON.stringify({ parameters: { overrides: { scope: "layer" }, tolerance: 0.1 } }), SPARSE_RNN_TEST_MARKER: marker },
  });
  assert.equal(code, 0, output);
  assert.match(output, /kept parameters\.ipynb: not written back \(run with injected parameters: not the committed configuration\)/);
  assert.match(output, /ok {3}parameters\.ipynb \(4 cells, .*parameters \{"overrides": \{"scope": "layer"\}, "tolerance": 0\.1, "levels": \[30, 60, 90\], "variant": "LSTM", "workers": 2\}\)/);
  assert.equal(fs.readFileSync(notebook, "utf8"), before, "the notebook itself is untouched");

  const executed = JSON.parse(fs.readFileSync(path.join(out, "notebooks", "parameters.ipynb"), "utf8"));
  const tags = executed.cells.map((c: any) => c.metadata?.tags ?? []);
  assert.deepEqual(tags.slice(0, 3), [[], ["parameters"], ["injected-parameters"]], "the injected cell follows the parameters cell");
  const injected = executed.cells[2].source.join("");
  assert.equal(injected, [
    "// Parameters injected by the notebook runner (-p NAME VALUE / PARAMS); they replace the defaults above.",
    'const overrides: {} = {"scope":"layer"};',
    "const tolerance: number = 0.1;",
    "const levels: number[] = [30,60,90];",
    'const variant: string = "LSTM";',
    "const workers: number | null = 2;",
  ].join("\n"));
  assert.deepEqual({ parameters: executed.metadata.sparse_rnn.parameters, parameters_from: executed.metadata.sparse_rnn.parameters_from }, {
    parameters: { overrides: { scope: "layer" }, tolerance: 0.1, levels: [30, 60, 90], variant: "LSTM", workers: 2 },
    parameters_from: ["PARAMS", "-p"],
  });
  const printed = executed.cells[3].outputs.map((o: any) => o.text?.join?.("") ?? o.text ?? "").join("");
  assert.equal(printed.trim(), JSON.stringify({ levels: [0.3, 0.6, 0.9], variant: "LSTM", threads: 2, overrides: { scope: "layer" }, tolerance: 0.1 }));
  assert.ok(fs.existsSync(marker));
  assert.match(fs.readFileSync(path.join(out, "html", "parameters.html"), "utf8"), /<title>Parameters fixture<\/title>/, "the offline page is titled after the notebook");
});

test("an unknown parameter fails before any kernel starts, naming the nearest valid one", { timeout: 60_000 }, async () => {
  const notebook = fixtureCopy("misspelt");
  const marker = path.join(work, "ran-2");
  const started = Date.now();
  const { code, output } = await runNotebooks([notebook], { args: ["-p", "level", "[33,66]"], env: { SPARSE_RNN_TEST_MARKER: marker } });
  assert.equal(code, 1, output);
  assert.match(output, /FAIL .*misspelt\.ipynb: parameters refused \(no kernel started\):\n {2}- unknown parameter "level"; did you mean "levels"\? \(the parameters cell declares: profile, levels, variant, workers, overrides, tolerance, marker\)/);
  assert.ok(!fs.existsSync(marker), "no cell ran");
  assert.doesNotMatch(output, /^ok /m);
  assert.ok(Date.now() - started < 30_000, "refused without starting a kernel");
});

test("a value of the wrong type fails before any kernel starts, naming the parameter and the value", { timeout: 60_000 }, async () => {
  const notebook = fixtureCopy("wrong-type");
  const marker = path.join(work, "ran-3");
  const { code, output } = await runNotebooks([notebook], {
    args: ["-p", "tolerance", '"five percent"'],
    env: { PARAMS: JSON.stringify({ "wrong-type": { levels: ["30"] } }), SPARSE_RNN_TEST_MARKER: marker },
  });
  assert.equal(code, 1, output);
  assert.match(output, /- parameter "levels" = \["30"\] does not fit its declared type number\[\]: Type 'string' is not assignable to type 'number'/);
  assert.match(output, /- parameter "tolerance" = "five percent" does not fit its declared type number/);
  assert.ok(!fs.existsSync(marker));
});

test("bad parameter arguments are refused with what to do", { timeout: 60_000 }, async () => {
  const notebook = fixtureCopy("bad-args");
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [["-p", "levels", "[30,60"], {}, /-p levels \[30,60: not a JSON value .*strings as '"text"'/],
    [[], { PARAMS: "{levels: 3}" }, /PARAMS is not JSON/],
    [[], { PARAMS: JSON.stringify({ "03-prunnig": { levels: [1] } }) }, /PARAMS has parameters for notebook '03-prunnig', which this run does not include \(did you mean 'bad-args'\?\)/],
    [["-p", "profile", "thesis"], {}, /parameter 'profile' for bad-args: the profile is chosen by PROFILE=/],
    [["--check-committed", "-p", "levels", "[1]"], {}, /--check-committed compares a run of the committed configuration; it cannot take parameters/],
  ];
  for (const [args, env, message] of cases) {
    const { code, output } = await runNotebooks([notebook], { args, env });
    assert.notEqual(code, 0, output);
    assert.match(output, message);
  }
});

test("the checker redeclares each parameter with its declared type, literals widened", () => {
  const source = [
    'const profile = "quick";',
    "let epochs = 3;",
    'const kinds = ["both", "h2h"] as const;',
    "const byProfile = { quick: 2, thesis: 50 };",
    'const loss = "linear" as const;',
    "const files: string[] = [];",
    "const depth = Infinity;",
  ].join("\n");
  const answer = injectParameters({ source, dir: __dirname, values: { epochs: 5, byProfile: { quick: 1, thesis: 2 }, files: ["a.csv"], depth: 4, kinds: ["i2h"], loss: "square" } });
  assert.deepEqual(answer.names, ["profile", "epochs", "kinds", "byProfile", "loss", "files", "depth"]);
  assert.deepEqual(answer.types, { epochs: "number", kinds: "readonly ['both', 'h2h']", byProfile: "{ quick: number; thesis: number; }", loss: "'linear'", files: "string[]", depth: "number" });
  assert.equal(answer.problems.length, 2, answer.problems.join("\n"));
  assert.match(answer.problems[0], /parameter "kinds" = \["i2h"\] does not fit its declared type readonly \['both', 'h2h'\]/);
  assert.match(answer.problems[1], /parameter "loss" = "square" does not fit its declared type 'linear'/);
  assert.match(answer.cell, /^let epochs: number = 5;$/m);
});
