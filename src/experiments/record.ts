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
import { formatCsv, readCsv } from "../core/csv";
import { CELL_MODES, CellMode } from "../nn/spec";
import { numericsOf } from "../nn/numerics";
import { baseMode, toPruneRecords, PRUNE_COLUMNS, PruneRecord } from "../prune";
import type { EpochRecord } from "../nn/train";
import { readThesisBaseLog, ThesisEpoch } from "../nn/thesis-log";
import { generateDataset } from "../data";
import { ResultStore, Row, writeAtomically } from "../core/result-store";
import { contentHash, shortHash } from "../core/hash";
import { REPO_ROOT } from "../core/paths";
import { pruningData, pruningExecution, pruningIdentity, pruningSettings } from "./pruning";
import { STRUCTURE_COLUMNS, SweepConfig, sweepIdentity, sweepProfile } from "./sweep";
import { PREDICTION_TABLE_FILES, recordPredictionTables } from "./prediction";
import { loadResultsFiles, type ResultsTable } from "../predict/results-table";
import { runSparsityComparison, sparsityCsv, sparsityIdentityOf, sparsityRowCount, sparsitySettings, SPARSITY_RECORD_FILE } from "./sparsity-comparison";
import { runStructureStudy, structureStudySettings, studyParts, STRUCTURE_STUDY_RECORD_FILE, planSmallWorld, planCeiling } from "./structure-study";
import { structureStudyCsv } from "./structure-study-rows";
import type { Executor } from "./executor";

/** where `npm run record` exports to, and where promotion copies to (relative to the repository) */
export const RECORD_DIR = "out/record";
export const RESULTS_DIR = "results";

const ROOT = REPO_ROOT;

export interface RecordJob {
  name: string;
  kind: "pruning" | "sweep" | "tile" | "sparsity" | "structure-study";
  variant?: CellMode;
}

/** The jobs, and the order two lanes take them in (longest first; the sweep jobs share their models). */
export function recordPlan(): { jobs: RecordJob[]; schedule: string[]; tile: Partial<SweepConfig> } {
  const jobs: RecordJob[] = [
    ...CELL_MODES.map((variant): RecordJob => ({ name: `pruning:${variant}`, kind: "pruning", variant })),
    { name: "sweep", kind: "sweep" },
    { name: "tile", kind: "tile" },
    { name: "sparsity", kind: "sparsity" },
    { name: "structure-study", kind: "structure-study" },
  ];
  // the two later studies (issues 18, 19) each share their store between both lanes, as the sweep does
  const schedule = ["pruning:LSTM", "pruning:GRU", "sweep", "sweep", "tile", "tile", "pruning:RNN_TANH", "pruning:RNN_RELU",
    "sparsity", "sparsity", "structure-study", "structure-study"];
  // the gate-layout comparison: the sweep's first 50 graphs per family of the gated cells, masks following the graph in every gate block
  const tile: Partial<SweepConfig> = { modes: ["GRU", "LSTM"], graphs: 50, layout: "tile" };
  return { jobs, schedule, tile };
}

/** Where the record's jobs keep their caches (each protocol names its per-identity folders under these). */
export const RECORD_CACHE = {
  pruning: path.join(ROOT, "out", "cache", "pruning"),
  structure: path.join(ROOT, "out", "cache", "structure"),
  sparsity: path.join(ROOT, "out", "cache", "sparsity"),
  structureStudy: path.join(ROOT, "out", "cache", "structure-study"),
};

/** The cache folders the record's jobs fill (computed from their identities, as the protocols do). */
function recordSources(): { pruning: { dir: string; identity: unknown }; sweep: { dir: string; identity: unknown }; tile: { dir: string; identity: unknown } } {
  const settings = pruningSettings("thesis");
  const pruningIdentityValue = pruningIdentity(settings, pruningData("thesis"), numericsOf(pruningExecution(settings).backend));
  const profile = sweepProfile("thesis");
  const data = generateDataset({ size: profile.datasetSize, seed: profile.seed });
  const sweep = sweepIdentity(profile, data);
  const tile = sweepIdentity({ ...profile, ...recordPlan().tile }, data);
  return {
    pruning: { dir: path.join(RECORD_CACHE.pruning, shortHash(pruningIdentityValue)), identity: pruningIdentityValue },
    sweep: { dir: path.join(RECORD_CACHE.structure, shortHash(sweep)), identity: sweep },
    tile: { dir: path.join(RECORD_CACHE.structure, shortHash(tile)), identity: tile },
  };
}

/** Wall seconds per job and in all, summed over every run of `npm run record` (a resumed record adds up). */
export interface RecordTimings {
  wallSeconds: number;
  jobSeconds: Record<string, number>;
  lanes: number;
}

const TIMINGS_FILE = "timings.json";

export function readRecordTimings(): RecordTimings {
  const file = path.join(ROOT, RECORD_DIR, TIMINGS_FILE);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) as RecordTimings : { wallSeconds: 0, jobSeconds: {}, lanes: 0 };
}

