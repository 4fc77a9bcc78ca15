/**
 * The random-structure benchmark's shared parts (bench/structure.ts and
 * test/bench/structure-peer.test.ts): the network file the PyTorch peer
 * (bench/structure_torch.py) reads, running the peer, and the check that
 * the peer computes the same network as our engine (same initial weights, float64:
 * forward loss and logits, every gradient, clipped Adam steps, the weights after them).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import type { Batch } from "../src/data/types";
import { createEngine, createOps, EngineLayout, Network } from "../src/nn";

/** The network both sides run and the batch files the peer reads: bench/epoch.ts (shared with bench/engine.ts). */
export { benchLayering, structureSpec, writeBatches } from "./epoch";

export const PYTHON = "/usr/bin/python3";
export const PEER_SCRIPT = path.join(__dirname, "structure_torch.py");

/** Why the peer cannot run (no /usr/bin/python3, or no torch in it), or undefined when it can. */
export function torchMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ["-c", "import torch"], { stdio: "pipe" });
    return undefined;
  } catch (e) {
    const err = e as Error & { code?: string; stderr?: Buffer };
    if (err.code === "ENOENT") return `${PYTHON} not found`;
    return `${PYTHON} cannot import torch (${(err.stderr?.toString() ?? err.message).trim().split("\n").pop()})`;
  }
}

/** A fresh temporary directory for the peer's input files. */
export function peerDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "bench-structure-"));
}

/** The network (spec, masks, weights: Network.toJSON) as the peer reads it. */
export function writeNetwork(net: Network, file: string): string {
  fs.writeFileSync(file, JSON.stringify(net.toJSON()));
  return file;
}

/** Run the peer script; its stdout. `threads` sets OMP_NUM_THREADS (the script also sets torch's). */
export function runPeer(args: string[], threads = 1): string {
  return execFileSync(PYTHON, [PEER_SCRIPT, ...args], {
    encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
  });
}

/** What both sides report for one batch (see structure_torch.py's `check`). */
export interface CheckResult {
  /** mean cross-entropy of the first forward pass */
  loss: number;
  /** B × classes, the batch's row order */
  logits: ArrayLike<number>;
  /** every gradient of the first pass, Network.parameterArrays() order */
  grads: ArrayLike<number>[];
  gradNorm: number;
  /** the loss before each clipped Adam step, then after the last */
  losses: number[];
  /** every parameter after the last step, parameterArrays() order */
  paramsAfter: ArrayLike<number>[];
}

export interface CheckOptions {
  steps?: number;
  lr?: number;
  clip?: number;
}

/** The peer's float64 check on the network and the first batch of the files. */
export function peerCheck(netFile: string, batchFile: string, options: CheckOptions = {}): CheckResult {
  const { steps = 1, lr = 1e-3, clip = 5 } = options;
  const out = runPeer(["check", netFile, batchFile, "--steps", String(steps), "--lr", String(lr), "--clip", String(clip)]);
  return JSON.parse(out.trim().split("\n").pop()!) as CheckResult;
}

/** Our engine's side of the check (float64 by default; the network itself is left unchanged). */
export function oursCheck(net: Network, batch: Batch, options: CheckOptions & { backend?: string; layout?: EngineLayout } = {}): CheckResult {
  const { steps = 1, lr = 1e-3, clip = 5, backend = "js-f64", layout = "auto" } = options;
  const copy = net.clone();
  const engine = createEngine(copy, createOps(backend), { batch: batch.size, steps: batch.steps }, { layout });
  const first = engine.lossAndGradient(batch, "post");
  const logits = engine.lastLogits();
  const grads = engine.gradientArrays(copy).map((g) => Float64Array.from(g));
  const gradNorm = engine.gradientNorm();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    losses.push(s === 0 ? first.loss : engine.lossAndGradient(batch, "post").loss);
    engine.step({ lr, clip });
  }
  losses.push(engine.evaluateBatch(batch, "post").loss);
  engine.storeParameters(copy);
  return { loss: first.loss, logits, grads, gradNorm, losses, paramsAfter: copy.parameterArrays().map((a) => Float64Array.from(a)) };
}

export interface CheckComparison {
  /** numbers compared */
  values: number;
  /** the largest error: max |ours − peer| over an array / max(max |peer|, 1e-6) */
  maxError: number;
  /** the array with the largest error */
  worst: string;
  /** per compared array: name, length, error */
  arrays: Array<{ name: string; length: number; error: number }>;
}

/** Compare our check with the peer's, array by array (names from the network's blocks). */
export function compareChecks(net: Network, ours: CheckResult, peer: CheckResult): CheckComparison {
  const names = [...net.blocks.flatMap((b) => ["wIH", "wHH", "bIH", "bHH"].map((k) => `${b.name}.${k}`)), "embedding", "headW", "headB"];
  const pairs: Array<[string, ArrayLike<number>, ArrayLike<number>]> = [
    ["loss", [ours.loss], [peer.loss]],
    ["logits", ours.logits, peer.logits],
    ["gradNorm", [ours.gradNorm], [peer.gradNorm]],
    ["losses", ours.losses, peer.losses],
  ];
  for (const [label, a, b] of [["grad", ours.grads, peer.grads], ["after step", ours.paramsAfter, peer.paramsAfter]] as const) {
    if (a.length !== names.length || b.length !== names.length) throw new Error(`compareChecks: ${label}: ${a.length} arrays ours, ${b.length} the peer's, ${names.length} parameters`);
    a.forEach((x, i) => pairs.push([`${label} ${names[i]}`, x, b[i]]));
  }
  const arrays = pairs.map(([name, a, b]) => {
    if (a.length !== b.length) throw new Error(`compareChecks: ${name}: ${a.length} values ours, ${b.length} the peer's`);
    let diff = 0, scale = 1e-6;
    for (let i = 0; i < b.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return { name, length: b.length, error: Number.isNaN(diff) ? Infinity : diff / scale };
  });
  const worst = arrays.reduce((w, a) => (a.error > w.error ? a : w), arrays[0]);
  return { values: arrays.reduce((n, a) => n + a.length, 0), maxError: worst.error, worst: worst.name, arrays };
}
