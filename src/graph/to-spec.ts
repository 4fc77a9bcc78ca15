import { CellMode, GATES, NetworkSpec, LayerSpec, SkipSpec } from "../nn/spec";
import { Edge, UGraph, checkEdges, checkNodeCount, edgesOf } from "./edges";
import { Layering, layerGraph } from "./layering";

/**
 * How a vertex mask (one row per unit) becomes a gate mask (one row per weight row,
 * gate blocks stacked as PyTorch lays them out: GRU r,z,n; LSTM i,f,g,o):
 * - `repeat`: the thesis's `np.repeat(mask, gates, axis=0)` — row j of the expanded mask
 *   is vertex row ⌊j / gates⌋. Since the weight rows go gate block by gate block, this
 *   does not follow the graph for GRU/LSTM (the thesis's behaviour, kept for fidelity).
 * - `tile`: row h of every gate block is vertex row h — faithful to the graph.
 * For RNN_TANH / RNN_RELU (one gate) both are the vertex mask itself. The layered mapping defaults
 * to `repeat` (the thesis's), the recurrent mapping to `tile` (the graph's pattern in every gate).
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

/**
 * How a graph becomes a network:
 * - `layered` (the thesis's): edges point from the lower node id to the higher, the DAG's layers are
 *   recurrent layers, edges between layers are the input-to-hidden masks (skip blocks for edges that
 *   jump layers), hidden-to-hidden weights dense;
 * - `recurrent`: the n nodes are the n units of one recurrent layer and the edges, both directions,
 *   the nonzero pattern of W_hh: unit u reads unit v's previous state iff u–v is an edge.
 */
export type GraphMapping = "layered" | "recurrent";
export const GRAPH_MAPPINGS: readonly GraphMapping[] = ["layered", "recurrent"];

export interface GraphSpecOptions {
  mode: CellMode;
  /** graph → network mapping; default "layered" (the thesis's) */
  mapping?: GraphMapping;
  /**
   * gate-mask layout for GRU/LSTM; default "repeat" (the thesis's) for the layered mapping and "tile"
   * (every gate block has the graph's pattern) for the recurrent one
   */
  layout?: GateLayout;
  /**
   * recurrent mapping only: keep W_hh's diagonal, i.e. each unit also reads its own previous state
   * (as if every node had a self-loop); default false, the graph's own pattern (simple graphs have no
   * self-loops, so no unit feeds itself except through the gates' memory: GRU's z, LSTM's cell)
   */
  selfLoops?: boolean;
  /** token vocabulary; default 128 (ASCII) */
  vocab?: number;
  /** output classes; default 2 */
  classes?: number;
}

/**
 * The n × n recurrent pattern of a graph: entry (u, v) = 1 iff u–v is an edge (symmetric), plus the
 * diagonal when `selfLoops`. Row u is unit u's hidden-to-hidden inputs. Edges are checked as
 * graphFromEdges does (simple graph on nodes 0 … n−1).
 */
export function adjacencyMask(n: number, edges: readonly Edge[], selfLoops = false): Uint8Array {
  checkNodeCount(n, "adjacencyMask");
  checkEdges(edges, n, "adjacencyMask");
  const mask = new Uint8Array(n * n);
  for (const [u, v] of edges) mask[u * n + v] = mask[v * n + u] = 1;
  if (selfLoops) for (let u = 0; u < n; u++) mask[u * n + u] = 1;
  return mask;
}

/**
 * The recurrent mapping of the graph on nodes 0 … n−1 with these edges: one recurrent layer of n
 * units (so the embedding has n dimensions, and reads into the layer densely: maskIH absent), W_hh
 * masked by the graph's adjacency (adjacencyMask, optional self-loops) in every gate block — with the
 * default layout "tile", gate block k's row u is unit u's row, so each of GRU's r, z, n and LSTM's
 * i, f, g, o sees exactly the graph's neighbours; "repeat" (np.repeat's row order, the thesis's layered
 * convention) is accepted for comparison but does not follow the graph. No skips. Node u is unit u.
 */
export function recurrentSpec(n: number, edges: readonly Edge[], options: Omit<GraphSpecOptions, "mapping">): NetworkSpec {
  const { mode, layout = "tile", selfLoops = false, vocab = 128, classes = 2 } = options;
  const gates = GATES[mode];
  if (gates === undefined) throw new Error(`recurrentSpec: unknown mode "${mode}"`);
  if (!GATE_LAYOUTS.includes(layout)) throw new Error(`recurrentSpec: layout "${layout}" is not one of ${GATE_LAYOUTS.join(", ")}`);
  if (typeof selfLoops !== "boolean") throw new Error(`recurrentSpec: selfLoops must be true or false, got ${String(selfLoops)}`);
  const maskHH = expandGateMask(adjacencyMask(n, edges, selfLoops), n, n, gates, layout);
  return { mode, vocab, classes, layers: [{ size: n, maskHH }], skips: [] };
}

function isGraph(source: Layering | UGraph): source is UGraph {
  return typeof (source as UGraph).getNodeCount === "function";
}

/**
 * The sparse recurrent network a graph describes, by `options.mapping`:
 *
 * `layered` (default; the thesis's): one recurrent layer per graph
 * layer (embedding size = first-layer size, layer 0 reads it densely); layer l > 0 reads
 * layer l−1 through the edges between them; each skip pair (s, t) becomes a skip block
 * masked by the edges from layer s to layer t; hidden-to-hidden weights stay dense.
 *
 * `recurrent`: recurrentSpec on the graph's nodes and edges (a Layering carries both: its nodes
 * are layerOf's indices and its edges every edge of the graph).
 *
 * `source` is a Layering (layerGraph / layerEdges) or the graph itself.
 */
export function graphToSpec(source: Layering | UGraph, options: GraphSpecOptions): NetworkSpec {
  const { mapping = "layered" } = options;
  if (!GRAPH_MAPPINGS.includes(mapping)) throw new Error(`graphToSpec: mapping "${mapping}" is not one of ${GRAPH_MAPPINGS.join(", ")}`);
  if (mapping === "recurrent") {
    const { mapping: _, ...rest } = options;
    return isGraph(source) ? recurrentSpec(source.getNodeCount(), edgesOf(source), rest) : recurrentSpec(source.layerOf.length, source.edges, rest);
  }
  if (options.selfLoops !== undefined) throw new Error(`graphToSpec: selfLoops applies to the recurrent mapping only (the layered mapping's W_hh is dense)`);
  const layering = isGraph(source) ? layerGraph(source) : source;
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
