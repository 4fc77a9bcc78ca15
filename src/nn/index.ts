/**
 * The training engine: masked RNN_TANH / RNN_RELU / GRU / LSTM networks (stacks and
 * DAGs with skip blocks), fused forward/BPTT kernels over pluggable arithmetic
 * backends (plain JS f64/f32, WebAssembly SIMD f32), Adam with gradient clipping.
 *
 *   const net = Network.create(spec, { seed: 1 });
 *   const log = train(net, { train, test }, { epochs: 50, batchSize: 32, seed: 1 });
 *   evaluate(net, test); predict(net, samples); net.save("base.json");
 *
 * `train` is synchronous (progress via onBatch / onEpoch callbacks). For a notebook,
 * `Trainer` / `ResumableRun` run one epoch at a time (await between epochs to redraw),
 * and `ResumableRun` / `trainResumable` checkpoint every epoch and resume exactly.
 * Backends: TrainOptions.backend "auto" (wasm SIMD f32 when available, two threads
 * per batch when large enough — TrainOptions.threads), "js" (f64, or precision "f32").
 */
// Loading the wasm module registers the "wasm" backend (when the runtime supports it).
// A static import, so tslab (notebooks) compiles it too; backend.ts also probes it lazily.
import "./wasm";

export * from "./spec";
export { Network } from "./network";
export type { Precision, Weights, RecurrentBlock, NetworkJSON } from "./network";
export { validateSpec } from "./validate";
export { train, trainAsync, Trainer, evaluate, predict } from "./train";
export type { TrainOptions, StepContext, EpochRecord, Evaluation, EvaluateOptions, TrainerCheckpoint } from "./train";
export { Engine } from "./engine";
export type { EngineOptions } from "./engine";
export { EngineBase } from "./engine-base";
export type { BatchResult, Capacity } from "./engine-base";
export { ColumnEngine } from "./column-engine";
export { createEngine, chooseLayout, COLUMN_MAX_SIZE } from "./create-engine";
export type { EngineLayout, CreateEngineOptions } from "./create-engine";
export { createOps, registerBackend, availableBackends } from "./backend";
export type { BackendName } from "./backend";
export type { KernelOps, Floats } from "./kernel-ops";
export { JsOps, jsOps } from "./js-ops";
export { encodeSamples, makeBatch, batchesOf } from "./batching";
export type { EncodedSet } from "./batching";
export { weightsToTensors, setWeightsFromTensors } from "./tensors";
export { readThesisBaseLog } from "./thesis-log";
export type { ThesisEpoch } from "./thesis-log";
export { trainResumable, ResumableRun } from "./resumable";
export { NUMERICS_VERSION, numericsOf } from "./numerics";
export type { Numerics } from "./numerics";
export { ShardedRunner, splitBatch } from "./sharded-runner";
