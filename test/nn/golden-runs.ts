/**
 * The golden numerics runs: small but representative trainings whose every result bit
 * is hashed, so a refactor of the engine can prove that it changes no number (engine
 * numerics version 2, src/nn/numerics.ts). test/fixtures/make_golden_numerics.ts
 * records the hashes of the unmodified engine into test/fixtures/golden_numerics.json;
 * test/nn/golden-numerics.test.ts recomputes and compares them.
 *
 * Each run trains a network for two epochs and hashes (sha-256) the epoch records
 * without their clock, every weight and mask of the trained network, and its
 * predictions on the test set. The runs cover:
 *   - every cell mode × layout (rows, columns) × backend (wasm simd, wasm relaxed when
 *     the runtime has it, js-f64, js-f32), on two layers of 10 and 6 units (the
 *     row-major engine steps the 6-unit GRU layer in one call, the 10-unit one through
 *     the cell), padding alternating between "post" and "packed";
 *   - masked networks with skip blocks (random masks; fused blocks on the row layout)
 *     and a random-structure network from a graph;
 *   - pruned networks on the sparse backend (src/prune: sparseBackend) over wasm and
 *     js, every mode, each layout and "auto", at its default and at maxDensity 1
 *     (every product sparse); evaluation of a freshly pruned network; gradual pruning
 *     (masks change during training); a run resumed from a checkpoint;
 *   - the two-thread path (threads: 2) in both layouts.
 * Hashes depend on the machine (relaxed SIMD fuses multiply-adds where the CPU can):
 * record and compare on the same machine.
 */
import { createHash } from "node:crypto";
import { generateDataset } from "../../src/data";
import { Random } from "../../src/core/random";
import { barabasiAlbert, edgesOf, graphToSpec, layerEdges } from "../../src/graph";
import { registerBackend } from "../../src/nn/backend";
import { Network } from "../../src/nn/network";
import { CELL_MODES, CellMode, NetworkSpec, Padding } from "../../src/nn/spec";
import { evaluate, EpochRecord, predict, Trainer, train, TrainOptions } from "../../src/nn/train";
import { loadKernelModule, relaxedSimdSupported, wasmAvailable } from "../../src/nn/wasm/load";
import { WasmOps } from "../../src/nn/wasm/wasm-ops";
import { gradualPruningHook, pruneNetwork, sparseBackend } from "../../src/prune";
import { smallSpec } from "./helpers";

const data = generateDataset({ size: 240, testSize: 48, seed: 11, maxLength: 24 });

export interface GoldenRun {
  name: string;
  /** the run's sha-256 (hex) */
  hash: () => string;
}

/** The wasm builds this runtime runs, registered as backends "golden-wasm-simd" / "golden-wasm-relaxed". */
function wasmBackends(): string[] {
  if (!wasmAvailable()) return [];
  const variants = relaxedSimdSupported() ? (["simd", "relaxed"] as const) : (["simd"] as const);
  return variants.map((variant) => {
    const name = `golden-wasm-${variant}`;
    registerBackend(name, () => new WasmOps(loadKernelModule(variant)));
    return name;
  });
}

/** sha-256 of records (clock removed), weights, masks and predictions. */
function digest(net: Network, records: EpochRecord[], extra: unknown[] = []): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(records.map(({ seconds: _clock, ...rest }) => rest)));
  for (const a of net.parameterArrays()) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  for (const b of net.blocks) { hash.update(b.maskIH); hash.update(b.maskHH); }
  const p = predict(net, data.test, { batchSize: 16 });
  hash.update(new Uint8Array(p.buffer));
  hash.update(JSON.stringify(extra));
  return hash.digest("hex");
}

function trained(spec: NetworkSpec, options: Partial<TrainOptions>, prepare?: (net: Network) => void): string {
  const net = Network.create(spec, { seed: 5 });
  prepare?.(net);
  const records = train(net, data, { epochs: 2, batchSize: 16, seed: 3, threads: 1, ...options });
  return digest(net, records);
}

const stack = (mode: CellMode, sizes: number[]): NetworkSpec => ({ mode, vocab: 128, classes: 2, layers: sizes.map((size) => ({ size })), skips: [] });