/** The earlier runs' seconds plus one run's (pure: `lanes` is the run's). */
export function addTimings(total: RecordTimings, run: RecordTimings): RecordTimings {
  const jobSeconds = { ...total.jobSeconds };
  for (const [job, seconds] of Object.entries(run.jobSeconds)) jobSeconds[job] = (jobSeconds[job] ?? 0) + seconds;
  return { wallSeconds: total.wallSeconds + run.wallSeconds, jobSeconds, lanes: run.lanes };
}

/** Write out/record/timings.json whole (atomically). */
export function writeRecordTimings(timings: RecordTimings): void {
  fs.mkdirSync(path.join(ROOT, RECORD_DIR), { recursive: true });
  writeAtomically(path.join(ROOT, RECORD_DIR, TIMINGS_FILE), JSON.stringify(timings, null, 2) + "\n");
}

/** The prediction tables of record: for our sweep and for the thesis's tables (src/experiments/prediction.ts). */
const PREDICTION_FILES = ["ours", "thesis"].flatMap((which) => PREDICTION_TABLE_FILES.map((f) => `prediction/${which}/${f}`));

/** What a complete record holds: file (relative to the record folder) → rows (undefined: any number). */
export function expectedRecordFiles(): Record<string, number | undefined> {
  const s = pruningSettings("thesis");
  const perVariant = s.baseEpochs + s.kinds.length * s.levels.length * (s.retrainEpochs + 1) + s.kinds.length * (s.gradual?.levels.length ?? 0) * s.retrainEpochs;
  const profile = sweepProfile("thesis");
  const { tile } = recordPlan();
  const files: Record<string, number | undefined> = {};
  for (const variant of CELL_MODES) files[`pruning/${variant.toLowerCase()}.csv`] = perVariant;
  files["structure/sweep.csv"] = profile.modes.length * profile.families.length * profile.graphs;
  files["structure/tile.csv"] = tile.modes!.length * profile.families.length * tile.graphs!;
  for (const file of PREDICTION_FILES) files[file] = undefined;
  files[SPARSITY_RECORD_FILE] = sparsityRowCount(sparsitySettings("thesis"));
  const study = structureStudySettings("thesis");
  files[STRUCTURE_STUDY_RECORD_FILE] = planSmallWorld(study).length + planCeiling(study).length;
  return files;
}

