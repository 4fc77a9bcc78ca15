/**
 * Reference implementation: the same masked networks written in tfjs ops, with
 * tfjs's autograd for the gradients. Short and readable — the oracle the fused
 * kernels are tested against, not a training path (tfjs's CPU backend computes in
 * float32, so agreement is to float32 precision).
 */
import type * as TF from "@tensorflow/tfjs";
import type { Batch } from "../../data/types";
import type { Network } from "../network";
import type { CellMode, Padding } from "../spec";
import { loadTf } from "./tf";

type Tensor = TF.Tensor;

interface BlockTensors { wIH: Tensor; wHH: Tensor; bIH: Tensor; bHH: Tensor; maskIH: Tensor; maskHH: Tensor }

/** One time step of one block: x (B×I), h and c (B×H) → new h and c. */
function cellStep(tf: typeof TF, mode: CellMode, p: BlockTensors, x: Tensor, h: Tensor, c: Tensor): [Tensor, Tensor] {
  const gi = tf.add(tf.matMul(x, tf.mul(p.wIH, p.maskIH), false, true), p.bIH); // x·(W_ih∘M_ih)ᵀ + b_ih
  const gh = tf.add(tf.matMul(h, tf.mul(p.wHH, p.maskHH), false, true), p.bHH); // h·(W_hh∘M_hh)ᵀ + b_hh
  switch (mode) {
    case "RNN_TANH":
      return [tf.tanh(tf.add(gi, gh)), c];
    case "RNN_RELU":
      return [tf.relu(tf.add(gi, gh)), c];
    case "GRU": {
      const [ir, iz, inn] = tf.split(gi, 3, 1);
      const [hr, hz, hn] = tf.split(gh, 3, 1);
      const r = tf.sigmoid(tf.add(ir, hr));
      const z = tf.sigmoid(tf.add(iz, hz));
      const n = tf.tanh(tf.add(inn, tf.mul(r, hn))); // reset applied after the matmul (PyTorch)
      return [tf.add(n, tf.mul(z, tf.sub(h, n))), c]; // h' = n + z∘(h − n)
    }
    case "LSTM": {
      const [i, f, g, o] = tf.split(tf.add(gi, gh), 4, 1);
      const cNext = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))); // c' = f∘c + i∘g
      return [tf.mul(tf.sigmoid(o), tf.tanh(cNext)), cNext]; // h' = o∘tanh(c')
    }
  }
}

/** A block over a whole sequence (list of B×I tensors), h₀ = c₀ = 0. */
function runBlock(tf: typeof TF, mode: CellMode, p: BlockTensors, xs: Tensor[], hidden: number): Tensor[] {
  const B = xs[0].shape[0];
  let h: Tensor = tf.zeros([B, hidden]);
  let c: Tensor = tf.zeros([B, hidden]);
  return xs.map((x) => {
    [h, c] = cellStep(tf, mode, p, x, h, c);
    return h;
  });
}

/**
 * Logits and mean cross-entropy of a batch. `params` are the trainable tensors in
 * Network.parameterArrays() order (per block wIH, wHH, bIH, bHH; embedding, headW, headB).
 * Padding "packed" = run every padded step and read each string at its true last
 * step: an RNN is causal, so the steps after a string's end cannot change it.
 */
export function referenceLogitsAndLoss(net: Network, batch: Batch, padding: Padding, params: Tensor[]): { logits: Tensor; loss: Tensor } {
  const tf = loadTf();
  const { spec } = net;
  const B = batch.size, T = batch.steps, L = spec.layers.length;
  const blocks: BlockTensors[] = net.blocks.map((b, k) => ({
    wIH: params[4 * k], wHH: params[4 * k + 1], bIH: params[4 * k + 2], bHH: params[4 * k + 3],
    maskIH: tf.tensor2d(Float32Array.from(b.maskIH), [b.gates * b.hidden, b.inputSize]),
    maskHH: tf.tensor2d(Float32Array.from(b.maskHH), [b.gates * b.hidden, b.hidden]),
  }));
  const [embedding, headW, headB] = params.slice(4 * net.blocks.length);
  const tokensAt = (t: number) => tf.tensor1d(Int32Array.from({ length: B }, (_, b) => batch.tokens[b * T + t]), "int32");
  const xs = Array.from({ length: T }, (_, t) => tf.gather(embedding, tokensAt(t)));
  // out_l = h_l + Σ (skip blocks into l), each skip reading its source layer's out
  const outs: Tensor[][] = [];
  for (let l = 0; l < L; l++) {
    let out = runBlock(tf, spec.mode, blocks[l], l === 0 ? xs : outs[l - 1], spec.layers[l].size);
    spec.skips.forEach((s, k) => {
      if (s.to !== l) return;
      const skipOut = runBlock(tf, spec.mode, blocks[L + k], outs[s.from], spec.layers[l].size);
      out = out.map((o, t) => tf.add(o, skipOut[t]));
    });
    outs.push(out);
  }
  const top = outs[L - 1];
  const last = padding === "post"
    ? top[T - 1]
    : tf.gather(tf.concat(top, 0), tf.tensor1d(Int32Array.from({ length: B }, (_, b) => (batch.lengths[b] - 1) * B + b), "int32"));
  const logits = tf.add(tf.matMul(last, headW, false, true), headB);
  const onehot = tf.oneHot(tf.tensor1d(Int32Array.from(batch.labels), "int32"), spec.classes);
  const loss = tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(onehot, logits), 1))); // cross-entropy
  return { logits, loss };
}

/** The network's parameters as tensors, with their shapes, in parameterArrays() order. */
export function parameterTensors(net: Network): Tensor[] {
  const tf = loadTf();
  const out: Tensor[] = [];
  for (const b of net.blocks) {
    out.push(
      tf.tensor2d(Float32Array.from(b.wIH), [b.gates * b.hidden, b.inputSize]),
      tf.tensor2d(Float32Array.from(b.wHH), [b.gates * b.hidden, b.hidden]),
      tf.tensor1d(Float32Array.from(b.bIH)),
      tf.tensor1d(Float32Array.from(b.bHH)),
    );
  }
  const E = net.spec.layers[0].size, top = net.spec.layers[net.spec.layers.length - 1].size;
  out.push(
    tf.tensor2d(Float32Array.from(net.embedding), [net.spec.vocab, E]),
    tf.tensor2d(Float32Array.from(net.headW), [net.spec.classes, top]),
    tf.tensor1d(Float32Array.from(net.headB)),
  );
  return out;
}

/** Reference logits, loss and every gradient (parameterArrays() order), as plain arrays. */
export function referenceGradients(net: Network, batch: Batch, padding: Padding): { logits: Float32Array; loss: number; grads: Float32Array[] } {
  const tf = loadTf();
  return tf.tidy(() => {
    const params = parameterTensors(net);
    let logits: Tensor | undefined;
    const f = (...ps: Tensor[]) => {
      const r = referenceLogitsAndLoss(net, batch, padding, ps);
      logits = tf.keep(r.logits);
      return r.loss;
    };
    const { value, grads } = tf.valueAndGrads(f)(params);
    const out = {
      logits: logits!.dataSync() as Float32Array,
      loss: value.dataSync()[0],
      grads: grads.map((g) => g.dataSync() as Float32Array),
    };
    logits!.dispose();
    return out;
  });
}