const prune80 = (net: Network) => { pruneNetwork(net, { percent: 80, kind: "both", scope: "global" }); };

export function goldenRuns(): GoldenRun[] {
  const runs: GoldenRun[] = [];
  const add = (name: string, hash: () => string) => runs.push({ name, hash });
  const wasm = wasmBackends();
  const backends = [...wasm, "js-f64", "js-f32"];

  // every mode × layout × backend
  for (const mode of CELL_MODES) {
    for (const layout of ["rows", "columns"] as const) {
      backends.forEach((backend, i) => {
        const padding: Padding = i % 2 === 0 ? "post" : "packed";
        add(`${mode} ${layout} ${backend} ${padding}`, () => trained(stack(mode, [10, 6]), { backend: backend as never, layout, padding }));
      });
    }
  }

  // masked networks with skip blocks; a random-structure network
  for (const mode of ["GRU", "LSTM", "RNN_RELU"] as const) {
    for (const layout of ["rows", "columns"] as const) {
      for (const backend of [...wasm, "js-f64"]) {
        add(`masked skips ${mode} ${layout} ${backend}`, () => {
          const spec = smallSpec(mode, [5, 3, 4, 2], [[0, 2], [1, 3], [0, 3]], new Random(17), true);
          return trained({ ...spec, vocab: 128 }, { backend: backend as never, layout, padding: "packed" });
        });
      }
    }
  }
  const graphSpec = (mode: CellMode) => graphToSpec(layerEdges(16, edgesOf(barabasiAlbert(16, 2, new Random(5)))), { mode, layout: "repeat" });
  for (const layout of ["rows", "columns"] as const) {
    add(`random structure GRU ${layout} wasm`, () => trained(graphSpec("GRU"), { layout, batchSize: 32 }));
  }

  // pruned networks on the sparse backend
  const sparse = [...wasm.flatMap((backend) => [sparseBackend(backend), sparseBackend(backend, 1)]), sparseBackend("js"), sparseBackend("js", 1)];
  for (const mode of CELL_MODES) {
    for (const layout of ["rows", "columns", "auto"] as const) {
      for (const backend of sparse) {
        add(`pruned ${mode} ${layout} ${backend}`, () => trained(stack(mode, [12, 12]), { backend: backend as never, layout }, prune80));
      }
    }
  }
  for (const backend of sparse) {
    add(`pruned evaluation ${backend}`, () => {
      const net = Network.create(stack("GRU", [12, 12]), { seed: 6 });
      prune80(net);
      const e = evaluate(net, data.test, { backend: backend as never, batchSize: 16 });
      return digest(net, [], [e]);
    });
    for (const layout of ["rows", "columns"] as const) {
      add(`gradual pruning LSTM ${layout} ${backend}`, () => trained(stack("LSTM", [12, 12]), {
        backend: backend as never, layout,
        afterStep: gradualPruningHook({ initialSparsity: 0, finalSparsity: 0.8, startStep: 1, intervals: 6, frequency: 3 }, { kind: "both" }),
      }));
    }
    add(`resumed pruned GRU ${backend}`, () => {
      const net = Network.create(stack("GRU", [12, 12]), { seed: 5 });
      prune80(net);
      const options: TrainOptions = { epochs: 2, batchSize: 16, seed: 3, threads: 1, backend: backend as never };
      const first = new Trainer(net, data, options);
      const records = [first.runEpoch()];
      const checkpoint = first.checkpoint();
      first.close();
      const second = Trainer.resume(checkpoint, data, options);
      records.push(second.runEpoch());
      second.close();
      return digest(second.net, records);
    });
  }
  for (const layout of ["rows", "columns"] as const) {
    add(`dense on the sparse backend GRU ${layout} ${sparse[0]}`, () => trained(stack("GRU", [12, 12]), { backend: sparse[0] as never, layout }));
  }

  // two threads per batch
  if (wasm.length > 0) {
    add("two threads LSTM rows wasm", () => trained(stack("LSTM", [12, 12]), { backend: "wasm", layout: "rows", threads: 2 }));
    add("two threads GRU columns wasm packed", () => trained(graphSpec("GRU"), { backend: "wasm", layout: "columns", threads: 2, padding: "packed", batchSize: 32 }));
  }
  return runs;
}
