// Image classification on a loaded model: preprocess the image for the model's input, run, and
// rank the classes by their dequantized score.
import { InputError } from "./errors.js";
import type { Model, TensorData } from "./model.js";
import { labelResolver } from "./labels.js";
import { type DecodeLimits, type ImageBytes, type JpegDecoderName, type OrientationOption, preprocessImage, quantizeInput } from "./preprocess/index.js";

export interface ClassifyOptions {
  /** How many classes to return (default 5). */
  top?: number;
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
  for (let i = 0; i < output.length; i++) scores[i] = dtype === "float32" ? output[i] : scale * (output[i] - zeroPoint);
  return scores;
}

/** Indices of the k largest scores, highest first; ties go to the lower index. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, Math.max(0, Math.min(k, scores.length)));
}

/** Classifies an image file (JPEG, PNG or BMP bytes). */
export function classify(model: Model, imageBytes: ImageBytes, options: ClassifyOptions = {}): Classification[] {
  const top = options.top ?? 5;
  if (!Number.isInteger(top) || top < 1) throw new InputError(`top must be a positive integer, got ${top}`);
  const output = model.run(imageToInput(model, imageBytes, options));
  const scores = outputScores(model, output);
  const label = labelResolver(options.labels ?? model.labels, scores.length);
  return topK(scores, top).map((index) => ({ index, label: label(index), score: scores[index] }));
}
