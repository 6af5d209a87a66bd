// Image classification on a loaded model: preprocess the image for the model's input, run, and
// rank the classes by their dequantized score.
import { InputError } from "./errors.js";
import type { Model, TensorData } from "./model.js";
import { labelResolver } from "./labels.js";
import { closestName, editDistance } from "./names.js";
import { type DecodeLimits, type ImageBytes, type JpegDecoderName, type OrientationOption, type PixelLayout, preprocessImage, quantizeInput } from "./preprocess/index.js";

export interface ClassifyOptions {
  /** At most this many classes, best first (default 5); fewer when fewer pass the filters. */
  maxResults?: number;
  /** Alias of maxResults. */
  top?: number;
  /** Only classes whose score is ≥ this. */
  scoreThreshold?: number;
  /** Only classes with these labels (not with categoryDenylist). */
  categoryAllowlist?: string[];
  /** No classes with these labels (not with categoryAllowlist). */
  categoryDenylist?: string[];
  /** Class labels (an array, or the text of a labels file, one per line); default: labels packed in the model. */
  labels?: string[] | string;
  /** Central crop fraction before resizing (default 0.875; 1 = resize the whole image). */
  crop?: number;
  /**
   * float32 inputs: normalisation (pixel - mean) / std, one value or one per channel. Each of mean
   * and std: this option, else the model's TFLite metadata (NormalizationOptions), else 127.5.
   */
  mean?: number[];
  std?: number[];
  /**
   * JPEG DCT scale: "auto" (default) decodes at the smallest M/8 whose crop still covers the
   * model's input; a number M/8 (1 = full size) forces one.
   */
  scale?: number | "auto";
  /** "exif" (default): turn the photo upright as its EXIF Orientation says; "ignore": as stored. */
  orientation?: OrientationOption;
  /** JPEG decoder: "quantlite" (default, exact with libjpeg-turbo) or "jpeg-js". */
  decoder?: JpegDecoderName;
  limits?: DecodeLimits;
  /** JPEG: classify corrupt or truncated data as libjpeg decodes it and say why here, instead of an ImageError. */
  onWarning?: (message: string) => void;
}

export interface Classification {
  index: number;
  label: string | null;
  /** Probability (or logit for models without softmax), dequantized from the output tensor. */
  score: number;
}

/** What preprocessing needs of a model: its inputs and its metadata's normalisation (a Model has both). */
export type ImageModel = Pick<Model, "inputs" | "inputNormalization">;

/** Where an image goes in the model's input tensor. */
export interface ImageInputLayout {
  width: number;
  height: number;
  /** 3: RGB; 1: grayscale. */
  channels: 1 | 3;
  /** "NHWC": [1, H, W, C]; "NCHW": [1, C, H, W] (PyTorch-converted models). */
  layout: PixelLayout;
  dtype: "uint8" | "int8" | "float32";
}

/**
 * The model's image input: one input of shape [1, H, W, 3], [1, H, W, 1] or, channel-first,
 * [1, 3, H, W] or [1, 1, H, W] (channel-last when both readings fit), of uint8, int8 or float32.
 */
export function imageInputSize(model: Pick<Model, "inputs">): ImageInputLayout {
  if (model.inputs.length !== 1) throw new InputError(`classify needs a model with one image input; this one has ${model.inputs.length} inputs`);
  const { shape, dtype, name } = model.inputs[0];
  const isChannels = (n: number) => n === 1 || n === 3;
  if (shape.length !== 4 || shape[0] !== 1 || !(isChannels(shape[3]) || isChannels(shape[1]))) {
    throw new InputError(`classify needs an input of shape [1, height, width, 3 or 1] or [1, 3 or 1, height, width]; "${name}" has [${shape}]`);
  }
  if (dtype !== "uint8" && dtype !== "int8" && dtype !== "float32") throw new InputError(`classify cannot feed an input of type ${dtype}`);
  return isChannels(shape[3])
    ? { width: shape[2], height: shape[1], channels: shape[3] as 1 | 3, layout: "NHWC", dtype }
    : { width: shape[3], height: shape[2], channels: shape[1] as 1 | 3, layout: "NCHW", dtype };
}

/** The normalisation a float32 input gets, and where each of mean and std comes from. */
export interface InputNormalization {
  mean: number[];
  std: number[];
  /** "options" (ClassifyOptions / --mean --std), "metadata" (the model's TFLite metadata) or "default" (127.5). */
  meanSource: "options" | "metadata" | "default";
  stdSource: "options" | "metadata" | "default";
}

/** Each of mean and std: the option, else the model's metadata, else 127.5. */
export function inputNormalization(metadata: { mean: number[]; std: number[] } | null, options: { mean?: number[]; std?: number[] } = {}): InputNormalization {
  const pick = (name: "mean" | "std") =>
    options[name] !== undefined ? { values: options[name]!, source: "options" as const }
      : metadata !== null ? { values: metadata[name], source: "metadata" as const }
        : { values: [127.5], source: "default" as const };
  const mean = pick("mean");
  const std = pick("std");
  return { mean: mean.values, std: std.values, meanSource: mean.source, stdSource: std.source };
}

