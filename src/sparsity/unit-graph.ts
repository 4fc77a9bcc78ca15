/**
 * A network's masks as a graph between its units, so that a sparse network's connectivity can be
 * measured with the project's graph properties (src/graph) and its degree distribution read off.
 *
 * Nodes: 0 … E−1 are the embedding's dimensions (layer 0's inputs), then every layer's units in order
 * (unit h of layer l is node E + H_0 + … + H_{l−1} + h). A skip block reads its source layer's units.
 *
 * Edges: a kept weight of W_ih at row g·H + v, column u joins input unit u to unit v; a kept weight of
 * W_hh at row g·H + v, column u joins units u and v of the block's layer. **Gate blocks collapse**: the G
 * gate rows of unit v (rows v, H + v, …, (G−1)·H + v, PyTorch's stacking: GRU r, z, n; LSTM i, f, g, o)
 * are one unit, so u–v is an edge when at least one of its G weights is kept. Direction is dropped (the
 * project's properties are of undirected graphs), and so are W_hh's diagonal (a unit reading its own
 * state is a self-loop, not an edge) and repeats (u→v and v→u in W_hh are one edge).
 *
 * `connections[v]` counts the kept weights at node v instead — every gate row and both ends —
 * a neuron's number of connections, what SET's degree distributions count (Mocanu et al. 2018);
 * unlike the graph's degree it is not capped by the collapse, so a hub shows as one.
 */
import type { Edge } from "../graph/edges";
import type { Network } from "../nn/network";

export interface UnitGraph {
  /** embedding dimensions + every layer's units */
  nodes: number;
  /** undirected simple edges [u, v], u < v, ascending */
  edges: Edge[];
  /** kept weights incident to each node (gates and both ends counted) */
  connections: Int32Array;
}

/** The first node of each layer's units (index l), after the E embedding dimensions. */
function layerOffsets(net: Network): number[] {
  const offsets: number[] = [];
  let at = net.blocks[0].inputSize;
  for (const layer of net.spec.layers) {
    offsets.push(at);
    at += layer.size;
  }
  offsets.push(at);
  return offsets;
}

/** The unit graph of the network's current masks (every recurrent block, W_ih and W_hh). */
export function unitGraph(net: Network): UnitGraph {
  const offsets = layerOffsets(net);
  const nodes = offsets[offsets.length - 1];
  const connections = new Int32Array(nodes);
  const pairs = new Set<number>();
  const L = net.spec.layers.length;
  const join = (u: number, v: number): void => {
    connections[u]++;
    connections[v]++;
    if (u !== v) pairs.add(u < v ? u * nodes + v : v * nodes + u);
  };
  net.blocks.forEach((b, i) => {
    const to = i < L ? i : net.spec.skips[i - L].to;
    // inputs: the embedding for layer 0, the layer below for the others, the source layer for a skip
    const inputStart = i === 0 ? 0 : i < L ? offsets[i - 1] : offsets[net.spec.skips[i - L].from];
    const unitStart = offsets[to];
    for (let row = 0; row < b.gates * b.hidden; row++) {
      const v = unitStart + (row % b.hidden);
      for (let u = 0; u < b.inputSize; u++) if (b.maskIH[row * b.inputSize + u]) join(inputStart + u, v);
      for (let u = 0; u < b.hidden; u++) if (b.maskHH[row * b.hidden + u]) join(unitStart + u, v);
    }
  });
  const edges = [...pairs].sort((a, b) => a - b).map((key): Edge => [Math.floor(key / nodes), key % nodes]);
  return { nodes, edges, connections };
}
