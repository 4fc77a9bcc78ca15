import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  STRUCTURE_STUDY_COLUMNS, checkStructureStudySettings, ceilingReplicateSeed, planCeiling, planSmallWorld, runStructureStudy, structureStudySettings,
  type StructureStudySettings, type StudyProgress,
} from "../../src/experiments/structure-study";
import { parseStructureStudyCsv, structureStudyCsv } from "../../src/experiments/structure-study-rows";
import { SWEEP_PROFILES, planSweep } from "../../src/experiments/sweep";
import { trainStructureModel } from "../../src/experiments/structure-model";
import { ResultStore } from "../../src/core/result-store";
import { averageClustering, graphFromEdges, graphProperties, parseEdges, PROPERTY_COLUMNS, WATTS_STROGATZ_P_SWEEP } from "../../src/graph";
import { generateDataset } from "../../src/data";

/** The quick profile cut down further: 2 WS p + BA, one variant and mapping each way, 2 seeds. */
function tiny(): StructureStudySettings {
  const s = structureStudySettings("quick");
  return { ...s, smallWorld: { ...s.smallWorld, modes: ["RNN_TANH"], rewiring: [0, 1], matched: ["barabasi_albert"], graphs: 2 }, ceiling: { ...s.ceiling, graphs: 1 } };
}

test("the small-world plan: every WS p and matched family, the same graphs and seeds for every variant and mapping, WS at k = n // 5", () => {
  const settings = structureStudySettings("thesis");
  const plan = planSmallWorld(settings);
  const s = settings.smallWorld;
  assert.equal(plan.length, s.modes.length * s.mappings.length * (s.rewiring.length + s.matched.length) * s.graphs * s.seeds);
  assert.deepEqual(s.rewiring, [...WATTS_STROGATZ_P_SWEEP]);
  assert.equal(new Set(plan.map((m) => m.key)).size, plan.length);
  assert.deepEqual(planSmallWorld(settings).map((m) => [m.task.seed, m.task.edges]), plan.map((m) => [m.task.seed, m.task.edges]));
  // paired: the GRU/layered and RNN_TANH/recurrent models of a graph share its edges and seeds
  const key = (m: (typeof plan)[number]) => `${m.graph}/${m.rewiring}/${m.graphNr}/${m.replicate}`;
  const gru = new Map(plan.filter((m) => m.task.mode === "GRU" && m.task.mapping === "layered").map((m) => [key(m), m.task]));
  let paired = 0;
  for (const m of plan.filter((x) => x.task.mode === "RNN_TANH" && x.task.mapping === "recurrent")) {
    assert.deepEqual([m.task.edges, m.task.seed], [gru.get(key(m))!.edges, gru.get(key(m))!.seed]);
    paired++;
  }
  assert.equal(paired, plan.length / 4);
  let ws = 0;
  for (const m of plan.filter((x) => x.replicate === 0 && x.task.mode === "GRU" && x.task.mapping === "layered")) {
    const n = m.task.nodes, half = Math.floor(Math.floor(n / 5) / 2);
    assert.ok(n >= 10 && n <= 50 && graphProperties(graphFromEdges(n, m.task.edges)).nodes === n);
    if (m.graph === "watts_strogatz") {
      assert.equal(m.task.edges.length, n * half, `${m.key}: rewiring keeps the lattice's n·⌊k/2⌋ edges`);
      ws++;
    }
    if (m.graph === "barabasi_albert") assert.equal(m.task.edges.length, Math.max(1, half) * (n - Math.max(1, half)), m.key);
    if (m.graph === "watts_strogatz" && m.rewiring === 0 && half >= 2) assert.ok(averageClustering(graphFromEdges(n, m.task.edges)) > 0.4, "the ring lattice is clustered");
  }
  assert.equal(ws, s.rewiring.length * s.graphs);
  assert.ok(plan.every((m) => m.task.layout === "tile"), "gate masks follow the graph");
});

test("the ceiling plan repeats the sweep of record's models: replicate 0 is the sweep's task, others differ only in their seed", () => {
  const settings = structureStudySettings("thesis");
  const plan = planCeiling(settings);
  const sweep = planSweep({ ...SWEEP_PROFILES.thesis, modes: settings.ceiling.modes, graphs: settings.ceiling.graphs });
  assert.equal(plan.length, sweep.length * settings.ceiling.seeds);
  let checked = 0;
  for (const m of sweep) {
    const mine = plan.filter((p) => p.key.startsWith(`${m.key}/`));
    assert.equal(mine.length, settings.ceiling.seeds);
    assert.deepEqual(mine[0].task, m.task, "replicate 0: the sweep's own task");
    mine.slice(1).forEach((p, i) => assert.deepEqual(p.task, { ...m.task, seed: ceilingReplicateSeed(m.seed, i + 1) }));
    checked++;
  }
  assert.equal(checked, settings.ceiling.modes.length * 2 * settings.ceiling.graphs);
  assert.ok(checked >= 40);
  assert.equal(settings.ceiling.sweep, "thesis");
  assert.deepEqual([SWEEP_PROFILES.thesis.epochs, SWEEP_PROFILES.thesis.batchSize], [15, 128]);
});

