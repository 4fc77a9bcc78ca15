/**
 * Torn tails: a store file cut short by seeded byte counts (as a kill mid-write, a full
 * disk or a bad copy would leave it) and the protocol run again: the result equals the
 * uninterrupted one, no row lost or written twice. A cut inside the header line must be
 * refused (naming the file) or repaired — never turned into a store without a header.
 * A resumable run's file, written by rename, cut short: an error naming the file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Random } from "../../src/core/random";
import { runSweep } from "../../src/experiments/sweep";
import { runPruningProtocol } from "../../src/experiments/pruning";
import { trainResumable } from "../../src/nn/resumable";
import { ResultStore } from "../../src/core/result-store";
import { SWEEP_CONFIG, PRUNING_SETTINGS, RESUMABLE_SPEC, RESUMABLE_OPTIONS, RESUMABLE_INIT_SEED, RESUMABLE_NAME, faultData, storeFileOf, tempDir } from "./setup";
import { checkStore, report, tasksOf } from "./harness";

const MIN_CUTS = 10;
const figures = { "torn-tail cuts survived": 0, "rows lost": 0, "rows duplicated": 0, "rows recomputed": 0, "header cuts handled": 0, "truncated run files refused": 0 };

type Protocol = "sweep" | "pruning";
const rerun = async (kind: Protocol, cacheDir: string): Promise<void> => {
  if (kind === "sweep") await runSweep(SWEEP_CONFIG, { cacheDir, data: faultData(), workers: 0 });
  else runPruningProtocol(faultData(), PRUNING_SETTINGS, { cacheDir });
};

/** A complete cache folder of `kind` to copy from. */
const references = new Map<Protocol, string>();
async function referenceOf(kind: Protocol): Promise<string> {
  if (!references.has(kind)) {
    const dir = tempDir(`${kind}-torn-ref`);
    await rerun(kind, dir);
    references.set(kind, dir);
  }
  return references.get(kind)!;
}

/** A copy of the reference cache with its store cut to `keep` bytes. */
function cutCopy(kind: Protocol, refDir: string, keep: number): { dir: string; file: string } {
  const dir = tempDir(`${kind}-torn`);
  fs.cpSync(refDir, dir, { recursive: true });
  const file = storeFileOf(kind, dir);
  fs.truncateSync(file, keep);
  return { dir, file };
}

