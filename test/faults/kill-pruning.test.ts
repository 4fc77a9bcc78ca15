/**
 * kill -9 at seeded points of the pruning protocol (runPruningProtocol on the result
 * store, the base model a ResumableRun checkpointed per epoch): killed again and again
 * until it completes; the store then equals an uninterrupted run's (timings aside).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runPruningProtocol } from "../../src/experiments/pruning";
import { PRUNING_SETTINGS, faultData, storeFileOf, expectedKeys, expectedRowCount, tempDir } from "./setup";
import { Scope, checkStore, filesUnder, killLoop, leftBehind, ownerPid, report, taskLinesOnDisk, tasksOf } from "./harness";

const MIN_KILLS = 10;

test("a pruning protocol killed -9 at ≥ 10 seeded points completes to the uninterrupted result", async () => {
  const refDir = tempDir("pruning-ref");
  runPruningProtocol(faultData(), PRUNING_SETTINGS, { cacheDir: refDir });
  const reference = tasksOf(storeFileOf("pruning", refDir));
  assert.deepEqual([...reference.keys()].sort(), expectedKeys("pruning").sort());
  assert.equal([...reference.values()].flat().length, expectedRowCount("pruning"));
  const taskMs = [...reference.values()].map((rows) => rows.reduce((a, r) => a + (r.time as number), 0) * 1000).sort((a, b) => a - b);
  const unitMs = taskMs[taskMs.length >> 1];
  /** the base model's run lock, held by `pid` (a kill inside the base task) */
  const baseLockedBy = (file: string, pid: number) =>
    filesUnder(path.join(path.dirname(file), "base")).some((f) => f.endsWith(".lock") && ownerPid(path.join(path.dirname(file), "base", f)) === pid);

  const scope = new Scope();
  try {
    const figures = await killLoop(scope, {
      kind: "pruning", seed: 202, minKills: MIN_KILLS, unitMs, budgetMs: 60_000,
      watched: (dir) => storeFileOf("pruning", dir),
      progress: taskLinesOnDisk,
      inWork: (file, pid) => leftBehind(file, pid).claims.length > 0,
      classify: (file, pid) => {
        const left = leftBehind(file, pid);
        if (left.lock) return "inside the store lock";
        if (baseLockedBy(file, pid)) return "mid-task (base training)";
        return left.claims.length > 0 ? "mid-task" : "between tasks";
      },
      verify: (dir) => {
        const file = storeFileOf("pruning", dir);
        const check = checkStore(file, reference, "pruning after kills");
        assert.equal(check.rows, expectedRowCount("pruning"));
        // the base run's file is complete and equals the reference's numbers
        const runs = filesUnder(path.join(path.dirname(file), "base")).filter((f) => f.endsWith(".json"));
        assert.equal(runs.length, 1, `one base run file: ${runs.join(", ")}`);
        const refRuns = filesUnder(path.join(path.dirname(storeFileOf("pruning", refDir)), "base")).filter((f) => f.endsWith(".json"));
        assert.deepEqual(runs, refRuns, "the base run's file is named by the same identity");
        const run = JSON.parse(fs.readFileSync(path.join(path.dirname(file), "base", runs[0]), "utf8"));
        const refRun = JSON.parse(fs.readFileSync(path.join(path.dirname(storeFileOf("pruning", refDir)), "base", refRuns[0]), "utf8"));
        assert.deepEqual(run.checkpoint, refRun.checkpoint, "the base model's checkpoint equals the uninterrupted one");
        return check;
      },
    }, tempDir);
    const mid = (figures.landed["mid-task"] ?? 0) + (figures.landed["mid-task (base training)"] ?? 0);
    report("kill -9, pruning protocol", {
      "kills survived": figures.kills, "mid-task": mid, "of them in base training": figures.landed["mid-task (base training)"] ?? 0,
      "between tasks": figures.landed["between tasks"] ?? 0, "inside the store lock": figures.landed["inside the store lock"] ?? 0,
      rounds: figures.rounds, "driver runs": figures.spawns, "rows lost": figures.lost, "rows duplicated": figures.duplicated, "files left behind": figures.leftovers, "task ms": Math.round(unitMs),
    });
    assert.ok(figures.kills >= MIN_KILLS, `only ${figures.kills} kills`);
    assert.ok(mid >= MIN_KILLS / 2, `kills should mostly land inside a task: ${JSON.stringify(figures.landed)}`);
    assert.equal(figures.lost, 0, "rows lost");
    assert.equal(figures.duplicated, 0, "rows duplicated");
  } finally {
    await scope.close();
    fs.rmSync(refDir, { recursive: true, force: true });
  }
});
