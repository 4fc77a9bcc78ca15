/**
 * Block fusion: the physical recurrent blocks the engine steps, built from the
 * logical ones (a layer's own block and its skip blocks).
 *
 * A random-structure network has ~40 blocks of 1–5 units; stepping each one alone
 * costs a handful of kernel calls per time step whose fixed per-call and per-row
 * overheads dwarf their arithmetic. All blocks that write into the same layer t
 * (size s) run the same recurrence on different inputs, so m of them can run as ONE
 * block of hidden size H = m·s:
 *   unit u of member j is physical unit j·s + u; gate row g·s + u of the member is
 *   physical row g·H + j·s + u (PyTorch's gate-major layout, so the cell kernels
 *   work unchanged);
 *   W_ih is one (G·H × in_j) matrix per member, zero outside the member's rows, and
 *   gi = Σ_j x_j·W_ihjᵀ (each member reads its own source sequence);
 *   W_hh is block-diagonal (G·H × H), zero outside each member's own block;
 *   biases are concatenated; layer t's output is the sum of the m slices of h.
 * The math is exactly the logical network's; the price is the zero blocks of W_hh
 * (m× the recurrent products), so members are grouped into physical blocks of at
 * most `maxHidden` units. The engine keeps training the LOGICAL parameters (θ):
 * it copies them into the physical buffers before a forward pass and gathers the
 * physical gradients back afterwards (index maps below).
 */
import type { NetworkSpec } from "./spec";
import { GATES } from "./spec";
import type { ThetaLayout } from "./theta-layout";

/** One logical block inside a physical block. */
export interface FusedMember {
  /** index into Network.blocks */
  block: number;
  /** layer whose output sequence it reads (−1 = embedding) */
  source: number;
  inputSize: number;
  /** offset of its W_ih (physical layout) in the physical buffer */
  wIH: number;
}

/** A physical block: its parameters live in θ (a lone member) or in the physical buffer (fused). */
export interface PhysicalBlock {
  /** layer it writes */
  target: number;
  /** size of the target layer (units per member) */
  unit: number;
  /** physical hidden size = members · unit */
  hidden: number;
  members: FusedMember[];
  fused: boolean;
  /** offsets of W_hh, b_ih, b_hh in θ (lone member) or in the physical buffer (fused) */
  wHH: number; bIH: number; bHH: number;
}

export interface FusionPlan {
  /** per layer, its physical blocks in order (the layer's own block comes first) */
  layers: PhysicalBlock[][];
  /** size of the physical parameter buffer (fused blocks only) */
  physicalSize: number;
  /** θ[fromLogical[i]] ↔ physical[toPhysical[i]] for every fused parameter */
  fromLogical: Int32Array;
  toPhysical: Int32Array;
}

/** Split m members into ⌈m / per⌉ groups of near-equal size (7 by 3 → 3, 2, 2). */
function groupSizes(m: number, per: number): number[] {
  const groups = Math.ceil(m / per);
  return Array.from({ length: groups }, (_, g) => Math.floor(m / groups) + (g < m % groups ? 1 : 0));
}

/**
 * The physical plan of a spec. `theta` is where the logical parameters sit in θ
 * (theta-layout.ts); `maxHidden` bounds a fused block's hidden size (0 = no fusion:
 * every block runs alone, as logical).
 */
export function planFusion(spec: NetworkSpec, theta: ThetaLayout, maxHidden: number): FusionPlan {
  const G = GATES[spec.mode], L = spec.layers.length;
  const membersOf: Array<Array<{ block: number; source: number }>> = spec.layers.map((_, l) => [{ block: l, source: l - 1 }]);
  spec.skips.forEach((s, k) => membersOf[s.to].push({ block: L + k, source: s.from }));
  const from: number[] = [], to: number[] = [];
  let physicalSize = 0;
  const layers = membersOf.map((all, t) => {
    const s = spec.layers[t].size;
    const per = Math.max(1, Math.floor(maxHidden / s));
    const blocks: PhysicalBlock[] = [];
    let next = 0;
    for (const m of groupSizes(all.length, per)) {
      const group = all.slice(next, next + m);
      next += m;
      const inputOf = (source: number) => spec.layers[Math.max(source, 0)].size;
      if (m === 1) {
        const { block, source } = group[0], lone = theta.blocks[block];
        blocks.push({ target: t, unit: s, hidden: s, fused: false, wHH: lone.wHH.offset, bIH: lone.bIH.offset, bHH: lone.bHH.offset,
          members: [{ block, source, inputSize: inputOf(source), wIH: lone.wIH.offset }] });
        continue;
      }
      const H = m * s, GH = G * H;
      const members = group.map(({ block, source }) => {
        const member = { block, source, inputSize: inputOf(source), wIH: physicalSize };
        physicalSize += GH * member.inputSize;
        return member;
      });
      const wHH = physicalSize; physicalSize += GH * H;
      const bIH = physicalSize; physicalSize += GH;
      const bHH = physicalSize; physicalSize += GH;
      members.forEach((member, j) => {
        const logical = theta.blocks[member.block];
        const lIH = logical.wIH.offset, lHH = logical.wHH.offset, lbIH = logical.bIH.offset, lbHH = logical.bHH.offset;
        const n = member.inputSize;
        for (let g = 0; g < G; g++) {
          for (let u = 0; u < s; u++) {
            const logicalRow = g * s + u, physicalRow = g * H + j * s + u;
            for (let c = 0; c < n; c++) { from.push(lIH + logicalRow * n + c); to.push(member.wIH + physicalRow * n + c); }
            for (let v = 0; v < s; v++) { from.push(lHH + logicalRow * s + v); to.push(wHH + physicalRow * H + j * s + v); }
            from.push(lbIH + logicalRow); to.push(bIH + physicalRow);
            from.push(lbHH + logicalRow); to.push(bHH + physicalRow);
          }
        }
      });
      blocks.push({ target: t, unit: s, hidden: H, fused: true, members, wHH, bIH, bHH });
    }
    return blocks;
  });
  return { layers, physicalSize, fromLogical: Int32Array.from(from), toPhysical: Int32Array.from(to) };
}
