import { CellMode, GATES, NetworkSpec, LayerSpec, SkipSpec } from "../nn/spec";
import { Layering } from "./layering";

/**
 * How a vertex mask (one row per unit) becomes a gate mask (one row per weight row,
 * gate blocks stacked as PyTorch lays them out: GRU r,z,n; LSTM i,f,g,o):
 * - `repeat`: the thesis's `np.repeat(mask, gates, axis=0)` — row j of the expanded mask
 *   is vertex row ⌊j / gates⌋. Since the weight rows go gate block by gate block, this
 *   does not follow the graph for GRU/LSTM (the thesis's behaviour, kept for fidelity).
 * - `tile`: row h of every gate block is vertex row h — faithful to the graph.
 * For RNN_TANH / RNN_RELU (one gate) both are the vertex mask itself.
 */
export type GateLayout = "repeat" | "tile";
export const GATE_LAYOUTS: readonly GateLayout[] = ["repeat", "tile"];

/** Expand a rows × cols vertex mask to (gates·rows) × cols. */
export function expandGateMask(mask: Uint8Array, rows: number, cols: number, gates: number, layout: GateLayout): Uint8Array {
  if (mask.length !== rows * cols) throw new Error(`expandGateMask: mask has ${mask.length} entries, expected ${rows}×${cols}`);
  if (!GATE_LAYOUTS.includes(layout)) throw new Error(`expandGateMask: layout "${layout}" is not one of ${GATE_LAYOUTS.join(", ")}`);
  const out = new Uint8Array(gates * rows * cols);
  for (let j = 0; j < gates * rows; j++) {
    const source = layout === "repeat" ? Math.floor(j / gates) : j % rows;
    out.set(mask.subarray(source * cols, (source + 1) * cols), j * cols);
  }
  return out;
}

/** Vertex mask of the edges from layer `from` (columns) into layer `to` (rows). */
export function vertexMask(layering: Layering, from: number, to: number): Uint8Array {
  const rows = layering.layers[to].length, cols = layering.layers[from].length;
  const mask = new Uint8Array(rows * cols);
  const { layerOf, indexInLayer } = layering;
  for (const [u, v] of layering.edges) {
    if (layerOf[u] === from && layerOf[v] === to) mask[indexInLayer[v] * cols + indexInLayer[u]] = 1;
  }
  return mask;
}

export interface GraphSpecOptions {
  mode: CellMode;
  /** gate-mask layout for GRU/LSTM; default "repeat" (the thesis's) */
  layout?: GateLayout;
  /** token vocabulary; default 128 (ASCII) */
  vocab?: number;
  /** output classes; default 2 */
  classes?: number;
}

/**
 * The sparse recurrent network a layered graph describes: one recurrent layer per graph
 * layer (embedding size = first-layer size, layer 0 reads it densely); layer l > 0 reads
 * layer l−1 through the edges between them; each skip pair (s, t) becomes a skip block
 * masked by the edges from layer s to layer t; hidden-to-hidden weights stay dense.
 */
export function graphToSpec(layering: Layering, options: GraphSpecOptions): NetworkSpec {
  const { mode, layout = "repeat", vocab = 128, classes = 2 } = options;
  const gates = GATES[mode];
  if (gates === undefined) throw new Error(`graphToSpec: unknown mode "${mode}"`);
  const sizes = layering.layers.map((layer) => layer.length);
  const masked = (from: number, to: number): Uint8Array =>
    expandGateMask(vertexMask(layering, from, to), sizes[to], sizes[from], gates, layout);
  const layers: LayerSpec[] = sizes.map((size, l) => (l === 0 ? { size } : { size, maskIH: masked(l - 1, l) }));
  const skips: SkipSpec[] = layering.skips.map(([from, to]) => ({ from, to, maskIH: masked(from, to) }));
  return { mode, vocab, classes, layers, skips };
}
