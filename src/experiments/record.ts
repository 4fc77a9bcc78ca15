/**
 * The results of record: what `npm run record` computes (the `thesis` profile of every
 * experiment), how it is exported from the caches into out/record/ as plain CSV with
 * its provenance, and how a complete export is promoted into results/ — the folder the
 * notebooks and the README show.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { stringify } from "csv-stringify/sync";
import { CELL_MODES, CellMode } from "../nn/spec";
import { numericsOf } from "../nn/numerics";
import { sparseBackend, PRUNE_COLUMNS } from "../prune";
import { generateDataset } from "../data";
import { ResultStore, Row, writeAtomically } from "../core/result-store";
import { contentHash, shortHash } from "../core/hash";
import { pruningData, pruningIdentity, pruningSettings } from "./pruning";
import { STRUCTURE_COLUMNS, SweepConfig, sweepIdentity, sweepProfile } from "./sweep";

/** where `npm run record` exports to, and where promotion copies to (relative to the repository) */
export const RECORD_DIR = "out/record";
export const RESULTS_DIR = "results";

const ROOT = path.resolve(fs.realpathSync(__dirname), "..", "..");

export interface RecordJob {
  name: string;
  kind: "pruning" | "sweep" | "tile";
  variant?: CellMode;
}

/** The jobs, and the order two lanes take them in (longest first; the sweep jobs share their models). */
export function recordPlan(): { jobs: RecordJob[]; schedule: string[]; tile: Partial<SweepConfig> } {
  const jobs: RecordJob[] = [
    ...CELL_MODES.map((variant): RecordJob => ({ name: `pruning:${variant}`, kind: "pruning", variant })),
    { name: "sweep", kind: "sweep" },
    { name: "tile", kind: "tile" },
  ];
  const schedule = ["pruning:LSTM", "pruning:GRU", "sweep", "sweep", "tile", "tile", "pruning:RNN_TANH", "pruning:RNN_RELU"];
  // the gate-layout comparison: the sweep's first 50 graphs per family of the gated cells, masks following the graph in every gate block
  const tile: Partial<SweepConfig> = { modes: ["GRU", "LSTM"], graphs: 50, layout: "tile" };
  return { jobs, schedule, tile };
}

/** The cache folders the record's jobs fill (computed from their identities, as the protocols do). */
function recordSources(): { pruning: { dir: string; identity: unknown }; sweep: { dir: string; identity: unknown }; tile: { dir: string; identity: unknown } } {
  const settings = pruningSettings("thesis");
  const pruningIdentityValue = pruningIdentity(settings, pruningData("thesis"), numericsOf(sparseBackend(settings.backend)));
  const profile = sweepProfile("thesis");
  const data = generateDataset({ size: profile.datasetSize, seed: profile.seed });
  const sweep = sweepIdentity(profile, data);
  const tile = sweepIdentity({ ...profile, ...recordPlan().tile }, data);
  return {
    pruning: { dir: path.join(ROOT, "out", "cache", "pruning", shortHash(pruningIdentityValue)), identity: pruningIdentityValue },
    sweep: { dir: path.join(ROOT, "out", "cache", "structure", shortHash(sweep)), identity: sweep },
    tile: { dir: path.join(ROOT, "out", "cache", "structure", shortHash(tile)), identity: tile },
  };
}

/** What a complete record holds: file (relative to the record folder) → rows. */
export function expectedRecordFiles(): Record<string, number> {
  const s = pruningSettings("thesis");
  const perVariant = s.baseEpochs + s.kinds.length * s.levels.length * (s.retrainEpochs + 1) + s.kinds.length * (s.gradual?.levels.length ?? 0) * s.retrainEpochs;
  const profile = sweepProfile("thesis");
  const { tile } = recordPlan();
  const files: Record<string, number> = {};
  for (const variant of CELL_MODES) files[`pruning/${variant.toLowerCase()}.csv`] = perVariant;
  files["structure/sweep.csv"] = profile.modes.length * profile.families.length * profile.graphs;
  files["structure/tile.csv"] = tile.modes!.length * profile.families.length * tile.graphs!;
  return files;
}

