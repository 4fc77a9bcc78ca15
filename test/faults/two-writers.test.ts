/**
 * Two writers on one cache: two processes started together on the same sweep (and the
 * same pruning) cache share the tasks through claims — every task computed exactly once
 * across both — and the store equals an uninterrupted run's. One writer killed -9 while
 * it holds a claim: the other takes the stale claim over and completes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSweep } from "../../src/experiments/sweep";
import { runPruningProtocol } from "../../src/experiments/pruning";
import { ResumableRun } from "../../src/nn/resumable";
import { ResultStore, Row } from "../../src/core/result-store";
import { shortHash } from "../../src/core/hash";
import { SWEEP_CONFIG, PRUNING_SETTINGS, faultData, storeFileOf, expectedKeys, tempDir } from "./setup";
import { Driver, Scope, checkStore, ownerPid, report, tasksOf, until } from "./harness";

type Protocol = "sweep" | "pruning";
const figures: Record<string, number> = { "two-writer runs": 0, "tasks shared": 0, "tasks computed twice": 0, "rows lost": 0, "rows duplicated": 0, "stale claims taken over": 0 };

const references = new Map<Protocol, Map<string, Row[]>>();
async function referenceOf(kind: Protocol): Promise<Map<string, Row[]>> {
  if (!references.has(kind)) {
    const dir = tempDir(`${kind}-2w-ref`);
    if (kind === "sweep") await runSweep(SWEEP_CONFIG, { cacheDir: dir, data: faultData(), workers: 0 });
    else runPruningProtocol(faultData(), PRUNING_SETTINGS, { cacheDir: dir });
    references.set(kind, tasksOf(storeFileOf(kind, dir)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return references.get(kind)!;
}

/** Every key computed by exactly one of the drivers, all keys computed. */
function assertShared(kind: Protocol, drivers: Driver[], what: string): void {
  const trained = drivers.flatMap((d) => d.trained());
  const twice = trained.filter((k, i) => trained.indexOf(k) !== i);
  figures["tasks computed twice"] += twice.length;
  assert.deepEqual(twice, [], `${what}: tasks computed by both writers`);
  assert.deepEqual([...trained].sort(), expectedKeys(kind).sort(), `${what}: every task computed once in all`);
}

