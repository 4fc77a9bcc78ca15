export { resolveProfile, byProfile, PROFILE_NAMES } from "./profile";
export type { ProfileName } from "./profile";
export { ResultStore } from "./result-store";
export type { Row, Cell } from "./result-store";
export * from "./pruning";
export * from "./sweep";
export { createPool, coreCount } from "./pool";
