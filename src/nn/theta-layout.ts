/**
 * Where every parameter array sits in the engine's flat vector θ (and so in its
 * gradient, its 0/1 mask and Adam's moments, which share θ's layout):
 *
 *   per block (Network.blocks order)  W_ih  (G·H × In)   masked
 *                                     W_hh  (G·H × H)    masked
 *                                     b_ih  (G·H)
 *                                     b_hh  (G·H)
 *   then                              embedding (vocab × E), headW (classes × top), headB (classes)
 *
 * the order of Network.parameterArrays(). Built once from a spec; the engines, the
 * fusion plan and the sparse backend (through bindParameters) address θ only by
 * these named ranges, never by `4·block + k` arithmetic.
 */
import type { MatrixLayout } from "./kernel-ops";
import type { NetworkSpec } from "./spec";
import { GATES } from "./spec";
import { layerInputSize } from "./validate";

/** One array of θ: a rows × cols matrix (a vector: cols 1) of `length` entries from `offset`. */
export interface ThetaRange extends MatrixLayout {
  /** its place in Network.parameterArrays() (and the `matrix` of operands at it) */
  readonly index: number;
  readonly length: number;
}

/** A recurrent block's arrays. */
export interface ThetaBlock {
  readonly wIH: ThetaRange;
  readonly wHH: ThetaRange;
  readonly bIH: ThetaRange;
  readonly bHH: ThetaRange;
  /** the span its masks cover: W_ih, then W_hh (adjacent in θ) */
  readonly masked: { readonly offset: number; readonly length: number };
}

export interface ThetaLayout {
  readonly blocks: readonly ThetaBlock[];
  readonly embedding: ThetaRange;
  readonly headW: ThetaRange;
  readonly headB: ThetaRange;
  /** every array in Network.parameterArrays() order (arrays[r.index] === r): also the ParameterLayout's matrices */
  readonly arrays: readonly ThetaRange[];
  /** θ's length: every parameter, masked or not */
  readonly size: number;
}

/** A block's arrays in θ's order. */
const BLOCK_ARRAYS = ["wIH", "wHH", "bIH", "bHH"] as const;

/** The place in Network.parameterArrays() of a block's array (for code that holds no layout). */
export function thetaArrayIndex(block: number, array: (typeof BLOCK_ARRAYS)[number]): number {
  return BLOCK_ARRAYS.length * block + BLOCK_ARRAYS.indexOf(array);
}

/** θ's layout for a (valid) spec. */
export function thetaLayout(spec: NetworkSpec): ThetaLayout {
  const arrays: ThetaRange[] = [];
  let offset = 0;
  const next = (rows: number, cols: number, block?: number): ThetaRange => {
    const range: ThetaRange = { index: arrays.length, offset, length: rows * cols, rows, cols, ...(block === undefined ? {} : { block }) };
    arrays.push(range);
    offset += range.length;
    return range;
  };
  const G = GATES[spec.mode], L = spec.layers.length;
  const shapes = [
    ...spec.layers.map((layer, l) => ({ inputSize: layerInputSize(spec, l), hidden: layer.size })),
    ...spec.skips.map((s) => ({ inputSize: spec.layers[s.from].size, hidden: spec.layers[s.to].size })),
  ];
  const blocks = shapes.map(({ inputSize, hidden }, block): ThetaBlock => {
    const GH = G * hidden;
    const wIH = next(GH, inputSize, block), wHH = next(GH, hidden, block), bIH = next(GH, 1), bHH = next(GH, 1);
    return { wIH, wHH, bIH, bHH, masked: { offset: wIH.offset, length: wIH.length + wHH.length } };
  });
  const E = spec.layers[0].size, top = spec.layers[L - 1].size;
  const embedding = next(spec.vocab, E), headW = next(spec.classes, top), headB = next(spec.classes, 1);
  return { blocks, embedding, headW, headB, arrays, size: offset };
}

/**
 * The parameters a spec's network trains: θ's size less the weights its masks hold at zero
 * (a masked W_ih / W_hh entry is never updated). "Model size" in the structure experiments.
 */
export function trainableParameters(spec: NetworkSpec): number {
  const zeros = (mask: Uint8Array | undefined) => (mask ? mask.reduce((a, m) => a + (m === 0 ? 1 : 0), 0) : 0);
  const masked = [...spec.layers, ...spec.skips].reduce((a, block) => a + zeros(block.maskIH) + zeros(block.maskHH), 0);
  return thetaLayout(spec).size - masked;
}
