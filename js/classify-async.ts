// classify and preprocessImage for every image source (js/preprocess/sources.ts): encoded bytes
// in any ArrayBuffer view, Blobs and Files, and in browsers and workers ImageData, ImageBitmap,
// <img>, <canvas>, OffscreenCanvas and VideoFrame. Asynchronous because Blobs and the platform's
// decoder are; the decoding itself runs on the calling thread (call it in a Worker to keep a page
// responsive). Ranking and labels are classify's own.
import { type Classification, type ClassifyOptions, classifyRanking, imageInputSize, outputScores } from "./classify.js";
import type { Model, TensorData } from "./model.js";
import { type PreprocessOptions, quantizeInput } from "./preprocess/index.js";
import { type ImageSource, imageSourceToRgb } from "./preprocess/sources.js";

/** preprocessImage for any image source: RGB uint8, height × width × 3. */
export function preprocessImageAsync(source: ImageSource, options: PreprocessOptions): Promise<Uint8Array> {
  return imageSourceToRgb(source, options);
}

/** imageToInput for any image source: the model's quantized input tensor. */
export async function imageToInputAsync(model: Model, source: ImageSource, options: ClassifyOptions = {}): Promise<TensorData> {
  const { width, height } = imageInputSize(model);
  const rgb = await imageSourceToRgb(source, { width, height, crop: options.crop, limits: options.limits });
  const input = model.inputs[0];
  return quantizeInput(rgb, { dtype: input.dtype as "uint8" | "int8" | "float32", scale: input.scale, zeroPoint: input.zeroPoint, mean: options.mean, std: options.std });
}

/** classify for any image source. */
export async function classifyAsync(model: Model, source: ImageSource, options: ClassifyOptions = {}): Promise<Classification[]> {
  const rank = classifyRanking(options);
  const output = model.run(await imageToInputAsync(model, source, options));
  return rank(outputScores(model, output), options.labels ?? model.labels);
}