/** The input tensor for already preprocessed pixels (in the input's layout). */
export function pixelsToInput(model: ImageModel, pixels: Uint8Array, options: { mean?: number[]; std?: number[] } = {}): TensorData {
  const { channels, layout, dtype } = imageInputSize(model);
  const { scale, zeroPoint } = model.inputs[0];
  const { mean, std } = inputNormalization(model.inputNormalization, options);
  return quantizeInput(pixels, { dtype, scale, zeroPoint, mean, std, channels, layout });
}

/** Preprocessed, quantized input tensor for an image file. */
export function imageToInput(model: ImageModel, imageBytes: ImageBytes, options: ClassifyOptions = {}): TensorData {
  const { width, height, channels, layout } = imageInputSize(model);
  const { crop, scale, orientation, decoder, limits, onWarning } = options;
  const pixels = preprocessImage(imageBytes, { width, height, channels, layout, crop, scale, orientation, decoder, limits, onWarning });
  return pixelsToInput(model, pixels, options);
}

/** Class scores of a model output: dequantized with the output's scale and zero point. */
export function outputScores(model: Model, output: TensorData): Float64Array {
  const { scale, zeroPoint, dtype } = model.outputs[0];
  const scores = new Float64Array(output.length);
  for (let i = 0; i < output.length; i++) scores[i] = dtype === "float32" ? Number(output[i]) : scale * (Number(output[i]) - zeroPoint);
  return scores;
}

/** Every option name, so that a misspelt one is an error at run time too. */
const OPTION_NAMES: Record<keyof ClassifyOptions, true> = {
  maxResults: true, top: true, scoreThreshold: true, categoryAllowlist: true, categoryDenylist: true, labels: true, crop: true,
  mean: true, std: true, scale: true, orientation: true, decoder: true, limits: true, onWarning: true,
};

function checkOptionNames(options: object): void {
  const known = Object.keys(OPTION_NAMES);
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(OPTION_NAMES, name)) continue;
    const closest = closestName(name, known);
    const hint = editDistance(name, closest) <= Math.max(2, Math.floor(closest.length / 4)) ? `; did you mean "${closest}"?` : "";
    throw new InputError(`unknown classify option "${name}"${hint} (known: ${known.join(", ")})`);
  }
}

function checkLabelList(list: unknown, name: string): Set<string> | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || !list.every((l) => typeof l === "string")) throw new InputError(`${name} must be an array of label strings`);
  return new Set(list);
}

/** The classes to return for a score vector and its labels, best first. */
export type Ranking = (scores: Float64Array, labels: string[] | string | null | undefined) => Classification[];

/**
 * Checks classify's options (names, maxResults/top, scoreThreshold, allow and deny lists) before
 * any work, and returns the ranking they ask for: never a class of score exactly 0; only classes
 * at or above scoreThreshold, in the allow list or not in the deny list; the best maxResults.
 */
export function classifyRanking(options: ClassifyOptions): Ranking {
  checkOptionNames(options);
  const { maxResults, top, scoreThreshold } = options;
  if (maxResults !== undefined && top !== undefined && maxResults !== top) {
    throw new InputError(`top is an alias of maxResults; got maxResults ${maxResults} and top ${top}`);
  }
  const count = maxResults ?? top ?? 5;
  if (!Number.isInteger(count) || count < 1) throw new InputError(`${maxResults !== undefined ? "maxResults" : "top"} must be a positive integer, got ${count}`);
  if (scoreThreshold !== undefined && (typeof scoreThreshold !== "number" || Number.isNaN(scoreThreshold))) {
    throw new InputError(`scoreThreshold must be a number, got ${scoreThreshold}`);
  }
  const allow = checkLabelList(options.categoryAllowlist, "categoryAllowlist");
  const deny = checkLabelList(options.categoryDenylist, "categoryDenylist");
  if (allow && deny) throw new InputError("categoryAllowlist and categoryDenylist cannot be used together");
  return (scores, labels) => {
    if ((allow || deny) && (labels === null || labels === undefined)) {
      throw new InputError(`${allow ? "categoryAllowlist" : "categoryDenylist"} needs labels: this model has none packed; pass labels`);
    }
    const label = labelResolver(labels, scores.length);
    const kept = (i: number) => {
      const name = label(i) as string;
      return scores[i] !== 0 && !(scores[i] < (scoreThreshold ?? -Infinity)) && (!allow || allow.has(name)) && !deny?.has(name);
    };
    const candidates = Array.from({ length: scores.length }, (_, i) => i).filter(kept);
    return topK(candidates.map((i) => scores[i]), count).map((k) => ({ index: candidates[k], label: label(candidates[k]), score: scores[candidates[k]] }));
  };
}

/** Indices of the k largest scores, highest first; ties go to the lower index. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, Math.max(0, Math.min(k, scores.length)));
}

/** Classifies an image file (JPEG, PNG or BMP bytes). */
export function classify(model: Model, imageBytes: ImageBytes, options: ClassifyOptions = {}): Classification[] {
  const rank = classifyRanking(options);
  const output = model.run(imageToInput(model, imageBytes, options));
  return rank(outputScores(model, output), options.labels ?? model.labels);
}
