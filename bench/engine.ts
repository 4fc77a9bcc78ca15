/**
 * Engine benchmark (not a timed test): seconds per training epoch of the thesis's
 * base configuration — 18,750 strings, batch 32 (586 batches), 3×50, post padding —
 * for each mode and backend (wasm×2 = the wasm backend with two threads per batch), beside PyTorch's nn.RNN/GRU/LSTM on one thread (same
 * batches, timed right after ours for the same mode so both see similar machine load), plus one epoch (batch 128) of a GRU random-structure network from a
 * Barabási–Albert graph (n = 30, m = 3) with 11 layers and 31 skip blocks.
 *
 *   node --import tsx bench/engine.ts [--batches N] [--modes GRU,LSTM] [--backends js-f64,wasm]
 *        [--no-torch] [--no-random] [--no-base] [--layouts auto,rows,columns] [--out bench/results/engine.json]
 * (--no-base: only the random-structure epoch; --layouts: the engine layouts timed on the
 * random-structure network, default "auto" — see src/nn/create-engine.ts)
 *
 * --batches N times the first N batches of the epoch and extrapolates to the whole
 * epoch (for speed). The machine may be shared: numbers are wall-clock and noisy.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { generateDataset } from "../src/data";
import { availableBackends, CELL_MODES, CellMode, EngineLayout, Network, NetworkSpec } from "../src/nn";
import { parseCli } from "./cli";
import { benchLayering, epochBatches, structureSpec, timeEpoch, writeBatches } from "./epoch";

interface Args { batches?: number; modes: CellMode[]; backends: string[]; layouts: EngineLayout[]; torch: boolean; random: boolean; base: boolean; out: string }

const LAYOUTS: readonly EngineLayout[] = ["auto", "rows", "columns"];

function parseArgs(argv: string[]): Args {
  const found = availableBackends();
  const backends = found.includes("wasm") ? [...found, "wasm×2"] : found;
  const cli = parseCli({
    script: "bench/engine.ts",
    summary: `Seconds per training epoch of the thesis's base configuration (18,750 strings, batch 32, 3×50,
post padding) for each mode and backend, beside PyTorch's nn.RNN/GRU/LSTM on one thread, plus
one epoch of a GRU random-structure network (BA n = 30, m = 3). Writes a JSON summary.
Wall-clock numbers: noisy on a shared machine.`,
    options: {
      batches: { type: "number", integer: true, ge: 1, defaultText: "the whole epoch", description: "time the first N batches and extrapolate to the epoch" },
      modes: { type: "list", choices: CELL_MODES, default: CELL_MODES, description: "cell modes to time" },
      backends: { type: "list", choices: backends, default: backends, description: "kernel backends (wasm×2: wasm with two threads per batch)" },
      layouts: { type: "list", choices: LAYOUTS, default: ["auto"], description: "engine layouts timed on the random-structure network" },
      "no-torch": { type: "flag", description: "skip the PyTorch peer" },
      "no-random": { type: "flag", description: "skip the random-structure epoch" },
      "no-base": { type: "flag", description: "only the random-structure epoch" },
      out: { type: "string", valueName: "file", default: "bench/results/engine.json", description: "where to write the JSON summary" },
    },
  }, argv);
  return { batches: cli.batches, modes: cli.modes, backends: cli.backends, layouts: cli.layouts, torch: !cli["no-torch"], random: !cli["no-random"], base: !cli["no-base"], out: cli.out };
}

/** PyTorch's seconds per epoch for one mode, or undefined (with a note) when torch is unavailable. */
function torchEpoch(batchFile: string, mode: CellMode, limit: number): number | undefined {
  try {
    const text = execFileSync("/usr/bin/python3", [path.join(__dirname, "torch_epoch.py"), batchFile, mode, String(limit)], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    return JSON.parse(text.trim().split("\n").pop()!).secondsPerEpoch;
  } catch (e) {
    console.log(`PyTorch peer unavailable: ${(e as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const data = generateDataset({ seed: 1 });
  const { batches, maxLength } = epochBatches(data.train, 32, 128);
  const limit = Math.min(args.batches ?? batches.length, batches.length);
  const base = (mode: CellMode): NetworkSpec => ({ mode, vocab: 128, classes: 2, layers: [{ size: 50 }, { size: 50 }, { size: 50 }], skips: [] });
  console.log(`thesis base configuration: ${data.train.length} strings, ${batches.length} batches of 32, 3×50, post padding; timing ${limit} batches${limit < batches.length ? " (extrapolated)" : ""}`);
  console.log(`backends: ${args.backends.join(", ")}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores (shared machine: noisy)`);
  // mode by mode, ours then PyTorch's, so both see about the same load from the rest of the machine
  const ours: Record<string, Record<string, number>> = Object.fromEntries(args.backends.map((b) => [b, {}]));
  const torch: Record<string, number> = {};
  const batchFile = args.torch ? writeBatches(batches, path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "batches.json")) : "";
  for (const mode of args.base ? args.modes : []) {
    for (const backend of args.backends) {
      ours[backend][mode] = timeEpoch(Network.create(base(mode), { seed: 1 }), backend, batches, { batchSize: 32, maxLength, limit });
      console.log(`  ${backend.padEnd(8)} ${mode.padEnd(9)} ${ours[backend][mode].toFixed(2)} s/epoch`);
    }
    if (!args.torch) continue;
    const seconds = torchEpoch(batchFile, mode, limit);
    if (seconds === undefined) continue;
    torch[mode] = seconds;
    const ratios = args.backends.map((b) => `${b} ${(ours[b][mode] / seconds).toFixed(2)}`).join(", ");
    console.log(`  pytorch  ${mode.padEnd(9)} ${seconds.toFixed(2)} s/epoch   ratio ours/PyTorch: ${ratios}`);
  }
  let randomNet: { seed: number; layers: number[]; skips: number; backends: Record<string, number> } | undefined;
  if (args.random) {
    const { layering, seed } = benchLayering(); // the first BA(30, 3) seed whose layering has 11 layers and 31 skips
    const spec = structureSpec(layering, "GRU");
    const rb = epochBatches(data.train, 128, 128);
    const rlimit = Math.min(args.batches ? Math.max(1, Math.round(args.batches / 4)) : rb.batches.length, rb.batches.length);
    randomNet = { seed, layers: spec.layers.map((l) => l.size), skips: spec.skips.length, backends: {} };
    console.log(`  random-structure GRU (BA seed ${seed}: ${spec.layers.length} layers [${randomNet.layers}], ${spec.skips.length} skips), batch 128:`);
    for (const backend of args.backends) {
      for (const layout of args.layouts) {
        const key = args.layouts.length > 1 ? `${backend} ${layout}` : backend;
        randomNet.backends[key] = timeEpoch(Network.create(spec, { seed: 1 }), backend, rb.batches, { batchSize: 128, maxLength: rb.maxLength, limit: rlimit, layout });
        console.log(`    ${key}: ${randomNet.backends[key].toFixed(2)} s/epoch`);
      }
    }
  }
  const peakMB = process.resourceUsage().maxRSS / 1024;
  console.log(`peak memory (maxRSS): ${peakMB.toFixed(0)} MB; heap used now ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
  const result = {
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadavg: os.loadavg(),
    batches: batches.length, measuredBatches: limit, ours, torch, randomNet, peakRssMB: peakMB,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
  console.log(`wrote ${args.out}`);
}

main();
