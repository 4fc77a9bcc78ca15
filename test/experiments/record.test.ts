/**
 * The record's bookkeeping (src/experiments/record.ts): the job plan and the times that add up over
 * runs (a record is computed in several runs when a session ends mid-way).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { addTimings, recordPlan } from "../../src/experiments/record";

test("addTimings adds a run's wall and job seconds to the earlier runs', without changing them", () => {
  const earlier = { wallSeconds: 100, jobSeconds: { sweep: 150, "pruning:GRU": 60 }, lanes: 2 };
  const total = addTimings(earlier, { wallSeconds: 40, jobSeconds: { sweep: 70, "structure-study": 30 }, lanes: 1 });
  assert.deepEqual(total, { wallSeconds: 140, jobSeconds: { sweep: 220, "pruning:GRU": 60, "structure-study": 30 }, lanes: 1 });
  assert.deepEqual(earlier.jobSeconds, { sweep: 150, "pruning:GRU": 60 }, "the earlier totals are left alone");
});

test("recordPlan schedules every job, the shared-store studies in both lanes, sparsity before the structure study", () => {
  const { jobs, schedule } = recordPlan();
  assert.ok(jobs.length >= 8, `at least the 8 jobs of record, got ${jobs.length}`);
  for (const job of jobs) assert.ok(schedule.includes(job.name), `${job.name} is scheduled`);
  for (const name of schedule) assert.ok(jobs.some((j) => j.name === name), `${name} is a job`);
  for (const shared of ["sweep", "tile", "sparsity", "structure-study"]) assert.equal(schedule.filter((n) => n === shared).length, 2, `${shared} runs in both lanes`);
  assert.ok(schedule.lastIndexOf("sparsity") < schedule.indexOf("structure-study"), "the comparison (≈ 1.6 h) before the study");
});
