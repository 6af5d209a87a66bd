// Accuracy evaluation of one or more image classifiers on labelled images: top-1 / top-5,
// agreement between models, latency, size, and optionally a per-layer comparison of a float
// model with a quantized one (SQNR and error in quantization steps for every matched tensor,
// like TFLite's quantization debugger). Runtime-agnostic: images and models are bytes.
import { abortCheckpoint } from "../abort.js";
import { type ImageInputLayout, imageInputSize, outputScores, pixelsToInput, topK } from "../classify.js";
import { ImageError, InputError } from "../errors.js";
import { Model, type TensorData } from "../model.js";
import { preprocessImage } from "../preprocess/index.js";
import { readModel } from "../tflite/read.js";
import { builtinOpName } from "../tflite/builtin-ops.js";

export interface EvalModelInput {
  /** Display name (file name). */
  name: string;
  bytes: Uint8Array;
}

export interface EvalImage {
  name: string;
  /** Encoded image file, or a function that reads it (called once). */
  bytes: Uint8Array | (() => Uint8Array | Promise<Uint8Array>);
  /** True class in 1000-class numbering (ImageNet order), or null if unknown. */
  label: number | null;
}

/** Another runtime to run every model on (latency and output agreement with quantlite). */
export interface ExternalEngine {
  name: string;
  load(bytes: Uint8Array): Promise<ExternalSession>;
}

export interface ExternalSession {
  run(input: TensorData): TensorData;
  dispose?(): void;
}

export interface EvalOptions {
  /** float32 inputs: (pixel − mean) / std; each, when not given, from the model's TFLite metadata, else 127.5. */
  mean?: number[];
  std?: number[];
  crop?: number;
  /** Compare every tensor of a float model and a quantized one (indices into models; default: the first float32 model against every quantized one). */
  perLayer?: boolean | { reference: number; targets: number[] };
  /** Per-layer statistics over at most this many images (default all). */
  perLayerImages?: number;
  engines?: ExternalEngine[];
  onProgress?: (done: number, total: number) => void;
  onWarning?: (message: string) => void;
  /** Stops evaluate (rejecting with the signal's reason, an AbortError by default) when aborted. */
  signal?: AbortSignal;
}

export interface LatencyStats {
  medianMs: number;
  meanMs: number;
  minMs: number;
  runs: number;
}

export interface EngineResult {
  engine: string;
  latency: LatencyStats;
  top1: number;
  top5: number;
  /** Images whose top-1 class equals quantlite's. */
  top1AgreementWithQuantlite: number;
  /** Same, also counting images where either output has the other's top class tied for its top score. */
  top1AgreementCountingTies: number;
  /** Largest absolute difference of any output element from quantlite's (raw output units). */
  maxOutputDifference: number;
  /** Rows byte-identical to quantlite's. */
  identicalOutputs: number;
}

export interface ModelResult {
  name: string;
  fileBytes: number;
  description: string;
  inputType: string;
  outputType: string;
  classes: number;
  /** Correct top-1 / top-5 among labelled images. */
  top1: number;
  top5: number;
  labelled: number;
  latency: LatencyStats;
  engines: EngineResult[];
}

export interface LayerComparison {
  /** Position of the tensor among the float model's operator outputs (op order). */
  position: number;
  /** Index of the tensor in the float / quantized model. */
  floatTensor: number;
  quantizedTensor: number;
  name: string;
  opType: string;
  /** 10·log10(Σ f² / Σ (f − q̂)²) over all elements and images, in dB (Infinity if exact). */
  sqnrDb: number;
  /** Largest |f − q̂| in units of the quantized tensor's scale. */
  maxErrorSteps: number;
  /** Mean |f − q̂| in steps. */
  meanErrorSteps: number;
  scale: number;
  zeroPoint: number;
}

export interface PerLayerResult {
  reference: string;
  target: string;
  matchedBy: "name" | "op order";
  images: number;
  layers: LayerComparison[];
}