for (const [kind, seed] of [["sweep", 11], ["pruning", 12]] as const) {
  test(`${kind}: the store cut by ${MIN_CUTS} seeded byte counts past its header, then rerun, equals the uninterrupted result`, async () => {
    const refDir = await referenceOf(kind);
    const refFile = storeFileOf(kind, refDir);
    const reference = tasksOf(refFile);
    const whole = fs.readFileSync(refFile);
    const headerBytes = whole.indexOf(10) + 1;
    const rng = new Random(seed);
    // 1 byte (the last newline only), then seeded cuts anywhere in the task lines
    const cuts = [1, ...Array.from({ length: MIN_CUTS - 1 }, () => 1 + rng.nextInt(whole.length - headerBytes))];
    let survived = 0;
    for (const cut of cuts) {
      const { dir, file } = cutCopy(kind, refDir, whole.length - cut);
      try {
        const before = ResultStore.read(file).rows().length;
        await rerun(kind, dir);
        const check = checkStore(file, reference, `${kind}, ${cut} bytes cut`);
        assert.equal(check.tasks, reference.size, `${kind}, ${cut} bytes cut: every task is there`);
        figures["rows recomputed"] += check.rows - before;
        figures["rows lost"] += check.lost;
        figures["rows duplicated"] += check.duplicated;
        assert.equal(check.lost, 0);
        assert.equal(check.duplicated, 0);
        survived++;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    figures["torn-tail cuts survived"] += survived;
    assert.ok(survived >= MIN_CUTS, `only ${survived} cuts`);
  });
}

test("a store cut inside its header line is refused naming the file, or repaired to the full result — never left without a header", async () => {
  const refDir = await referenceOf("sweep");
  const refFile = storeFileOf("sweep", refDir);
  const reference = tasksOf(refFile);
  const headerBytes = fs.readFileSync(refFile).indexOf(10) + 1;
  const rng = new Random(13);
  // an empty file, a cut just after the first byte, seeded cuts inside, the header without its newline
  const keeps = [0, 1, 1 + rng.nextInt(headerBytes - 2), 1 + rng.nextInt(headerBytes - 2), headerBytes - 1];
  const outcomes: string[] = [];
  const failures: string[] = [];
  for (const keep of keeps) {
    const { dir, file } = cutCopy("sweep", refDir, keep);
    try {
      const cutBytes = fs.readFileSync(file);
      let refused: Error | undefined;
      try {
        await rerun("sweep", dir);
      } catch (error) {
        refused = error as Error;
      }
      if (refused) {
        assert.ok(refused.message.includes(file), `header cut to ${keep} bytes: the error names the file: ${refused.message}`);
        assert.deepEqual(fs.readFileSync(file), cutBytes, `header cut to ${keep} bytes: a refused store is left as it was`);
        outcomes.push(`${keep}: refused`);
      } else {
        // repaired: the store must read back whole, with its header, and equal the uninterrupted run
        let check;
        try {
          check = checkStore(file, reference, `header cut to ${keep} bytes`);
        } catch (error) {
          failures.push(`header cut to ${keep} of ${headerBytes} bytes: the rerun succeeded but left a store that does not read back: ` +
            `${(error as Error).message}\n  its first line now: ${fs.readFileSync(file, "utf8").split("\n")[0].slice(0, 70)}…`);
          outcomes.push(`${keep}: headerless store`);
          continue;
        }
        assert.equal(check.tasks, reference.size);
        outcomes.push(`${keep}: repaired`);
      }
      figures["header cuts handled"]++;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`[faults] header cuts (kept bytes of ${headerBytes}): ${outcomes.join(", ")}`);
  assert.deepEqual(failures, [], failures.join("\n"));
  assert.equal(figures["header cuts handled"], keeps.length);
});

test(`a resumable run's file cut by ${MIN_CUTS} seeded byte counts is refused with an error naming the file, and left as it was`, () => {
  const dir = tempDir("resumable-torn");
  try {
    const where = { dir, name: RESUMABLE_NAME };
    const done = trainResumable(where, RESUMABLE_SPEC, RESUMABLE_INIT_SEED, faultData(), { ...RESUMABLE_OPTIONS, epochs: 2 });
    const whole = fs.readFileSync(done.file);
    const rng = new Random(14);
    const cuts = [1, whole.length, ...Array.from({ length: MIN_CUTS - 2 }, () => 1 + rng.nextInt(whole.length - 1))];
    let refused = 0;
    for (const cut of cuts) {
      fs.writeFileSync(done.file, whole.subarray(0, whole.length - cut));
      assert.throws(() => trainResumable(where, RESUMABLE_SPEC, RESUMABLE_INIT_SEED, faultData(), RESUMABLE_OPTIONS),
        (e: Error) => e.message.includes(done.file), `cut ${cut} bytes: the error names ${done.file}`);
      assert.deepEqual(fs.readFileSync(done.file), whole.subarray(0, whole.length - cut), `cut ${cut} bytes: the file is left as it was`);
      assert.equal(fs.existsSync(`${done.file}.lock`), false, `cut ${cut} bytes: no lock left behind`);
      refused++;
    }
    // the pruning protocol's base run, cut short: its error names the run file too
    const refDir = tempDir("pruning-torn-base");
    runPruningProtocol(faultData(), { ...PRUNING_SETTINGS, kinds: ["both"], levels: [50] }, { cacheDir: refDir });
    const baseDir = path.join(path.dirname(storeFileOf("pruning", refDir)), "base");
    const baseFile = path.join(baseDir, fs.readdirSync(baseDir).find((f) => f.endsWith(".json"))!);
    fs.truncateSync(baseFile, fs.statSync(baseFile).size >> 1);
    assert.throws(() => runPruningProtocol(faultData(), PRUNING_SETTINGS, { cacheDir: refDir }), (e: Error) => e.message.includes(baseFile));
    refused++;
    fs.rmSync(refDir, { recursive: true, force: true });
    figures["truncated run files refused"] += refused;
    assert.ok(refused >= MIN_CUTS);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.after(() => {
  for (const dir of references.values()) fs.rmSync(dir, { recursive: true, force: true });
  report("torn tails", figures);
});
