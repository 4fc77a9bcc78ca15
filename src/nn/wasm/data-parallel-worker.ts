/**
 * The data-parallel worker (see data-parallel.ts): its own Engine on its own wasm
 * memory, driven through the shared mailbox. Loaded by the bootstrap script that
 * DataParallel hands to `new Worker`.
 */
import { MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { Batch } from "../../data/types";
import { Engine } from "../engine";
import { Network, NetworkJSON } from "../network";
import { KernelModule } from "./load";
import { Command, mailboxLayout, READY, Slot, spinThenWait } from "./mailbox";
import { WasmOps } from "./wasm-ops";

interface WorkerData {
  shared: SharedArrayBuffer;
  port: MessagePort;
  module: KernelModule["module"];
  variant: KernelModule["variant"];
  network: NetworkJSON;
  capacity: { batch: number; steps: number };
}

/** how long an idle worker waits before checking again (it is woken by notify) */
const IDLE_WAIT_MS = 60_000;

function serve(data: WorkerData): void {
  const ints = new Int32Array(data.shared, 0, 16);
  const reply = (sequence: number) => {
    Atomics.store(ints, Slot.Reply, sequence);
    Atomics.notify(ints, Slot.Reply);
  };
  const fail = (error: unknown, sequence: number) => {
    data.port.postMessage(error instanceof Error ? error.stack ?? error.message : String(error));
    ints[Slot.Failed] = 1;
    reply(sequence);
  };
  let net: Network, engine: Engine;
  try {
    net = Network.load(data.network, "DataParallel worker");
    engine = new Engine(net, new WasmOps({ module: data.module, variant: data.variant }), data.capacity);
  } catch (error) {
    fail(error, READY);
    return;
  }
  const layout = mailboxLayout(engine.parameterCount, data.capacity.batch, data.capacity.steps);
  const { results, theta, grad, tokens, lengths, labels } = layout.views(data.shared);
  reply(READY);
  let handled = READY;
  for (;;) {
    if (!spinThenWait(ints, Slot.Request, handled + 1, IDLE_WAIT_MS)) continue;
    handled = Atomics.load(ints, Slot.Request);
    const command = ints[Slot.Command] as Command;
    if (command === Command.Exit) return;
    try {
      if (command === Command.LoadNetwork) {
        net = Network.load(receiveMessageOnPort(data.port)!.message as NetworkJSON, "DataParallel worker");
        engine.loadParameters(net);
      } else {
        const size = ints[Slot.Size], steps = ints[Slot.Steps];
        const batch: Batch = {
          size, steps, tokens: tokens.subarray(0, size * steps),
          lengths: lengths.subarray(0, size), labels: labels.subarray(0, size),
        };
        const padding = ints[Slot.Padding] === 1 ? "packed" : "post";
        let result;
        if (command === Command.LossAndGradient) {
          (engine.theta as Float32Array).set(theta);
          result = engine.lossAndGradient(batch, padding);
          grad.set(engine.grad as Float32Array);
        } else {
          result = engine.evaluateBatch(batch, padding);
        }
        results[0] = result.loss;
        results[1] = result.correct;
      }
      ints[Slot.Failed] = 0;
      reply(handled);
    } catch (error) {
      fail(error, handled);
    }
  }
}

serve(workerData as WorkerData);