test("bad settings are refused before any work, naming the value", async () => {
  const s = structureStudySettings("quick");
  assert.throws(() => checkStructureStudySettings({ ...s, smallWorld: { ...s.smallWorld, seeds: 1 } }), /smallWorld\.seeds must be ≥ 2, got 1/);
  assert.throws(() => checkStructureStudySettings({ ...s, smallWorld: { ...s.smallWorld, rewiring: [0, 1.5] } }), /smallWorld\.rewiring\[1\] must be a probability in \[0, 1\] with at most 4 decimals, got 1\.5/);
  assert.throws(() => checkStructureStudySettings({ ...s, smallWorld: { ...s.smallWorld, rewiring: [0, NaN] } }), /smallWorld\.rewiring\[1\] must be a probability in \[0, 1\] with at most 4 decimals, got NaN/);
  assert.throws(() => checkStructureStudySettings({ ...s, smallWorld: { ...s.smallWorld, nodes: [8, 20] } }), /smallWorld\.nodes\[0\] must be ≥ 10, got 8/);
  assert.throws(() => checkStructureStudySettings({ ...s, smallWorld: { ...s.smallWorld, nodes: [30, 20] } }), /lo ≤ hi, got \[30, 20\]/);
  assert.throws(() => checkStructureStudySettings({ ...s, smallWorld: { ...s.smallWorld, rewiring: [], matched: [] } }), /rewiring and matched are both empty/);
  assert.throws(() => checkStructureStudySettings({ ...s, ceiling: { ...s.ceiling, sweep: "full" as never } }), /ceiling\.sweep must be one of "quick", "thesis", got "full"/);
  assert.throws(() => checkStructureStudySettings({ ...s, smallWorld: { ...s.smallWorld, mapings: ["layered"] } as never }), /unknown setting "mapings"; did you mean "mappings"\?/);
  await assert.rejects(runStructureStudy({ ...s, ceiling: { ...s.ceiling, seeds: 0 } }, { cacheDir: "/nonexistent/never-created" }), /ceiling\.seeds must be ≥ 2, got 0/);
  assert.ok(!fs.existsSync("/nonexistent/never-created"));
});

test("a tiny study end to end: typed rows with every property, both parts, resumable, bit-identical on a rerun, replicate 0 = the sweep's model", async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "structure-study-"));
  const settings = tiny();
  const seen: StudyProgress[] = [];
  const first = await runStructureStudy(settings, { cacheDir, workers: 2, onProgress: (p) => seen.push(p) });
  const small = 1 * 2 * 3 * 2 * 2, ceiling = 1 * 2 * 1 * 2; // modes × mappings × families × graphs × seeds; modes × families × graphs × seeds
  assert.equal(first.rows.length, small + ceiling);
  assert.equal(first.computed, small + ceiling);
  assert.equal(seen.filter((p) => p.row).length, small + ceiling);
  assert.equal(seen[seen.length - 1].done, small + ceiling);
  for (const row of first.rows) {
    assert.ok(row.test_acc >= 0 && row.test_acc <= 1 && row.time > 0 && row.parameters > 0);
    const g = graphFromEdges(row.nodes, parseEdges(row.edge_list));
    const props = graphProperties(g);
    for (const c of PROPERTY_COLUMNS) assert.equal(row[c], props[c], `${row.part} ${row.graph} ${c}`);
    assert.equal(row.average_clustering, averageClustering(g));
    assert.equal(row.rewiring_p === null, row.graph !== "watts_strogatz");
  }
  // the ring lattice (p = 0) is regular: no degree assortativity (null, an empty CSV cell)
  assert.ok(first.rows.some((r) => r.rewiring_p === 0 && r.degree_assortativity === null));
  const store = ResultStore.read(path.join(first.dirs.small_world, "results.jsonl"));
  assert.deepEqual(store.columns, STRUCTURE_STUDY_COLUMNS);

  // a rerun reads everything back, the same bits
  const again = await runStructureStudy(settings, { cacheDir, workers: 0 });
  assert.equal(again.computed, 0);
  assert.deepEqual(again.rows, first.rows);
  // a larger study extends the cache: only the new seed trains
  const more = await runStructureStudy({ ...settings, smallWorld: { ...settings.smallWorld, seeds: 3 } }, { cacheDir, workers: 0 });
  assert.equal(more.computed, small / 2);

  // replicate 0 of the ceiling part is the sweep's own model, bit for bit
  const sweepModel = planSweep({ ...SWEEP_PROFILES.quick, modes: ["GRU"], graphs: 1 })[0];
  const data = generateDataset({ size: SWEEP_PROFILES.quick.datasetSize, seed: SWEEP_PROFILES.quick.seed });
  const outcome = await trainStructureModel(sweepModel.task, data);
  const row = first.rows.find((r) => r.part === "ceiling" && r.graph === sweepModel.graph && r.graph_nr === 0 && r.replicate === 0)!;
  assert.deepEqual([row.test_acc, row.test_loss, row.seed], [outcome.test_acc, outcome.test_loss, sweepModel.seed]);
  const other = first.rows.find((r) => r.part === "ceiling" && r.graph === sweepModel.graph && r.graph_nr === 0 && r.replicate === 1)!;
  assert.equal(other.edge_list, row.edge_list);
  assert.notEqual(other.seed, row.seed);

  // the CSV round trip keeps every value (nulls as empty cells)
  const text = structureStudyCsv(first.rows);
  assert.deepEqual(parseStructureStudyCsv(text, "study.csv"), first.rows);
  const broken = text.replace(/\n(small_world,RNN_TANH,)/, "\nsmall_world,RNN_TANX,");
  assert.throws(() => parseStructureStudyCsv(broken, "study.csv"), /study\.csv:2: column "mode" must be one of RNN_TANH, RNN_RELU, GRU, LSTM, got "RNN_TANX"/);
});
