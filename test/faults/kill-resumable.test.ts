/**
 * kill -9 at seeded points of a resumable training (ResumableRun, a checkpoint per
 * epoch written by rename, the run locked while it trains): killed again and again
 * until it completes; the run's file then holds every epoch once, with the numbers
 * and the final checkpoint of an uninterrupted run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { trainResumable } from "../../src/nn/resumable";
import type { EpochRecord } from "../../src/nn/train";
import { RESUMABLE_SPEC, RESUMABLE_OPTIONS, RESUMABLE_INIT_SEED, RESUMABLE_NAME, faultData, runFileOf, tempDir } from "./setup";
import { Scope, killLoop, leftBehind, ownerPid, report } from "./harness";

const MIN_KILLS = 10;

function epochsOnDisk(file: string): number {
  try {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { records: unknown[] }).records.length;
  } catch {
    return 0;
  }
}

const withoutSeconds = (records: EpochRecord[]) => records.map(({ seconds: _s, ...numbers }) => numbers);

test("a resumable training killed -9 at ≥ 10 seeded points completes to the uninterrupted run", async () => {
  const refDir = tempDir("resumable-ref");
  const reference = trainResumable({ dir: refDir, name: RESUMABLE_NAME }, RESUMABLE_SPEC, RESUMABLE_INIT_SEED, faultData(), RESUMABLE_OPTIONS);
  const refRun = JSON.parse(fs.readFileSync(reference.file, "utf8"));
  const seconds = reference.records.map((r) => r.seconds * 1000).sort((a, b) => a - b);
  const unitMs = seconds[seconds.length >> 1];
  const total = RESUMABLE_OPTIONS.epochs;

  const scope = new Scope();
  try {
    const figures = await killLoop(scope, {
      kind: "resumable", seed: 303, minKills: MIN_KILLS, unitMs, budgetMs: 60_000,
      watched: runFileOf,
      progress: epochsOnDisk,
      inWork: (file, pid) => ownerPid(`${file}.lock`) === pid,
      classify: (file, pid) => {
        const left = leftBehind(file, pid);
        if (left.tmp.length > 0) return "mid-write";
        return left.lock && epochsOnDisk(file) < total ? "mid-epoch" : "outside the run";
      },
      verify: (dir) => {
        const file = runFileOf(dir);
        assert.equal(file.replace(dir, ""), reference.file.replace(refDir, ""), "the run file is named by the same identity");
        const run = JSON.parse(fs.readFileSync(file, "utf8"));
        const epochs = (run.records as EpochRecord[]).map((r) => r.epoch);
        assert.deepEqual(withoutSeconds(run.records), withoutSeconds(refRun.records), "epoch records equal the uninterrupted run's");
        assert.deepEqual(run.checkpoint, refRun.checkpoint, "the final checkpoint (weights, Adam state) equals the uninterrupted run's");
        assert.equal(fs.existsSync(`${file}.lock`), false, "the run's lock is released");
        const lost = Array.from({ length: total }, (_, i) => i + 1).filter((e) => !epochs.includes(e)).length;
        return { lost, duplicated: epochs.length - new Set(epochs).size };
      },
    }, tempDir);
    report("kill -9, resumable training", {
      "kills survived": figures.kills, "mid-epoch": figures.landed["mid-epoch"] ?? 0, "mid-write": figures.landed["mid-write"] ?? 0,
      "outside the run": figures.landed["outside the run"] ?? 0, rounds: figures.rounds, "driver runs": figures.spawns,
      "epochs lost": figures.lost, "epochs duplicated": figures.duplicated, "files left behind": figures.leftovers, "epoch ms": Math.round(unitMs),
    });
    assert.ok(figures.kills >= MIN_KILLS, `only ${figures.kills} kills`);
    assert.ok((figures.landed["mid-epoch"] ?? 0) + (figures.landed["mid-write"] ?? 0) >= MIN_KILLS / 2, `kills should mostly land inside an epoch: ${JSON.stringify(figures.landed)}`);
    assert.equal(figures.lost, 0, "epochs lost");
    assert.equal(figures.duplicated, 0, "epochs duplicated");
  } finally {
    await scope.close();
    fs.rmSync(refDir, { recursive: true, force: true });
  }
});
