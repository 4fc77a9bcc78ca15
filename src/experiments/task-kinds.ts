/**
 * The kinds of experiment task an executor can run, by name. A job names its kind and
 * carries the task's data, never code: the code is this registry, the same in every
 * clone (the in-process pool and the queue workers look kinds up here).
 *
 * A kind is
 *  - `module`: a piscina worker module (see pool.ts) whose default export runs one task
 *    on the batch's shared data (`workerData.shared`);
 *  - `run`: the same in the calling thread (an executor with `workers: 0`);
 *  - `numerics`: the engine numerics a task of this kind computes with in this process
 *    (a queue worker refuses a job whose numerics differ from its own).
 *
 * To add a kind (e.g. a pruning task or a batch of CV folds): a worker module, an entry here.
 */
import * as path from "path";
import type { Sample } from "../data/types";
import { numericsOf, Numerics } from "../nn/numerics";
import { StructureTask, StructureOutcome, trainStructureModel } from "./structure-model";
import { runSparsityTask, type SparsityTask } from "./sparsity-method";
import type { SparsityRow } from "./sparsity-settings";
import { sparseBackend } from "../prune/sparse";

export type SharedData = { train: Sample[]; test: Sample[] };

export interface TaskKind<Task = unknown, Result = unknown> {
  module: string;
  run(task: Task, shared: SharedData): Promise<Result>;
  numerics(task: Task): Numerics;
}

const structureModel: TaskKind<StructureTask, StructureOutcome> = {
  module: path.join(__dirname, "sweep-worker.ts"),
  run: (task, shared) => trainStructureModel(task, shared),
  numerics: (task) => numericsOf("auto", task.precision),
};

const sparsityMethod: TaskKind<SparsityTask, SparsityRow[]> = {
  module: path.join(__dirname, "sparsity-worker.ts"),
  run: async (task, shared) => runSparsityTask(task, shared),
  numerics: (task) => numericsOf(sparseBackend(task.settings.backend)),
};

export const TASK_KINDS = {
  /** one model of the random-structure sweep (sweep.ts) */
  "structure-model": structureModel,
  /** one method of the sparse-training comparison at every density (sparsity-comparison.ts) */
  "sparsity-method": sparsityMethod,
} as const;

export type TaskKindName = keyof typeof TASK_KINDS;

export function isTaskKind(name: unknown): name is TaskKindName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(TASK_KINDS, name);
}

export function taskKind(name: string): TaskKind {
  if (!isTaskKind(name)) throw new Error(`unknown task kind "${name}"; known kinds: ${Object.keys(TASK_KINDS).join(", ")}`);
  return TASK_KINDS[name] as unknown as TaskKind;
}