function csv(columns: readonly string[], rows: readonly Row[]): string {
  return formatCsv([columns, ...rows.map((r) => columns.map((c) => r[c]))]);
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

/**
 * An executor that computes nothing: the export reads the later studies back through their own
 * protocols (which assemble their rows from the stores), and a missing result is an error.
 */
const readOnly: Executor = {
  description: "read-only (the export)",
  open: async (spec) => ({
    size: 1,
    run: async (_task, key) => { throw new Error(`the record is incomplete: ${spec.kind} ${key} has no result; run \`npm run record\` to the end`); },
    close: async () => {},
  }),
  close: async () => {},
};

/**
 * Export the caches of a finished record into out/record/ (CSV + PROVENANCE.json), computing
 * the prediction tables from the exported sweep on the way; returns the files written.
 */
export async function exportRecord(): Promise<string[]> {
  const run = readRecordTimings();
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
  const sparsity = await runSparsityComparison(sparsitySettings("thesis"), { cacheDir: RECORD_CACHE.sparsity, executor: readOnly, pollMs: 1000 });
  write(SPARSITY_RECORD_FILE, sparsityCsv(sparsity.rows));
  const study = await runStructureStudy(structureStudySettings("thesis"), { cacheDir: RECORD_CACHE.structureStudy, executor: readOnly, pollMs: 1000 });
  write(STRUCTURE_STUDY_RECORD_FILE, structureStudyCsv(study.rows));
  const predictionStart = Date.now();
  const prediction = recordPredictionTables({ sweepFiles: [path.join(out, "structure", "sweep.csv")], dir: path.join(out, "prediction"), cacheDir: path.join(ROOT, "out", "cache", "prediction") });
  for (const file of [...prediction.ours.files, ...prediction.thesis.files]) written.push(path.relative(ROOT, file));
  run.jobSeconds.prediction = (Date.now() - predictionStart) / 1000;
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
    identities: {
      pruning: sources.pruning.identity, sweep: sources.sweep.identity, tile: sources.tile.identity,
      sparsity: sparsityIdentityOf(sparsitySettings("thesis")).identity,
      structureStudy: Object.fromEntries(Object.entries(studyParts(structureStudySettings("thesis"))).map(([part, { identity }]) => [part, identity])),
    },
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
    if (rows !== undefined && have !== rows) problems.push(`${file} holds ${have} rows, a complete record ${rows}`);
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

/** The absolute path of a file of the results of record (`results/<file>`). */
export function resultsFile(file: string): string {
  return path.join(ROOT, RESULTS_DIR, file);
}

/** The absolute path of a file of record that exists; a missing one says how to make it. */
function existingRecordFile(file: string): string {
  const full = resultsFile(file);
  if (!fs.existsSync(full)) throw new Error(`${RESULTS_DIR}/${file} is missing: \`npm run record\` computes the results of record, \`npm run record -- --promote\` puts them there`);
  return full;
}

/**
 * A CSV of the results of record as untyped rows, numbers as numbers (the pruning logs: toPruneRecords
 * checks them); a missing file says how to make it. Structure tables are read by structureOfRecord.
 */
export function readRecordCsv(file: string): Row[] {
  if (file.startsWith("structure/")) throw new Error(`readRecordCsv("${file}"): read a structure table with structureOfRecord (StructureRows, checked)`);
  const full = existingRecordFile(file);
  const [{ fields: header }, ...body] = readCsv(full, { widths: "any" });
  return body.map(({ fields: record, line }) => {
    if (record.length !== header.length) throw new Error(`${RESULTS_DIR}/${file}:${line}: ${record.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((column, j) => {
      const text = record[j];
      const n = Number(text);
      return [column, text.trim() !== "" && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text.trim()) && Number.isFinite(n) ? n : text];
    })) as Row;
  });
}

/** The structure tables of record: the sweep, and its first graphs again with `tile` gate masks. */
export type StructureTableOfRecord = "sweep" | "tile";

/**
 * A structure table of record (`results/structure/<name>.csv`) through the structure reader, loadResultsFiles:
 * StructureRows (the sweep's row type), accuracies in [0, 1], decimals, no model twice. A missing file says how to make it.
 */
export function structureOfRecord(name: StructureTableOfRecord): ResultsTable {
  return loadResultsFiles([existingRecordFile(`structure/${name}.csv`)]);
}

export interface RecordProvenance {
  command: string;
  commit: string;
  clean: boolean;
  profile: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGB: number; node: string; platform: string };
  wallSeconds: number;
  lanes: number;
  jobSeconds: Record<string, number>;
  identities: Record<string, unknown>;
  files: Record<string, { sha256: string; rows: number; bytes: number }>;
}

export function recordProvenance(): RecordProvenance {
  const file = resultsFile("PROVENANCE.json");
  if (!fs.existsSync(file)) throw new Error(`${RESULTS_DIR}/PROVENANCE.json is missing: \`npm run record\`, then \`npm run record -- --promote\``);
  return JSON.parse(fs.readFileSync(file, "utf8")) as RecordProvenance;
}

/** One sentence for notebooks: where a figure's numbers come from. */
export function recordNote(files: readonly string[]): string {
  const p = recordProvenance();
  const rows = files.map((f) => `${RESULTS_DIR}/${f} (${p.files[f]?.rows ?? "?"} rows)`).join(", ");
  return `Results of record: ${rows}; computed with \`${p.command}\` (thesis profile) at commit ${p.commit.slice(0, 7)} on ${p.date.slice(0, 10)}, ` +
    `${p.machine.cores} cores (${p.machine.cpu}), ${(p.wallSeconds / 3600).toFixed(1)} h wall clock for the whole record.`;
}

/** The pruning log of record, every variant (results/pruning/<variant>.csv, the thesis's schema). */
export function pruningOfRecord(): PruneRecord[] {
  return CELL_MODES.flatMap((v) => toPruneRecords(readRecordCsv(`pruning/${v.toLowerCase()}.csv`), `${RESULTS_DIR}/pruning/${v.toLowerCase()}.csv`));
}

/**
 * A base model's training log as the engine's epoch records, from pruning rows of its
 * mode (prune 0): losses are sums over batches, so their means divide by the batch counts.
 */
export function baseEpochRecords(records: readonly PruneRecord[], variant: CellMode, batches: { train: number; test: number }): EpochRecord[] {
  return records.filter((r) => r.mode === baseMode(variant) && r.prune === 0).sort((a, b) => a.epoch - b.epoch).map((r) => ({
    epoch: r.epoch, trainLoss: r.train_loss, trainLossMean: r.train_loss / batches.train, trainAcc: r.train_acc,
    testLoss: r.test_loss, testLossMean: r.test_loss / batches.test, testAcc: r.test_acc, seconds: r.time,
  }));
}

/** The four base models of record (the thesis profile's base stage) with the thesis's logs beside them. */
export function baseModelsOfRecord(): Array<{ mode: CellMode; records: EpochRecord[]; thesis: ThesisEpoch[] }> {
  const settings = pruningSettings("thesis");
  const data = pruningData("thesis");
  const batches = { train: Math.ceil(data.train.length / settings.batchSize), test: Math.ceil(data.test.length / settings.batchSize) };
  const records = pruningOfRecord();
  return CELL_MODES.map((mode) => ({ mode, records: baseEpochRecords(records, mode, batches), thesis: readThesisBaseLog(mode) }));
}