export interface EvalResult {
  images: number;
  labelled: number;
  skipped: { name: string; reason: string }[];
  models: ModelResult[];
  /** agreement[i][j]: images where models i and j give the same top-1 class. */
  agreement: number[][];
  perLayer: PerLayerResult[];
  seconds: number;
}

const median = (values: number[]) => {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function latencyStats(times: number[]): LatencyStats {
  return {
    medianMs: median(times),
    meanMs: times.length ? times.reduce((a, b) => a + b, 0) / times.length : NaN,
    minMs: times.length ? Math.min(...times) : NaN,
    runs: times.length,
  };
}

const SKIPPED = -1000;

/** Offset of class 0 of the 1000 ImageNet classes in a model's output (1 with background). */
export function classOffset(classes: number): number {
  return classes === 1001 ? 1 : 0;
}

interface Loaded {
  input: EvalModelInput;
  model: Model;
  image: ImageInputLayout;
  classes: number;
  offset: number;
  times: number[];
  top1: number;
  top5: number;
  labelled: number;
  predictions: Int32Array;
  engines: { engine: ExternalEngine; session: ExternalSession; times: number[]; top1: number; top5: number; agree: number; agreeOrTied: number; maxDiff: number; identical: number }[];
}

/** Evaluates each model on each image. Undecodable images are skipped (and listed). */
export async function evaluate(models: EvalModelInput[], images: EvalImage[], options: EvalOptions = {}): Promise<EvalResult> {
  const start = performance.now();
  return mergeShards([await evaluateShard(models, images, options)], (performance.now() - start) / 1000);
}

/**
 * Per-layer statistics are summed per block of this many consecutive images, then the blocks in
 * order: shards of an evaluation that start at multiples of it (quantlite eval --jobs) add up to
 * exactly the sums of one pass over all the images.
 */
export const SHARD_ALIGNMENT = 32;

/** The raw counts, times and sums of a run of consecutive images of an evaluation, which mergeShards combines. */
export interface EvalShard {
  /** Position of this run's first image in the whole set (a multiple of SHARD_ALIGNMENT). */
  first: number;
  count: number;
  labelled: number;
  skipped: { name: string; reason: string }[];
  models: {
    info: Omit<ModelResult, "top1" | "top5" | "labelled" | "latency" | "engines">;
    times: number[]; top1: number; top5: number; labelled: number; predictions: Int32Array;
    engines: { engine: string; times: number[]; top1: number; top5: number; agree: number; agreeOrTied: number; maxDiff: number; identical: number }[];
  }[];
  perLayer: PerLayerShard[];
}

/** evaluate's work on `images`, the run of the whole set that starts at position `first`. */
export async function evaluateShard(models: EvalModelInput[], images: EvalImage[], options: EvalOptions = {}, first = 0): Promise<EvalShard> {
  if (models.length === 0) throw new InputError("evaluate needs at least one model");
  if (images.length === 0) throw new InputError("evaluate needs at least one image");
  if (first % SHARD_ALIGNMENT !== 0) throw new InputError(`an evaluation shard must start at a multiple of ${SHARD_ALIGNMENT}, not ${first}`);
  const loaded: Loaded[] = [];
  for (const input of models) {
    const model = await Model.load(input.bytes);
    if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new InputError(`${input.name}: evaluation needs a model with one input and one output`);
    let image: ImageInputLayout;
    try {
      image = imageInputSize(model);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`${input.name}: ${e.message}`);
      throw e;
    }
    const classes = model.outputs[0].shape[model.outputs[0].shape.length - 1];
    const engines = [];
    for (const engine of options.engines ?? []) {
      engines.push({ engine, session: await engine.load(input.bytes), times: [], top1: 0, top5: 0, agree: 0, agreeOrTied: 0, maxDiff: 0, identical: 0 });
    }
    loaded.push({
      input, model, image, classes, offset: classOffset(classes), times: [], top1: 0, top5: 0, labelled: 0,
      predictions: new Int32Array(images.length).fill(SKIPPED), engines,
    });
  }
  const perLayerPairs = perLayerPairsOf(loaded, options.perLayer);
  const perLayer = await Promise.all(perLayerPairs.map(([r, t]) => LayerComparer.create(loaded[r].input, loaded[t].input)));
  // Per-layer statistics over the first perLayerImages images of the whole set (skipped ones count).
  const perLayerLimit = options.perLayerImages ?? Infinity;

  const skipped: EvalResult["skipped"] = [];
  let done = 0;
  let labelled = 0;
  const checkpoint = abortCheckpoint(options.signal);
  for (let k = 0; k < images.length; k++) {
    await checkpoint();
    const image = images[k];
    let bytes: Uint8Array;
    const pixels = new Map<string, Uint8Array>();
    try {
      bytes = typeof image.bytes === "function" ? await image.bytes() : image.bytes;
      for (const { image: { width, height, channels, layout } } of loaded) {
        const key = `${width}x${height}x${channels}${layout}`;
        if (!pixels.has(key)) pixels.set(key, preprocessImage(bytes, { width, height, channels, layout, crop: options.crop }));
      }
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      skipped.push({ name: image.name, reason: e.message });
      options.onWarning?.(`skipped ${image.name}: ${e.message}`);
      options.onProgress?.(++done, images.length);
      continue;
    }
    if (image.label !== null) labelled++;
    const inputs: TensorData[] = [];
    for (const m of loaded) {
      const { width, height, channels, layout } = m.image;
      const input = pixelsToInput(m.model, pixels.get(`${width}x${height}x${channels}${layout}`)!, { mean: options.mean, std: options.std });
      inputs.push(input);
      const t0 = performance.now();
      const output = m.model.run(input);
      m.times.push(performance.now() - t0);
      const scores = outputScores(m.model, output);
      const top = topK(scores, 5);
      m.predictions[k] = top[0] - m.offset;
      if (image.label !== null) {
        m.labelled++;
        const truth = image.label + m.offset;
        if (top[0] === truth) m.top1++;
        if (top.includes(truth)) m.top5++;
      }
      for (const e of m.engines) {
        const t1 = performance.now();
        const theirs = e.session.run(input);
        e.times.push(performance.now() - t1);
        const theirScores = outputScores(m.model, theirs);
        const theirTop = topK(theirScores, 5);
        if (theirTop[0] === top[0]) e.agree++;
        if (theirTop[0] === top[0] || scores[theirTop[0]] === scores[top[0]] || theirScores[top[0]] === theirScores[theirTop[0]]) e.agreeOrTied++;
        let identical = theirs.length === output.length;
        for (let i = 0; i < output.length; i++) {
          const d = Math.abs(Number(theirs[i]) - Number(output[i]));
          if (d > e.maxDiff) e.maxDiff = d;
          if (d !== 0) identical = false;
        }
        if (identical) e.identical++;
        if (image.label !== null) {
          const truth = image.label + m.offset;
          if (theirTop[0] === truth) e.top1++;
          if (theirTop.includes(truth)) e.top5++;
        }
      }
    }
    if (first + k < perLayerLimit) {
      perLayer.forEach((comparer, p) => comparer.add(inputs[perLayerPairs[p][0]], inputs[perLayerPairs[p][1]], Math.floor((first + k) / SHARD_ALIGNMENT)));
    }
    options.onProgress?.(++done, images.length);
  }

  const shard: EvalShard = {
    first, count: images.length, labelled, skipped,
    models: loaded.map((m) => ({
      info: {
        name: m.input.name, fileBytes: m.input.bytes.length, description: m.model.description,
        inputType: m.model.inputs[0].dtype, outputType: m.model.outputs[0].dtype, classes: m.classes,
      },
      times: m.times, top1: m.top1, top5: m.top5, labelled: m.labelled, predictions: m.predictions,
      engines: m.engines.map((e) => ({
        engine: e.engine.name, times: e.times, top1: e.top1, top5: e.top5, agree: e.agree, agreeOrTied: e.agreeOrTied, maxDiff: e.maxDiff, identical: e.identical,
      })),
    })),
    perLayer: perLayer.map((c) => c.shard()),
  };
  for (const m of loaded) {
    m.model.dispose();
    for (const e of m.engines) e.session.dispose?.();
  }
  perLayer.forEach((c) => c.dispose());
  return shard;
}

