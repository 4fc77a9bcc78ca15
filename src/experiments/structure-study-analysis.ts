/**
 * What the structure study's rows say (notebook 07): seeds grouped by graph, the noise ceilings of each
 * part × variant × mapping, per-graph seed means, mean accuracy per graph family and rewiring
 * probability, the baselines' display rows, and the closing table of claims — each verdict computed from
 * the numbers passed in, never written by hand.
 */
import { groupBy } from "../core/group";
import { meanOf, noiseCeiling, sampleVarianceOf, type BaselineResult, type Interval, type NoiseCeilingOptions } from "../predict";
import type { StructureStudyRow, StudyPart } from "./structure-study-rows";

/** A graph within its part, variant and mapping: everything that names a row but its replicate. */
export function graphKey(row: StructureStudyRow): string {
  return `${row.part}/${row.mode}/${row.mapping}/${row.graph}/${row.rewiring_p ?? "-"}/${row.graph_nr}`;
}

/** A part × variant × mapping cell, e.g. "ceiling · GRU · layered". */
export function cellOf(row: { part: string; mode: string; mapping: string }): string {
  return `${row.part} · ${row.mode} · ${row.mapping}`;
}

/** The rows of each cell, cells in order of first appearance. */
function byCell(rows: readonly StructureStudyRow[]): Map<string, StructureStudyRow[]> {
  return groupBy(rows, (row) => cellOf(row));
}

/** The accuracies of each graph by replicate (graphs in order of first appearance; replicates sorted). */
export function seedGroups(rows: readonly StructureStudyRow[]): Array<{ key: string; rows: StructureStudyRow[] }> {
  return [...groupBy(rows, (row) => graphKey(row))].map(([key, mine]) => ({ key, rows: [...mine].sort((a, b) => a.replicate - b.replicate) }));
}

export interface CeilingRow {
  part: StudyPart;
  mode: string;
  mapping: string;
  graphs: number;
  seeds: number;
  /** ICC(1): the ceiling of R² for one run's accuracy */
  singleRun: Interval;
  /** ICC(1,k): the ceiling of R² for the k-seed mean */
  seedMean: Interval;
  /** σ_b and σ_w: the spread of accuracy between graphs and between seeds */
  betweenSd: number;
  withinSd: number;
}

/**
 * The noise ceiling of every cell that has k ≥ 2 seeds of ≥ 2 graphs. A graph with fewer seeds than its
 * cell's most (an unfinished study) is left out, so the design stays balanced.
 */
export function studyCeilings(rows: readonly StructureStudyRow[], options: NoiseCeilingOptions = {}): CeilingRow[] {
  const out: CeilingRow[] = [];
  for (const mine of byCell(rows).values()) {
    const groups = seedGroups(mine);
    const k = Math.max(...groups.map((g) => g.rows.length));
    const complete = groups.filter((g) => g.rows.length === k);
    if (k < 2 || complete.length < 2) continue;
    const c = noiseCeiling(complete.map((g) => g.rows.map((r) => r.test_acc)), options);
    out.push({
      part: mine[0].part, mode: mine[0].mode, mapping: mine[0].mapping, graphs: complete.length, seeds: k,
      singleRun: c.singleRun, seedMean: c.seedMean, betweenSd: Math.sqrt(Math.max(0, c.betweenVariance)), withinSd: Math.sqrt(c.withinVariance),
    });
  }
  return out;
}

/** The ceilings as table rows: cell, design, ICC(1) and ICC(1,k) with their intervals, σ between and within. */
export function ceilingRows(ceilings: readonly CeilingRow[]): Array<Record<string, string | number>> {
  const ci = (i: Interval) => `[${i.low.toFixed(2)}, ${i.high.toFixed(2)}]`;
  return ceilings.map((c) => ({
    cell: cellOf(c), graphs: c.graphs, seeds: c.seeds, "ICC(1): one run": c.singleRun.estimate, "95% CI (one run)": ci(c.singleRun),
    [`ICC(1,k): ${c.seeds}-seed mean`]: c.seedMean.estimate, "95% CI (mean)": ci(c.seedMean), "σ between graphs": c.betweenSd, "σ between seeds": c.withinSd,
  }));
}

/**
 * How many of the ceiling part's replicate-0 models — the sweep's own tasks — reproduce the sweep's
 * accuracy and loss bit for bit (`sweep`: the sweep's rows, e.g. the sweep of record). A model the sweep
 * does not list is not counted.
 */
