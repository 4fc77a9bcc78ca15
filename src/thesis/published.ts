/**
 * Numbers the thesis publishes in its text (not in its data files, which locate.ts finds):
 * the constants this project compares its own results with. Imports nothing.
 */
import type { ThesisVariant } from "./locate";

/** The thesis's published data set in numbers (thesis chapter 4 and reference/thesis/README.md). */
export const THESIS_PUBLISHED = {
  size: 25000,
  valid: 12500,
  invalid: 12500,
  minLength: 11,
  maxLength: 53,
  mode: 22,
  modeCount: 2112,
  nearMiss: 5500,
  otherLetters: 7000,
  duplicates: 8,
  overlap: 1,
  train: { count: 18750, valid: 9339, invalid: 9411 },
  test: { count: 6250, valid: 3161, invalid: 3089 },
} as const;

/** What the thesis pruned: both weight kinds, input-to-hidden only, hidden-to-hidden only (src/prune's PruneKind). */
export type ThesisPruneKind = "both" | "i2h" | "h2h";

/** The safe pruning levels (%) the thesis's text states (results 6.2), per kind and variant. */
export const THESIS_SAFE_LEVELS: Readonly<Record<ThesisPruneKind, Readonly<Record<ThesisVariant, number>>>> = {
  both: { RNN_TANH: 80, RNN_RELU: 70, LSTM: 60, GRU: 80 },
  i2h: { RNN_TANH: 70, RNN_RELU: 70, LSTM: 70, GRU: 80 },
  h2h: { RNN_TANH: 80, RNN_RELU: 70, LSTM: 90, GRU: 90 },
};
