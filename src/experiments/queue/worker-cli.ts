/**
 * The command line behind `npx sparse-rnn-lab` (bin/sparse-rnn-lab.js):
 *
 *   sparse-rnn-lab worker --queue redis://[:password@]host:port/db [--concurrency N] …
 *
 * Every argument is checked before anything starts: an unknown option, a missing or
 * bad value is refused with the option and the value named, exit code 2. --help prints
 * the usage, exit 0. SIGINT / SIGTERM stop taking jobs and let running ones finish (a
 * second signal exits at once; the queue hands its jobs to other workers after the
 * stall interval).
 */
import { parseArgs } from "node:util";
import { coreCount } from "../pool";
import { startQueueWorker, type QueueWorker } from "./worker";
import { QUEUE_ENV } from "../executor";
import { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, mask, parseQueueUrl } from "./protocol";

const USAGE = `Usage: sparse-rnn-lab worker --queue URL [options]

Take experiment jobs (sweep models) from a BullMQ queue on Redis and compute them, in
worker threads, until stopped (Ctrl-C lets running jobs finish). Start one per machine
from a clone of the same commit as the notebook.

Options:
  --queue URL              redis://[[user]:password@]host[:port][/db], or rediss://… for TLS
                           (default: $${QUEUE_ENV}); required
  --concurrency N          jobs computed at once, one worker thread each (default: cores, ${coreCount()} here)
  --queue-name NAME        the queue's name (default: ${DEFAULT_QUEUE_NAME}; the client's must match)
  --prefix PREFIX          Redis key prefix (default: ${DEFAULT_PREFIX})
  --lock-duration MS       a job's lock without renewal; renewed every MS/2 (default: 30000)
  --stalled-interval MS    how often jobs of dead workers are looked for (default: 30000)
  --max-stalled N          how often a job may stall before it fails (default: 2)
  --exit-with-parent       stop when the process that started this one exits (scripts, tests)
  -h, --help               this text

Security: Redis has no access control by default. Keep it bound to 127.0.0.1, or use a
password (redis://:secret@host:6379/0) and TLS (rediss://) across machines.`;

export interface WorkerArgs {
  queue: string;
  concurrency: number;
  queueName: string;
  prefix: string;
  lockDuration: number;
  stalledInterval: number;
  maxStalled: number;
  exitWithParent: boolean;
}

/** A refused command line (exit 2) or --help (exit 0, the usage). */
export class CliExit extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

const OPTIONS = {
  queue: { type: "string" },
  concurrency: { type: "string" },
  "queue-name": { type: "string" },
  prefix: { type: "string" },
  "lock-duration": { type: "string" },
  "stalled-interval": { type: "string" },
  "max-stalled": { type: "string" },
  "exit-with-parent": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function refuse(message: string): CliExit {
  return new CliExit(`sparse-rnn-lab: ${message}\nRun sparse-rnn-lab worker --help for the options.`, 2);
}

function integerOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || !(Number(value) >= min && Number(value) <= max)) {
    throw refuse(`--${name} must be an integer in ${min}–${max}, got "${value}"`);
  }
  return Number(value);
}

/** Parse `worker …` (argv without the node binary and script). Throws CliExit. */
export function parseWorkerArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WorkerArgs {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") throw new CliExit(USAGE, argv.length === 0 ? 2 : 0);
  const [command, ...rest] = argv;
  if (command !== "worker") throw refuse(`unknown command "${command}"; the command is "worker"`);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...rest], options: OPTIONS, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const e = error as Error & { code?: string };
    const message = e.message.replace(/\. To specify a positional argument starting with a '-'.*$/s, "").replace(/^Unknown option/, "unknown option");
    if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw refuse(`unexpected argument ${message.match(/'([^']*)'/)?.[1] ?? ""} (options take the form --name value)`.replace("argument  ", "argument "));
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw refuse(message.replace(/^Option/, "option"));
    throw refuse(message);
  }
  if (values.help) throw new CliExit(USAGE, 0);
  const queue = (values.queue as string | undefined) ?? env[QUEUE_ENV];
  if (queue === undefined || queue.trim() === "") throw refuse(`--queue is required (or set ${QUEUE_ENV}), e.g. --queue redis://127.0.0.1:6379/0`);
  try {
    parseQueueUrl(queue.trim(), "--queue");
  } catch (error) {
    throw refuse((error as Error).message);
  }
  const queueName = (values["queue-name"] as string | undefined) ?? DEFAULT_QUEUE_NAME;
  if (!/^[A-Za-z0-9._-]+$/.test(queueName)) throw refuse(`--queue-name may only hold letters, digits, ".", "_" and "-", got "${queueName}"`);
  const prefix = (values.prefix as string | undefined) ?? DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9._-]+$/.test(prefix)) throw refuse(`--prefix may only hold letters, digits, ".", "_" and "-", got "${prefix}"`);
  const lockDuration = integerOption("lock-duration", values["lock-duration"] as string | undefined, 30_000, 500, 3_600_000);
  return {
    queue: queue.trim(),
    concurrency: integerOption("concurrency", values.concurrency as string | undefined, coreCount(), 1, 1024),
    queueName,
    prefix,
    lockDuration,
    stalledInterval: integerOption("stalled-interval", values["stalled-interval"] as string | undefined, 30_000, 100, 3_600_000),
    maxStalled: integerOption("max-stalled", values["max-stalled"] as string | undefined, 2, 0, 1000),
    exitWithParent: values["exit-with-parent"] === true,
  };
}

/** Run the command line; resolves with the exit code once the worker has stopped. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: WorkerArgs;
  try {
    args = parseWorkerArgs(argv);
  } catch (error) {
    if (error instanceof CliExit) {
      (error.code === 0 ? process.stdout : process.stderr).write(error.message + "\n");
      return error.code;
    }
    throw error;
  }
  let worker: QueueWorker;
  try {
    worker = await startQueueWorker({
      url: args.queue, concurrency: args.concurrency, queueName: args.queueName, prefix: args.prefix,
      lockDuration: args.lockDuration, stalledInterval: args.stalledInterval, maxStalledCount: args.maxStalled,
    });
  } catch (error) {
    process.stderr.write(`sparse-rnn-lab worker: ${(error as Error).message.replace(args.queue, mask(args.queue))}\n`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const stop = (why: string, force: boolean): void => {
      console.log(`[worker ${worker.name}] ${why}: ${force ? "stopping now" : "finishing running jobs, then stopping (signal again to stop now)"}`);
      void worker.close(force).then(() => {
        console.log(`[worker ${worker.name}] stopped after ${worker.completed} job(s)`);
        resolve(0);
      });
      if (force) setTimeout(() => resolve(130), 2000).unref();
    };
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        signals++;
        if (signals === 1) stop(signal, false);
        else {
          console.log(`[worker ${worker.name}] ${signal} again: exiting`);
          resolve(130);
        }
      });
    }
    if (args.exitWithParent) {
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent) stop("the parent process exited", true);
      }, 500).unref();
    }
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
    console.error(error);
    process.exit(1);
  });
}
