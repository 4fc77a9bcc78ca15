import { Network } from "../../src/nn/network";
import type { CellMode, NetworkSpec } from "../../src/nn/spec";
import type { Weights } from "../../src/nn/network";

/** A small stacked network (vocab 128 for the Reber data), no skips unless given. */
export function stackSpec(mode: CellMode, sizes: number[], skips: Array<[number, number]> = []): NetworkSpec {
  return { mode, vocab: 128, classes: 2, layers: sizes.map((size) => ({ size })), skips: skips.map(([from, to]) => ({ from, to })) };
}

export function makeNet(mode: CellMode, sizes: number[], seed = 1, skips: Array<[number, number]> = []): Network {
  return Network.create(stackSpec(mode, sizes, skips), { seed });
}

/** Copies of every parameter array (Network.parameterArrays() order). */
export function snapshot(net: Network): Float64Array[] {
  return net.parameterArrays().map((a) => Float64Array.from(a));
}

/** Copies of every block's masks. */
export function masksOf(net: Network): Array<[Uint8Array, Uint8Array]> {
  return net.blocks.map((b) => [Uint8Array.from(b.maskIH), Uint8Array.from(b.maskHH)]);
}

/** The biases, embedding and head (everything never masked), as copies. */
export function unmaskedArrays(net: Network): Weights[] {
  const out: Weights[] = [];
  for (const b of net.blocks) out.push(b.bIH.slice(), b.bHH.slice());
  out.push(net.embedding.slice(), net.headW.slice(), net.headB.slice());
  return out;
}

export function ones(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] ? 1 : 0;
  return n;
}
