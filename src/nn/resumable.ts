/**
 * Long training runs that survive interruption: after every epoch the run's
 * checkpoint (weights, masks, Adam state, next epoch) and its epoch records are
 * written atomically to one file; calling again with the same settings continues
 * from there and returns the whole log, identical to an uninterrupted run.
 */
import * as fs from "fs";
import * as path from "path";
import type { Sample } from "../data/types";
import { Network } from "./network";
import type { NetworkSpec } from "./spec";
import { EpochRecord, Trainer, TrainerCheckpoint, TrainOptions } from "./train";

interface RunFile {
  key: string;
  records: EpochRecord[];
  checkpoint: TrainerCheckpoint;
}

const FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 16777619;

/** FNV-1a over the strings and labels: a changed data set starts a fresh run. */
function dataFingerprint(samples: Sample[]): string {
  let h = FNV_OFFSET;
  for (const s of samples) {
    for (let i = 0; i < s.text.length; i++) h = Math.imul(h ^ s.text.charCodeAt(i), FNV_PRIME);
    h = Math.imul(h ^ (s.valid ? 1 : 2), FNV_PRIME);
  }
  return (h >>> 0).toString(16);
}

function maskFingerprint(mask: Uint8Array | undefined): string {
  if (!mask) return "dense";
  let h = FNV_OFFSET;
  for (let i = 0; i < mask.length; i++) h = Math.imul(h ^ mask[i], FNV_PRIME);
  return `${mask.length}:${(h >>> 0).toString(16)}`;
}

/** Everything that changes the numbers, except the epoch count (a run may be extended). */
function runKey(spec: NetworkSpec, initSeed: number, data: { train: Sample[]; test: Sample[] }, o: TrainOptions): string {
  const masks = [...spec.layers, ...spec.skips].map((b) => [maskFingerprint(b.maskIH), maskFingerprint(b.maskHH)]);
  return JSON.stringify({
    mode: spec.mode, vocab: spec.vocab, classes: spec.classes, layers: spec.layers.map((l) => l.size), skips: spec.skips.map((s) => [s.from, s.to]), masks,
    initSeed, batchSize: o.batchSize, lr: o.lr ?? 0.001, clip: o.clip ?? 5, seed: o.seed, padding: o.padding ?? "post", shuffle: o.shuffle ?? true,
    backend: o.backend ?? "auto", precision: o.precision ?? null, train: dataFingerprint(data.train), test: dataFingerprint(data.test),
  });
}

/**
 * A fresh network of `spec` (init seed `initSeed`) trained for options.epochs
 * epochs one `runEpoch()` at a time, checkpointing to `file` after every epoch and
 * resuming from it when it holds the same run (so a notebook can await between epochs).
 */
export class ResumableRun {
  readonly records: EpochRecord[];
  /** epochs recovered from the file */
  readonly resumedFrom: number;
  private readonly trainer: Trainer;
  private readonly key: string;

  constructor(readonly file: string, spec: NetworkSpec, initSeed: number, data: { train: Sample[]; test: Sample[] }, readonly options: TrainOptions) {
    this.key = runKey(spec, initSeed, data, options);
    let saved: RunFile | undefined;
    if (fs.existsSync(file)) {
      const candidate = JSON.parse(fs.readFileSync(file, "utf8")) as RunFile;
      if (candidate.key === this.key) saved = candidate;
    }
    if (saved && saved.records.length > options.epochs) {
      throw new Error(`${file} already holds ${saved.records.length} epochs of this run, more than the ${options.epochs} asked for: ask for ≥ ${saved.records.length} epochs or use another file`);
    }
    this.records = saved ? saved.records : [];
    this.trainer = saved ? Trainer.resume(saved.checkpoint, data, options) : new Trainer(Network.create(spec, { seed: initSeed }), data, options);
    this.resumedFrom = this.records.length;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }

  get net(): Network {
    return this.trainer.net;
  }

  get done(): boolean {
    return this.records.length >= this.options.epochs;
  }

  /** Train one more epoch and save; the record is also appended to `records`. */
  runEpoch(): EpochRecord {
    const record = this.trainer.runEpoch();
    this.records.push(record);
    const run: RunFile = { key: this.key, records: this.records, checkpoint: this.trainer.checkpoint() };
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(run));
    fs.renameSync(tmp, this.file);
    return record;
  }

  close(): void {
    this.trainer.close();
  }
}

/** Run a ResumableRun to the end (synchronously). */
export function trainResumable(
  file: string, spec: NetworkSpec, initSeed: number, data: { train: Sample[]; test: Sample[] }, options: TrainOptions,
): { net: Network; records: EpochRecord[]; resumedFrom: number } {
  const run = new ResumableRun(file, spec, initSeed, data, options);
  try {
    while (!run.done) run.runEpoch();
  } finally {
    run.close();
  }
  return { net: run.net, records: run.records, resumedFrom: run.resumedFrom };
}
