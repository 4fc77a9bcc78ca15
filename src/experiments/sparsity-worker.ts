/** Piscina worker for the sparse-training comparison: runs one method task on the shared dataset of its task. */
import { workerData } from "worker_threads";
import type { Sample } from "../data/types";
import type { SparsityRow } from "./sparsity-settings";
import { runSparsityTask, type SparsityTask } from "./sparsity-method";

const data = (workerData as { shared: { train: Sample[]; test: Sample[] } }).shared;

export default async function run(task: SparsityTask): Promise<SparsityRow[]> {
  return runSparsityTask(task, data);
}
