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
