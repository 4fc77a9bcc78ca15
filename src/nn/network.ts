/**
 * A masked recurrent network: the parameters of a NetworkSpec, initialised as the
 * thesis does, with masks, cloning and JSON checkpoints. Computation lives in
 * engine.ts; this class only holds state.
 */
import * as fs from "fs";
import { CellMode, GATES, NetworkSpec } from "./spec";
import { Random } from "../data/random";
import { layerInputSize, validateSpec } from "./validate";

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

function parseMask(text: string, where: string): Uint8Array {
  if (typeof text !== "string" || /[^01]/.test(text)) throw new Error(`${where} must be a string of 0/1`);
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

  clone(): Network {
    return Network.load(this.toJSON());
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

  static load(json: NetworkJSON, source = "network JSON"): Network {
    if (!json || json.format !== "sparse-rnn-lab/network") throw new Error(`${source}: not a sparse-rnn-lab network (format field is ${JSON.stringify(json && json.format)})`);
    if (json.version !== 1) throw new Error(`${source}: unsupported version ${json.version}`);
    const L = json.spec.layers.length;
    const masksOf = (i: number) => {
      const b = json.blocks[i];
      if (!b) throw new Error(`${source}: blocks[${i}] is missing`);
      return { maskIH: parseMask(b.maskIH, `${source}: blocks[${i}].maskIH`), maskHH: parseMask(b.maskHH, `${source}: blocks[${i}].maskHH`) };
    };
    const spec: NetworkSpec = {
      mode: json.spec.mode, vocab: json.spec.vocab, classes: json.spec.classes,
      layers: json.spec.layers.map((l, i) => ({ size: l.size, ...masksOf(i) })),
      skips: json.spec.skips.map((s, k) => ({ from: s.from, to: s.to, ...masksOf(L + k) })),
    };
    const net = new Network(spec, json.precision);
    const fill = (target: Weights, values: number[], where: string) => {
      if (!Array.isArray(values) || values.length !== target.length) {
        throw new Error(`${source}: ${where} has ${values?.length} values, expected ${target.length}`);
      }
      target.set(values);
    };
    net.blocks.forEach((b, i) => {
      const jb = json.blocks[i];
      fill(b.wIH, jb.wIH, `${b.name}.wIH`); fill(b.wHH, jb.wHH, `${b.name}.wHH`);
      fill(b.bIH, jb.bIH, `${b.name}.bIH`); fill(b.bHH, jb.bHH, `${b.name}.bHH`);
    });
    fill(net.embedding, json.embedding, "embedding");
    fill(net.headW, json.headW, "headW");
    fill(net.headB, json.headB, "headB");
    return net;
  }

  /** Write a checkpoint (JSON) atomically: a crash never leaves a half-written file. */
  save(file: string): void {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(this.toJSON()));
    fs.renameSync(tmp, file);
  }

  static loadFile(file: string): Network {
    let json: NetworkJSON;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`Network.loadFile: cannot read ${file}: ${(e as Error).message}`);
    }
    return Network.load(json, file);
  }

  /** Every parameter array in the engine's flat order: per block wIH, wHH, bIH, bHH; then embedding, headW, headB. */
  parameterArrays(): Weights[] {
    const out: Weights[] = [];
    for (const b of this.blocks) out.push(b.wIH, b.wHH, b.bIH, b.bHH);
    out.push(this.embedding, this.headW, this.headB);
    return out;
  }
}
