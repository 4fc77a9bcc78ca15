/**
 * src/graph: random graphs → layered DAGs → sparse recurrent network specs, and the
 * thesis's graph properties (networkx semantics).
 *
 *   const g = barabasiAlbert(30, 3, new Random(1));       // or connectedWattsStrogatz, connectedErdosRenyi
 *   const layering = layerGraph(g);                       // layers, skip pairs
 *   const spec = graphToSpec(layering, { mode: "GRU", layout: "repeat" });
 *   const props = graphProperties(g);                     // the 20 properties + layers/source/sink
 */
export type { Rng } from "./rng";
export { type Edge, type UGraph, emptyGraph, hasEdge, addEdge, removeEdge, degree, edgesOf, graphFromEdges, formatEdges, parseEdges, isConnected } from "./edges";
export { barabasiAlbert, wattsStrogatz, erdosRenyi, completeGraph, connected, connectedWattsStrogatz, connectedErdosRenyi } from "./generators";
export { type Layering, layerGraph, layerEdges } from "./layering";
export { PROPERTY_COLUMNS, type PropertyName, type GraphProperties, graphProperties, summary, edgeBetweennessCentrality } from "./properties";
export { type GateLayout, GATE_LAYOUTS, type GraphSpecOptions, expandGateMask, vertexMask, graphToSpec } from "./to-spec";
