/**
 * Bad values across the entry points, one row per class of bad input: each must be
 * refused with an error naming the value and where it is, before anything is written.
 * (Most have unit tests next to their code; this table counts them in one place.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseResultsCsv, loadResultsFiles, PROPERTY_COLUMNS, BayesianRidge, RandomForestRegressor, AdaBoostRegressor } from "../../src/predict";
import { pruneNetwork, safeLevel, pruningSummary, PruneRecord } from "../../src/prune";
import { Network, Trainer } from "../../src/nn";
import { trainResumable } from "../../src/nn/resumable";
import { runPruningProtocol, PruningSettings } from "../../src/experiments/pruning";
import { runSweep, SweepConfig } from "../../src/experiments/sweep";
import { exportFigure } from "../../src/plot/export";
import { parseEdges, graphFromEdges } from "../../src/graph";
import { SWEEP_CONFIG, PRUNING_SETTINGS, RESUMABLE_SPEC, RESUMABLE_OPTIONS, RESUMABLE_INIT_SEED, RESUMABLE_NAME, faultData, tempDir } from "./setup";
import { filesUnder, report } from "./harness";

interface Case {
  name: string;
  run: (dir: string) => unknown;
  /** the error must match (naming the value and where); a function comes with what it looks for */
  error: RegExp | { test: (message: string, dir: string) => boolean; says: string };
  /** prepares `dir` before the call (files it may read); after the call `dir` must hold exactly these files, unchanged */
  setup?: (dir: string) => void;
}

const header = ["mode", "graph", "graph_nr", ...PROPERTY_COLUMNS, "test_acc"];
const csvWith = (testAcc: string, feature = "1"): string =>
  `${header.join(",")}\nGRU,barabasi_albert,0,${PROPERTY_COLUMNS.map(() => feature).join(",")},${testAcc}\n`;

const X = [[0, 1, 2], [1, 2, 3], [2, 3, 5], [3, 5, 8], [4, 6, 9]];
const y = [0.1, 0.2, 0.3, 0.4, 0.5];

const tinyNet = () => Network.create({ mode: "GRU", vocab: 128, classes: 2, layers: [{ size: 3 }], skips: [] }, { seed: 1 });
function checkpointWith(value: unknown): unknown {
  const json = JSON.parse(JSON.stringify(tinyNet().toJSON()));
  json.blocks[0].wIH[3] = value;
  return json;
}

const pruningRecords: PruneRecord[] = [
  { mode: "gru", prune: 0, epoch: 1, train_loss: 0.1, train_acc: 0.9, test_loss: 0.1, test_acc: 0.9, time: 1 },
  { mode: "gru_prune", prune: 50, epoch: 0, train_loss: 0, train_acc: 0, test_loss: 0.2, test_acc: 0.2, time: 1 },
];

/** A resumable run's file with `edit` applied to its JSON. */
function resumableRunWith(dir: string, edit: (run: { checkpoint: { network: { blocks: { wIH: unknown[] }[] } } }) => void): void {
  const done = trainResumable({ dir, name: RESUMABLE_NAME }, RESUMABLE_SPEC, RESUMABLE_INIT_SEED, faultData(), { ...RESUMABLE_OPTIONS, epochs: 1 });
  const run = JSON.parse(fs.readFileSync(done.file, "utf8"));
  edit(run);
  fs.writeFileSync(done.file, JSON.stringify(run));
}
const runFileIn = (dir: string) => path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(`${RESUMABLE_NAME}-`) && f.endsWith(".json"))!);
const resumeIn = (dir: string) => trainResumable({ dir, name: RESUMABLE_NAME }, RESUMABLE_SPEC, RESUMABLE_INIT_SEED, faultData(), RESUMABLE_OPTIONS);

const pruning = (dir: string, settings: unknown) => runPruningProtocol(faultData(), settings as PruningSettings, { cacheDir: dir });
const sweep = (dir: string, config: unknown) => runSweep(config as SweepConfig, { cacheDir: dir, data: faultData(), workers: 0 });

