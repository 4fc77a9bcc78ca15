/**
 * sparse-rnn-lab: the whole library by area, in the order data flows.
 * Notebooks usually import one area (`./src/data`, `./src/nn`, …); this entry
 * gathers them for scripts: `import { data, nn } from "sparse-rnn-lab"`.
 */
export * as thesis from "./thesis";
export * as data from "./data";
export * as nn from "./nn";
export * as prune from "./prune";
export * as sparsity from "./sparsity";
export * as graph from "./graph";
export * as experiments from "./experiments";
export * as predict from "./predict";
export * as plot from "./plot";