/** The result of an evaluation from its shards (any order), as one pass over all the images gives it; `seconds` is the wall time. */
export function mergeShards(shards: EvalShard[], seconds: number): EvalResult {
  const ordered = [...shards].sort((a, b) => a.first - b.first);
  const total = ordered.reduce((n, s) => n + s.count, 0);
  const predictions = ordered[0].models.map((_, i) => {
    const all = new Int32Array(total);
    let at = 0;
    for (const s of ordered) { all.set(s.models[i].predictions, at); at += s.count; }
    return all;
  });
  const agreement = predictions.map((a) => predictions.map((b) => {
    let same = 0;
    for (let k = 0; k < total; k++) if (a[k] !== SKIPPED && a[k] === b[k]) same++;
    return same;
  }));
  const sum = (f: (s: EvalShard) => number) => ordered.reduce((n, s) => n + f(s), 0);
  const results: ModelResult[] = ordered[0].models.map((m, i) => ({
    ...m.info,
    top1: sum((s) => s.models[i].top1),
    top5: sum((s) => s.models[i].top5),
    labelled: sum((s) => s.models[i].labelled),
    latency: latencyStats(ordered.flatMap((s) => s.models[i].times)),
    engines: m.engines.map((e, j) => {
      const of = ordered.map((s) => s.models[i].engines[j]);
      return {
        engine: e.engine, latency: latencyStats(of.flatMap((x) => x.times)),
        top1: of.reduce((n, x) => n + x.top1, 0), top5: of.reduce((n, x) => n + x.top5, 0),
        top1AgreementWithQuantlite: of.reduce((n, x) => n + x.agree, 0), top1AgreementCountingTies: of.reduce((n, x) => n + x.agreeOrTied, 0),
        maxOutputDifference: Math.max(...of.map((x) => x.maxDiff)), identicalOutputs: of.reduce((n, x) => n + x.identical, 0),
      };
    }),
  }));
  const skipped = ordered.flatMap((s) => s.skipped);
  return {
    images: total - skipped.length, labelled: sum((s) => s.labelled), skipped, models: results, agreement,
    perLayer: ordered[0].perLayer.map((_, p) => perLayerResult(ordered.map((s) => s.perLayer[p]))),
    seconds,
  };
}

