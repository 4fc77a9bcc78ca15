/**
 * Masks drawn from random-graph families at a target density — the thesis's random structures
 * (Barabási–Albert, Watts–Strogatz; Erdős–Rényi beside them) as a sparse-training method.
 *
 * Every selected matrix gets its own graph on its layer's H units: the matrix's unit pattern is the
 * graph's adjacency (unit v reads unit u iff u–v is an edge, both directions, no diagonal: src/graph's
 * adjacencyMask, as the recurrent mapping of graphToSpec), repeated in every gate block ("tile"
 * layout, so each gate sees exactly the graph's neighbours). A W_ih reads the H units of the layer
 * below (or the embedding, whose size is layer 0's), so every matrix must be square in units: the
 * stacked networks of equal layer sizes.
 *
 * The family's parameter is the one whose edge count is nearest the target m = density·H²/2 (the
 * pattern has 2 entries per edge): Erdős–Rényi G(n, p) with p = m / (n(n−1)/2) (m edges expected);
 * Barabási–Albert with k new edges per node, k(n − k) edges; Watts–Strogatz with each node joined to
 * its k (even) nearest neighbours, n·k/2 edges, rewired with probability WS_REWIRING. BA and WS have at
 * least about n edges (k ≥ 1, k ≥ 2), so below density 2/H they keep more than asked (at H = 50,
 * 4 % for a 2 % target): the plan reports the density reached, and results are shown at that density.
 */
import { Random } from "../core/random";
import { edgesOf, type Edge } from "../graph/edges";
import { barabasiAlbert, erdosRenyi, wattsStrogatz } from "../graph/generators";
import { adjacencyMask, expandGateMask } from "../graph/to-spec";
import type { Network } from "../nn/network";
import { checkDensity, checkGroup, groupMatrices, MaskPlan, planOf, WeightGroup } from "./matrices";
import { streamFor } from "./select";

export type GraphFamilyName = "barabasi_albert" | "watts_strogatz" | "erdos_renyi";
export const GRAPH_FAMILY_NAMES: readonly GraphFamilyName[] = ["barabasi_albert", "watts_strogatz", "erdos_renyi"];

/**
 * Watts–Strogatz's rewiring probability: 0.1, the small-world regime (high clustering, short paths) —
 * not the thesis's p = 1, which rewires every edge and leaves a random graph like Erdős–Rényi's.
 */
export const WS_REWIRING = 0.1;

export interface GraphMaskOptions {
  group: WeightGroup;
  family: GraphFamilyName;
  /** the target kept fraction of every selected matrix */
  density: number;
  seed: number;
}

/** A graph of the family on n nodes with about `edges` edges (see the file comment), from `rng`. */
export function familyGraph(family: GraphFamilyName, n: number, edges: number, rng: Random): Edge[] {
  if (!Number.isInteger(n) || n < 3) throw new Error(`familyGraph: need n ≥ 3 nodes, got ${n}`);
  const most = (n * (n - 1)) / 2;
  const m = Math.min(Math.max(edges, 0), most);
  if (family === "erdos_renyi") return edgesOf(erdosRenyi(n, m / most, rng));
  if (family === "barabasi_albert") {
    // k(n − k) = m, the smaller root; k in 1 … n − 1
    const k = Math.min(n - 1, Math.max(1, Math.round((n - Math.sqrt(Math.max(0, n * n - 4 * m))) / 2)));
    return edgesOf(barabasiAlbert(n, k, rng));
  }
  if (family === "watts_strogatz") {
    const k = Math.min(n - 1 - ((n - 1) % 2), Math.max(2, 2 * Math.round(m / n)));
    return edgesOf(wattsStrogatz(n, k, WS_REWIRING, rng));
  }
  throw new Error(`familyGraph: unknown family ${JSON.stringify(family)}; expected one of ${GRAPH_FAMILY_NAMES.join(", ")}`);
}

/** The masks: one graph per selected matrix, drawn from streamFor(seed, matrix index). Pure. */
export function graphMasks(net: Network, options: GraphMaskOptions): MaskPlan {
  checkGroup(options?.group, "graphMasks");
  checkDensity(options.density, "graphMasks");
  if (!GRAPH_FAMILY_NAMES.includes(options.family)) throw new Error(`graphMasks: family must be one of ${GRAPH_FAMILY_NAMES.join(", ")}, got ${JSON.stringify(options.family)}`);
  return planOf(net, options.group, groupMatrices(net, options.group).map((m) => {
    const gates = net.blocks[m.block].gates;
    const units = m.rows / gates;
    if (m.cols !== units) throw new Error(`graphMasks: ${m.name} is ${m.rows}×${m.cols}, ${units} units reading ${m.cols}; graph masks need layers of equal size (a square unit pattern)`);
    const edges = familyGraph(options.family, units, Math.round((options.density * units * units) / 2), streamFor(options.seed, m.index));
    return expandGateMask(adjacencyMask(units, edges), units, units, gates, "tile");
  }));
}

