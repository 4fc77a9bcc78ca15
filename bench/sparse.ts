/**
 * Sparse-execution benchmark (not a timed test): seconds per epoch of a magnitude-
 * pruned network against its density (100 % … 10 % of the recurrent weights kept),
 * dense kernels vs the sparse kernels of src/prune/sparse, same batches, same run.
 * The thesis's configuration: 18,750 strings, batch 32, 3×50, post padding;
 * training = forward + BPTT + Adam, inference = forward of the 6,250 test strings.
 *
 *   node --import tsx bench/sparse.ts [--batches N] [--repeats R] [--modes GRU,LSTM] [--backends js-f32,wasm]
 *        [--densities 1,0.5,0.1] [--out bench/results/sparse.json]
 *
 * --batches N times the first N batches and extrapolates to the whole epoch; each time
 * is the best of R (default 5) alternating dense / sparse runs. The machine may be
 * shared: numbers are wall-clock and noisy.
 */
import * as fs from "fs";
import * as path from "path";
import { generateDataset } from "../src/data";
import { availableBackends, CELL_MODES, CellMode } from "../src/nn";
import { sparseSpeed, SparseSpeedRow } from "../src/prune";
import { parseCli } from "./cli";

interface Args { batches?: number; repeats: number; modes: CellMode[]; backends: string[]; densities: number[]; out: string }

function parseArgs(argv: string[]): Args {
  const backends = availableBackends();
  return parseCli({
    script: "bench/sparse.ts",
    summary: `Seconds per epoch of a magnitude-pruned 3×50 network (18,750 strings, batch 32, post padding)
against its density: dense kernels vs the sparse kernels of src/prune/sparse, same batches, same
run; training = forward + BPTT + Adam, inference = forward of the 6,250 test strings. Writes a
JSON summary. Wall-clock numbers: noisy on a shared machine.`,
    options: {
      batches: { type: "number", integer: true, ge: 1, defaultText: "the whole epoch", description: "time the first N batches and extrapolate to the epoch" },
      repeats: { type: "number", integer: true, ge: 1, default: 5, description: "each time is the best of R alternating dense / sparse runs" },
      modes: { type: "list", choices: CELL_MODES, default: ["GRU", "LSTM"], description: "cell modes" },
      backends: { type: "list", choices: backends, default: backends.filter((b) => b !== "js-f64"), description: "kernel backends" },
      densities: { type: "numbers", gt: 0, le: 1, default: [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1], description: "kept fractions of the recurrent weights" },
      out: { type: "string", valueName: "file", default: "bench/results/sparse.json", description: "where to write the JSON summary" },
    },
  }, argv);
}

const args = parseArgs(process.argv.slice(2));
const data = generateDataset({ seed: 1 }); // the thesis's recipe: 18,750 train / 6,250 test
const rows: SparseSpeedRow[] = [];
for (const backend of args.backends) {
  for (const mode of args.modes) {
    console.log(`\n${mode} on ${backend} (s/epoch${args.batches ? `, extrapolated from ${args.batches} batches` : ""})`);
    console.log("density  kept   train dense  sparse  speed-up   infer dense  sparse  speed-up   layouts (dense/sparse)");
    for (const density of args.densities) {
      const [r] = sparseSpeed({ mode, layers: [50, 50, 50], train: data.train, test: data.test, batchSize: 32, densities: [density], backend, batches: args.batches, repeats: args.repeats });
      rows.push(r);
      const f = (x: number) => x.toFixed(2).padStart(7);
      console.log(`${(100 * density).toFixed(0).padStart(5)}%  ${(100 * r.measuredDensity).toFixed(1).padStart(5)}%  ${f(r.trainDense)}  ${f(r.trainSparse)}  ${r.trainSpeedup.toFixed(2).padStart(6)}×    ${f(r.inferDense)}  ${f(r.inferSparse)}  ${r.inferSpeedup.toFixed(2).padStart(6)}×   ${r.denseLayout}/${r.sparseLayout}`);
    }
  }
}
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify({ date: new Date().toISOString(), batches: args.batches ?? null, rows }, null, 2));
console.log(`\nwrote ${args.out}`);
