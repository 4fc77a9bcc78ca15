/**
 * Structure properties beyond the thesis's 20: clustering, transitivity, the small-world
 * coefficients σ and ω, degree assortativity, the adjacency spectral radius and the number of
 * triangles — each with networkx 2.8.8's definition (tested against Debian's python3-networkx on
 * the fixtures of test/fixtures/make_graph_fixtures.py).
 *
 * They are a separate set from the thesis's PROPERTY_COLUMNS (properties.ts), which stay as they
 * are because result files in the thesis's schema depend on them.
 */
import { UGraph, isConnected } from "./edges";
import { adjacencyLists, averageClusteringOf, degreeAssortativityOf, spectralRadiusOf, transitivityOf, trianglesOf } from "./metrics";
import { Rng } from "./rng";
import { SmallWorldOptions, smallWorldOmega, smallWorldSigma } from "./small-world";

/** The structure columns, in this order (beside the thesis's PROPERTY_COLUMNS, never inside them). */
export const STRUCTURE_PROPERTY_COLUMNS = [
  "average_clustering", "transitivity", "small_world_sigma", "small_world_omega",
  "degree_assortativity", "spectral_radius", "triangles",
] as const;

export type StructurePropertyName = (typeof STRUCTURE_PROPERTY_COLUMNS)[number];
export type StructureProperties = Record<StructurePropertyName, number>;

export interface StructureOptions {
  /** σ's references: niter (default 100) and nrand (default 10), networkx's sigma defaults */
  sigma?: SmallWorldOptions;
  /** ω's references: niter (default 5) and nrand (default 10), networkx's omega defaults */
  omega?: SmallWorldOptions;
}

/**
 * The structure properties of a connected graph (n ≥ 4), STRUCTURE_PROPERTY_COLUMNS:
 * - average_clustering, transitivity: networkx's average_clustering and transitivity;
 * - small_world_sigma = (C/C_r)/(L/L_r): C transitivity, L average shortest path length, C_r and L_r
 *   their means over `nrand` random references (degree-preserving swaps keeping the graph connected);
 * - small_world_omega = L_r/L − C/C_l: C average clustering, C_l the largest average clustering among
 *   the graph and `nrand` lattice references (swaps towards the ring), L_r as for σ with 2·niter;
 *   σ and ω are networkx's sigma and omega, references and all (small-world.ts); their references
 *   draw from `rng` (σ first, then ω), so they are seeded but random: see small-world.ts for how
 *   they compare with networkx's;
 * - degree_assortativity: networkx's degree_assortativity_coefficient (NaN for a regular graph, as networkx);
 * - spectral_radius: the adjacency matrix's largest eigenvalue;
 * - triangles: the number of 3-cycles.
 * σ and ω dominate the cost (σ's defaults make 10 references of 100 swaps per edge each).
 */
export function extendedGraphProperties(g: UGraph, rng: Rng, options: StructureOptions = {}): StructureProperties {
  const n = g.getNodeCount();
  if (n < 4) throw new Error(`extendedGraphProperties: need at least 4 nodes (σ and ω's references swap two edges), got ${n}`);
  if (!isConnected(g)) throw new Error(`extendedGraphProperties: graph (n=${n}, ${g.getLinkCount()} edges) is not connected; path lengths are infinite`);
  const adj = adjacencyLists(g);
  return {
    average_clustering: averageClusteringOf(adj),
    transitivity: transitivityOf(adj),
    small_world_sigma: smallWorldSigma(g, rng, options.sigma),
    small_world_omega: smallWorldOmega(g, rng, options.omega),
    degree_assortativity: degreeAssortativityOf(adj),
    spectral_radius: spectralRadiusOf(adj),
    triangles: trianglesOf(adj),
  };
}
