/**
 * src/graph: random graphs → layered DAGs → sparse recurrent network specs, and the
 * thesis's graph properties (networkx semantics).
 *
 *   const g = barabasiAlbert(30, 3, new Random(1));       // or connectedWattsStrogatz, connectedErdosRenyi
 *   const layering = layerGraph(g);                       // layers, skip pairs
 *   const spec = graphToSpec(layering, { mode: "GRU", layout: "repeat" });
 *   const props = graphProperties(g);                     // the 20 properties + layers/source/sink
 *   const more = extendedGraphProperties(g, new Random(2)); // clustering, σ, ω, assortativity, spectral radius, triangles
 *   const rnn = graphToSpec(g, { mode: "GRU", mapping: "recurrent" }); // the graph as one layer's W_hh pattern
 */
export type { Rng } from "./rng";
export { type Edge, type UGraph, emptyGraph, hasEdge, addEdge, removeEdge, degree, edgesOf, graphFromEdges, formatEdges, parseEdges, isConnected } from "./edges";
export {
  barabasiAlbert, wattsStrogatz, newmanWattsStrogatz, erdosRenyi, completeGraph, connected, connectedWattsStrogatz, connectedErdosRenyi,
  WATTS_STROGATZ_P_SWEEP,
} from "./generators";
export { type Layering, layerGraph, layerEdges } from "./layering";
export { PROPERTY_COLUMNS, type PropertyName, type GraphProperties, graphProperties, summary, edgeBetweennessCentrality } from "./properties";
export {
  STRUCTURE_PROPERTY_COLUMNS, type StructurePropertyName, type StructureProperties, type StructureOptions, extendedGraphProperties,
} from "./structure";
export {
  adjacencyLists, clusteringOf, averageClustering, averageClusteringOf, transitivity, transitivityOf, triangleCount, trianglesOf,
  degreeAssortativity, degreeAssortativityOf, spectralRadius, spectralRadiusOf, averageShortestPathLengthOf,
} from "./metrics";
export {
  type ReferenceOptions, type SmallWorldOptions, randomReference, latticeReference, smallWorldSigma, smallWorldOmega, numpyMean,
} from "./small-world";
export {
  type GateLayout, GATE_LAYOUTS, type GraphMapping, GRAPH_MAPPINGS, type GraphSpecOptions, expandGateMask, vertexMask, adjacencyMask,
  recurrentSpec, graphToSpec,
} from "./to-spec";