const CASES: Case[] = [
  // results tables (src/predict/results-table.ts)
  { name: "results CSV: test_acc 2", run: () => parseResultsCsv(csvWith("2"), "ours.csv"), error: /ours\.csv:2: column "test_acc" .*\[0, 1\], got "2"/ },
  { name: "results CSV: test_acc -3", run: () => parseResultsCsv(csvWith("-3"), "ours.csv"), error: /ours\.csv:2: column "test_acc" .*\[0, 1\], got "-3"/ },
  { name: "results CSV: test_acc 0x1", run: () => parseResultsCsv(csvWith("0x1"), "ours.csv"), error: /ours\.csv:2: column "test_acc" must be a finite number, got "0x1"/ },
  { name: "results CSV: test_acc NaN", run: () => parseResultsCsv(csvWith("NaN"), "ours.csv"), error: /ours\.csv:2: column "test_acc" must be a finite number, got "NaN"/ },
  {
    name: "results file: a NaN feature (loadResultsFiles)",
    setup: (dir) => fs.writeFileSync(path.join(dir, "results.csv"), csvWith("0.9", "NaN")),
    run: (dir) => loadResultsFiles([path.join(dir, "results.csv")]),
    error: { test: (m, dir) => m.startsWith(`${path.join(dir, "results.csv")}:2: column "${PROPERTY_COLUMNS[0]}" must be a finite number, got "NaN"`), says: "<file>:2: column … got \"NaN\"" },
  },
  // regressors (src/predict)
  { name: "regressor: NaN feature (BayesianRidge.train)", run: () => new BayesianRidge().train([[0, 1, 2], [1, NaN, 3], [2, 3, 4]], [1, 2, 3]), error: /BayesianRidge\.train: X\[1\]\[1\] \(row 1, column 1\) is NaN/ },
  {
    name: "regressor: wrong feature count at predict (RandomForestRegressor)",
    run: () => { const m = new RandomForestRegressor({ nEstimators: 3, seed: 1 }); m.train(X, y); return m.predict([[1, 2]]); },
    error: /RandomForestRegressor\.predict: X row 0 has 2 features, expected 3/,
  },
  { name: "regressor: X and y of different lengths (AdaBoostRegressor.train)", run: () => new AdaBoostRegressor({ nEstimators: 3 }).train(X, y.slice(0, 4)), error: /AdaBoostRegressor\.train: X has 5 rows but y has 4 values/ },
  // pruning and checkpoints (src/prune, src/nn)
  {
    name: "pruning: a NaN weight (pruneNetwork)",
    run: () => { const net = tinyNet(); net.blocks[0].wHH[4] = NaN; return pruneNetwork(net, { percent: 50, kind: "both" }); },
    error: /h2h weight \[4\] is NaN; pruning needs finite weights/,
  },
  { name: "checkpoint: a weight \"abc\" (Network.load)", run: () => Network.load(checkpointWith("abc") as never, "net.json"), error: /net\.json: blocks\[0\]\.wIH\[3\] must be a finite number, got "abc"/ },
  { name: "checkpoint: a weight null (Network.load)", run: () => Network.load(checkpointWith(null) as never, "net.json"), error: /net\.json: blocks\[0\]\.wIH\[3\] must be a finite number, got null/ },
  {
    name: "checkpoint file: truncated (Network.loadFile)",
    setup: (dir) => { const text = JSON.stringify(tinyNet().toJSON()); fs.writeFileSync(path.join(dir, "net.json"), text.slice(0, text.length >> 1)); },
    run: (dir) => Network.loadFile(path.join(dir, "net.json")),
    error: { test: (m, dir) => m.includes(path.join(dir, "net.json")) && /invalid JSON/.test(m), says: "the file's path and invalid JSON" },
  },
  {
    name: "trainer checkpoint file: truncated (Trainer.resume)",
    setup: (dir) => {
      const trainer = new Trainer(tinyNet(), faultData(), { epochs: 1, batchSize: 16, seed: 1, backend: "js" });
      const text = JSON.stringify(trainer.checkpoint());
      trainer.close();
      fs.writeFileSync(path.join(dir, "trainer.json"), text.slice(0, text.length >> 1));
    },
    run: (dir) => Trainer.resume(path.join(dir, "trainer.json"), faultData(), { epochs: 2, batchSize: 16, seed: 1, backend: "js" }),
    error: { test: (m, dir) => m.includes(path.join(dir, "trainer.json")), says: "the checkpoint file's path" },
  },
  {
    name: "resumable run: a checkpoint weight \"abc\" (ResumableRun)",
    setup: (dir) => resumableRunWith(dir, (run) => { run.checkpoint.network.blocks[0].wIH[3] = "abc"; }),
    run: (dir) => resumeIn(dir),
    error: { test: (m, dir) => m.includes(runFileIn(dir)) && /blocks\[0\]\.wIH\[3\] must be a finite number, got "abc"/.test(m), says: "the run file's path and blocks[0].wIH[3] … got \"abc\"" },
  },
  {
    name: "resumable run: a checkpoint weight null (ResumableRun)",
    setup: (dir) => resumableRunWith(dir, (run) => { run.checkpoint.network.blocks[0].wIH[3] = null; }),
    run: (dir) => resumeIn(dir),
    error: { test: (m, dir) => m.includes(runFileIn(dir)) && /blocks\[0\]\.wIH\[3\] must be a finite number, got null/.test(m), says: "the run file's path and blocks[0].wIH[3] … got null" },
  },
  {
    name: "resumable run: truncated run JSON (ResumableRun)",
    setup: (dir) => { resumableRunWith(dir, () => undefined); const f = runFileIn(dir); fs.truncateSync(f, fs.statSync(f).size >> 1); },
    run: (dir) => resumeIn(dir),
    error: { test: (m, dir) => m.includes(runFileIn(dir)) && /invalid JSON/.test(m), says: "the run file's path and invalid JSON" },
  },
  // protocol settings, refused before any work: the cache folder stays empty
  { name: "pruning settings: unknown key", run: (dir) => pruning(dir, { ...PRUNING_SETTINGS, level: [50] }), error: /PruningSettings: unknown setting "level"; did you mean "levels"\?/ },
  { name: "pruning settings: wrong type", run: (dir) => pruning(dir, { ...PRUNING_SETTINGS, lr: "0.01" }), error: /PruningSettings\.lr must be a finite number, got "0\.01"/ },
  { name: "pruning settings: out of range", run: (dir) => pruning(dir, { ...PRUNING_SETTINGS, levels: [50, 150] }), error: /PruningSettings\.levels\[1\] must be ≤ 100, got 150/ },
  { name: "sweep config: unknown key", run: (dir) => sweep(dir, { ...SWEEP_CONFIG, graph: 3 }), error: /SweepConfig: unknown setting "graph"; did you mean "graphs"\?/ },
  { name: "sweep config: wrong type", run: (dir) => sweep(dir, { ...SWEEP_CONFIG, epochs: "1" }), error: /SweepConfig\.epochs must be an integer, got "1"/ },
  { name: "sweep config: out of range", run: (dir) => sweep(dir, { ...SWEEP_CONFIG, graphs: 0 }), error: /SweepConfig\.graphs must be ≥ 1, got 0/ },
  // pruning measures (src/prune/measures.ts)
  { name: "pruning measures: tolerance 5 (safeLevel)", run: () => safeLevel(pruningRecords, "GRU", "both", 5), error: /tolerance must be a fraction of accuracy in \(0, 1\).*got 5/ },
  { name: "pruning measures: tolerance 5 (pruningSummary)", run: () => pruningSummary(pruningRecords, ["GRU"], ["both"], 5), error: /tolerance must be a fraction of accuracy in \(0, 1\).*got 5/ },
  // figures (src/plot/export.ts): refused before a browser starts or a file is written
  { name: "exportFigure: scale 0", run: (dir) => exportFigure({ data: [] }, path.join(dir, "figure"), { scale: 0 }), error: /exportFigure: options\.scale must be a finite number in \(0, 10\], got 0/ },
  { name: "exportFigure: basePath \"\"", run: () => exportFigure({ data: [] }, ""), error: /exportFigure: basePath must be a non-empty path .*got ""/ },
  // graphs (src/graph/edges.ts)
  { name: "parseEdges: a self-loop", run: () => parseEdges("0-1 2-2 1-3"), error: /parseEdges: "2-2" \(pair 2 of 3\) is a self-loop at node 2/ },
  { name: "graphFromEdges: a self-loop", run: () => graphFromEdges(4, [[0, 1], [3, 3]]), error: /graphFromEdges: edge 1 = \[3, 3\] is a self-loop at node 3/ },
];

