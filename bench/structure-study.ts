/**
 * Times the structure study's models (src/experiments/structure-study.ts) before committing to a profile:
 * trains a sample of each part's plan — replicate 0 of the first `--graphs` graphs of every family, every
 * variant and mapping of the small-world part; the first graphs of the ceiling part — on the in-process pool
 * (both cores busy, as in the record), and projects the whole profile's wall time as
 * Σ over the plan (mean training seconds of its part × variant × mapping) / workers.
 * Nothing is cached: every sampled model trains now.
 *
 *   node --import tsx bench/structure-study.ts --profile thesis [--graphs 1] [--workers 2] [--out bench/results/structure-study.json]
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InProcessExecutor } from "../src/experiments/executor";
import { PROFILE_NAMES, type ProfileName } from "../src/experiments/profile";
import { planCeiling, planSmallWorld, structureStudySettings, studyParts, type StudyModel } from "../src/experiments/structure-study";
import type { StructureOutcome, StructureTask } from "../src/experiments/structure-model";
import { coreCount } from "../src/experiments/pool";
import { parseCli } from "./cli";

interface Args { profile: ProfileName; graphs: number; workers?: number; out: string }

function parseArgs(argv: string[]): Args {
  return parseCli({
    script: "bench/structure-study.ts",
    summary: `Trains a sample of the structure study's models (replicate 0 of the first graphs of every family,
variant and mapping; the first graphs of the ceiling part) and projects the profile's wall time from
their training seconds.`,
    options: {
      profile: { type: "string", choices: PROFILE_NAMES, required: true, description: "the structure-study profile to time" },
      graphs: { type: "number", integer: true, ge: 1, le: 50, default: 1, description: "graphs per family sampled" },
      workers: { type: "number", integer: true, ge: 1, le: 64, defaultText: "one per core", description: "worker threads (the record's lanes)" },
      out: { type: "string", valueName: "file", default: "bench/results/structure-study.json", description: "where to write the JSON summary" },
    },
  }, argv);
}

const cell = (m: StudyModel) => `${m.part} ${m.task.mode} ${m.task.mapping ?? "layered"}`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const settings = structureStudySettings(args.profile);
  const plans = { small_world: planSmallWorld(settings), ceiling: planCeiling(settings) };
  const parts = studyParts(settings);
  const workers = args.workers ?? coreCount();
  const executor = new InProcessExecutor({ workers });
  const seconds = new Map<string, number[]>();
  const sampled: Array<{ cell: string; key: string; nodes: number; edges: number; seconds: number }> = [];
  console.log(`structure study, ${args.profile} profile: ${plans.small_world.length} small-world + ${plans.ceiling.length} ceiling models; sampling on ${workers} workers; load ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  for (const part of ["small_world", "ceiling"] as const) {
    const sample = plans[part].filter((m) => m.replicate === 0 && m.graphNr < args.graphs);
    const batch = await executor.open<StructureTask, StructureOutcome>({ kind: "structure-model", identity: parts[part].identity, data: parts[part].data, size: sample.length });
    try {
      let next = 0;
      const lane = async () => {
        while (next < sample.length) {
          const m = sample[next++];
          const outcome = await batch.run(m.task, m.key);
          seconds.set(cell(m), [...(seconds.get(cell(m)) ?? []), outcome.time]);
          sampled.push({ cell: cell(m), key: m.key, nodes: m.task.nodes, edges: m.task.edges.length, seconds: outcome.time });
          console.log(`  ${m.key}: ${m.task.nodes} nodes, ${m.task.edges.length} edges, ${outcome.time.toFixed(2)} s, acc ${outcome.test_acc.toFixed(3)}`);
        }
      };
      await Promise.all(Array.from({ length: batch.size }, lane));
    } finally {
      await batch.close();
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const perCell = Object.fromEntries([...seconds].map(([c, xs]) => [c, { models: xs.length, meanSeconds: mean(xs), maxSeconds: Math.max(...xs) }]));
  const all = [...plans.small_world, ...plans.ceiling];
  const modelSeconds = all.reduce((a, m) => a + perCell[cell(m)].meanSeconds, 0);
  const byPart = Object.fromEntries((["small_world", "ceiling"] as const).map((p) => [p, plans[p].reduce((a, m) => a + perCell[cell(m)].meanSeconds, 0) / workers]));
  console.log("mean training seconds per model:");
  for (const [c, v] of Object.entries(perCell)) console.log(`  ${c.padEnd(32)} ${v.meanSeconds.toFixed(2)} s (max ${v.maxSeconds.toFixed(2)}, ${v.models} sampled)`);
  console.log(`projected: small_world ${(byPart.small_world / 3600).toFixed(2)} h + ceiling ${(byPart.ceiling / 3600).toFixed(2)} h = ${(modelSeconds / workers / 3600).toFixed(2)} h wall on ${workers} workers`);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify({ date: new Date().toISOString(), profile: args.profile, settings, load: os.loadavg(), workers, cpu: os.cpus()[0]?.model, perCell, projectedWallSeconds: modelSeconds / workers, byPart, sampled }, null, 2) + "\n");
  console.log(`wrote ${args.out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
