/**
 * Weights ↔ tf.Tensor interop, named as PyTorch names them
 * (`layer0.weight_ih`, `layer0.weight_hh`, `layer0.bias_ih`, `layer0.bias_hh`,
 * `skip0to2.…`, `embedding.weight`, `head.weight`, `head.bias`).
 * tfjs is loaded lazily: the engine itself never needs it.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Network, Weights } from "./network";
import { loadTf } from "./reference/tf";

function named(net: Network): Array<{ name: string; values: Weights; shape: number[] }> {
  const out: Array<{ name: string; values: Weights; shape: number[] }> = [];
  for (const b of net.blocks) {
    const GH = b.gates * b.hidden;
    out.push(
      { name: `${b.name}.weight_ih`, values: b.wIH, shape: [GH, b.inputSize] },
      { name: `${b.name}.weight_hh`, values: b.wHH, shape: [GH, b.hidden] },
      { name: `${b.name}.bias_ih`, values: b.bIH, shape: [GH] },
      { name: `${b.name}.bias_hh`, values: b.bHH, shape: [GH] },
    );
  }
  const top = net.spec.layers[net.spec.layers.length - 1].size;
  out.push(
    { name: "embedding.weight", values: net.embedding, shape: [net.spec.vocab, net.spec.layers[0].size] },
    { name: "head.weight", values: net.headW, shape: [net.spec.classes, top] },
    { name: "head.bias", values: net.headB, shape: [net.spec.classes] },
  );
  return out;
}

/** Every weight as a float32 tf.Tensor (the caller disposes them). */
export function weightsToTensors(net: Network): Record<string, TF.Tensor> {
  const tf = loadTf();
  const out: Record<string, TF.Tensor> = {};
  for (const w of named(net)) out[w.name] = tf.tensor(Float32Array.from(w.values), w.shape, "float32");
  return out;
}

/** Overwrite weights from tensors (any subset of the names); masked weights are re-zeroed. */
export function setWeightsFromTensors(net: Network, tensors: Record<string, TF.Tensor>): void {
  const table = new Map(named(net).map((w) => [w.name, w]));
  for (const [name, tensor] of Object.entries(tensors)) {
    const w = table.get(name);
    if (!w) throw new Error(`setWeightsFromTensors: unknown weight "${name}"; known: ${[...table.keys()].join(", ")}`);
    if (tensor.shape.join("×") !== w.shape.join("×")) {
      throw new Error(`setWeightsFromTensors: ${name} has shape [${tensor.shape}], expected [${w.shape}]`);
    }
    w.values.set(tensor.dataSync() as Float32Array);
  }
  net.blocks.forEach((_, i) => net.setMasks(i, {}));
}
