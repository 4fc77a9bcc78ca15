/**
 * Talking to the notebook: whether we run inside a tslab kernel, and its
 * display API (loaded lazily so plain scripts and tests never load tslab).
 */
import type * as Tslab from "tslab";

/** True inside a tslab kernel (tslab's executor defines globalThis.__tslab__). */
export function inNotebook(): boolean {
  return (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined;
}

export function tslab(): typeof Tslab {
  return require("tslab");
}

/**
 * True when outputs must not depend on the machine or the clock: the notebook
 * runner sets SPARSE_RNN_STABLE_OUTPUT=1 so committed notebooks regenerate
 * byte-identically. Print timings only when this is false.
 */
export function stableOutput(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SPARSE_RNN_STABLE_OUTPUT === "1";
}
