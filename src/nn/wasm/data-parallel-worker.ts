/**
 * The data-parallel worker (see data-parallel.ts): its own Engine on its own wasm
 * memory, driven through the shared mailbox. Started by DataParallel through the
 * project's worker bootstrap (src/core/worker.ts).
 */
import { MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { Batch } from "../../data/types";
import type { EngineBase } from "../engine-base";
import { createEngine } from "../create-engine";
import { Network, NetworkJSON } from "../network";
import { KernelModule } from "./load";
import { Command, CONTROL_INTS, mailboxLayout, MailboxViews, ParameterUpdate, READY, Slot, spinThenWait } from "./mailbox";
import { WasmOps } from "./wasm-ops";

interface WorkerData {
  control: SharedArrayBuffer;
  port: MessagePort;
  module: KernelModule["module"];
  variant: KernelModule["variant"];
}

/** what DataParallel sends with Command.Configure */
interface WorkerConfiguration {
  data: SharedArrayBuffer;
  network: NetworkJSON;
  capacity: { batch: number; steps: number };
  /** the calling thread's engine layout (both halves run the same engine) */
  layout: "rows" | "columns";
}

/** how long an idle worker blocks before checking again (it is woken by notify) */
const IDLE_WAIT_MS = 60_000;

function serve(init: WorkerData): void {
  const ints = new Int32Array(init.control, 0, CONTROL_INTS);
  const reply = (sequence: number) => {
    Atomics.store(ints, Slot.Reply, sequence);
    Atomics.notify(ints, Slot.Reply);
  };
  const receive = () => receiveMessageOnPort(init.port)!.message;
  let net: Network | undefined;
  let engine: EngineBase | undefined;
  let views: MailboxViews | undefined;
  reply(READY);
  let handled = READY;
  for (;;) {
    if (!spinThenWait(ints, Slot.Request, handled + 1, IDLE_WAIT_MS)) continue;
    handled = Atomics.load(ints, Slot.Request);
    const command = ints[Slot.Command] as Command;
    if (command === Command.Exit) return;
    try {
      if (command === Command.Configure) {
        const config = receive() as WorkerConfiguration;
        net = Network.load(config.network, "DataParallel worker");
        engine = createEngine(net, new WasmOps({ module: init.module, variant: init.variant }), config.capacity, { layout: config.layout });
        views = mailboxLayout(engine.parameterCount, config.capacity.batch, config.capacity.steps).views(config.data);
      } else if (!net || !engine || !views) {
        throw new Error(`command ${command} before Configure`);
      } else if (command === Command.LoadNetwork) {
        const update = receive() as ParameterUpdate, current = net;
        current.parameterArrays().forEach((a, i) => a.set(update.arrays[i]));
        update.masks.forEach(([maskIH, maskHH], i) => current.setMasks(i, { maskIH, maskHH }));
        engine.loadParameters(current);
      } else {
        const size = ints[Slot.Size], steps = ints[Slot.Steps];
        const batch: Batch = {
          size, steps, tokens: views.tokens.subarray(0, size * steps),
          lengths: views.lengths.subarray(0, size), labels: views.labels.subarray(0, size),
        };
        const padding = ints[Slot.Padding] === 1 ? "packed" : "post";
        (engine.theta as Float32Array).set(views.theta);
        let result;
        if (command === Command.LossAndGradient) {
          result = engine.lossAndGradient(batch, padding);
          views.grad.set(engine.grad as Float32Array);
        } else {
          result = engine.evaluateBatch(batch, padding);
        }
        views.results[0] = result.loss;
        views.results[1] = result.correct;
      }
      ints[Slot.Failed] = 0;
    } catch (error) {
      init.port.postMessage(error instanceof Error ? error.stack ?? error.message : String(error));
      ints[Slot.Failed] = 1;
    }
    reply(handled);
  }
}

serve(workerData as WorkerData);