export function replicateZeroAgreement(rows: readonly StructureStudyRow[],
  sweep: ReadonlyArray<{ mode: string; graph?: string; graph_nr?: number; test_acc: number; test_loss?: number }>): { models: number; identical: number } {
  const bySweepKey = new Map(sweep.map((r) => [`${r.mode}/${r.graph}/${r.graph_nr}`, r]));
  let models = 0, identical = 0;
  for (const row of rows.filter((r) => r.part === "ceiling" && r.replicate === 0)) {
    const theirs = bySweepKey.get(`${row.mode}/${row.graph}/${row.graph_nr}`);
    if (!theirs) continue;
    models++;
    if (theirs.test_acc === row.test_acc && theirs.test_loss === row.test_loss) identical++;
  }
  return { models, identical };
}

/** One row per graph: its first replicate's row with test_acc the mean over its seeds, and how many seeds. */
export function seedMeans(rows: readonly StructureStudyRow[]): Array<StructureStudyRow & { seeds: number }> {
  return seedGroups(rows).map(({ rows: mine }) => ({ ...mine[0], test_acc: meanOf(mine.map((r) => r.test_acc)), seeds: mine.length }));
}

/** A graph's position in You et al.'s (C, L) plane and its accuracy (a seed mean, in the study). */
export type ClRow = { readonly average_clustering: number; readonly average_shortest_path_length: number; readonly test_acc: number };

/** One cell of the (C, L) grid: its ranges, the mean accuracy of its graphs and how many (0: empty, mean NaN). */
export interface ClCell {
  cLow: number; cHigh: number;
  lLow: number; lHigh: number;
  mean: number;
  models: number;
}

/** Equal-width bin edges over [lo, hi] (one bin's width 1 when the range is a point). */
function binEdges(values: readonly number[], bins: number): number[] {
  const lo = Math.min(...values), hi = Math.max(...values);
  const width = hi > lo ? (hi - lo) / bins : 1;
  return Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
}

function binOf(value: number, e: readonly number[]): number {
  const i = Math.floor(((value - e[0]) / (e[e.length - 1] - e[0] || 1)) * (e.length - 1));
  return Math.min(e.length - 2, Math.max(0, i));
}

/**
 * Mean accuracy over the (C, L) plane in `bins` × `bins` equal-width cells over the rows' range:
 * `cells[c][l]`, c indexing average clustering C (rows of the heat map), l average path length L.
 */
export function clPlaneGrid(rows: readonly ClRow[], bins = 6): { cEdges: number[]; lEdges: number[]; cells: ClCell[][] } {
  if (rows.length === 0) throw new Error("clPlaneGrid: no rows");
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`clPlaneGrid: bins must be a positive integer, got ${bins}`);
  const cEdges = binEdges(rows.map((r) => r.average_clustering), bins), lEdges = binEdges(rows.map((r) => r.average_shortest_path_length), bins);
  const cells = Array.from({ length: bins }, (_, c) => Array.from({ length: bins }, (_, l): ClCell => ({
    cLow: cEdges[c], cHigh: cEdges[c + 1], lLow: lEdges[l], lHigh: lEdges[l + 1], mean: NaN, models: 0,
  })));
  const sums = cells.map((row) => row.map(() => 0));
  for (const r of rows) {
    const c = binOf(r.average_clustering, cEdges), l = binOf(r.average_shortest_path_length, lEdges);
    sums[c][l] += r.test_acc;
    cells[c][l].models++;
  }
  cells.forEach((row, c) => row.forEach((cell, l) => { if (cell.models) cell.mean = sums[c][l] / cell.models; }));
  return { cEdges, lEdges, cells };
}

/** The (C, L) cell with the highest mean accuracy among those holding at least `minModels` graphs (undefined: none does). */
export function bestClRegion(rows: readonly ClRow[], options: { bins?: number; minModels?: number } = {}): ClCell | undefined {
  const { bins = 6, minModels = 3 } = options;
  return clPlaneGrid(rows, bins).cells.flat().filter((cell) => cell.models >= minModels)
    .reduce<ClCell | undefined>((best, cell) => (best === undefined || cell.mean > best.mean ? cell : best), undefined);
}

