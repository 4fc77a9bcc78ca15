/**
 * Fault-injection driver: runs one protocol of test/faults/setup.ts on a cache folder
 * and reports on stdout, one line per event, so a test can kill it at chosen points:
 *
 *   warm                       (with --wait) imports and data done; waits for a line "go" on stdin
 *   ready                      the protocol starts now
 *   start <key>                (pruning) a task is about to be computed by this process
 *   done <key>                 (sweep) a model trained by this process was handed to the store
 *   epoch <n>                  (resumable) epoch n trained and checkpointed
 *   result <json>              the run finished: {"trained": [...keys computed by this process]}
 *
 * usage: node --require tsx/cjs test/faults/drivers/run.ts sweep|pruning|resumable <cacheDir> [--workers n] [--poll ms] [--wait]
 *
 * --wait lets a test start the next driver while the current one works, so a kill
 * loop does not wait for node, tsx and the imports after every kill.
 */
import {
  faultData, SWEEP_CONFIG, PRUNING_SETTINGS, RESUMABLE_SPEC, RESUMABLE_OPTIONS, RESUMABLE_INIT_SEED, RESUMABLE_NAME,
} from "../setup";

const [kind, cacheDir, ...rest] = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? Number(rest[at + 1]) : fallback;
};
const say = (line: string): void => {
  process.stdout.write(line + "\n"); // synchronous for pipes on Linux: a line said is a line delivered
};

/**
 * Loads one protocol (only its modules, with require: the tests start this driver with
 * tsx's CommonJS hook, `--require tsx/cjs`, a third of the start-up of `--import tsx`)
 * and returns how to run it.
 */
async function load(trained: string[]): Promise<() => Promise<void>> {
  const data = faultData();
  const pollMs = option("poll", 20);
  if (kind === "sweep") {
    const { runSweep } = require("../../../src/experiments/sweep") as typeof import("../../../src/experiments/sweep");
    return async () => {
      await runSweep(SWEEP_CONFIG, {
        cacheDir, data, workers: option("workers", 0), pollMs,
        onProgress: (p) => {
          if (!p.row) return;
          const key = `${p.row.mode}/${p.row.graph}/${p.row.graph_nr}`;
          trained.push(key);
          say(`done ${key}`);
        },
      });
    };
  }
  if (kind === "pruning") {
    const { runPruningProtocol } = require("../../../src/experiments/pruning") as typeof import("../../../src/experiments/pruning");
    return async () => {
      runPruningProtocol(data, PRUNING_SETTINGS, {
        cacheDir, pollMs,
        onTaskStart: (task) => {
          const key = `${task.mode}/${task.prune}`;
          trained.push(key);
          say(`start ${key}`);
        },
      });
    };
  }
  if (kind === "resumable") {
    const { ResumableRun } = require("../../../src/nn/resumable") as typeof import("../../../src/nn/resumable");
    return async () => {
      const run = new ResumableRun({ dir: cacheDir, name: RESUMABLE_NAME }, RESUMABLE_SPEC, RESUMABLE_INIT_SEED, data, RESUMABLE_OPTIONS);
      try {
        while (!run.done) {
          const record = run.runEpoch();
          trained.push(String(record.epoch));
          say(`epoch ${record.epoch}`);
        }
      } finally {
        run.close();
      }
    };
  }
  throw new Error(`run.ts: unknown kind ${JSON.stringify(kind)}; expected sweep, pruning or resumable`);
}

async function main(): Promise<void> {
  if (!cacheDir) throw new Error("usage: run.ts sweep|pruning|resumable <cacheDir> [--workers n] [--poll ms] [--wait]");
  const trained: string[] = [];
  const run = await load(trained);
  if (rest.includes("--wait")) {
    say("warm");
    await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
    process.stdin.pause();
  }
  say("ready");
  await run();
  say(`result ${JSON.stringify({ trained })}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
