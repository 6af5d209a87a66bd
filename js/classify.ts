// Image classification on a loaded model: preprocess the image for the model's input, run, and
// rank the classes by their dequantized score.
import { InputError } from "./errors.js";
import type { Model, TensorData } from "./model.js";
import { labelResolver } from "./labels.js";
import { type DecodeLimits, type ImageBytes, type JpegDecoderName, type OrientationOption, preprocessImage, quantizeInput } from "./preprocess/index.js";

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
  /** float32 inputs: normalisation (pixel - mean) / std, default 127.5 and 127.5. */
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

/** The model's image input size, checked to be one RGB image. */
export function imageInputSize(model: Model): { width: number; height: number } {
  if (model.inputs.length !== 1) throw new InputError(`classify needs a model with one image input; this one has ${model.inputs.length} inputs`);
  const { shape, dtype, name } = model.inputs[0];
  if (shape.length !== 4 || shape[0] !== 1 || shape[3] !== 3) {
    throw new InputError(`classify needs an input of shape [1, height, width, 3]; "${name}" has [${shape}]`);
  }
  if (dtype !== "uint8" && dtype !== "int8" && dtype !== "float32") throw new InputError(`classify cannot feed an input of type ${dtype}`);
  return { width: shape[2], height: shape[1] };
}

/** Preprocessed, quantized input tensor for an image file. */
export function imageToInput(model: Model, imageBytes: ImageBytes, options: ClassifyOptions = {}): TensorData {
  const { width, height } = imageInputSize(model);
  const { crop, scale, orientation, decoder, limits, onWarning } = options;
  const rgb = preprocessImage(imageBytes, { width, height, crop, scale, orientation, decoder, limits, onWarning });
  const input = model.inputs[0];
  return quantizeInput(rgb, { dtype: input.dtype as "uint8" | "int8" | "float32", scale: input.scale, zeroPoint: input.zeroPoint, mean: options.mean, std: options.std });
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

/** Levenshtein distance, ignoring case and underscores ("score_threshold" is 0 from "scoreThreshold"). */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase().replace(/_/g, "");
  b = b.toLowerCase().replace(/_/g, "");
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function checkOptionNames(options: object): void {
  const known = Object.keys(OPTION_NAMES);
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(OPTION_NAMES, name)) continue;
    const closest = known.reduce((best, k) => (editDistance(name, k) < editDistance(name, best) ? k : best));
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
