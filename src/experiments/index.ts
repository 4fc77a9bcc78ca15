export { resolveProfile, byProfile, PROFILE_NAMES } from "./profile";
export type { ProfileName } from "./profile";
export * from "./pruning";
export * from "./sweep";
export * from "./prediction";
export { createPool, coreCount } from "./pool";
export { InProcessExecutor, QUEUE_ENV } from "./executor";
export { defaultExecutor } from "./default-executor";
export type { Executor, Batch, BatchSpec } from "./executor";
