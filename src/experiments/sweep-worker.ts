/** Piscina worker for the random-structure sweep: trains one model per task on the shared dataset. */
import { workerData } from "worker_threads";
import type { Sample } from "../data/types";
import { StructureTask, StructureOutcome, trainStructureModel } from "./structure-model";

const data = (workerData as { shared: { train: Sample[]; test: Sample[] } }).shared;

export default function run(task: StructureTask): Promise<StructureOutcome> {
  return trainStructureModel(task, data);
}