function perLayerPairsOf(loaded: Loaded[], option: EvalOptions["perLayer"]): [number, number][] {
  if (!option) return [];
  if (option !== true) {
    for (const i of [option.reference, ...option.targets]) {
      if (!(i >= 0 && i < loaded.length)) throw new InputError(`per-layer model index ${i} is out of range`);
    }
    return option.targets.map((t) => [option.reference, t]);
  }
  const isFloat = (m: Loaded) => !readModel(m.input.bytes).subgraphs[0].tensors.some((t) => t.type === "int8" || t.type === "uint8");
  const reference = loaded.findIndex(isFloat);
  if (reference < 0) throw new InputError("--per-layer needs a float32 model among the models");
  const targets = loaded.map((_, i) => i).filter((i) => i !== reference && !isFloat(loaded[i]));
  if (targets.length === 0) throw new InputError("--per-layer needs a quantized model to compare with the float one");
  return targets.map((t) => [reference, t]);
}

/**
 * Per-layer comparison of a float model and a quantized model on pairs of inputs (the float
 * model's input, the quantized model's input for the same sample).
 */
export async function compareLayers(
  reference: EvalModelInput, target: EvalModelInput, inputs: Iterable<[TensorData, TensorData]>,
): Promise<PerLayerResult> {
  const comparer = await LayerComparer.create(reference, target);
  try {
    let k = 0;
    for (const [r, t] of inputs) comparer.add(r, t, Math.floor(k++ / SHARD_ALIGNMENT));
    return perLayerResult([comparer.shard()]);
  } finally {
    comparer.dispose();
  }
}

