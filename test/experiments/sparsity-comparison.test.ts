/**
 * The sparse-training comparison protocol: settings refused before any work (naming the value and where
 * it came from), the plan, one budget for every network, the cache (a rerun reads, same seed → the same
 * bits), the rows' CSV round trip.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  checkSparsitySettings, planSparsityComparison, sparsityIdentityOf, sparsityRowCount, readSparsityCsv, runSparsityComparison, sparsityCsv, sparsityData, sparsityIdentity,
  sparsityNumerics, sparsitySettings, SPARSITY_COLUMNS, SPARSITY_METHODS, SPARSITY_TASKS, type SparsityComparisonSettings, type SparsityRow,
} from "../../src/experiments/sparsity-comparison";
import { InProcessExecutor } from "../../src/experiments/executor";
import { sparsityRow } from "./sparsity-rows";

const tiny: SparsityComparisonSettings = {
  ...sparsitySettings("quick"), variants: ["GRU"], tasks: ["reber"], seeds: [1], densities: [0.5, 0.1], layers: [6],
  datasetSize: 80, testSize: 20, epochs: 2, denseEpochs: 1, rampEpochs: 1, gradualIntervals: 2, rewindEpoch: 1, batchSize: 16, updateEvery: 2,
};

test("the profiles pass their own checks; bad settings are refused naming the value and where they came from", () => {
  for (const profile of ["quick", "thesis"] as const) checkSparsitySettings(sparsitySettings(profile), profile);
  const refused = (change: Partial<SparsityComparisonSettings>, pattern: RegExp) =>
    assert.throws(() => checkSparsitySettings({ ...tiny, ...change } as SparsityComparisonSettings, "notebook 06 overrides"), pattern);
  refused({ densities: [0.1, 0.5] }, /notebook 06 overrides\.densities must be descending .*\[0\.1,0\.5\]/);
  refused({ methods: ["rigl", "snipp" as never] }, /notebook 06 overrides\.methods\[1\] must be one of .* got "snipp" \(did you mean "snip"\?\)/);
  refused({ densities: [1, 0.5] }, /densities\[0\] must be < 1, got 1/);
  refused({ denseEpochs: 2 }, /denseEpochs must be < epochs \(2\)/);
  refused({ rampEpochs: 2 }, /rampEpochs must be ≤ epochs − denseEpochs \(1\), got 2/);
  refused({ layers: [6, 8] }, /layers must all be of one size for the graph methods/);
  refused({ tasks: ["reber", "dyck" as never] }, /tasks\[1\] must be one of "reber", "embedded"/);
  assert.throws(() => checkSparsitySettings({ ...tiny, epoch: 3 } as never, "x"), /unknown setting "epoch"; did you mean "epochs"\?/);
  checkSparsitySettings({ ...tiny, layers: [6, 8], methods: ["set"] }, "unequal layers without graph methods");
});

test("the plan: the dense references first, then every method; the dense-to-sparse ones (and lottery chains) wait for theirs", () => {
  const plan = planSparsityComparison({ ...tiny, tasks: ["reber", "embedded"], seeds: [1, 2] }, "/cache");
  assert.equal(plan.length, 2 * 2 * (1 + SPARSITY_METHODS.length));
  assert.ok(plan.slice(0, 4).every((p) => p.task.method === "dense"));
  assert.equal(plan.filter((p) => p.task.method === "dense").length, 4);
  const gradual = plan.find((p) => p.key === "GRU/embedded/2/gradual")!;
  assert.equal(gradual.after, "GRU/embedded/2/dense");
  assert.equal(plan.find((p) => p.key === "GRU/embedded/2/rigl")!.after, undefined);
  assert.equal(gradual.task.snapshots, path.join("/cache", "dense", "GRU-embedded-2"));
  assert.equal(new Set(plan.map((p) => p.key)).size, plan.length, "keys unique");
});

test("the identity: settings, both tasks' data and the numerics — not which variants, tasks, methods or seeds run", () => {
  const data = Object.fromEntries(SPARSITY_TASKS.map((t) => [t, sparsityData(tiny, t)])) as Parameters<typeof sparsityIdentity>[1];
  const numerics = sparsityNumerics(tiny);
  const id = sparsityIdentity(tiny, data, numerics);
  assert.deepEqual(sparsityIdentity({ ...tiny, variants: ["LSTM"], methods: ["snip"], seeds: [7], tasks: ["embedded"] }, data, numerics), id);
  assert.notDeepEqual(sparsityIdentity({ ...tiny, epochs: 3 }, data, numerics), id);
  assert.notDeepEqual(sparsityIdentity(tiny, { ...data, reber: { train: data.reber.train.slice(1), test: data.reber.test } }, numerics), id);
  assert.notDeepEqual(sparsityIdentity(tiny, data, { ...numerics, version: numerics.version + 1 }), id);
  assert.notDeepEqual(data.reber.train.map((s) => s.text), data.embedded.train.map((s) => s.text), "two tasks, two data sets");
  assert.deepEqual(sparsityIdentityOf(tiny).identity, id, "what the record names is what a run uses");
});

const withoutSeconds = (rows: readonly SparsityRow[]) => rows.map(({ seconds: _, ...r }) => r);

test("a run: every method at every density at one budget, resumable, the same bits from the same seed, CSV round trip", async () => {
  const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), "sparsity-a-")), fs.mkdtempSync(path.join(os.tmpdir(), "sparsity-b-"))];
  try {
    const executor = new InProcessExecutor({ workers: 0 });
    const settings = { ...tiny, variants: ["GRU", "RNN_TANH"] as SparsityComparisonSettings["variants"] };
    const first = await runSparsityComparison(settings, { cacheDir: dirs[0], executor });
    assert.equal(first.computed, 2 * (1 + SPARSITY_METHODS.length));
    assert.equal(first.rows.length, 2 * (1 + SPARSITY_METHODS.length * tiny.densities.length));
    assert.equal(sparsityRowCount(settings), first.rows.length);
    assert.deepEqual([...new Set(first.rows.map((r) => r.variant))], ["GRU", "RNN_TANH"]);
    assert.equal(sparsityRowCount(sparsitySettings("thesis")), 3 * 2 * 5 * (1 + 13 * 5), "the record: 1,980 rows");
    assert.ok(first.rows.every((r) => r.epochs === tiny.epochs), "one budget");
    assert.ok(first.rows.every((r) => r.test_acc >= 0 && r.test_acc <= 1 && Number.isFinite(r.test_loss)));
    const at = (method: string, density: number) => first.rows.find((r) => r.variant === "GRU" && r.method === method && r.density === density)!;
    assert.equal(at("dense", 1).kept, at("dense", 1).total);
    for (const method of ["lottery", "snip", "set", "rigl", "random-erk"]) {
      assert.equal(at(method, 0.1).kept, Math.round(0.1 * at(method, 0.1).total), `${method}: exactly the density`);
    }
    assert.equal(at("shuffled", 0.1).kept, at("one-shot", 0.1).kept, "shuffled keeps the one-shot mask's count");
    assert.ok(Math.abs(at("small-dense", 0.5).kept_fraction - 0.5) < 0.2, "small-dense: about as many weights");
    assert.deepEqual([at("lottery", 0.5).search_epochs, at("lottery", 0.1).search_epochs], [2, 4], "the dense run, then one more round");
    assert.deepEqual([at("lottery-late", 0.1).search_epochs, at("shuffled", 0.1).search_epochs], [3, 1]);
    assert.equal(at("one-shot", 0.5).start_degree_cv, at("dense", 1).start_degree_cv, "one-shot starts dense");
    assert.equal(at("snip", 0.1).start_degree_histogram, at("snip", 0.1).degree_histogram, "a fixed mask starts as it ends");
    assert.notEqual(at("set", 0.1).start_degree_histogram, at("set", 0.1).degree_histogram, "SET's mask moved");
    assert.equal(at("set", 0.1).start_degree_histogram, at("random-erk", 0.1).degree_histogram, "SET starts from the random ERK control's mask");

    const reread = await runSparsityComparison(settings, { cacheDir: dirs[0], executor });
    assert.equal(reread.computed, 0, "a rerun reads the cache");
    assert.deepEqual(reread.rows, first.rows);
    const again = await runSparsityComparison(settings, { cacheDir: dirs[1], executor });
    assert.equal(again.dir.replace(dirs[1], ""), first.dir.replace(dirs[0], ""), "same identity");
    assert.deepEqual(withoutSeconds(again.rows), withoutSeconds(first.rows), "same seed, bit-identical numbers");

    const file = path.join(dirs[0], "comparison.csv");
    fs.writeFileSync(file, sparsityCsv(first.rows));
    assert.equal(fs.readFileSync(file, "utf8").split("\n")[0], SPARSITY_COLUMNS.join(","));
    assert.deepEqual(readSparsityCsv(file), first.rows);
    fs.writeFileSync(file, sparsityCsv(first.rows).replace(",one-shot,method,", ",one-shot,control,"));
    assert.throws(() => readSparsityCsv(file, "results/sparsity/comparison.csv"), /results\/sparsity\/comparison\.csv:\d+: method one-shot has role method, got "control"/);
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("CSV: graph properties undefined on a mask read back blank; a blank anywhere else is an error naming file and line", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparsity-csv-"));
  try {
    const file = path.join(dir, "comparison.csv");
    const rows = [sparsityRow({ method: "set", density: 0.1, test_acc: 0.9 }), sparsityRow({ method: "dense", density: 1, test_acc: 0.95, giant_diameter: 4 })];
    fs.writeFileSync(file, sparsityCsv(rows));
    const back = readSparsityCsv(file);
    assert.deepEqual(back, rows);
    assert.deepEqual([back[0].giant_diameter, back[1].giant_diameter], ["", 4]);
    fs.writeFileSync(file, sparsityCsv([{ ...rows[0], test_acc: "" as never }]));
    assert.throws(() => readSparsityCsv(file, "comparison.csv"), /^Error: comparison\.csv:2: test_acc must be a number, got ""$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
