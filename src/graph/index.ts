export type { Rng } from "./rng";
export { type Edge, type UGraph, emptyGraph, hasEdge, addEdge, removeEdge, degree, edgesOf, graphFromEdges, formatEdges, parseEdges, isConnected } from "./edges";
export { barabasiAlbert, wattsStrogatz, erdosRenyi, completeGraph, connected, connectedWattsStrogatz, connectedErdosRenyi } from "./generators";
export { type Layering, layerGraph, layerEdges } from "./layering";
export { PROPERTY_COLUMNS, type PropertyName, type GraphProperties, graphProperties, summary, edgeBetweennessCentrality } from "./properties";
export { type GateLayout, GATE_LAYOUTS, type GraphSpecOptions, expandGateMask, vertexMask, graphToSpec } from "./to-spec";
