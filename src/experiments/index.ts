export { resolveProfile, byProfile, PROFILE_NAMES } from "./profile";
export type { ProfileName } from "./profile";
export * from "./pruning";
export * from "./sweep";
export { createPool, coreCount } from "./pool";
