/**
 * Network specifications: the one description of a recurrent network shared by
 * the engine (src/nn), the pruning experiment (src/prune) and the random-structure
 * experiment (src/graph).
 *
 * A network is a chain of recurrent layers l = 0 … L−1 plus optional skip blocks.
 * Layer 0 reads the embedding (embedding size = layers[0].size); layer l > 0 reads
 * the output sequence of layer l−1. A skip block s → t (t − s ≥ 2) is a separate
 * recurrent layer of size layers[t].size over the output sequence of layer s; its
 * output sequence is added to layer t's output. The linear head reads the last
 * layer's output at the final step (padding "post") or at each string's true last
 * step (padding "packed").
 */

export type CellMode = "RNN_TANH" | "RNN_RELU" | "GRU" | "LSTM";

export const CELL_MODES: readonly CellMode[] = ["RNN_TANH", "RNN_RELU", "GRU", "LSTM"];

/** Gate blocks per mode, in PyTorch's row order: GRU r,z,n; LSTM i,f,g,o. */
export const GATES: Readonly<Record<CellMode, number>> = { RNN_TANH: 1, RNN_RELU: 1, GRU: 3, LSTM: 4 };

/** How strings are padded in a batch: defined with the batches (src/data/types.ts). */
export type { Padding } from "../data/types";

/**
 * A recurrent block's masks, row-major 0/1 over the full weight shapes:
 * maskIH is (gates·size) × inputSize, maskHH is (gates·size) × size.
 * An absent mask means dense.
 */
export interface BlockMasks {
  maskIH?: Uint8Array;
  maskHH?: Uint8Array;
}

export interface LayerSpec extends BlockMasks {
  size: number;
}

export interface SkipSpec extends BlockMasks {
  /** source layer index s */
  from: number;
  /** target layer index t, t − from ≥ 2 */
  to: number;
}

export interface NetworkSpec {
  mode: CellMode;
  /** token vocabulary (ASCII: 128) */
  vocab: number;
  layers: LayerSpec[];
  skips: SkipSpec[];
  /** output classes (2: invalid / valid) */
  classes: number;
}
