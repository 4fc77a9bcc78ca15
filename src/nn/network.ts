/**
 * A masked recurrent network: the parameters of a NetworkSpec, initialised as the
 * thesis does, with masks, cloning and JSON checkpoints. Computation lives in
 * engine.ts; this class only holds state.
 */
import * as fs from "fs";
import { CellMode, GATES, NetworkSpec } from "./spec";
import { Random } from "../core/random";
import { layerInputSize, validateSpec } from "./validate";
import { readJsonFile } from "../core/json";

export type Precision = "f32" | "f64";
export type Weights = Float32Array | Float64Array;

/** One PyTorch-style recurrent layer (a spec layer or a skip block). */
export interface RecurrentBlock {
  /** "layer0", "layer1", …, "skip0to2", … */
  name: string;
  kind: "layer" | "skip";
  inputSize: number;
  hidden: number;
  gates: number;
  /** (gates·hidden) × inputSize, row-major, gate blocks stacked (GRU r,z,n; LSTM i,f,g,o) */
  wIH: Weights;
  /** (gates·hidden) × hidden */
  wHH: Weights;
  bIH: Weights;
  bHH: Weights;
  /** same shapes as wIH / wHH, 1 = kept */
  maskIH: Uint8Array;
  maskHH: Uint8Array;
}

/** Masks are stored as strings of '0'/'1' and weights as plain numbers (exact for f64). */
export interface NetworkJSON {
  format: "sparse-rnn-lab/network";
  version: 1;
  precision: Precision;
  spec: {
    mode: CellMode;
    vocab: number;
    classes: number;
    layers: Array<{ size: number }>;
    skips: Array<{ from: number; to: number }>;
  };
  blocks: Array<{ name: string; wIH: number[]; wHH: number[]; bIH: number[]; bHH: number[]; maskIH: string; maskHH: string }>;
  embedding: number[];
  headW: number[];
  headB: number[];
}

function floats(precision: Precision, n: number | ArrayLike<number>): Weights {
  return precision === "f64" ? new Float64Array(n as number) : new Float32Array(n as number);
}

function maskString(mask: Uint8Array): string {
  let s = "";
  for (let i = 0; i < mask.length; i++) s += mask[i] ? "1" : "0";
  return s;
}

/** Largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A value for an error message: strings quoted, long arrays and objects summarized. */
function describeJson(value: unknown): string {
  if (value === undefined) return "undefined (missing)";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

function parseMask(text: string, where: string): Uint8Array {
  if (typeof text !== "string") throw new Error(`${where} must be a string of 0/1, got ${describeJson(text)}`);
  const bad = /[^01]/.exec(text);
  if (bad) throw new Error(`${where} must be a string of 0/1, got ${JSON.stringify(bad[0])} at index ${bad.index}`);
  const mask = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) mask[i] = text.charCodeAt(i) - 48;
  return mask;
}

/** w[i] = 0 wherever mask[i] = 0. */
function applyMask(w: Weights, mask: Uint8Array): void {
  for (let i = 0; i < w.length; i++) if (!mask[i]) w[i] = 0;
}

export class Network {
  readonly spec: NetworkSpec;
  readonly blocks: RecurrentBlock[];
  readonly precision: Precision;
  embedding: Weights;
  headW: Weights;
  headB: Weights;

  private constructor(spec: NetworkSpec, precision: Precision) {
    validateSpec(spec);
    this.precision = precision;
    const G = GATES[spec.mode];
    const block = (name: string, kind: "layer" | "skip", inputSize: number, hidden: number, masks: { maskIH?: Uint8Array; maskHH?: Uint8Array }): RecurrentBlock => ({
      name, kind, inputSize, hidden, gates: G,
      wIH: floats(precision, G * hidden * inputSize),
      wHH: floats(precision, G * hidden * hidden),
      bIH: floats(precision, G * hidden),
      bHH: floats(precision, G * hidden),
      maskIH: masks.maskIH ? Uint8Array.from(masks.maskIH) : new Uint8Array(G * hidden * inputSize).fill(1),
      maskHH: masks.maskHH ? Uint8Array.from(masks.maskHH) : new Uint8Array(G * hidden * hidden).fill(1),
    });
    this.blocks = [
      ...spec.layers.map((layer, l) => block(`layer${l}`, "layer", layerInputSize(spec, l), layer.size, layer)),
      ...spec.skips.map((s) => block(`skip${s.from}to${s.to}`, "skip", spec.layers[s.from].size, spec.layers[s.to].size, s)),
    ];
    // The network's own spec shares the block masks, so spec and blocks never disagree.
    const L = spec.layers.length;
    this.spec = {
      mode: spec.mode, vocab: spec.vocab, classes: spec.classes,
      layers: spec.layers.map((layer, l) => ({ size: layer.size, maskIH: this.blocks[l].maskIH, maskHH: this.blocks[l].maskHH })),
      skips: spec.skips.map((s, k) => ({ from: s.from, to: s.to, maskIH: this.blocks[L + k].maskIH, maskHH: this.blocks[L + k].maskHH })),
    };
    const E = spec.layers[0].size, top = spec.layers[L - 1].size;
    this.embedding = floats(precision, spec.vocab * E);
    this.headW = floats(precision, spec.classes * top);
    this.headB = floats(precision, spec.classes);
  }

