/**
 * The shared-memory mailbox between the training thread and its data-parallel
 * worker: Int32 control slots that live as long as the worker, and per network a
 * data area with two float64 results, θ, the worker's gradient and its shard of the batch.
 */

export enum Slot {
  /** sequence number of the caller's latest request */
  Request = 0,
  /** sequence number of the worker's latest reply */
  Reply = 1,
  Command = 2,
  Size = 3,
  Steps = 4,
  /** 0 post, 1 packed */
  Padding = 5,
  /** 1 when the worker's last command threw (message on the port) */
  Failed = 6,
}

export const CONTROL_INTS = 16;

export enum Command {
  LossAndGradient = 1,
  Evaluate = 2,
  /** new weights and masks for the same network (message on the port: ParameterUpdate) */
  LoadNetwork = 3,
  /** a new network and data area (message on the port: WorkerConfiguration) */
  Configure = 4,
  Exit = 5,
}

/** Command.LoadNetwork's message: Network.parameterArrays() and each block's [maskIH, maskHH] */
export interface ParameterUpdate {
  arrays: ArrayLike<number>[];
  masks: Uint8Array[][];
}

/** the worker's reply once its engine is ready; requests count on from here */
export const READY = 1;

export interface MailboxViews {
  /** [loss, correct] of the worker's shard */
  results: Float64Array;
  theta: Float32Array;
  grad: Float32Array;
  tokens: Uint8Array;
  lengths: Int32Array;
  labels: Uint8Array;
}

export interface MailboxLayout {
  bytes: number;
  views(buffer: SharedArrayBuffer): MailboxViews;
}

export function mailboxLayout(parameters: number, shardBatch: number, steps: number): MailboxLayout {
  const align = (n: number) => Math.ceil(n / 64) * 64;
  const results = 0;
  const theta = 64;
  const grad = align(theta + 4 * parameters);
  const lengths = align(grad + 4 * parameters);
  const tokens = align(lengths + 4 * shardBatch);
  const labels = align(tokens + shardBatch * steps);
  const bytes = align(labels + shardBatch);
  return {
    bytes,
    views: (buffer) => ({
      results: new Float64Array(buffer, results, 2),
      theta: new Float32Array(buffer, theta, parameters),
      grad: new Float32Array(buffer, grad, parameters),
      tokens: new Uint8Array(buffer, tokens, shardBatch * steps),
      lengths: new Int32Array(buffer, lengths, shardBatch),
      labels: new Uint8Array(buffer, labels, shardBatch),
    }),
  };
}

/** spin this long before blocking: most replies arrive within it, and a blocking wake-up costs ≈ 50 µs */
const SPIN_MS = 0.2;

/**
 * Wait until ints[slot] reaches `value` (a sequence number); spins briefly, then
 * blocks in Atomics.wait. Returns false after `timeoutMs` without it.
 */
export function spinThenWait(ints: Int32Array, slot: number, value: number, timeoutMs: number): boolean {
  const spinUntil = performance.now() + SPIN_MS;
  while (performance.now() < spinUntil) {
    if (Atomics.load(ints, slot) >= value) return true;
  }
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(ints, slot);
    if (seen >= value) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(ints, slot, seen, left);
  }
}
