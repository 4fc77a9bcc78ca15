/**
 * How long the sparse-training comparison's tasks take (src/experiments/sparsity-method.ts), to plan
 * its thesis profile: for each variant and task, the dense reference and then every method, each at
 * all the profile's densities for one seed, in this thread on one engine thread (as the record's lanes
 * run them). Prints seconds per task and the projected wall time of the whole profile on `--lanes`
 * lanes (tasks × seeds, spread evenly), and writes the measurement as JSON.
 *
 *   node --import tsx bench/sparsity-timing.ts --profile thesis [--variants GRU,LSTM] [--tasks reber] [--out bench/results/sparsity-timing.json]
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROFILE_NAMES, type ProfileName } from "../src/experiments/profile";
import { sparsityData, sparsitySettings, SPARSITY_METHODS, SPARSITY_TASKS, checkSparsitySettings } from "../src/experiments/sparsity-comparison";
import { runSparsityTask } from "../src/experiments/sparsity-method";
import { CELL_MODES, type CellMode } from "../src/nn/spec";
import type { GrammarName } from "../src/data/grammar";
import { parseCli } from "./cli";

const args = parseCli({
  script: "bench/sparsity-timing.ts",
  summary: `Times one seed of every task of the sparse-training comparison (dense reference and each method at all the
profile's densities) per variant and task, in this thread, and projects the profile's wall time.`,
  options: {
    profile: { type: "string", choices: PROFILE_NAMES, required: true, description: "the profile whose settings are timed" },
    variants: { type: "list", choices: CELL_MODES, defaultText: "the profile's", description: "variants to time" },
    tasks: { type: "list", choices: SPARSITY_TASKS, defaultText: "the profile's", description: "tasks to time" },
    lanes: { type: "number", integer: true, ge: 1, le: 64, default: 2, description: "lanes the projection spreads the tasks over" },
    out: { type: "string", valueName: "file", default: "bench/results/sparsity-timing.json", description: "where to write the JSON measurement" },
  },
});

const profile = args.profile as ProfileName;
const settings = sparsitySettings(profile);
const variants = (args.variants ?? settings.variants) as CellMode[];
const tasks = (args.tasks ?? settings.tasks) as GrammarName[];
checkSparsitySettings({ ...settings, variants, tasks }, `bench/sparsity-timing.ts: the ${profile} profile`);
const seed = settings.seeds[0];
const snapshots = fs.mkdtempSync(path.join(os.tmpdir(), "sparsity-timing-"));
const measured: Array<{ variant: CellMode; task: GrammarName; method: string; seconds: number }> = [];
try {
  for (const task of tasks) {
    const data = sparsityData(settings, task);
    for (const variant of variants) {
      for (const method of ["dense", ...SPARSITY_METHODS] as const) {
        const start = process.hrtime.bigint();
        const rows = runSparsityTask({ settings, variant, task, seed, method, snapshots: path.join(snapshots, `${variant}-${task}`) }, data);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        measured.push({ variant, task, method, seconds });
        console.log(`${variant} ${task} ${method}: ${seconds.toFixed(1)} s; test accuracy ${rows.map((r) => r.test_acc.toFixed(3)).join(" ")}`);
      }
    }
  }
} finally {
  fs.rmSync(snapshots, { recursive: true, force: true });
}
const perSeed = measured.reduce((a, m) => a + m.seconds, 0);
// the profile's variants and tasks not timed here are projected at the mean of those timed
const scale = (settings.variants.length * settings.tasks.length) / (variants.length * tasks.length);
const projectedHours = (perSeed * scale * settings.seeds.length) / args.lanes / 3600;
console.log(`one seed of ${variants.join(", ")} × ${tasks.join(", ")}: ${(perSeed / 60).toFixed(1)} min; ` +
  `projected ${profile} profile (${settings.seeds.length} seeds, ${settings.variants.length} variants, ${settings.tasks.length} tasks) on ${args.lanes} lanes: ${projectedHours.toFixed(2)} h`);
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify({
  date: new Date().toISOString(), machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length }, profile, settings,
  measured: measured.map((m) => ({ ...m, seconds: Math.round(m.seconds * 100) / 100 })), lanes: args.lanes, projectedHours: Math.round(projectedHours * 100) / 100,
}, null, 2) + "\n");
