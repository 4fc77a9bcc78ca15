import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateDataset } from "../../src/data";
import { planSweep, runSweep, sweepProfile, STRUCTURE_COLUMNS, SweepConfig, SweepProgress } from "../../src/experiments/sweep";
import { ResultStore } from "../../src/core/result-store";
import { graphFromEdges, graphProperties, parseEdges, PROPERTY_COLUMNS, graphToSpec, layerEdges } from "../../src/graph";
import { Network, train } from "../../src/nn";
import { trainStructureModel } from "../../src/experiments/structure-model";

const quick: SweepConfig = sweepProfile("quick");

test("the plan is deterministic, covers modes × families × graphs, and follows the thesis's graph parameters", () => {
  const thesis = sweepProfile("thesis");
  const plan = planSweep({ ...thesis, graphs: 30 });
  assert.equal(plan.length, 4 * 2 * 30);
  assert.equal(new Set(plan.map((m) => m.key)).size, plan.length);
  assert.equal(new Set(plan.map((m) => m.seed)).size, plan.length);
  assert.deepEqual(planSweep({ ...thesis, graphs: 30 }).map((m) => [m.seed, m.task.edges]), plan.map((m) => [m.seed, m.task.edges]));
  for (const m of plan) {
    const n = m.task.nodes;
    assert.ok(n >= 10 && n <= 50, m.key);
    assert.equal(m.properties.nodes, n);
    if (m.graph === "barabasi_albert") assert.equal(m.properties.source_nodes, Math.floor(n / 10), m.key);
    else assert.equal(m.properties.edges, n * Math.floor(Math.floor(n / 5) / 2), m.key);
  }
  // n is spread over the whole range
  const ns = plan.map((m) => m.task.nodes);
  assert.ok(Math.min(...ns) <= 13 && Math.max(...ns) >= 47, `n range ${Math.min(...ns)}–${Math.max(...ns)}`);
  assert.equal(thesis.graphs * thesis.modes.length * thesis.families.length, 800);
  // the third family, beyond the thesis: connected G(n, 0.15)
  for (const m of planSweep({ ...thesis, modes: ["GRU"], families: ["erdos_renyi"], graphs: 10 })) {
    assert.equal(m.graph, "erdos_renyi");
    assert.ok(m.properties.diameter > 0 && Number.isFinite(m.properties.average_shortest_path_length), m.key);
  }
  assert.throws(() => planSweep({ ...thesis, families: ["small_world" as never] }), /SweepConfig.families\[0\] must be one of "barabasi_albert", "watts_strogatz", "erdos_renyi", got "small_world"/);
});

