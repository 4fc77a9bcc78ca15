/**
 * Lottery tickets (Frankle & Carbin 2019) by iterative magnitude pruning with rewinding
 * (Frankle et al. 2020, "Linear mode connectivity and the lottery ticket hypothesis"):
 *
 *   θ₀ = the network given; train it E epochs, keeping θ_j, its weights at the end of epoch j
 *   (j = rewindEpoch; j = 0 rewinds to θ₀ itself, j ≥ 1 is late rewinding);
 *   for round r = 1 … k: prune the group to density d_r = d^(r/k) — the kept weights of largest
 *   |w| after training, exactly round(d_r·N) of them, ranked globally or per matrix — and rewind:
 *   every weight (kept recurrent weights, biases, embedding, head) back to θ_j, pruned ones 0;
 *   rounds r < k train the rewound ticket again from epoch j+1 to E (the data order of the first
 *   run's epochs j+1 … E: the shuffle depends only on seed and epoch) with a fresh Adam.
 *
 * The ticket is the final masks at density d with the weights of θ_j: `masksAt` returns it with the
 * network (a copy: the given network is not changed) and the epoch to resume training from (j + 1).
 * Each round prunes the same fraction 1 − d^(1/k) of the weights the previous one kept.
 */
import { train, type EpochRecord, type TrainOptions } from "../nn/train";
import type { Network } from "../nn/network";
import type { BlockMasks } from "../nn/spec";
import { applyPlan, checkDensity, checkGroup, groupMatrices, MaskPlan, planOf, WeightGroup } from "./matrices";
import type { MaskMethod, MethodData } from "./method";
import { globalTopK } from "./select";

export type RankScope = "global" | "matrix";

export interface LotteryOptions {
  group: WeightGroup;
  /** the ticket's kept fraction of the group's weights */
  density: number;
  /** pruning rounds k ≥ 1 (k = 1: one-shot pruning with rewinding) */
  rounds: number;
  /** j: rewind to the weights after epoch j (0 = θ₀, the initialisation); < training.epochs */
  rewindEpoch: number;
  /** "global" (default): one ranking over all the group's matrices; "matrix": each matrix to d_r */
  scope?: RankScope;
  /** how every round trains: epochs E per full run, batch size, lr, seed, backend, … */
  training: Omit<TrainOptions, "afterStep" | "startEpoch" | "onEpoch">;
  /** a round's training run finished (its epochs' records, the masks it was pruned to) */
  onRound?: (round: LotteryRound) => void;
}

export interface LotteryRound {
  /** 1-based */
  round: number;
  /** d_r, the kept fraction after this round's pruning */
  density: number;
  kept: number;
  /** the masks this round pruned to (per block, the group's matrices) */
  masks: BlockMasks[];
  /** the records of the training run whose weights this round pruned */
  records: EpochRecord[];
}

export interface LotteryTicket extends MaskPlan {
  /** the ticket: the final masks, every weight rewound to θ_j (pruned ones 0) */
  network: Network;
  /** j + 1: train the ticket with TrainOptions.startEpoch = this, for E − j epochs */
  startEpoch: number;
  rounds: LotteryRound[];
}

/** d_r = density^(r/rounds), r = 1 … rounds: the same fraction pruned each round, d_k = density. */
export function iterativeDensities(density: number, rounds: number): number[] {
  checkDensity(density, "iterativeDensities");
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`iterativeDensities: rounds must be a positive integer, got ${rounds}`);
  return Array.from({ length: rounds }, (_, r) => (r + 1 === rounds ? density : density ** ((r + 1) / rounds)));
}

/**
 * Masks keeping the round(density·N) weights of largest |w| among those the network keeps (never
 * reviving one), over the group pooled ("global") or per matrix ("matrix", N = the matrix's size).
 * Ties go to the earlier weight. Pure.
 */
