/**
 * Run a protocol's planned tasks on an executor into its result store — the loop the random-structure
 * sweep and the structure study share. Tasks are handed out in plan order, one per free lane (balanced;
 * an error stops new work); a task done in the store is skipped, one claimed by another live process is
 * passed over and waited for (claims, src/core/result-store.ts), so several processes on one store share
 * the work. Each finished task's rows are appended whole as it arrives; this process stays the store's
 * one writer for what it computes, whichever executor (in-process pool or queue) computed it.
 */
import type { Claim, ResultStore, Row } from "../core/result-store";
import type { Executor } from "./executor";
import { defaultExecutor } from "./default-executor";
import type { SharedData, TaskKindName } from "./task-kinds";

export interface PlannedTask<Task> {
  /** the task's key in the store (unique in the plan) */
  key: string;
  task: Task;
}

export interface PlannedTaskProgress<P> {
  done: number;
  total: number;
  /** the task just finished and the rows stored for it (absent for the initial call and after waiting for others) */
  finished?: { model: P; rows: Row[] };
}

export interface PlannedTaskRun<Task, Outcome, P extends PlannedTask<Task>> {
  store: ResultStore;
  plan: readonly P[];
  kind: TaskKindName;
  /** the store's identity (executor.ts BatchSpec.identity) */
  identity: Record<string, unknown>;
  data: SharedData;
  /** default: the in-process pool of `workers`, or the queue SPARSE_RNN_QUEUE names */
  executor?: Executor;
  workers?: number;
  /** how often to look for tasks other processes hold (ms; default 5 s) */
  pollMs?: number;
  /** the rows to store for a finished task */
  rows(model: P, outcome: Outcome): Row[];
  /** how errors name a task, e.g. "runSweep: model GRU/barabasi_albert/3 (seed …, 27 nodes)" */
  describe(model: P): string;
  onProgress?(progress: PlannedTaskProgress<P>): void;
}

/** Run (or resume, or just read) every task of the plan; returns how many this call computed. */
export async function runPlannedTasks<Task, Outcome, P extends PlannedTask<Task>>(run: PlannedTaskRun<Task, Outcome, P>): Promise<{ computed: number }> {
  const { store, plan } = run;
  let done = plan.filter((m) => store.has(m.key)).length, computed = 0;
  run.onProgress?.({ done, total: plan.length });
  const finish = (model: P, outcome: Outcome): void => {
    const rows = run.rows(model, outcome);
    if (store.append(model.key, rows)) computed++;
    run.onProgress?.({ done: ++done, total: plan.length, finished: { model, rows } });
  };
  const failed = (model: P, claim: Claim) => (error: Error): never => {
    claim.release();
    throw new Error(`${run.describe(model)} failed: ${error.message}`);
  };
  const drain = async (execute: (task: Task, key: string) => Promise<Outcome>, lanes: number): Promise<void> => {
    for (;;) {
      const todo = plan.filter((m) => !store.has(m.key));
      if (todo.length === 0) return;
      let next = 0, started = 0;
      const lane = async (): Promise<void> => {
        while (next < todo.length) {
          const model = todo[next++];
          const claim = store.claim(model.key);
          if (!claim) continue;
          started++;
          finish(model, await execute(model.task, model.key).catch(failed(model, claim)));
        }
      };
      await Promise.all(Array.from({ length: Math.min(lanes, todo.length) }, lane));
      if (started === 0) {
        await new Promise((resolve) => setTimeout(resolve, run.pollMs ?? 5000));
        store.refresh();
        const now = plan.filter((m) => store.has(m.key)).length;
        if (now > done) { done = now; run.onProgress?.({ done, total: plan.length }); }
      }
    }
  };
  const remaining = plan.length - done;
  if (remaining > 0) {
    const executor = run.executor ?? (await defaultExecutor({ workers: run.workers }));
    try {
      const batch = await executor.open<Task, Outcome>({ kind: run.kind, identity: run.identity, data: run.data, size: remaining });
      try {
        await drain((task, key) => batch.run(task, key), batch.size);
      } finally {
        await batch.close();
      }
    } finally {
      if (!run.executor) await executor.close();
    }
  }
  return { computed };
}
