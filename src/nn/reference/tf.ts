/**
 * The tfjs module for the reference and the tensor interop: @tensorflow/tfjs-node
 * (native, optional dependency) when it is installed, else @tensorflow/tfjs
 * (pure-JS CPU backend, float32 only). Loaded lazily so the engine never pays for it.
 */
import type * as TF from "@tensorflow/tfjs";

export type Tf = typeof TF;

let cached: Tf | undefined;

export function loadTf(): Tf {
  if (cached) return cached;
  try {
    cached = require("@tensorflow/tfjs-node") as Tf;
  } catch {
    cached = require("@tensorflow/tfjs") as Tf;
  }
  return cached;
}
