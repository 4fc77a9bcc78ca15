/**
 * `sparse-rnn-lab worker` (bin/sparse-rnn-lab.js): --help, strict arguments (unknown
 * options and bad values refused with the value named, exit 2), an unreachable Redis
 * named with its password masked (exit 1). No Redis needed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseWorkerArgs, CliExit } from "../../../src/experiments/queue/worker-cli";
import { mask, parseQueueUrl, jobIdOf } from "../../../src/experiments/queue/protocol";
import { freePort } from "../../../src/experiments/queue/local";
import { InProcessExecutor, QUEUE_ENV } from "../../../src/experiments/executor";
import { defaultExecutor } from "../../../src/experiments/default-executor";

const BIN = path.join(__dirname, "..", "..", "..", "bin", "sparse-rnn-lab.js");

function run(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, [QUEUE_ENV]: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function refused(args: string[], pattern: RegExp, env: NodeJS.ProcessEnv = {}): void {
  try {
    parseWorkerArgs(args, env);
  } catch (error) {
    assert.ok(error instanceof CliExit, String(error));
    assert.equal(error.code, 2, error.message);
    assert.match(error.message, pattern);
    return;
  }
  assert.fail(`${args.join(" ")} was accepted`);
}

test("the bin: --help (exit 0), a bad value (exit 2, named), an unreachable Redis (exit 1, password masked)", async () => {
  const help = run(["worker", "--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /Usage: sparse-rnn-lab worker --queue URL/);
  assert.match(help.stdout, /--concurrency N/);
  assert.match(help.stdout, /Security: .*127\.0\.0\.1/s);

  const bad = run(["worker", "--queue", "redis://127.0.0.1:6379/0", "--concurrency", "two"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--concurrency must be an integer in 1–1024, got "two"/);

  const port = await freePort();
  const away = run(["worker", "--queue", `redis://:hunter2@127.0.0.1:${port}/0`]);
  assert.equal(away.code, 1, away.stderr);
  assert.match(away.stderr, new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0: connect ECONNREFUSED`));
  assert.doesNotMatch(away.stderr + away.stdout, /hunter2/);
});

test("worker arguments are checked strictly, each refusal naming the option and the value", () => {
  const ok = parseWorkerArgs(["worker", "--queue", "redis://h:6379/2", "--concurrency", "3", "--lock-duration", "5000", "--stalled-interval", "2000", "--queue-name", "q1", "--exit-with-parent"]);
  assert.deepEqual(ok, { queue: "redis://h:6379/2", concurrency: 3, queueName: "q1", prefix: "bull", lockDuration: 5000, stalledInterval: 2000, maxStalled: 2, exitWithParent: true });
  assert.equal(parseWorkerArgs(["worker"], { [QUEUE_ENV]: "rediss://:pw@h:6380/0" }).queue, "rediss://:pw@h:6380/0");
  refused(["worker", "--queue", "redis://h/0", "--bogus", "1"], /unknown option '--bogus'/);
  refused(["worker", "--queue", "redis://h/0", "--concurrency", "0"], /--concurrency must be an integer in 1–1024, got "0"/);
  refused(["worker", "--queue", "redis://h/0", "--concurrency", "1.5"], /got "1\.5"/);
  refused(["worker", "--queue", "redis://h/0", "--lock-duration", "10"], /--lock-duration must be an integer in 500–3600000, got "10"/);
  refused(["worker", "--queue", "redis://h/0", "--stalled-interval", "-1"], /--stalled-interval/);
  refused(["worker", "--queue", "redis://h/0", "--queue-name", "a b"], /--queue-name .*got "a b"/);
  refused(["worker", "--queue"], /--queue <value>' argument missing/);
  refused(["worker"], /--queue is required \(or set SPARSE_RNN_QUEUE\)/);
  refused(["worker", "--queue", "http://h:1/0"], /must start with redis:\/\/ or rediss:\/\/ \(TLS\), not http:\/\//);
  refused(["worker", "--queue", "redis://:secret@h:1/x"], /"redis:\/\/:\*\*\*@h:1\/x": the database "x" is not a number/);
  refused(["worker", "--queue", "redis://h:1/0", "extra"], /unexpected argument extra/);
  refused(["serve"], /unknown command "serve"/);
  assert.throws(() => parseWorkerArgs(["worker", "--queue", "redis://:secret@h:1/x"]), (e: Error) => !e.message.includes("secret"));
});

test("queue URLs, masks and job ids", () => {
  assert.equal(mask("redis://:pw@h:1/0"), "redis://:***@h:1/0");
  assert.equal(mask("rediss://user:pw@h:1/0"), "rediss://user:***@h:1/0");
  assert.equal(mask("redis://h:1/0"), "redis://h:1/0");
  assert.equal(parseQueueUrl("rediss://h:6380/1").tls, true);
  const id = jobIdOf("structure-model", "0123456789abcdef", "GRU/barabasi_albert/3");
  assert.match(id, /^structure-model-[0-9a-f]{16}$/);
  assert.equal(jobIdOf("structure-model", "0123456789abcdef", "GRU/barabasi_albert/3"), id);
  assert.notEqual(jobIdOf("structure-model", "0123456789abcdee", "GRU/barabasi_albert/3"), id);
  assert.notEqual(jobIdOf("structure-model", "0123456789abcdef", "GRU/barabasi_albert/4"), id);
});

test("the default executor: in process unless SPARSE_RNN_QUEUE names a queue", async () => {
  const local = await defaultExecutor({ workers: 2 }, {});
  assert.ok(local instanceof InProcessExecutor);
  assert.equal(local.description, "in-process (2 worker threads)");
  const queued = await defaultExecutor({ workers: 2 }, { [QUEUE_ENV]: "redis://:pw@127.0.0.1:6399/3" });
  assert.equal(queued.description, "queue sparse-rnn-lab at redis://:***@127.0.0.1:6399/3");
  await queued.close();
  await assert.rejects(defaultExecutor({}, { [QUEUE_ENV]: "tcp://x" }), /must start with redis:\/\//);
});