function csv(columns: readonly string[], rows: readonly Row[]): string {
  return stringify([columns as string[], ...rows.map((r) => columns.map((c) => r[c]))]);
}

function gitCommit(): { commit: string; clean: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", "src", "scripts", "package.json"], { cwd: ROOT, encoding: "utf8" }).trim();
    return { commit, clean: status === "" };
  } catch {
    return { commit: "unknown", clean: false };
  }
}

/** Export the caches of a finished record into out/record/ (CSV + PROVENANCE.json); returns the files written. */
export function exportRecord(run: { wallSeconds: number; jobSeconds: Record<string, number>; lanes: number }): string[] {
  const sources = recordSources();
  const out = path.join(ROOT, RECORD_DIR);
  const written: string[] = [];
  const write = (file: string, text: string) => {
    const full = path.join(out, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    writeAtomically(full, text);
    written.push(path.join(RECORD_DIR, file));
  };
  const pruning = ResultStore.read(path.join(sources.pruning.dir, "results.jsonl"));
  for (const variant of CELL_MODES) {
    const prefix = variant.toLowerCase();
    const rows = pruning.rows().filter((r) => String(r.mode) === prefix || String(r.mode).startsWith(`${prefix}_`));
    write(`pruning/${prefix}.csv`, csv(PRUNE_COLUMNS, rows));
  }
  for (const [name, source] of [["sweep", sources.sweep], ["tile", sources.tile]] as const) {
    write(`structure/${name}.csv`, csv(STRUCTURE_COLUMNS, ResultStore.read(path.join(source.dir, "results.jsonl")).rows()));
  }
  const files = Object.fromEntries(written.map((f) => {
    const text = fs.readFileSync(path.join(ROOT, f), "utf8");
    return [path.relative(RECORD_DIR, f), { sha256: contentHash(text), rows: text.trim().split("\n").length - 1, bytes: Buffer.byteLength(text) }];
  }));
  const provenance = {
    command: "npm run record",
    ...gitCommit(),
    profile: "thesis",
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    wallSeconds: Math.round(run.wallSeconds),
    lanes: run.lanes,
    jobSeconds: Object.fromEntries(Object.entries(run.jobSeconds).map(([k, v]) => [k, Math.round(v)])),
    identities: { pruning: sources.pruning.identity, sweep: sources.sweep.identity, tile: sources.tile.identity },
    files,
  };
  write("PROVENANCE.json", JSON.stringify(provenance, null, 2) + "\n");
  return written;
}

/** Check out/record/ against expectedRecordFiles and copy it into results/; returns what it did, line by line. */
export function promoteRecord(): string[] {
  const from = path.join(ROOT, RECORD_DIR), to = path.join(ROOT, RESULTS_DIR);
  const provenanceFile = path.join(from, "PROVENANCE.json");
  if (!fs.existsSync(provenanceFile)) throw new Error(`${RECORD_DIR}/PROVENANCE.json is missing: run \`npm run record\` to the end first`);
  const provenance = JSON.parse(fs.readFileSync(provenanceFile, "utf8"));
  const problems: string[] = [];
  for (const [file, rows] of Object.entries(expectedRecordFiles())) {
    const entry = provenance.files?.[file];
    const full = path.join(from, file);
    if (!fs.existsSync(full)) { problems.push(`${file} is missing`); continue; }
    const text = fs.readFileSync(full, "utf8");
    if (!entry || entry.sha256 !== contentHash(text)) problems.push(`${file} does not match PROVENANCE.json (edited after the export?)`);
    const have = text.trim().split("\n").length - 1;
    if (have !== rows) problems.push(`${file} holds ${have} rows, a complete record ${rows}`);
  }
  if (!provenance.clean) problems.push(`the record was computed from a working tree with uncommitted changes in src/ (commit ${provenance.commit}); commit, then rerun \`npm run record\` (it only re-exports)`);
  if (problems.length) throw new Error(`not promoted:\n  ${problems.join("\n  ")}`);
  const lines: string[] = [];
  for (const file of [...Object.keys(expectedRecordFiles()), "PROVENANCE.json"]) {
    const target = path.join(to, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(from, file), target);
    lines.push(`${RESULTS_DIR}/${file}`);
  }
  return lines;
}
