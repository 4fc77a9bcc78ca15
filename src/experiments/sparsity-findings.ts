/**
 * What the sparse-training comparison's rows say: test accuracy per method and density as mean ± std
 * over seeds, the degree tails of SET's and RigL's masks at the start and end of training, and the
 * literature's claims checked one by one against the data (each a count of the (variant, task, density)
 * cells where the claim's comparison holds, and a verdict from that count — nothing is written in).
 */
import type { CellMode } from "../nn/spec";
import type { GrammarName } from "../data/grammar";
import type { SparsityMethod, SparsityRole, SparsityRow } from "./sparsity-settings";
import { groupBy } from "../core/group";
import { meanOf, sampleVarianceOf } from "../predict/stats";

export interface AccuracyPoint {
  variant: CellMode;
  task: GrammarName;
  method: SparsityMethod | "dense";
  role: SparsityRole;
  /** the target kept fraction */
  density: number;
  /** the kept fraction reached, mean over seeds (a graph family may keep more than its target) */
  keptFraction: number;
  /** test accuracy over seeds: mean, sample standard deviation (0 for one seed), count */
  mean: number;
  std: number;
  n: number;
}


/** A (variant, task, method, density) cell: the seeds of one point of the comparison. */
const cellKey = (r: SparsityRow) => `${r.variant}/${r.task}/${r.method}/${r.density}`;

/** Test accuracy per (variant, task, method, density) over the seeds, in the rows' order of first appearance. */
export function accuracyByDensity(rows: readonly SparsityRow[]): AccuracyPoint[] {
  return [...groupBy(rows, cellKey).values()].map((group) => {
    const first = group[0];
    const accuracies = group.map((r) => r.test_acc);
    const mean = meanOf(accuracies), std = Math.sqrt(sampleVarianceOf(accuracies));
    return {
      variant: first.variant, task: first.task, method: first.method, role: first.role, density: first.density,
      keptFraction: meanOf(group.map((r) => r.kept_fraction)), mean, std, n: group.length,
    };
  });
}

export interface TailChange {
  variant: CellMode;
  task: GrammarName;
  method: SparsityMethod;
  density: number;
  /** degree CV and max/mean of the connections per unit (degree-tail.ts), means over seeds, at the start and end of training */
  startCv: number;
  endCv: number;
  startMaxRatio: number;
  endMaxRatio: number;
  n: number;
}

/** How the degree tail of the dynamic methods' masks (SET, RigL) changed during training, per variant, task and density. */
export function degreeTailChanges(rows: readonly SparsityRow[], methods: readonly SparsityMethod[] = ["set", "rigl"]): TailChange[] {
  const dynamic = rows.filter((r) => methods.includes(r.method as SparsityMethod));
  return [...groupBy(dynamic, cellKey).values()].map((group) => {
    const mean = (f: (r: SparsityRow) => number) => meanOf(group.map(f));
    const first = group[0];
    return {
      variant: first.variant, task: first.task, method: first.method as SparsityMethod, density: first.density,
      startCv: mean((r) => r.start_degree_cv), endCv: mean((r) => r.degree_cv),
      startMaxRatio: mean((r) => r.start_degree_max_ratio), endMaxRatio: mean((r) => r.degree_max_ratio), n: group.length,
    };
  });
}

export type Verdict = "holds" | "mixed" | "does not hold" | "not measured";

/** "holds" in at least two thirds of the cells, "does not hold" in at most a third, "mixed" between. */
export function verdictOf(holding: number, cells: number): Verdict {
  if (cells === 0) return "not measured";
  if (holding * 3 >= cells * 2) return "holds";
  if (holding * 3 <= cells) return "does not hold";
  return "mixed";
}

export interface Finding {
  claim: string;
  source: string;
  /** the comparison made in every cell */
  test: string;
  /** cells where it held / cells where both sides were measured */
  holding: number;
  cells: number;
  verdict: Verdict;
}

/**
 * The literature's claims, each checked in every (variant, task, density) cell where its methods ran.
 * `tolerance` is the accuracy difference counted as a match (e.g. 0.02, two percentage points).
 */
