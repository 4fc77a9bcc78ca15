/**
 * The random-structure sweep as a benchmark (target: the thesis profile — 4 modes ×
 * (100 Barabási–Albert + 100 Watts–Strogatz) graphs, 15 epochs, batch 128, 25,000
 * strings — in ≤ 2 hours on a 2-core machine). Runs or resumes the sweep into the
 * cache notebooks/04-random-structures.ipynb reads (out/cache/structure/<identity hash>/),
 * so the notebook's thesis profile then plots without retraining. Prints the wall time
 * of this run, the training time summed over models, and the mean test accuracy per
 * mode and family beside the thesis's (its tables in reference/thesis/results/structure).
 *
 *   node --import tsx bench/sweep.ts --profile thesis|quick [--workers N] [--out bench/results/sweep.json]
 *
 * --profile is required (no arguments print the usage): the thesis profile takes hours.
 *
 * A resumed run's wall time covers only the models it trained: the JSON records both.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readCsvObjects } from "../src/core/csv";
import { generateDataset } from "../src/data";
import { runSweep, sweepProfile } from "../src/experiments/sweep";
import { PROFILE_NAMES, type ProfileName } from "../src/experiments/profile";
import { thesisStructureTableFiles } from "../src/thesis";
import { parseCli } from "./cli";

interface Args { profile: ProfileName; workers?: number; out: string }

function parseArgs(argv: string[]): Args {
  return parseCli({
    script: "bench/sweep.ts",
    summary: `Runs or resumes the random-structure sweep into the cache notebook 04 reads, and compares
the mean test accuracy per mode and graph family with the thesis's. The thesis profile — 4 modes
× (100 BA + 100 WS) graphs, 15 epochs, batch 128, 25,000 strings — takes hours (about 1.5 h on
2 cores); quick is a small smoke run.`,
    options: {
      profile: { type: "string", choices: PROFILE_NAMES, required: true, description: "quick (16 small models) or thesis (800 models, hours)" },
      workers: { type: "number", integer: true, ge: 0, le: 64, defaultText: "one per core", description: "worker threads training models at the same time (0: train in this thread)" },
      out: { type: "string", valueName: "file", default: "bench/results/sweep.json", description: "where to write the JSON summary" },
    },
  }, argv);
}

type Means = Record<string, { all: number; barabasi_albert: number; watts_strogatz: number; models: number }>;

/** Mean test_acc per mode: over all rows and per graph family. */
function meanAccuracy(rows: ReadonlyArray<Record<string, unknown>>): Means {
  const out: Means = {};
  const modes = [...new Set(rows.map((r) => String(r.mode).toUpperCase()))];
  for (const mode of modes) {
    const of = (family?: string) => {
      const acc = rows.filter((r) => String(r.mode).toUpperCase() === mode && (!family || r.graph === family)).map((r) => Number(r.test_acc));
      return acc.length ? acc.reduce((a, b) => a + b, 0) / acc.length : NaN;
    };
    out[mode] = { all: of(), barabasi_albert: of("barabasi_albert"), watts_strogatz: of("watts_strogatz"), models: rows.filter((r) => String(r.mode).toUpperCase() === mode).length };
  }
  return out;
}

function thesisMeans(): Means {
  const rows = thesisStructureTableFiles(["RNN_TANH", "RNN_RELU", "LSTM", "GRU"]).flatMap(readCsvObjects);
  return meanAccuracy(rows);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = sweepProfile(args.profile);
  const cacheDir = path.join(__dirname, "..", "out", "cache", "structure");
  const data = generateDataset({ size: config.datasetSize, seed: config.seed });
  const total = config.modes.length * config.families.length * config.graphs;
  console.log(`sweep profile ${args.profile}: ${total} models, ${config.epochs} epochs, batch ${config.batchSize}, ${data.train.length} train strings; cache under ${path.relative(process.cwd(), cacheDir)}`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
  const start = Date.now();
  let cached = 0, trained = 0, first = true;
  const { rows } = await runSweep(config, {
    cacheDir, data, workers: args.workers,
    onProgress: (p) => {
      if (first) { cached = p.done; first = false; console.log(`  ${cached} models cached`); return; }
      trained++;
      if (p.row) {
        const elapsed = (Date.now() - start) / 1000, left = (total - p.done) * elapsed / trained;
        console.log(`  ${p.done}/${total} ${p.row.mode} ${p.row.graph} #${p.row.graph_nr} nodes ${p.row.nodes}: acc ${Number(p.row.test_acc).toFixed(3)}, ${Number(p.row.time).toFixed(1)} s; elapsed ${(elapsed / 60).toFixed(1)} min, ~${(left / 60).toFixed(0)} min left`);
      }
    },
  });
  const wallSeconds = (Date.now() - start) / 1000;
  const modelSeconds = rows.reduce((a, r) => a + Number(r.time), 0);
  const ours = meanAccuracy(rows), thesis = thesisMeans();
  console.log(`this run: ${trained} models trained in ${(wallSeconds / 60).toFixed(1)} min wall clock (${cached} were cached); all ${rows.length} models: ${(modelSeconds / 3600).toFixed(2)} h of training summed over models`);
  console.log(`estimated full sweep on this machine: ${(modelSeconds / Math.max(1, args.workers ?? os.cpus().length) / 3600).toFixed(2)} h (summed model time / workers)`);
  console.log("mean test accuracy (all / BA / WS), ours vs thesis:");
  for (const mode of Object.keys(ours)) {
    const o = ours[mode], t = thesis[mode];
    const fmt = (m: { all: number; barabasi_albert: number; watts_strogatz: number }) => `${m.all.toFixed(3)} / ${m.barabasi_albert.toFixed(3)} / ${m.watts_strogatz.toFixed(3)}`;
    console.log(`  ${mode.padEnd(9)} ${fmt(o)} (${o.models} models)   thesis ${fmt(t)}`);
  }
  const result = { date: new Date().toISOString(), profile: args.profile, models: rows.length, trainedThisRun: trained, cached, wallSeconds, modelSeconds, cores: os.cpus().length, ours, thesis };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
  console.log(`wrote ${args.out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