export function magnitudeTopK(net: Network, group: WeightGroup, density: number, scope: RankScope = "global"): MaskPlan {
  checkGroup(group, "magnitudeTopK");
  checkDensity(density, "magnitudeTopK");
  if (scope !== "global" && scope !== "matrix") throw new Error(`magnitudeTopK: scope must be "global" or "matrix", got ${JSON.stringify(scope)}`);
  const matrices = groupMatrices(net, group);
  const scores = matrices.map((m) => Float64Array.from(m.weights, Math.abs));
  const current = matrices.map((m) => m.mask);
  const masks = scope === "global" ? globalTopK(scores, density, current) : matrices.map((_, l) => globalTopK([scores[l]], density, [current[l]])[0]);
  return planOf(net, group, masks);
}

/** Every weight of `ticket` back to `snapshot`'s, then its masks applied again (pruned weights exactly 0). */
export function rewind(ticket: Network, snapshot: Network): void {
  const to = ticket.parameterArrays(), from = snapshot.parameterArrays();
  if (to.length !== from.length || to.some((a, i) => a.length !== from[i].length)) throw new Error("rewind: the snapshot is of another network shape");
  to.forEach((a, i) => a.set(from[i]));
  ticket.blocks.forEach((_, b) => ticket.setMasks(b, {}));
}

function checkOptions(o: LotteryOptions, who: string): void {
  if (o === null || typeof o !== "object") throw new Error(`${who}: options must be { group, density, rounds, rewindEpoch, training }, got ${String(o)}`);
  checkGroup(o.group, who);
  checkDensity(o.density, who);
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error(`${who}: rounds must be a positive integer, got ${o.rounds}`);
  if (o.training === null || typeof o.training !== "object") throw new Error(`${who}: training must be the TrainOptions of a round`);
  const E = o.training.epochs;
  if (!Number.isInteger(o.rewindEpoch) || o.rewindEpoch < 0 || !(o.rewindEpoch < E)) {
    throw new Error(`${who}: rewindEpoch must be an integer in 0 … training.epochs − 1 (${E - 1}), got ${o.rewindEpoch}`);
  }
  if (o.scope !== undefined && o.scope !== "global" && o.scope !== "matrix") throw new Error(`${who}: scope must be "global" or "matrix", got ${JSON.stringify(o.scope)}`);
}

/** Find the ticket of `net` (its θ₀; not changed) on `data`. Deterministic: the training options' seed and backend fix every number. */
export function findTicket(net: Network, data: MethodData, options: LotteryOptions): LotteryTicket {
  checkOptions(options, "findTicket");
  const { group, rounds: k, rewindEpoch: j, training } = options;
  const splits = { train: data.train, test: data.test ?? [] };
  const E = training.epochs;
  let snapshot: Network | undefined = j === 0 ? net.clone() : undefined;
  const first = net.clone();
  const firstRecords = train(first, splits, {
    ...training, epochs: E,
    onEpoch: (r) => { if (r.epoch === j) snapshot = first.clone(); },
  });
  const rewindTo = snapshot!;
  const rounds: LotteryRound[] = [];
  let trained = first, records = firstRecords;
  let ticket: Network | undefined;
  let plan: MaskPlan | undefined;
  iterativeDensities(options.density, k).forEach((density, r) => {
    plan = magnitudeTopK(trained, group, density, options.scope ?? "global");
    ticket = rewindTo.clone();
    applyPlan(ticket, plan); // θ_j with the new masks: pruned weights exactly 0
    const round: LotteryRound = { round: r + 1, density, kept: plan.kept, masks: plan.masks, records };
    rounds.push(round);
    options.onRound?.(round);
    if (r + 1 < k) {
      trained = ticket.clone();
      records = train(trained, splits, { ...training, epochs: E - j, startEpoch: j + 1 });
    }
  });
  return { ...plan!, network: ticket!, startEpoch: j + 1, rounds };
}

/** Lottery tickets as a method object: masksAt(net, data) finds the ticket of θ₀ = net (training inside). */
export function lotteryTicket(options: LotteryOptions): MaskMethod<LotteryTicket> {
  checkOptions(options, "lotteryTicket");
  return {
    name: options.rewindEpoch === 0 ? "lottery" : `lottery-rewind${options.rewindEpoch}`, group: options.group,
    masksAt: (net, data) => {
      if (!data) throw new Error("lotteryTicket: masksAt needs the training data (masksAt(net, { train, test }))");
      return findTicket(net, data, options);
    },
  };
}