export function literatureFindings(rows: readonly SparsityRow[], tolerance: number): Finding[] {
  if (!(tolerance >= 0 && tolerance < 1)) throw new Error(`literatureFindings: tolerance must be an accuracy difference in [0, 1), got ${tolerance}`);
  const points = accuracyByDensity(rows);
  const at = new Map(points.map((p) => [`${p.variant}/${p.task}/${p.method}/${p.density}`, p.mean]));
  const cells = [...new Set(points.filter((p) => p.method !== "dense").map((p) => `${p.variant}/${p.task}/${p.density}`))];
  const dense = new Map(points.filter((p) => p.method === "dense").map((p) => [`${p.variant}/${p.task}`, p.mean]));
  /** Count the cells where `holds(mean of a method, …)` is true, among those where every method named was measured. */
  const compare = (methods: ReadonlyArray<SparsityMethod>, holds: (acc: (m: SparsityMethod) => number, cell: string) => boolean) => {
    let holding = 0, measured = 0;
    for (const cell of cells) {
      const [variant, task, density] = cell.split("/");
      const acc = (m: SparsityMethod) => at.get(`${variant}/${task}/${m}/${density}`)!;
      if (methods.some((m) => at.get(`${variant}/${task}/${m}/${density}`) === undefined)) continue;
      measured++;
      if (holds(acc, `${variant}/${task}`)) holding++;
    }
    return { holding, cells: measured, verdict: verdictOf(holding, measured) };
  };
  const pp = `${(100 * tolerance).toFixed(0)} pp`;
  const tails = degreeTailChanges(rows, ["set"]);
  const tailHolding = tails.filter((t) => t.endCv > t.startCv).length;
  return [
    {
      claim: "lottery tickets: a ticket rewound to θ₀ or θ_j beats a random mask of its density", source: "Frankle & Carbin 2019; Yu et al. 2020 (RNNs)",
      test: `max(lottery, lottery-late) ≥ random-erk`, ...compare(["lottery", "lottery-late", "random-erk"], (a) => Math.max(a("lottery"), a("lottery-late")) >= a("random-erk")),
    },
    {
      claim: "SNIP does poorly on recurrent networks", source: "Zhang & Stadie 2020",
      test: "snip < random-erk", ...compare(["snip", "random-erk"], (a) => a("snip") < a("random-erk")),
    },
    {
      claim: "SET evolves an Erdős–Rényi start towards a heavy-tailed (scale-free) degree distribution", source: "Mocanu et al. 2018",
      test: "degree CV of SET's mask at the end > at the start", holding: tailHolding, cells: tails.length, verdict: verdictOf(tailHolding, tails.length),
    },
    {
      claim: "RigL beats SET", source: "Evci et al. 2020",
      test: "rigl ≥ set", ...compare(["rigl", "set"], (a) => a("rigl") >= a("set")),
    },
    {
      claim: "shuffling a pruned mask within each layer costs nothing", source: "Frankle et al. 2021",
      test: `shuffled ≥ lottery − ${pp} (both trained from θ₀)`, ...compare(["shuffled", "lottery"], (a) => a("shuffled") >= a("lottery") - tolerance),
    },
    {
      claim: "a random mask at the right density is competitive", source: "Liu et al. 2022",
      test: `random-erk ≥ one-shot − ${pp}`, ...compare(["random-erk", "one-shot"], (a) => a("random-erk") >= a("one-shot") - tolerance),
    },
    {
      claim: "a small dense network does worse than a large sparse one of as many weights", source: "Zhu & Gupta 2017",
      test: "small-dense < gradual", ...compare(["small-dense", "gradual"], (a) => a("small-dense") < a("gradual")),
    },
    {
      claim: "(beside them) the thesis's one-shot prune + retrain stays within the tolerance of the dense network", source: "the thesis, ch. 6.2",
      test: `one-shot ≥ dense − ${pp}`, ...compare(["one-shot"], (a, cell) => dense.has(cell) && a("one-shot") >= dense.get(cell)! - tolerance),
    },
  ];
}

/** A table of one variant and task: a row per method, a column per density (kept %), "mean ± std" of the test accuracy (3 decimals). */
export function accuracyTableRows(points: readonly AccuracyPoint[], variant: CellMode, task: GrammarName): Array<Record<string, string>> {
  const mine = points.filter((p) => p.variant === variant && p.task === task);
  const densities = [...new Set(mine.filter((p) => p.method !== "dense").map((p) => p.density))].sort((a, b) => b - a);
  return [...new Set(mine.map((p) => p.method))].map((method) => {
    const row: Record<string, string> = { method, role: mine.find((p) => p.method === method)!.role };
    for (const d of densities) {
      // the dense reference has one value, shown in every column
      const p = mine.find((q) => q.method === method && (method === "dense" || q.density === d));
      row[`${+(100 * d).toFixed(1)} %`] = p ? `${p.mean.toFixed(3)} ± ${p.std.toFixed(3)}` : "—";
    }
    return row;
  });
}
