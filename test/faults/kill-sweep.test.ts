/**
 * kill -9 at seeded points of a sweep (runSweep on the result store): the driver is
 * SIGKILLed again and again until the sweep completes; the store then equals an
 * uninterrupted run's (timings aside), no row lost or written twice.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { runSweep } from "../../src/experiments/sweep";
import { SWEEP_CONFIG, faultData, storeFileOf, expectedKeys, tempDir } from "./setup";
import { Scope, checkStore, killLoop, leftBehind, report, taskLinesOnDisk, tasksOf } from "./harness";

const MIN_KILLS = 10;

test("a sweep killed -9 at ≥ 10 seeded points completes to the uninterrupted result", async () => {
  const refDir = tempDir("sweep-ref");
  await runSweep(SWEEP_CONFIG, { cacheDir: refDir, data: faultData(), workers: 0 });
  const reference = tasksOf(storeFileOf("sweep", refDir));
  assert.deepEqual([...reference.keys()].sort(), expectedKeys("sweep").sort());
  const times = [...reference.values()].map((rows) => (rows[0].time as number) * 1000).sort((a, b) => a - b);
  const unitMs = times[times.length >> 1];

  const scope = new Scope();
  try {
    const figures = await killLoop(scope, {
      kind: "sweep", seed: 101, minKills: MIN_KILLS, unitMs, budgetMs: 60_000,
      watched: (dir) => storeFileOf("sweep", dir),
      progress: taskLinesOnDisk,
      inWork: (file, pid) => leftBehind(file, pid).claims.length > 0,
      classify: (file, pid) => {
        const left = leftBehind(file, pid);
        return left.lock ? "inside the store lock" : left.claims.length > 0 ? "mid-task" : "between tasks";
      },
      verify: (dir) => {
        const check = checkStore(storeFileOf("sweep", dir), reference, "sweep after kills");
        assert.equal(check.tasks, reference.size);
        assert.equal(check.rows, reference.size, "one row per model");
        return check;
      },
    }, tempDir);
    report("kill -9, sweep", {
      "kills survived": figures.kills, "mid-task": figures.landed["mid-task"] ?? 0, "between tasks": figures.landed["between tasks"] ?? 0,
      "inside the store lock": figures.landed["inside the store lock"] ?? 0, rounds: figures.rounds, "driver runs": figures.spawns,
      "rows lost": figures.lost, "rows duplicated": figures.duplicated, "files left behind": figures.leftovers, "model ms": Math.round(unitMs),
    });
    assert.ok(figures.kills >= MIN_KILLS, `only ${figures.kills} kills`);
    assert.ok((figures.landed["mid-task"] ?? 0) >= MIN_KILLS / 2, `kills should mostly land inside a model: ${JSON.stringify(figures.landed)}`);
    assert.equal(figures.lost, 0, "rows lost");
    assert.equal(figures.duplicated, 0, "rows duplicated");
  } finally {
    await scope.close();
    fs.rmSync(refDir, { recursive: true, force: true });
  }
});