for (const kind of ["sweep", "pruning"] as const) {
  test(`${kind}: two writers started together share the tasks, each computed once, and the store equals the uninterrupted one`, async () => {
    const reference = await referenceOf(kind);
    const scope = new Scope();
    const cacheDir = tempDir(`${kind}-2w`);
    try {
      // warm both, then start them at the same moment
      const drivers = [scope.spawn(kind, cacheDir, ["--wait"]), scope.spawn(kind, cacheDir, ["--wait"])];
      for (const d of drivers) assert.ok(await d.waitForLine((l) => l === "warm"), d.stderr);
      for (const d of drivers) d.go();
      await Promise.all(drivers.map((d) => d.finished()));
      const counts = drivers.map((d) => d.trained().length);
      assertShared(kind, drivers, `${kind}, two writers`);
      const check = checkStore(storeFileOf(kind, cacheDir), reference, `${kind}, two writers`);
      figures["two-writer runs"]++;
      figures["tasks shared"] += Math.min(...counts);
      figures["rows lost"] += check.lost;
      figures["rows duplicated"] += check.duplicated;
      assert.equal(check.lost, 0);
      assert.equal(check.duplicated, 0);
      console.log(`[faults] ${kind}, two writers: tasks computed ${counts.join(" + ")}`);
    } finally {
      await scope.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test(`${kind}: a writer killed -9 while holding a claim — the other takes the stale claim over and completes`, async () => {
    const reference = await referenceOf(kind);
    const scope = new Scope();
    const cacheDir = tempDir(`${kind}-2w-kill`);
    const file = storeFileOf(kind, cacheDir);
    const claimDir = `${file}.claims`;
    try {
      const [victim, survivor] = [scope.spawn(kind, cacheDir, ["--wait"]), scope.spawn(kind, cacheDir, ["--wait"])];
      for (const d of [victim, survivor]) assert.ok(await d.waitForLine((l) => l === "warm"), d.stderr);
      victim.go();
      survivor.go();
      // SIGKILL the victim the moment it is seen holding a claim (the pruning protocol's first is its base
      // model, which every other task waits for); the survivor runs on meanwhile
      const claimsOfVictim = () => (fs.existsSync(claimDir) ? fs.readdirSync(claimDir).filter((f) => !f.includes(".owner-") && ownerPid(path.join(claimDir, f)) === victim.pid) : []);
      // the claim is named at the moment of the kill: the survivor may take it over before we look again
      let held: string | undefined;
      const seen = await until(() => {
        held = claimsOfVictim()[0];
        if (held === undefined) return false;
        victim.child.kill("SIGKILL");
        return true;
      }, () => !victim.running);
      assert.ok(seen, `the victim finished before it was seen holding a claim: ${victim.lines.join(" | ")}`);
      await victim.kill();
      await survivor.finished();
      const heldKey = expectedKeys(kind).find((k) => shortHash(k) === held)!;
      assert.ok(heldKey, `the claim ${held} is one of the tasks`);
      // the signal may land just after the victim appended that task and released its claim: then it is simply done
      const victimFinishedIt = !survivor.trained().includes(heldKey) && ResultStore.read(file).has(heldKey) && victim.trained().includes(heldKey);
      assert.ok(survivor.trained().includes(heldKey) || victimFinishedIt, `the survivor computed the task the victim held (${heldKey})`);
      if (victimFinishedIt) figures["kills after the claim was released"] = (figures["kills after the claim was released"] ?? 0) + 1;
      else figures["stale claims taken over"]++;
      const victimDone = victim.trained().filter((k) => k !== heldKey && ResultStore.read(file).has(k));
      assert.deepEqual(victimDone.filter((k) => survivor.trained().includes(k)), [], "no task finished by the victim was computed again");
      const check = checkStore(file, reference, `${kind}, victim killed`);
      figures["rows lost"] += check.lost;
      figures["rows duplicated"] += check.duplicated;
      assert.equal(check.tasks, reference.size);
      assert.equal(check.lost, 0);
      assert.equal(check.duplicated, 0);
    } finally {
      await scope.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
}

test("pruning: a pruned task does not fail while another process holds its (finished) base model's run open", async () => {
  // Two writers reach pruned tasks of one variant at about the same time: each opens the
  // finished base run (ResumableRun, which takes the run's lock) to load the base model.
  // Here the test process holds that run open for a moment while a writer starts a pruned task.
  const cacheDir = tempDir("pruning-base-open");
  const scope = new Scope();
  let held: ResumableRun | undefined;
  try {
    runPruningProtocol(faultData(), PRUNING_SETTINGS, { cacheDir, stage: "base" });
    const dir = path.dirname(storeFileOf("pruning", cacheDir));
    const spec = { mode: "GRU" as const, vocab: PRUNING_SETTINGS.vocab, layers: PRUNING_SETTINGS.layers.map((size) => ({ size })), skips: [], classes: 2 };
    const s = PRUNING_SETTINGS;
    held = new ResumableRun({ dir: path.join(dir, "base"), name: "GRU" }, spec, s.seed, faultData(),
      { batchSize: s.batchSize, padding: s.padding, backend: s.backend, lr: s.lr, seed: s.seed, epochs: s.baseEpochs });
    assert.ok(held.done && held.resumedFrom === s.baseEpochs, "the test holds the finished base run of the cache");
    const writer = scope.spawn("pruning", cacheDir);
    await writer.waitForLine((l) => l.startsWith("start gru_prune"));
    setTimeout(() => { held?.close(); held = undefined; }, 500); // a reader holds it only briefly
    await writer.finished(30_000);
    const check = checkStore(storeFileOf("pruning", cacheDir), await referenceOf("pruning"), "pruning, base run held open");
    assert.equal(check.lost, 0);
  } finally {
    held?.close();
    await scope.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test.after(() => report("two writers", figures));
