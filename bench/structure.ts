/**
 * Random-structure benchmark with a peer: one training epoch (the thesis's 18,750
 * training strings, batch 128, post padding, cross-entropy, Adam 1e-3, clip 5) of the
 * random-structure network of bench/engine.ts (Barabási–Albert n = 30, m = 3 → 11 layers,
 * 31 skip blocks), ours beside a PyTorch implementation of the thesis's
 * ArbitraryStructureRNN (bench/structure_torch.py: masked recurrent layers stepped in
 * a Python loop, weights × fixed 0/1 masks at every step, skip blocks added to their
 * target layer's output) built from the same exported network — same graph, masks,
 * initial weights and batches. Per mode: the median of --repeats epochs on each side,
 * ours and the peer's alternating so both see similar machine load, and
 * `ratio = ours / pytorch`. Before timing, each mode's peer is checked against our
 * engine in float64 (loss, logits, every gradient, two clipped Adam steps) and the run
 * stops if they differ by more than 1e-5.
 *
 *   node --import tsx bench/structure.ts [--modes GRU,LSTM] [--backends wasm,wasm×2] [--repeats 3]
 *        [--batches N] [--masking per-step,per-sequence] [--torch-threads 1] [--out bench/results/structure.json]
 *
 * Wall-clock numbers on a possibly shared machine: only the ratios measured in the
 * same run mean anything.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateDataset } from "../src/data";
import { availableBackends, batchesOf, CELL_MODES, CellMode, encodeSamples, EngineLayout, Network } from "../src/nn";
import { parseCli } from "./cli";
import { benchLayering, epochBatches, structureSpec, timeEpoch, WARMUP_BATCHES, writeBatches } from "./epoch";
import { compareChecks, oursCheck, peerCheck, peerDir, runPeer, torchMissing, writeNetwork } from "./structure-peer";

const MASKINGS = ["per-step", "per-sequence"] as const;
type Masking = (typeof MASKINGS)[number];
const LAYOUTS: readonly EngineLayout[] = ["auto", "rows", "columns"];
const BATCH = 128;
const CHECK_TOLERANCE = 1e-5;

function parseArgs(argv: string[]) {
  const found = availableBackends();
  const backends = found.includes("wasm") ? [...found, "wasm×2"] : found;
  return parseCli({
    script: "bench/structure.ts",
    summary: `One training epoch (18,750 strings, batch 128, post padding, Adam 1e-3, clip 5) of bench/engine.ts's
random-structure network (BA n = 30, m = 3: 11 layers, 31 skip blocks), ours beside a PyTorch
implementation of the thesis's ArbitraryStructureRNN (bench/structure_torch.py) built from the same
exported network and batches; per mode the median of --repeats epochs each and ratio = ours / pytorch
(goal ≤ 0.02). Each mode's peer is first checked against our engine in float64 (stops above 1e-5).
Wall-clock: run on an idle machine; only the ratios mean anything. The full measurement:
  node --import tsx bench/structure.ts --modes RNN_TANH,RNN_RELU,GRU,LSTM --backends wasm,wasm×2 --repeats 3`,
    options: {
      modes: { type: "list", choices: CELL_MODES, default: CELL_MODES, description: "cell modes to time" },
      backends: { type: "list", choices: backends, default: found.includes("wasm") ? ["wasm"] : ["js-f32"], description: "our kernel backends (wasm×2: wasm with two threads per batch)" },
      layout: { type: "string", choices: LAYOUTS, default: "auto", description: "our engine layout (see src/nn/create-engine.ts)" },
      repeats: { type: "number", integer: true, ge: 1, default: 3, description: "epochs timed per side and mode (the median is reported)" },
      batches: { type: "number", integer: true, ge: 1, defaultText: "the whole epoch (147)", description: "time the first N batches of the epoch and extrapolate (both sides)" },
      masking: { type: "list", choices: MASKINGS, default: ["per-step"], description: "peer variants: per-step = the thesis's layer (masks applied at every step); per-sequence = masked weights formed once per forward pass (a stronger peer)" },
      "torch-threads": { type: "number", integer: true, ge: 1, default: 1, description: "PyTorch's threads" },
      "graph-seed": { type: "number", integer: true, ge: 0, defaultText: "bench/engine.ts's graph (the first seed with 11 layers and 31 skips)", description: "seed of the BA(30, 3) graph" },
      "no-check": { type: "flag", description: "skip the float64 check of the peer against our engine" },
      out: { type: "string", valueName: "file", default: "bench/results/structure.json", description: "where to write the JSON summary" },
    },
  }, argv);
}

/** The peer's seconds for one epoch (one repeat in a fresh process). */
function timePeer(netFile: string, batchFile: string, masking: Masking, limit: number, threads: number): number {
  const out = runPeer(["time", netFile, batchFile, "--limit", String(limit), "--repeats", "1", "--warmup", String(WARMUP_BATCHES), "--masking", masking, "--threads", String(threads)], threads);
  return JSON.parse(out.trim().split("\n").pop()!).median;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const missing = torchMissing();
  if (missing) {
    console.error(`bench/structure.ts: the PyTorch peer cannot run: ${missing}`);
    process.exit(1);
  }
  const { layering, seed } = benchLayering(args["graph-seed"]);
  const data = generateDataset({ seed: 1 });
  const { batches, maxLength } = epochBatches(data.train, BATCH, 128);
  const limit = Math.min(args.batches ?? batches.length, batches.length);
  const dir = peerDir();
  const batchFile = writeBatches(batches, path.join(dir, "batches.json"));
  const checkBatch = batchesOf(encodeSamples(data.train.slice(0, 16), 128, "train"), Int32Array.from({ length: 16 }, (_, i) => i), 16)[0];
  const checkFile = writeBatches([checkBatch], path.join(dir, "check-batch.json"));
  const sizes = layering.layers.map((l) => l.length);
  console.log(`random-structure network: BA(30, 3) seed ${seed}, ${sizes.length} layers [${sizes}], ${layering.skips.length} skip blocks`);
  console.log(`${data.train.length} strings, ${batches.length} batches of ${BATCH} (post padding), timing ${limit}${limit < batches.length ? " (extrapolated)" : ""}, ${WARMUP_BATCHES} warm-up batches; median of ${args.repeats}`);
  console.log(`ours: ${args.backends.join(", ")} (layout ${args.layout}); PyTorch: ${args.masking.join(", ")} masking, ${args["torch-threads"]} thread(s)`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores (a shared machine makes the times noisy)`);

  const results: Record<string, unknown> = {};
  const summary: string[] = [];
  for (const mode of args.modes as CellMode[]) {
    const net = Network.create(structureSpec(layering, mode), { seed: 1 });
    const netFile = writeNetwork(net, path.join(dir, `${mode}.json`));
    let check: ReturnType<typeof compareChecks> | undefined;
    if (!args["no-check"]) {
      check = compareChecks(net, oursCheck(net, checkBatch, { steps: 2, layout: args.layout }), peerCheck(netFile, checkFile, { steps: 2 }));
      console.log(`${mode}: peer check (float64, 16 strings, 2 Adam steps): ${check.values} values, max relative difference ${check.maxError.toExponential(1)} (${check.worst})`);
      if (!(check.maxError <= CHECK_TOLERANCE)) {
        console.error(`bench/structure.ts: the PyTorch peer does not compute our ${mode} network (max difference ${check.maxError} > ${CHECK_TOLERANCE}); not timing it`);
        process.exit(1);
      }
    }
    const ours: Record<string, number[]> = Object.fromEntries(args.backends.map((b) => [b, []]));
    const torch: Record<string, number[]> = Object.fromEntries(args.masking.map((m) => [m, []]));
    for (let r = 0; r < args.repeats; r++) {
      for (const backend of args.backends) ours[backend].push(timeEpoch(net.clone(), backend, batches, { batchSize: BATCH, maxLength, limit, layout: args.layout }));
      for (const masking of args.masking as Masking[]) torch[masking].push(timePeer(netFile, batchFile, masking, limit, args["torch-threads"]));
    }
    const ratios: Record<string, number> = {};
    for (const backend of args.backends) console.log(`  ${mode.padEnd(8)} ours ${backend.padEnd(7)} ${median(ours[backend]).toFixed(2)} s/epoch (${list(ours[backend])})`);
    for (const masking of args.masking) console.log(`  ${mode.padEnd(8)} pytorch ${masking.padEnd(12)} ${median(torch[masking]).toFixed(2)} s/epoch (${list(torch[masking])})`);
    for (const backend of args.backends) {
      for (const masking of args.masking) {
        const key = args.masking.length > 1 ? `${backend} / ${masking}` : backend;
        ratios[key] = median(ours[backend]) / median(torch[masking]);
        const line = `${mode.padEnd(8)} ratio = ours / pytorch: ${key} ${ratios[key].toFixed(4)}`;
        console.log(`  ${line}`);
        summary.push(line);
      }
    }
    results[mode] = {
      oursSecondsPerEpoch: Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, { median: median(v), runs: v }])),
      torchSecondsPerEpoch: Object.fromEntries(Object.entries(torch).map(([k, v]) => [k, { median: median(v), runs: v }])),
      ratio: ratios,
      check: check && { values: check.values, maxError: check.maxError, worst: check.worst },
    };
  }
  console.log(`summary (goal ≤ 0.02):\n  ${summary.join("\n  ")}`);
  const result = {
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadavg: os.loadavg(),
    graph: { kind: "barabasi-albert", n: 30, m: 3, seed, layers: sizes, skips: layering.skips.length },
    strings: data.train.length, batchSize: BATCH, batches: batches.length, measuredBatches: limit, warmup: WARMUP_BATCHES, repeats: args.repeats,
    layout: args.layout, torchThreads: args["torch-threads"], modes: results,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`wrote ${args.out}`);
}

main();