/**
 * Per variant × mapping of the small-world part: the (C, L) cell of highest mean accuracy over the graphs'
 * seed means (at least `minModels` graphs in it), beside the mean over all the cell's graphs.
 */
export function bestClRegionRows(rows: readonly StructureStudyRow[], options: { bins?: number; minModels?: number } = {}): Array<Record<string, string | number>> {
  const { bins = 6, minModels = 3 } = options;
  return [...byCell(rows.filter((r) => r.part === "small_world")).values()].map((mine) => {
    const means = seedMeans(mine);
    const best = bestClRegion(means, { bins, minModels });
    const range = (lo: number, hi: number) => `${lo.toFixed(2)}–${hi.toFixed(2)}`;
    return {
      cell: `${mine[0].mode} · ${mine[0].mapping}`, graphs: means.length, "mean accuracy, all graphs": meanOf(means.map((r) => r.test_acc)),
      "best region: C": best ? range(best.cLow, best.cHigh) : `no cell of ${bins}×${bins} holds ${minModels} graphs`,
      "best region: L": best ? range(best.lLow, best.lHigh) : "",
      "its mean accuracy": best ? best.mean : "", "its graphs": best ? best.models : "",
    };
  });
}

/** The family label of a small-world row: "WS p=0.05", "BA", "ER". */
export function familyLabel(row: Pick<StructureStudyRow, "graph" | "rewiring_p">): string {
  if (row.graph === "watts_strogatz") return `WS p=${row.rewiring_p}`;
  return row.graph === "barabasi_albert" ? "BA" : "ER";
}

export interface FamilyAccuracy {
  mode: string;
  mapping: string;
  family: string;
  /** WS rewiring probability, null for BA / ER */
  p: number | null;
  graphs: number;
  /** mean over graphs of the graph's seed-mean accuracy */
  mean: number;
  /** standard error of that mean over graphs (0 for one graph) */
  se: number;
}

/** Mean accuracy per variant × mapping × family (WS by p, then BA, ER), over graphs' seed means. */
export function accuracyByFamily(rows: readonly StructureStudyRow[]): FamilyAccuracy[] {
  const means = seedMeans(rows);
  const cells = groupBy(means, (r) => `${r.mode}|${r.mapping}|${familyLabel(r)}`);
  const order = (r: FamilyAccuracy) => (r.p ?? 2) + (r.family === "ER" ? 1 : 0);
  return [...cells.values()].map((mine) => {
    const acc = mine.map((r) => r.test_acc), m = meanOf(acc);
    const se = Math.sqrt(sampleVarianceOf(acc) / acc.length);
    return { mode: mine[0].mode, mapping: mine[0].mapping, family: familyLabel(mine[0]), p: mine[0].rewiring_p, graphs: acc.length, mean: m, se };
  }).sort((a, b) => a.mode.localeCompare(b.mode) || a.mapping.localeCompare(b.mapping) || order(a) - order(b));
}

/** The baselines as table rows: R² (mean ± std) per model, and the gain of all over size with its 95% interval. */
export function baselineRows(table: string, result: BaselineResult): Array<Record<string, string | number>> {
  return result.gains.map((gain) => {
    const score = (model: string) => result.scores.find((s) => s.group === gain.group && s.model === model)!;
    const fmt = (model: string) => `${score(model).mean.toFixed(2)} ± ${score(model).std.toFixed(2)}`;
    return {
      table, group: gain.group, "size only": fmt("size"), "C and L only": fmt("clustering_path"), "all properties": fmt("all"),
      "gain over size": gain.mean, "95% interval": `[${gain.low.toFixed(2)}, ${gain.high.toFixed(2)}]`, "folds all > size": gain.positiveShare,
      "size features": score("size").features.join(", "), "C/L features": score("clustering_path").features.join(", "),
    };
  });
}

export type Claim = {
  claim: string;
  source: string;
  /** what was compared, with the numbers */
  evidence: string;
  verdict: "holds" | "does not hold" | "undecided";
};

export interface ClaimInputs {
  /** the ceilings of the study's cells (studyCeilings) */
  ceilings: readonly CeilingRow[];
  /** the thesis's published R² of the variant whose ceiling is measured (GRU, random forest: 0.88) */
  thesisR2: { variant: string; regressor: string; r2: number };
  /** the baselines of the tables shown (gain of all over size), by table name */
  baselines: ReadonlyArray<{ table: string; result: BaselineResult }>;
  /** mean accuracy per family of the small-world part (accuracyByFamily) */
  families: readonly FamilyAccuracy[];
}

