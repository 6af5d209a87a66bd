// Object detection with SSD models (outputs of TFLite_Detection_PostProcess: boxes, classes,
// scores, count): the whole upright image is resized to the model's input (no crop, as TFLite
// Task Library's ObjectDetector does), the model runs, and each detection's normalized box
// (ymin, xmin, ymax, xmax) becomes pixels of the image as shown (after EXIF orientation).
import { type ImageBytes, toBytes } from "./bytes.js";
import { InputError } from "./errors.js";
import { splitLabels } from "./labels.js";
import type { Model } from "./model.js";
import { checkDecoderName, decodeImage, imageFormat } from "./preprocess/decode.js";
import type { DecodeLimits, JpegDecoderName, OrientationOption } from "./preprocess/index.js";
import { preprocessImage, quantizeInput } from "./preprocess/index.js";
import { readJpegHeader } from "./preprocess/jpeg/markers.js";
import { checkOrientationOption, type Orientation, orientedSize } from "./preprocess/orientation.js";
import { cropResize } from "./preprocess/resize.js";

export interface DetectOptions {
  /** Only detections scoring ≥ this (default: every detection the model counts). */
  scoreThreshold?: number;
  /** At most this many detections, best first (default: all). */
  maxResults?: number;
  /** Class labels (an array, or the text of a labels file, one per line); default: labels packed in the model. */
  labels?: string[] | string;
  /** float32 inputs: normalisation (pixel - mean) / std, default 127.5 and 127.5. */
  mean?: number[];
  std?: number[];
  /** "exif" (default): turn the photo upright as its EXIF Orientation says; "ignore": as stored. */
  orientation?: OrientationOption;
  /** JPEG decoder: "quantlite" (default) or "jpeg-js". */
  decoder?: JpegDecoderName;
  limits?: DecodeLimits;
  /** JPEG: detect on corrupt or truncated data as libjpeg decodes it and say why here, instead of an ImageError. */
  onWarning?: (message: string) => void;
}

export interface Detection {
  /** In pixels of the image as shown (after EXIF orientation), clamped to it. */
  box: { x: number; y: number; width: number; height: number };
  /** The model's class index and its label (null without labels). */
  index: number;
  label: string | null;
  score: number;
}

const OPTION_NAMES = new Set(["scoreThreshold", "maxResults", "labels", "mean", "std", "orientation", "decoder", "limits", "onWarning"]);

/** The model's image input size, checked to be one RGB image, and its outputs to be an SSD post-processing's. */
export function detectionInputSize(model: Model): { width: number; height: number } {
  if (model.inputs.length !== 1) throw new InputError(`detect needs a model with one image input; this one has ${model.inputs.length} inputs`);
  const { shape, dtype, name } = model.inputs[0];
  if (shape.length !== 4 || shape[0] !== 1 || shape[3] !== 3) throw new InputError(`detect needs an input of shape [1, height, width, 3]; "${name}" has [${shape}]`);
  if (dtype !== "uint8" && dtype !== "int8" && dtype !== "float32") throw new InputError(`detect cannot feed an input of type ${dtype}`);
  const [boxes, classes, scores, count] = model.outputs;
  const slots = boxes?.shape[1];
  const fits = model.outputs.length === 4 && model.outputs.every((t) => t.dtype === "float32")
    && boxes.shape.length === 3 && boxes.shape[2] === 4 && [classes, scores].every((t) => t.shape.length === 2 && t.shape[1] === slots)
    && count.shape.length === 1 && count.shape[0] === 1;
  if (!fits) throw new InputError("detect needs an SSD model whose outputs are boxes, classes, scores and count (TFLite_Detection_PostProcess)");
  return { width: shape[2], height: shape[1] };
}

