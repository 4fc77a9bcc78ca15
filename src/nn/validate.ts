/**
 * Spec validation: every problem is reported with the path of the bad value
 * (e.g. `spec.skips[2].to`), before any memory is allocated.
 */
import { CELL_MODES, GATES, NetworkSpec } from "./spec";
import { showValue } from "../core/settings";

function positiveInt(value: unknown, where: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new Error(`${where} must be a positive integer, got ${showValue(value)}`);
  }
}

function checkMask(mask: unknown, rows: number, cols: number, where: string): void {
  if (mask === undefined) return;
  if (!(mask instanceof Uint8Array)) throw new Error(`${where} must be a Uint8Array of 0/1, got ${typeof mask}`);
  if (mask.length !== rows * cols) {
    throw new Error(`${where} has ${mask.length} entries, expected ${rows}×${cols} = ${rows * cols}`);
  }
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] > 1) throw new Error(`${where}[${i}] = ${mask[i]}, masks hold only 0 or 1`);
  }
}

/** Input size of layer l (the embedding size = layers[0].size for layer 0). */
export function layerInputSize(spec: NetworkSpec, l: number): number {
  return l === 0 ? spec.layers[0].size : spec.layers[l - 1].size;
}

export function validateSpec(spec: NetworkSpec): void {
  if (spec === null || typeof spec !== "object") throw new Error(`spec must be an object, got ${JSON.stringify(spec)}`);
  if (!(CELL_MODES as readonly string[]).includes(spec.mode)) {
    throw new Error(`spec.mode "${String(spec.mode)}" is unknown; expected one of ${CELL_MODES.join(", ")}`);
  }
  positiveInt(spec.vocab, "spec.vocab");
  positiveInt(spec.classes, "spec.classes");
  if (spec.classes < 2) throw new Error(`spec.classes must be at least 2 (a softmax over classes), got ${spec.classes}`);
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new Error("spec.layers must be a non-empty array");
  if (!Array.isArray(spec.skips)) throw new Error("spec.skips must be an array (use [] for a plain stack)");
  const G = GATES[spec.mode];
  spec.layers.forEach((layer, l) => positiveInt(layer.size, `spec.layers[${l}].size`));
  spec.layers.forEach((layer, l) => {
    const H = layer.size;
    checkMask(layer.maskIH, G * H, layerInputSize(spec, l), `spec.layers[${l}].maskIH`);
    checkMask(layer.maskHH, G * H, H, `spec.layers[${l}].maskHH`);
  });
  const seen = new Set<string>();
  spec.skips.forEach((skip, k) => {
    const where = `spec.skips[${k}]`;
    const L = spec.layers.length;
    for (const key of ["from", "to"] as const) {
      const v = skip[key];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= L) {
        throw new Error(`${where}.${key} = ${JSON.stringify(v)} is not a layer index in 0…${L - 1}`);
      }
    }
    if (skip.to <= skip.from) {
      throw new Error(`${where} goes from layer ${skip.from} back to layer ${skip.to}: skips must point forward (a backward skip makes a cycle)`);
    }
    if (skip.to - skip.from < 2) {
      throw new Error(`${where} joins adjacent layers ${skip.from}→${skip.to}; a skip must span at least two layers (to − from ≥ 2)`);
    }
    const key = `${skip.from}->${skip.to}`;
    if (seen.has(key)) throw new Error(`${where} duplicates an earlier skip ${key}`);
    seen.add(key);
    const H = spec.layers[skip.to].size;
    checkMask(skip.maskIH, G * H, spec.layers[skip.from].size, `${where}.maskIH`);
    checkMask(skip.maskHH, G * H, H, `${where}.maskHH`);
  });
}
