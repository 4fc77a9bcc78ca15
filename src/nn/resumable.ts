/**
 * Long training runs that survive interruption: after every epoch the run's
 * checkpoint (weights, masks, Adam state, next epoch) and its epoch records are
 * written atomically to one file; opening the same run again continues from there
 * and returns the whole log, identical to an uninterrupted run.
 *
 * A run's file is named by the hash of everything that changes its numbers (spec,
 * masks, seeds, settings, the data's content, the engine's numerics), so a run with
 * other settings gets another file and never replaces this one. The epoch count is
 * not part of it: asking for more epochs extends a run. While a run is open its file
 * is locked (`<file>.lock`): a second process on the same run is refused, naming the first.
 */
import * as fs from "fs";
import * as path from "path";
import type { Sample } from "../data/types";
import { dataFingerprint } from "../data/fingerprint";
import { contentHash, shortHash } from "../core/hash";
import { readJsonFile } from "../core/json";
import { describeOwner, release, tryTake } from "../core/lock";
import { writeAtomically } from "../core/result-store";
import { Network } from "./network";
import { numericsOf } from "./numerics";
import type { NetworkSpec } from "./spec";
import { EpochRecord, Trainer, TrainerCheckpoint, TrainOptions } from "./train";

const FORMAT = "sparse-rnn-lab/run/2";

interface RunFile {
  format: typeof FORMAT;
  /** what the run is (readable); its hash names the file */
  identity: Record<string, unknown>;
  records: EpochRecord[];
  checkpoint: TrainerCheckpoint;
}

/** Where a run lives: `<dir>/<name>-<hash of its identity>.json`. */
export interface RunLocation {
  dir: string;
  /** a readable prefix, e.g. "GRU" */
  name: string;
}

/** Everything that changes the numbers, except the epoch count (a run may be extended). */
export function runIdentity(spec: NetworkSpec, initSeed: number, data: { train: Sample[]; test: Sample[] }, o: TrainOptions): Record<string, unknown> {
  const masks = [...spec.layers, ...spec.skips].map((b) => [b.maskIH ? contentHash(b.maskIH) : "dense", b.maskHH ? contentHash(b.maskHH) : "dense"]);
  return {
    mode: spec.mode, vocab: spec.vocab, classes: spec.classes, layers: spec.layers.map((l) => l.size), skips: spec.skips.map((s) => [s.from, s.to]), masks,
    initSeed, batchSize: o.batchSize, lr: o.lr ?? 0.001, clip: o.clip ?? 5, seed: o.seed, padding: o.padding ?? "post", shuffle: o.shuffle ?? true,
    layout: o.layout ?? "auto", numerics: numericsOf(o.backend ?? "auto", o.precision), data: dataFingerprint(data),
  };
}

/** The file of a run at `where`. */
export function runFile(where: RunLocation, identity: Record<string, unknown>): string {
  return path.join(where.dir, `${where.name}-${shortHash(identity)}.json`);
}

function readRun(file: string): RunFile {
  const run = readJsonFile(file, "training run") as RunFile;
  if (run?.format !== FORMAT || !Array.isArray(run.records) || !run.checkpoint) {
    throw new Error(`training run ${file}: not a ${FORMAT} file (format ${JSON.stringify(run?.format)}); move it away to start afresh`);
  }
  return run;
}

/**
 * A fresh network of `spec` (init seed `initSeed`) trained for options.epochs
 * epochs one `runEpoch()` at a time, checkpointing after every epoch and resuming
 * when its file exists (so a notebook can await between epochs). close() releases it.
 */
export class ResumableRun {
  readonly records: EpochRecord[];
  /** epochs recovered from the file */
  readonly resumedFrom: number;
  readonly file: string;
  private readonly trainer: Trainer;
  private readonly identity: Record<string, unknown>;
  private closed = false;

  constructor(where: RunLocation, spec: NetworkSpec, initSeed: number, data: { train: Sample[]; test: Sample[] }, readonly options: TrainOptions) {
    this.identity = runIdentity(spec, initSeed, data, options);
    this.file = runFile(where, this.identity);
    fs.mkdirSync(where.dir, { recursive: true });
    const owner = tryTake(`${this.file}.lock`);
    if (owner) throw new Error(`training run ${this.file} is being trained by ${describeOwner(owner)}; wait for it, or stop it`);
    try {
      const saved = fs.existsSync(this.file) ? readRun(this.file) : undefined;
      if (saved && saved.records.length > options.epochs) {
        throw new Error(`${this.file} already holds ${saved.records.length} epochs of this run, more than the ${options.epochs} asked for: ask for ≥ ${saved.records.length} epochs`);
      }
      this.records = saved ? saved.records : [];
      this.trainer = saved ? Trainer.resume(saved.checkpoint, data, options, `training run ${this.file}: checkpoint`) : new Trainer(Network.create(spec, { seed: initSeed }), data, options);
      this.resumedFrom = this.records.length;
    } catch (error) {
      release(`${this.file}.lock`);
      throw error;
    }
  }

  get net(): Network {
    return this.trainer.net;
  }

  get done(): boolean {
    return this.records.length >= this.options.epochs;
  }

  /** Train one more epoch and save; the record is also appended to `records`. */
  runEpoch(): EpochRecord {
    if (this.closed) throw new Error(`training run ${this.file}: runEpoch() after close()`);
    const record = this.trainer.runEpoch();
    this.records.push(record);
    const run: RunFile = { format: FORMAT, identity: this.identity, records: this.records, checkpoint: this.trainer.checkpoint() };
    writeAtomically(this.file, JSON.stringify(run));
    return record;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.trainer.close();
    release(`${this.file}.lock`);
  }
}

/**
 * A finished run's network and log, read without taking its lock (the file is replaced
 * whole by a rename, so reading it is safe while another process holds the run open);
 * undefined when the run has no file or fewer than `options.epochs` epochs.
 */
export function finishedRun(where: RunLocation, spec: NetworkSpec, initSeed: number, data: { train: Sample[]; test: Sample[] }, options: TrainOptions):
  { net: Network; records: EpochRecord[]; file: string } | undefined {
  const file = runFile(where, runIdentity(spec, initSeed, data, options));
  if (!fs.existsSync(file)) return undefined;
  const run = readRun(file);
  if (run.records.length < options.epochs) return undefined;
  return { net: Network.load(run.checkpoint.network, `training run ${file}: checkpoint`), records: run.records, file };
}

/** Run a ResumableRun to the end (synchronously). */
export function trainResumable(
  where: RunLocation, spec: NetworkSpec, initSeed: number, data: { train: Sample[]; test: Sample[] }, options: TrainOptions,
): { net: Network; records: EpochRecord[]; resumedFrom: number; file: string } {
  const run = new ResumableRun(where, spec, initSeed, data, options);
  try {
    while (!run.done) run.runEpoch();
  } finally {
    run.close();
  }
  return { net: run.net, records: run.records, resumedFrom: run.resumedFrom, file: run.file };
}