test("quick sweep on two workers: one row per model in the thesis's schema, written as models finish, resumable", async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-"));
  const data = generateDataset({ size: 240, seed: 7 });
  const seen: SweepProgress[] = [];
  const result = await runSweep(quick, { cacheDir, data, workers: 2, onProgress: (p) => seen.push(p) });
  const rows = result.rows;
  const total = quick.modes.length * quick.families.length * quick.graphs;
  assert.equal(rows.length, total);
  assert.equal(result.computed, total);
  assert.deepEqual(seen.map((p) => p.done), Array.from({ length: total + 1 }, (_, i) => i));
  const store = ResultStore.read(path.join(result.dir, "results.jsonl"));
  assert.deepEqual(store.columns, STRUCTURE_COLUMNS);
  assert.ok(STRUCTURE_COLUMNS.join(",").startsWith("mode,graph,graph_nr,layers,nodes,edges,source_nodes,sink_nodes,diameter,density,"));
  for (const row of rows) {
    assert.ok((row.test_acc as number) >= 0 && (row.test_acc as number) <= 1);
    assert.ok((row.test_loss as number) > 0 && (row.time as number) > 0);
    // the edge list rebuilds the graph and its properties
    const props = graphProperties(graphFromEdges(row.nodes as number, parseEdges(row.edge_list as string)));
    for (const c of PROPERTY_COLUMNS) assert.ok(Math.abs(props[c] - (row[c] as number)) <= 1e-12 * Math.max(1, Math.abs(props[c])), `${row.mode}/${row.graph}/${row.graph_nr} ${c}`);
  }
  // rerun: everything cached, nothing trained
  const again: SweepProgress[] = [];
  const cached = await runSweep(quick, { cacheDir, data, workers: 2, onProgress: (p) => again.push(p) });
  assert.deepEqual(again, [{ done: total, total }]);
  assert.deepEqual(cached.rows, rows);
  assert.equal(cached.dir, result.dir);
  // interrupted run: drop the last two tasks, the rerun trains exactly those
  const file = path.join(result.dir, "results.jsonl");
  const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
  fs.writeFileSync(file, lines.slice(0, -2).join("\n") + "\n");
  const resumed: SweepProgress[] = [];
  const after = await runSweep(quick, { cacheDir, data, workers: 0, onProgress: (p) => resumed.push(p) });
  assert.deepEqual(resumed.map((p) => p.done), [total - 2, total - 1, total]);
  assert.equal(after.rows.length, total);
  assert.equal(after.computed, 2);
  // another configuration, or another data set of the same size, gets its own cache folder
  const other = await runSweep({ ...quick, graphs: 1, epochs: 2 }, { cacheDir, data, workers: 0 });
  assert.notEqual(other.dir, result.dir);
  const sameSize = generateDataset({ size: 240, seed: 8 });
  assert.notEqual((await runSweep({ ...quick, graphs: 1 }, { cacheDir, data: sameSize, workers: 0 })).dir, result.dir);
  // a smaller sweep of the same configuration reads from the larger one's cache
  const subset = await runSweep({ ...quick, modes: ["GRU"] }, { cacheDir, data, workers: 0 });
  assert.equal(subset.computed, 0);
  assert.equal(subset.dir, result.dir);
  // a bad configuration is refused before any work
  await assert.rejects(runSweep({ ...quick, layout: "tiles" as never }, { cacheDir, data }), /SweepConfig.layout must be one of "repeat", "tile", got "tiles" \(did you mean "tile"\?\)/);
  await assert.rejects(runSweep({ ...quick, graph: 3 } as never, { cacheDir, data }), /unknown setting "graph"; did you mean "graphs"\?/);
  // a failing model names itself, in a worker and in this thread (a character outside the vocabulary)
  const bad = { train: [...data.train.slice(0, 10), { text: "BTé", valid: true }], test: data.test.slice(0, 5) };
  for (const workers of [1, 0]) {
    await assert.rejects(runSweep({ ...quick, modes: ["GRU"], graphs: 1 }, { cacheDir, data: bad, workers }),
      /runSweep: model \S+ \(seed \d+, \d+ nodes\) failed: .*data.train\[10\].*is not ASCII/);
  }
  fs.rmSync(cacheDir, { recursive: true });
});

test("a sweep model's test result equals the last epoch's evaluation of a plain train() run", async () => {
  const data = generateDataset({ size: 300, seed: 11 });
  for (const model of planSweep({ ...quick, modes: ["GRU", "RNN_RELU"], graphs: 1, epochs: 2 })) {
    const outcome = await trainStructureModel(model.task, data);
    const net = Network.create(graphToSpec(layerEdges(model.task.nodes, model.task.edges), { mode: model.mode, layout: model.task.layout }),
      { seed: model.seed, precision: model.task.precision });
    const log = train(net, data, { epochs: 2, batchSize: model.task.batchSize, lr: model.task.lr, seed: model.seed, precision: model.task.precision, threads: 1 });
    const last = log[log.length - 1];
    assert.equal(outcome.test_acc, last.testAcc, model.key);
    assert.ok(Math.abs(outcome.test_loss - last.testLoss) <= 1e-6 * last.testLoss, `${model.key}: ${outcome.test_loss} vs ${last.testLoss}`);
  }
});