const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);

/**
 * The closing table: what holds, on these data, of the thesis's claims and of You et al. (2020)'s on RNNs.
 * A difference "holds" when it exceeds two standard errors, "does not hold" when it is that far the other
 * way, else it is undecided; the R² claim is read against the single-run ceiling's 95% interval.
 */
export function structureClaims(inputs: ClaimInputs): Claim[] {
  const claims: Claim[] = [];
  const { variant, regressor, r2 } = inputs.thesisR2;
  const ceiling = inputs.ceilings.find((c) => c.part === "ceiling" && c.mode === variant);
  if (ceiling) {
    const { low, high, estimate } = ceiling.singleRun;
    claims.push({
      claim: `${variant}'s published R² ${f2(r2)} (${regressor}, one run per graph) is below what seed noise allows`, source: "thesis",
      evidence: `single-run noise ceiling ICC(1) ${f2(estimate)} [${f2(low)}, ${f2(high)}] from ${ceiling.graphs} graphs × ${ceiling.seeds} seeds of the sweep's configuration`,
      verdict: r2 > high ? "does not hold" : r2 <= high && r2 >= low ? "undecided" : "holds",
    });
  }
  const verdict = (diff: number, se: number): Claim["verdict"] => (diff > 2 * se ? "holds" : diff < -2 * se ? "does not hold" : "undecided");
  const cells = [...new Set(inputs.families.map((f) => `${f.mode}|${f.mapping}`))];
  for (const cell of cells) {
    const [mode, mapping] = cell.split("|");
    const mine = inputs.families.filter((f) => f.mode === mode && f.mapping === mapping);
    const random = mine.find((f) => f.p === 1), ba = mine.find((f) => f.family === "BA"), lattice = mine.find((f) => f.p === 0);
    if (random && ba) {
      const diff = random.mean - ba.mean, se = Math.hypot(random.se, ba.se);
      claims.push({
        claim: `Watts–Strogatz (p = 1) networks beat Barabási–Albert ones (${mode}, ${mapping})`, source: "thesis",
        evidence: `mean accuracy WS ${f3(random.mean)} vs BA ${f3(ba.mean)} at matched density: difference ${f3(diff)} ± ${f3(se)} (SE, ${random.graphs} and ${ba.graphs} graphs)`,
        verdict: verdict(diff, se),
      });
    }
    const middle = mine.filter((f) => f.p !== null && f.p > 0 && f.p < 1);
    if (random && lattice && middle.length > 0) {
      const best = middle.reduce((a, b) => (b.mean > a.mean ? b : a));
      const worse = [lattice, random].reduce((a, b) => (b.mean > a.mean ? b : a));
      const diff = best.mean - worse.mean, se = Math.hypot(best.se, worse.se);
      claims.push({
        claim: `a small-world sweet spot: some 0 < p < 1 beats both the lattice and the random graph (${mode}, ${mapping})`, source: "You et al. 2020",
        evidence: `best intermediate ${best.family} ${f3(best.mean)} vs the better extreme ${worse.family} ${f3(worse.mean)}: ${f3(diff)} ± ${f3(se)} (SE)`,
        verdict: verdict(diff, se),
      });
    }
  }
  for (const { table, result } of inputs.baselines) {
    for (const gain of result.gains) {
      claims.push({
        claim: `structure beyond size: all properties predict better than size alone (${gain.group})`, source: `thesis's premise; ${table}`,
        evidence: `CV R² gain of all properties over size only ${f2(gain.mean)}, 95% interval [${f2(gain.low)}, ${f2(gain.high)}]`,
        verdict: gain.low > 0 ? "holds" : gain.high < 0 ? "does not hold" : "undecided",
      });
      const cl = result.scores.find((s) => s.group === gain.group && s.model === "clustering_path");
      if (cl && cl.features.includes("average_clustering")) {
        claims.push({
          claim: `C and L alone predict accuracy (${gain.group})`, source: `You et al. 2020; ${table}`,
          evidence: `CV R² of (C, L) only ${f2(cl.mean)} ± ${f2(cl.se)} (corrected SE, ${cl.scores.length} folds)`,
          verdict: verdict(cl.mean, cl.se),
        });
      }
    }
  }
  return claims;
}
