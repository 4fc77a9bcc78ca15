/** The small sweep the queue tests run: 2 modes × 2 families × 2 graphs, 1 epoch. */
import { sweepProfile, SweepConfig } from "../../../src/experiments/sweep";

export const queueTestConfig: SweepConfig = { ...sweepProfile("quick"), modes: ["GRU", "RNN_TANH"], graphs: 2 };
