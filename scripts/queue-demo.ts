/**
 * The queue from a notebook's point of view, without Jupyter: starts a private
 * redis-server (127.0.0.1, free port) and two `sparse-rnn-lab worker` processes, then
 * runs the code cells of test/notebooks/fixtures/queue-sweep.ipynb — the cells notebook 04
 * uses to sweep through the queue — as one script with SPARSE_RNN_QUEUE set, so the
 * progress bar and the table print as text. Everything is stopped at the end.
 *
 *   node --import tsx scripts/queue-demo.ts [--workers N]
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startRedis, startWorkerProcess, WorkerProcess } from "../src/experiments/queue/local";
import { QUEUE_ENV } from "../src/experiments/executor";

const NOTEBOOK = path.join(__dirname, "..", "test", "notebooks", "fixtures", "queue-sweep.ipynb");

function parse(argv: string[]): { workers: number } {
  if (argv.length === 0) return { workers: 2 };
  if (argv.length === 2 && argv[0] === "--workers" && /^[1-8]$/.test(argv[1])) return { workers: Number(argv[1]) };
  console.error(`scripts/queue-demo.ts: expected [--workers 1–8], got "${argv.join(" ")}"`);
  process.exit(2);
}

/** The notebook's code cells as one script: imports first, the rest inside an async function (top-level await). */
function notebookScript(): string {
  const nb = JSON.parse(fs.readFileSync(NOTEBOOK, "utf8")) as { cells: Array<{ cell_type: string; source: string[] | string }> };
  const lines = nb.cells.filter((c) => c.cell_type === "code").flatMap((c) => (Array.isArray(c.source) ? c.source.join("") : c.source).split("\n"));
  const imports = lines.filter((l) => l.startsWith("import "));
  const body = lines.filter((l) => !l.startsWith("import "));
  return `${imports.join("\n")}\n(async () => {\n${body.join("\n")}\n})().catch((error) => { console.error(error); process.exit(1); });\n`;
}

async function main(): Promise<void> {
  const { workers: count } = parse(process.argv.slice(2));
  const redis = await startRedis();
  const workers: WorkerProcess[] = [];
  const script = path.join(path.dirname(NOTEBOOK), `.queue-demo-${process.pid}.ts`);
  try {
    console.log(`redis-server at ${redis.url}`);
    workers.push(...(await Promise.all(Array.from({ length: count }, () => startWorkerProcess(redis.url, { concurrency: 1, echo: (line) => console.log(`  ${line}`) })))));
    fs.writeFileSync(script, notebookScript());
    console.log(`running the code cells of ${path.relative(process.cwd(), NOTEBOOK)} with ${QUEUE_ENV}=${redis.url}`);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: "inherit", env: { ...process.env, [QUEUE_ENV]: redis.url } });
      child.once("exit", (c) => resolve(c));
    });
    if (code !== 0) process.exitCode = 1;
  } finally {
    fs.rmSync(script, { force: true });
    for (const w of workers) await w.kill("SIGTERM");
    await redis.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
