/** src/data: Reber grammar data — grammar, generator, datasets, CSV, encoding and batching, statistics. */
export type { Sample, Batch } from "./types";
export { Random } from "../core/random";
export {
  REBER,
  EMBEDDED_REBER,
  REBER_LETTERS,
  embed,
  relabel,
  labelling,
  grammarByName,
  compile,
  check,
  isReber,
  languagesIntersect,
} from "./grammar";
export type { Grammar, GrammarName, GrammarState, Transition, Verdict, CompiledGrammar } from "./grammar";
export { WalkSampler, DistinctWalks } from "./walks";
export {
  generateDataset,
  resolveDatasetOptions,
  THESIS_INVALID_KINDS,
  EMBEDDED_INVALID_KINDS,
  overlapCount,
  apportion,
  invalidKindOf,
} from "./generate";
export type { Dataset, DatasetOptions, DatasetReport, InvalidKind, ResolvedDatasetOptions } from "./generate";
export { readSamplesCsv, writeSamplesCsv, parseSamplesCsv, formatSamplesCsv } from "./csv";
export type { CsvFormat } from "./csv";
export { encode, decode, padToBatch, padCodes, makeBatches, VOCABULARY_SIZE } from "./batch";
export type { BatchOptions } from "./batch";
export { datasetStats, lengthSummary, charCounts, splitCounts, compareLengths, usesOnlyReberLetters } from "./stats";
export type { DatasetStats, LengthSummary, SplitCounts } from "./stats";
export { THESIS_PUBLISHED, loadThesisDataset, thesisNumbers, sideBySide } from "./thesis";
export type { ThesisDataset, ThesisNumbers } from "./thesis";
