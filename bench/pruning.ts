/**
 * The pruning experiment at full size, from the command line (hours, so not inside a
 * notebook session): runs or resumes the thesis profile of the protocol — 3×50 base
 * model, 50 epochs, levels 10 … 100 for every kind, 10 retraining epochs, the gradual
 * comparison — into the cache notebooks/03-pruning.ipynb reads (.cache/pruning/<key>/),
 * so the notebook's thesis profile then shows the results without retraining. Prints
 * the safe levels and recovery epochs beside the thesis's (its CSVs in
 * reference/thesis/results/prune, and the levels its text states).
 *
 *   node --import tsx bench/pruning.ts --profile thesis --variants LSTM[,RNN_TANH,…] [--dense] [--tolerance 0.05] [--out F]
 *
 * --profile thesis is required (no arguments print the usage): it says that hours of work are meant.
 *
 * Pruned networks train on the sparse kernels where sparse enough (the notebook's
 * `sparseExecution`; same numbers up to float rounding); --dense turns that off.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CellMode } from "../src/nn";
import { CELL_MODES } from "../src/nn/spec";
import { pruningData, pruningSettings, runPruningProtocol } from "../src/experiments/pruning";
import { baseAccuracy, gradualComparison, PRUNE_KINDS, pruningSummary, readPruneCsv, sparseBackend, THESIS_SAFE_LEVELS } from "../src/prune";
import { thesisPruneLogFile } from "../src/thesis";
import { parseCli } from "./cli";

interface Args { variants: CellMode[]; sparse: boolean; tolerance: number; out?: string }

function parseArgs(argv: string[]): Args {
  const cli = parseCli({
    script: "bench/pruning.ts",
    summary: `The pruning experiment at thesis size (3×50 base model, 50 epochs, levels 10 … 100 for
every kind, 10 retraining epochs, the gradual comparison), run or resumed into the cache
notebook 03 reads; prints the safe levels and recovery epochs beside the thesis's.
15–50 minutes per variant on 2 cores: hours for all four.`,
    options: {
      profile: { type: "string", choices: ["thesis"], required: true, description: "the protocol's size: thesis only (notebook 03 runs the quick profile)" },
      variants: { type: "list", choices: CELL_MODES, required: true, description: "the variants to run" },
      dense: { type: "flag", description: "train pruned networks on the dense kernels (default: sparse kernels where sparse enough)" },
      tolerance: { type: "number", gt: 0, lt: 1, default: 0.05, description: "accuracy drop a safe pruning level may cost" },
      out: { type: "string", valueName: "file", defaultText: "bench/results/pruning-<variants>.json", description: "where to write the JSON summary" },
    },
  }, argv);
  return { variants: cli.variants, sparse: !cli.dense, tolerance: cli.tolerance, out: cli.out };
}

const args = parseArgs(process.argv.slice(2));
const settings = { ...pruningSettings("thesis"), variants: args.variants };
const data = pruningData("thesis");
const cacheDir = path.join(__dirname, "..", ".cache", "pruning");
console.log(`pruning protocol, thesis profile: ${settings.variants.join(", ")}; ${data.source}; ${args.sparse ? "sparse" : "dense"} execution; ` +
  `load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
const start = Date.now();
const results = runPruningProtocol(data, settings, {
  cacheDir,
  execution: args.sparse ? { backend: sparseBackend(settings.backend) } : undefined,
  onTaskStart: (task, index, total) => console.log(`  [${index + 1}/${total}] ${task.mode} p=${task.prune} (${((Date.now() - start) / 60000).toFixed(1)} min)`),
});
const minutes = (Date.now() - start) / 60000;
console.log(`${results.computed.length} tasks computed in ${minutes.toFixed(1)} min; cache ${path.relative(process.cwd(), results.dir)}`);

const summary = settings.variants.map((variant) => {
  const thesis = readPruneCsv(thesisPruneLogFile(variant));
  const kinds = PRUNE_KINDS.map((kind) => {
    const ours = pruningSummary(results.records, [variant], [kind], args.tolerance)[0];
    const theirs = pruningSummary(thesis, [variant], [kind], args.tolerance)[0];
    return { kind, safe: ours?.safe_level, recovery: ours?.recovery, thesisCsvSafe: theirs?.safe_level, thesisRecovery: theirs?.recovery, thesisText: THESIS_SAFE_LEVELS[kind][variant] };
  });
  const gradual = settings.gradual ? gradualComparison(results.records, [variant], PRUNE_KINDS, settings.gradual.levels, settings.retrainEpochs) : [];
  return { variant, baseAcc: baseAccuracy(results.records, variant), thesisBaseAcc: baseAccuracy(thesis, variant), kinds, gradual };
});
for (const s of summary) {
  console.log(`\n${s.variant}: base test accuracy ${s.baseAcc.toFixed(4)} (thesis ${s.thesisBaseAcc.toFixed(4)}); tolerance ${args.tolerance}`);
  for (const k of s.kinds) {
    console.log(`  ${k.kind.padEnd(5)} safe ${k.safe}% (thesis CSV ${k.thesisCsvSafe ?? "—"}%, text ${k.thesisText}%); recovery ${k.recovery} (thesis ${k.thesisRecovery ?? "—"})`);
  }
  for (const g of s.gradual) {
    console.log(`  ${g.kind.padEnd(5)} at ${g.level}% after ${settings.retrainEpochs} epochs: one-shot + retrain ${g.oneShot?.toFixed(4) ?? "—"}, gradual ${g.gradual?.toFixed(4) ?? "—"}`);
  }
}
const out = args.out ?? `bench/results/pruning-${settings.variants.map((v) => v.toLowerCase()).join("-")}.json`;
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), minutesThisRun: minutes, computed: results.computed.length, sparse: args.sparse, tolerance: args.tolerance, summary }, null, 2));
console.log(`wrote ${out}`);