test(`bad inputs: ${CASES.length} classes of bad values are refused, naming the value and where, and nothing is written`, async () => {
  const failures: string[] = [];
  let rejected = 0;
  const cwdBefore = fs.readdirSync(process.cwd()).sort();
  for (const c of CASES) {
    const dir = tempDir("bad-input");
    try {
      c.setup?.(dir);
      const before = new Map(filesUnder(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
      let error: Error | undefined;
      try {
        await c.run(dir);
      } catch (e) {
        error = e as Error;
      }
      if (!error) { failures.push(`${c.name}: accepted`); continue; }
      const named = c.error instanceof RegExp ? c.error.test(error.message) : c.error.test(error.message, dir);
      if (!named) {
        failures.push(`${c.name}: the error should say ${c.error instanceof RegExp ? c.error : c.error.says}, it says: ${error.message.split("\n")[0]}`);
        continue;
      }
      const after = filesUnder(dir);
      const written = after.filter((f) => !before.has(f) || !fs.readFileSync(path.join(dir, f)).equals(before.get(f)!));
      if (written.length > 0) { failures.push(`${c.name}: wrote ${written.join(", ")}`); continue; }
      rejected++;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(fs.readdirSync(process.cwd()).sort(), cwdBefore, "nothing written to the working directory (basePath \"\" would write .svg)");
  report("bad inputs", { "bad inputs rejected": rejected, of: CASES.length });
  assert.deepEqual(failures, [], failures.join("\n"));
  assert.equal(rejected, CASES.length);
  assert.ok(rejected >= 25);
});