interface TensorRef {
  /** Position among the model's compute outputs. */
  position: number;
  index: number;
  name: string;
  opType: string;
  dtype: string;
}

/** Activation tensors written by the model's compute ops, in op order (QUANTIZE / DEQUANTIZE left out). */
function computeOutputs(bytes: Uint8Array): TensorRef[] {
  const def = readModel(bytes);
  const subgraph = def.subgraphs[0];
  const refs: TensorRef[] = [];
  for (const op of subgraph.operators) {
    const opType = builtinOpName(def.operatorCodes[op.opcodeIndex]?.builtinCode ?? -1);
    if (opType === "QUANTIZE" || opType === "DEQUANTIZE") continue;
    for (const t of op.outputs) refs.push({ position: refs.length, index: t, name: subgraph.tensors[t].name, opType, dtype: subgraph.tensors[t].type });
  }
  return refs;
}

/** Numbers per layer pair in a block of per-layer sums: Σ f², Σ (f − q̂)², Σ |f − q̂|, max |f − q̂|, elements. */
const SUMS = 5;

/** A per-layer comparison's sums over some images, by block of SHARD_ALIGNMENT images. */
export interface PerLayerShard {
  reference: string;
  target: string;
  matchedBy: "name" | "op order";
  images: number;
  layers: Omit<LayerComparison, "sqnrDb" | "maxErrorSteps" | "meanErrorSteps">[];
  blocks: { block: number; sums: Float64Array }[];
}

/** The statistics of shards of one comparison: their blocks summed in block order. */
export function perLayerResult(shards: PerLayerShard[]): PerLayerResult {
  const { reference, target, matchedBy, layers } = shards[0];
  const totals = new Float64Array(layers.length * SUMS);
  const blocks = shards.flatMap((s) => s.blocks).sort((a, b) => a.block - b.block);
  for (const { sums } of blocks) {
    for (let at = 0; at < totals.length; at += SUMS) {
      totals[at] += sums[at];
      totals[at + 1] += sums[at + 1];
      totals[at + 2] += sums[at + 2];
      totals[at + 3] = Math.max(totals[at + 3], sums[at + 3]);
      totals[at + 4] += sums[at + 4];
    }
  }
  return {
    reference, target, matchedBy, images: shards.reduce((n, s) => n + s.images, 0),
    layers: layers.map((layer, k) => {
      const [signal, noise, absError, maxError, count] = totals.subarray(k * SUMS, (k + 1) * SUMS);
      return {
        ...layer,
        sqnrDb: noise === 0 ? Infinity : 10 * Math.log10(signal / noise),
        maxErrorSteps: maxError / layer.scale,
        meanErrorSteps: count ? absError / count / layer.scale : 0,
      };
    }),
  };
}

/** Per-tensor error statistics of a quantized model against its float model, over many inputs. */
class LayerComparer {
  private images = 0;
  /** Per block of SHARD_ALIGNMENT images: SUMS numbers per layer pair (signal, noise, |error|, max |error|, count). */
  private readonly blocks = new Map<number, Float64Array>();

  private constructor(
    private readonly referenceName: string,
    private readonly targetName: string,
    private readonly reference: Model,
    private readonly target: Model,
    private readonly pairs: { f: TensorRef; q: TensorRef }[],
    private readonly matchedBy: "name" | "op order",
    private readonly quant: Map<number, { scale: number; zeroPoint: number }>,
  ) {}

