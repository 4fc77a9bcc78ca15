/**
 * Which engine layout runs a network: feature-major (column-engine.ts) for networks
 * of small layers when the backend has the column kernels, row-major (engine.ts)
 * otherwise. The row-major engine's register-blocked gemms win on wide layers (the
 * thesis's 3×50 stack); the column engine wins where rows of a few units would
 * leave SIMD lanes and kernel calls idle (the random-structure networks).
 */
import type { KernelOps } from "./kernel-ops";
import type { Network } from "./network";
import { Capacity, EngineBase } from "./engine-base";
import { ColumnEngine } from "./column-engine";
import { Engine, EngineOptions } from "./engine";

export type EngineLayout = "auto" | "rows" | "columns";

/**
 * "auto" picks the column layout when no layer is wider than this. Measured on 3-layer
 * stacks (wasm, one thread, time columns/rows): size 4 → 0.4–0.7, 8 → 0.65–0.98,
 * 16 → 0.86–1.36, 32 → 0.97–1.38, 50 → 1.05–1.36 (GRU, LSTM, RNN_TANH; batch 32 and
 * 128); random-structure networks, whose blocks are mostly 1–5 units, gain ~2×.
 */
export const COLUMN_MAX_SIZE = 16;

export interface CreateEngineOptions extends EngineOptions {
  layout?: EngineLayout;
}

/** The layout "auto" resolves to for this network and backend. */
export function chooseLayout(net: Network, ops: KernelOps, layout: EngineLayout = "auto"): "rows" | "columns" {
  const hasColumns = ops.capabilities.columns;
  if (layout === "columns" && !hasColumns) throw new Error(`createEngine: layout "columns" needs column kernels, backend ${ops.name} has none`);
  if (layout === "rows" || layout === "columns") return layout;
  if (layout !== "auto") throw new Error(`createEngine: unknown layout ${JSON.stringify(layout)}; expected "auto", "rows" or "columns"`);
  const limit = ops.columnMaxSize?.(keptRecurrentFraction(net)) ?? COLUMN_MAX_SIZE;
  return hasColumns && Math.max(...net.spec.layers.map((l) => l.size)) <= limit ? "columns" : "rows";
}

/** The kept fraction of all recurrent weights (every block's W_ih and W_hh). */
export function keptRecurrentFraction(net: Network): number {
  let kept = 0, total = 0;
  for (const b of net.blocks) {
    for (const mask of [b.maskIH, b.maskHH]) {
      for (let i = 0; i < mask.length; i++) kept += mask[i];
      total += mask.length;
    }
  }
  return kept / total;
}

export function createEngine(net: Network, ops: KernelOps, capacity: Capacity, options: CreateEngineOptions = {}): EngineBase {
  return chooseLayout(net, ops, options.layout) === "columns" ? new ColumnEngine(net, ops, capacity) : new Engine(net, ops, capacity, options);
}