/** Checks detect's options before any work. */
export function checkDetectOptions(options: DetectOptions): void {
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new InputError(`unknown detect option "${name}" (known: ${[...OPTION_NAMES].join(", ")})`);
  }
  const { scoreThreshold, maxResults } = options;
  if (scoreThreshold !== undefined && (typeof scoreThreshold !== "number" || Number.isNaN(scoreThreshold))) throw new InputError(`scoreThreshold must be a number, got ${scoreThreshold}`);
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1)) throw new InputError(`maxResults must be a positive integer, got ${maxResults}`);
}

/** The model input's RGB pixels for an image file, and the size of the image as shown. */
function imageAndSize(bytes: Uint8Array, width: number, height: number, options: DetectOptions): { rgb: Uint8Array; shown: { width: number; height: number } } {
  const format = imageFormat(bytes);
  const orientation = checkOrientationOption(options.orientation);
  const decoder = checkDecoderName(options.decoder);
  const { limits, onWarning } = options;
  if (format === "JPEG" && decoder === "quantlite") {
    const header = readJpegHeader(bytes);
    const shown = orientedSize(header.width, header.height, orientation === "exif" ? (header.orientation as Orientation) : 1);
    return { rgb: preprocessImage(bytes, { width, height, crop: 1, orientation, limits, onWarning }), shown };
  }
  const image = decodeImage(bytes, { orientation, decoder, limits, onWarning });
  return { rgb: cropResize(image, { crop: 1, width, height }).data, shown: { width: image.width, height: image.height } };
}

/** Runs the model on the pixels and turns its detections into pixel boxes of a shown width × height image. */
export function detectPixels(model: Model, rgb: Uint8Array, shown: { width: number; height: number }, options: DetectOptions): Detection[] {
  const input = model.inputs[0];
  const tensor = quantizeInput(rgb, { dtype: input.dtype as "uint8" | "int8" | "float32", scale: input.scale, zeroPoint: input.zeroPoint, mean: options.mean, std: options.std });
  const [boxes, classes, scores, count] = model.runAll([tensor]) as Float32Array[];
  const labels = labelList(options.labels ?? model.labels);
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const found: Detection[] = [];
  const n = Math.min(Math.max(0, Math.trunc(count[0])), scores.length);
  for (let i = 0; i < n; i++) {
    const score = scores[i];
    if (score < (options.scoreThreshold ?? -Infinity) || Number.isNaN(score)) continue;
    const [ymin, xmin, ymax, xmax] = boxes.subarray(4 * i, 4 * i + 4);
    const left = Math.round(clamp(Math.min(xmin, xmax)) * shown.width);
    const top = Math.round(clamp(Math.min(ymin, ymax)) * shown.height);
    const right = Math.round(clamp(Math.max(xmin, xmax)) * shown.width);
    const bottom = Math.round(clamp(Math.max(ymin, ymax)) * shown.height);
    const index = classes[i];
    found.push({ box: { x: left, y: top, width: right - left, height: bottom - top }, index, label: labels?.[index] ?? null, score });
  }
  found.sort((a, b) => b.score - a.score);
  return found.slice(0, options.maxResults ?? found.length);
}

/**
 * Labels by class index. The model's classes start at the first real class (the op drops the
 * background column), so a list whose first line is "???" or "background" is shifted by one.
 */
function labelList(labels: string[] | string | null | undefined): string[] | null {
  if (labels === null || labels === undefined) return null;
  const lines = typeof labels === "string" ? splitLabels(labels) : labels;
  if (!Array.isArray(lines) || !lines.every((l) => typeof l === "string")) throw new InputError("labels must be an array of strings or the text of a labels file");
  const first = lines[0]?.trim().toLowerCase();
  return first === "???" || first === "background" ? lines.slice(1) : lines;
}

/** Objects in an image file (JPEG, PNG or BMP bytes), best first. */
export function detect(model: Model, imageBytes: ImageBytes, options: DetectOptions = {}): Detection[] {
  checkDetectOptions(options);
  const { width, height } = detectionInputSize(model);
  const { rgb, shown } = imageAndSize(toBytes(imageBytes), width, height, options);
  return detectPixels(model, rgb, shown, options);
}