  static async create(reference: EvalModelInput, target: EvalModelInput): Promise<LayerComparer> {
    const f = computeOutputs(reference.bytes).filter((t) => t.dtype === "float32");
    const q = computeOutputs(target.bytes).filter((t) => t.dtype === "int8" || t.dtype === "uint8");
    // quantize() names the int8 side of a converted graph output "<name>_int8".
    const byName = new Map(q.map((t) => [t.name.replace(/_int8$/, ""), t]));
    for (const t of q) byName.set(t.name, t);
    let pairs = f.filter((t) => byName.has(t.name)).map((t) => ({ f: t, q: byName.get(t.name)! }));
    let matchedBy: "name" | "op order" = "name";
    if (pairs.length < Math.min(f.length, q.length) / 2) {
      matchedBy = "op order";
      if (f.length !== q.length) {
        throw new InputError(`cannot match the layers of ${reference.name} and ${target.name}: names differ and they have ${f.length} and ${q.length} compute outputs`);
      }
      pairs = f.map((t, i) => ({ f: t, q: q[i] })).filter((p) => p.f.opType === p.q.opType);
    }
    const [rm, tm] = await Promise.all([
      Model.load(reference.bytes, { preserveAllTensors: true }),
      Model.load(target.bytes, { preserveAllTensors: true }),
    ]);
    const tensors = readModel(target.bytes).subgraphs[0].tensors;
    const quant = new Map(pairs.map((p) => {
      const q = tensors[p.q.index].quantization;
      return [p.q.index, { scale: q?.scale[0] ?? 1, zeroPoint: q?.zeroPoint[0] ?? 0 }];
    }));
    return new LayerComparer(reference.name, target.name, rm, tm, pairs, matchedBy, quant);
  }

  /** Adds one image's pair of inputs to the sums of its block. */
  add(referenceInput: TensorData, targetInput: TensorData, block: number): void {
    let sums = this.blocks.get(block);
    if (sums === undefined) this.blocks.set(block, (sums = new Float64Array(this.pairs.length * SUMS)));
    this.reference.run(referenceInput);
    this.target.run(targetInput);
    const quant = this.quant;
    this.pairs.forEach((p, k) => {
      const f = this.reference.tensor(p.f.index) as Float32Array;
      const q = this.target.tensor(p.q.index);
      const { scale, zeroPoint } = quant.get(p.q.index)!;
      if (f.length !== q.length) return;
      const at = k * SUMS;
      let signal = 0;
      let noise = 0;
      let absError = 0;
      let maxError = sums[at + 3];
      for (let i = 0; i < f.length; i++) {
        const d = scale * (Number(q[i]) - zeroPoint);
        const e = f[i] - d;
        signal += f[i] * f[i];
        noise += e * e;
        const a = Math.abs(e);
        absError += a;
        if (a > maxError) maxError = a;
      }
      sums[at] += signal;
      sums[at + 1] += noise;
      sums[at + 2] += absError;
      sums[at + 3] = maxError;
      sums[at + 4] += f.length;
    });
    this.images++;
  }

  /** What was added, for perLayerResult. */
  shard(): PerLayerShard {
    const quant = this.quant;
    return {
      reference: this.referenceName, target: this.targetName, matchedBy: this.matchedBy, images: this.images,
      layers: this.pairs.map((p) => ({
        position: p.f.position, floatTensor: p.f.index, quantizedTensor: p.q.index, name: p.f.name, opType: p.q.opType, ...quant.get(p.q.index)!,
      })),
      blocks: [...this.blocks].sort((a, b) => a[0] - b[0]).map(([block, sums]) => ({ block, sums })),
    };
  }

  dispose(): void {
    this.reference.dispose();
    this.target.dispose();
  }
}
