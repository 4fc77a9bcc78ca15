/**
 * src/sparsity: sparse training beyond pruning, over the engine's mask API (PyTorch-free, seeded).
 *
 *   one-shot   snip, lotteryTicket (iterative magnitude pruning with rewinding), randomControl,
 *              shuffledControl: method.masksAt(net, data) → MaskPlan; applyPlan(net, plan)
 *   dynamic    set, rigl: applyPlan(net, method.masksAt(net)); train(…, { afterStep: method.afterStep })
 *   controls   smallDenseSpec (a dense net with the kept recurrent weights of a sparse one)
 *   density    layerDensities / layerCounts (uniform, ERK)
 *   graphs     graphMasks (BA / WS / ER patterns at a density)
 *   metrics    unitGraph, maskGraphMetrics, degreeTail (a mask as a unit graph; its properties and degree tail)
 *
 * Every method works on the thesis's weight groups (i2h, h2h, both); biases are never masked.
 */
export * from "./matrices";
export * from "./select";
export * from "./erk";
export * from "./method";
export * from "./controls";
export * from "./snip";
export * from "./lottery";
export * from "./dynamic";
export * from "./set";
export * from "./rigl";
export * from "./graph-masks";
export * from "./unit-graph";
export * from "./degree-tail";
export * from "./mask-metrics";