  /**
   * The thesis's initialisation: recurrent weights and biases U(−1/√H, 1/√H),
   * embedding N(0, 1), linear head U(−1/√in, 1/√in) for weight and bias
   * (PyTorch's nn.Linear default). Masked weights are zero. Validates the spec.
   */
  static create(spec: NetworkSpec, options: { seed: number; precision?: Precision }): Network {
    const net = new Network(spec, options.precision ?? "f64");
    const rng = new Random(options.seed);
    const uniform = (w: Weights, bound: number) => { for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-bound, bound); };
    for (const b of net.blocks) {
      const k = 1 / Math.sqrt(b.hidden);
      uniform(b.wIH, k); uniform(b.wHH, k); uniform(b.bIH, k); uniform(b.bHH, k);
      applyMask(b.wIH, b.maskIH);
      applyMask(b.wHH, b.maskHH);
    }
    for (let i = 0; i < net.embedding.length; i++) net.embedding[i] = rng.normal();
    const kHead = 1 / Math.sqrt(net.spec.layers[net.spec.layers.length - 1].size);
    uniform(net.headW, kHead);
    uniform(net.headB, kHead);
    return net;
  }

  get mode(): CellMode {
    return this.spec.mode;
  }

  /** Number of trainable parameters, masked weights excluded. */
  get parameterCount(): number {
    let n = this.embedding.length + this.headW.length + this.headB.length;
    for (const b of this.blocks) {
      n += b.bIH.length + b.bHH.length;
      for (const m of [b.maskIH, b.maskHH]) for (let i = 0; i < m.length; i++) n += m[i];
    }
    return n;
  }

  /** Replace a block's masks and zero the masked weights (masks stay fixed through training). */
  setMasks(block: number, masks: { maskIH?: Uint8Array; maskHH?: Uint8Array }): void {
    const b = this.blocks[block];
    if (!b) throw new Error(`setMasks: block ${block} does not exist (the network has ${this.blocks.length} blocks)`);
    for (const key of ["maskIH", "maskHH"] as const) {
      const mask = masks[key];
      if (mask === undefined) continue;
      const target = b[key];
      if (mask.length !== target.length) {
        throw new Error(`setMasks: ${b.name}.${key} needs ${target.length} entries, got ${mask.length}`);
      }
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] > 1) throw new Error(`setMasks: ${b.name}.${key}[${i}] = ${mask[i]}, masks hold only 0 or 1`);
        target[i] = mask[i]; // in place: spec masks alias the block masks
      }
    }
    applyMask(b.wIH, b.maskIH);
    applyMask(b.wHH, b.maskHH);
  }

  /** An exact copy (non-finite weights of a diverged network included: only checkpoints are refused them). */
  clone(): Network {
    return Network.fromJSON(this.toJSON(), "Network.clone", false);
  }

  toJSON(): NetworkJSON {
    const list = (w: Weights) => Array.from(w);
    return {
      format: "sparse-rnn-lab/network",
      version: 1,
      precision: this.precision,
      spec: {
        mode: this.spec.mode, vocab: this.spec.vocab, classes: this.spec.classes,
        layers: this.spec.layers.map((l) => ({ size: l.size })),
        skips: this.spec.skips.map((s) => ({ from: s.from, to: s.to })),
      },
      blocks: this.blocks.map((b) => ({
        name: b.name, wIH: list(b.wIH), wHH: list(b.wHH), bIH: list(b.bIH), bHH: list(b.bHH),
        maskIH: maskString(b.maskIH), maskHH: maskString(b.maskHH),
      })),
      embedding: list(this.embedding),
      headW: list(this.headW),
      headB: list(this.headB),
    };
  }

  /**
   * A network from its JSON form (a checkpoint, or a copy sent to a worker). Strict: every key is checked
   * before anything is allocated or filled, and an error names `source` and the key, e.g.
   * `net.json: blocks[2].wHH[17] must be a finite number, got "abc"`. Weights must be finite numbers
   * (JSON.stringify writes NaN and ±Infinity as null, so a checkpoint of a diverged network is refused
   * rather than loaded as zeros), within float32 range for precision "f32"; arrays must have exactly the
   * spec's sizes; masks are strings of 0/1 of the matrix's size.
   */
  static load(json: NetworkJSON, source = "network JSON"): Network {
    return Network.fromJSON(json, source, true);
  }

  private static fromJSON(json: NetworkJSON, source: string, requireFinite: boolean): Network {
    const fail = (message: string): never => { throw new Error(`${source}: ${message}`); };
    if (json === null || typeof json !== "object" || Array.isArray(json)) fail(`expected a network object, got ${describeJson(json)}`);
    if (json.format !== "sparse-rnn-lab/network") fail(`not a sparse-rnn-lab network (format field is ${JSON.stringify(json.format)})`);
    if (json.version !== 1) fail(`unsupported version ${JSON.stringify(json.version)}`);
    if (json.precision !== "f32" && json.precision !== "f64") fail(`precision must be "f32" or "f64", got ${describeJson(json.precision)}`);
    const js = json.spec;
    if (js === null || typeof js !== "object") fail(`spec must be an object, got ${describeJson(js)}`);
    if (!Array.isArray(js.layers) || js.layers.length === 0) fail(`spec.layers must be a non-empty array, got ${describeJson(js.layers)}`);
    if (!Array.isArray(js.skips)) fail(`spec.skips must be an array, got ${describeJson(js.skips)}`);
    js.layers.forEach((l, i) => { if (l === null || typeof l !== "object") fail(`spec.layers[${i}] must be an object, got ${describeJson(l)}`); });
    js.skips.forEach((s, k) => { if (s === null || typeof s !== "object") fail(`spec.skips[${k}] must be an object, got ${describeJson(s)}`); });
    const L = js.layers.length;
    const blockCount = L + js.skips.length;
    if (!Array.isArray(json.blocks)) fail(`blocks must be an array, got ${describeJson(json.blocks)}`);
    if (json.blocks.length !== blockCount) {
      fail(`blocks has ${json.blocks.length} entries, expected ${blockCount} (${L} layers + ${js.skips.length} skips)`);
    }
    json.blocks.forEach((b, i) => { if (b === null || typeof b !== "object") fail(`blocks[${i}] must be an object, got ${describeJson(b)}`); });
    const masksOf = (i: number) => ({
      maskIH: parseMask(json.blocks[i].maskIH, `${source}: blocks[${i}].maskIH`),
      maskHH: parseMask(json.blocks[i].maskHH, `${source}: blocks[${i}].maskHH`),
    });
    const spec: NetworkSpec = {
      mode: js.mode, vocab: js.vocab, classes: js.classes,
      layers: js.layers.map((l, i) => ({ size: l.size, ...masksOf(i) })),
      skips: js.skips.map((s, k) => ({ from: s.from, to: s.to, ...masksOf(L + k) })),
    };
    // Mask lengths are checked against the spec here so the error names the checkpoint key, not spec.*.
    try {
      validateSpec({ ...spec, layers: spec.layers.map((l) => ({ size: l.size })), skips: spec.skips.map((s) => ({ from: s.from, to: s.to })) });
    } catch (e) {
      fail((e as Error).message);
    }
    const G = GATES[spec.mode];
    const checkMaskSize = (mask: Uint8Array, rows: number, cols: number, where: string) => {
      if (mask.length !== rows * cols) fail(`${where} has ${mask.length} entries, expected ${rows}×${cols} = ${rows * cols}`);
    };
    spec.layers.forEach((l, i) => {
      checkMaskSize(l.maskIH!, G * l.size, layerInputSize(spec, i), `blocks[${i}].maskIH`);
      checkMaskSize(l.maskHH!, G * l.size, l.size, `blocks[${i}].maskHH`);
    });
    spec.skips.forEach((s, k) => {
      const H = spec.layers[s.to].size;
      checkMaskSize(s.maskIH!, G * H, spec.layers[s.from].size, `blocks[${L + k}].maskIH`);
      checkMaskSize(s.maskHH!, G * H, H, `blocks[${L + k}].maskHH`);
    });
    const limit = json.precision === "f32" ? FLOAT32_MAX : Number.MAX_VALUE;
    const check = (values: unknown, expected: number, where: string): number[] => {
      if (!Array.isArray(values)) fail(`${where} must be an array of ${expected} numbers, got ${describeJson(values)}`);
      const list = values as unknown[];
      if (list.length !== expected) fail(`${where} has ${list.length} values, expected ${expected}`);
      for (let i = 0; i < list.length; i++) {
        const v = list[i];
        if (typeof v !== "number") fail(`${where}[${i}] must be a finite number, got ${describeJson(v)}`);
        if (requireFinite && !(Math.abs(v as number) <= limit)) {
          fail(`${where}[${i}] must be a finite number${json.precision === "f32" ? " within float32 range" : ""}, got ${v}`);
        }
      }
      return list as number[];
    };
    // Sizes follow from the spec: check every array before allocating the network.
    const sizes = Network.expectedSizes(spec);
    const blocks = json.blocks.map((jb, i) => {
      const where = `blocks[${i}]`;
      if (jb.name !== undefined && jb.name !== sizes.blocks[i].name) {
        fail(`${where}.name is ${JSON.stringify(jb.name)}, expected ${JSON.stringify(sizes.blocks[i].name)} (blocks out of order?)`);
      }
      return {
        wIH: check(jb.wIH, sizes.blocks[i].wIH, `${where}.wIH`), wHH: check(jb.wHH, sizes.blocks[i].wHH, `${where}.wHH`),
        bIH: check(jb.bIH, sizes.blocks[i].bias, `${where}.bIH`), bHH: check(jb.bHH, sizes.blocks[i].bias, `${where}.bHH`),
      };
    });
    const embedding = check(json.embedding, sizes.embedding, "embedding");
    const headW = check(json.headW, sizes.headW, "headW");
    const headB = check(json.headB, sizes.headB, "headB");
    const net = new Network(spec, json.precision);
    net.blocks.forEach((b, i) => {
      b.wIH.set(blocks[i].wIH); b.wHH.set(blocks[i].wHH); b.bIH.set(blocks[i].bIH); b.bHH.set(blocks[i].bHH);
    });
    net.embedding.set(embedding);
    net.headW.set(headW);
    net.headB.set(headB);
    return net;
  }

  /** Array sizes of a valid spec's parameters, in block order. */
  private static expectedSizes(spec: NetworkSpec) {
    const G = GATES[spec.mode];
    const L = spec.layers.length;
    const block = (name: string, inputSize: number, hidden: number) => ({ name, wIH: G * hidden * inputSize, wHH: G * hidden * hidden, bias: G * hidden });
    return {
      blocks: [
        ...spec.layers.map((layer, l) => block(`layer${l}`, layerInputSize(spec, l), layer.size)),
        ...spec.skips.map((s) => block(`skip${s.from}to${s.to}`, spec.layers[s.from].size, spec.layers[s.to].size)),
      ],
      embedding: spec.vocab * spec.layers[0].size,
      headW: spec.classes * spec.layers[L - 1].size,
      headB: spec.classes,
    };
  }

  /** Write a checkpoint (JSON) atomically: a crash never leaves a half-written file. */
  save(file: string): void {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(this.toJSON()));
    fs.renameSync(tmp, file);
  }

  /** Load a checkpoint written by save(); every error names the file (unreadable, truncated JSON, bad key). */
  static loadFile(file: string): Network {
    return Network.load(readJsonFile(file, "network checkpoint") as NetworkJSON, file);
  }

  /** Every parameter array in the engine's flat order: per block wIH, wHH, bIH, bHH; then embedding, headW, headB. */
  parameterArrays(): Weights[] {
    const out: Weights[] = [];
    for (const b of this.blocks) out.push(b.wIH, b.wHH, b.bIH, b.bHH);
    out.push(this.embedding, this.headW, this.headB);
    return out;
  }
}
