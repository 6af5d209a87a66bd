// classify and preprocessImage for every image source (js/preprocess/sources.ts): encoded bytes
// in any ArrayBuffer view, Blobs and Files, and in browsers and workers ImageData, ImageBitmap,
// <img>, <canvas>, OffscreenCanvas and VideoFrame. Asynchronous because Blobs and the platform's
// decoder are; the decoding itself runs on the calling thread (call it in a Worker to keep a page
// responsive). Ranking and labels are classify's own.
import { type Classification, type ClassifyOptions, classifyRanking, type ImageModel, imageInputSize, outputScores, pixelsToInput } from "./classify.js";
import type { Model, TensorData } from "./model.js";
import { arrangePixels, checkPixelLayout, type PreprocessOptions } from "./preprocess/index.js";
import { type ImageSource, imageSourceToRgb } from "./preprocess/sources.js";

/** preprocessImage for any image source: RGB uint8, height × width × 3, or as `channels` and `layout` say. */
export async function preprocessImageAsync(source: ImageSource, options: PreprocessOptions): Promise<Uint8Array> {
  const { channels, layout } = checkPixelLayout(options);
  const rgb = await imageSourceToRgb(source, { ...options, channels: 3, layout: "NHWC" });
  return arrangePixels(rgb, options.width, options.height, channels, layout);
}

/** imageToInput for any image source: the model's quantized input tensor. */
export async function imageToInputAsync(model: ImageModel, source: ImageSource, options: ClassifyOptions = {}): Promise<TensorData> {
  const { width, height, channels, layout } = imageInputSize(model);
  const pixels = await preprocessImageAsync(source, { width, height, channels, layout, crop: options.crop, limits: options.limits });
  return pixelsToInput(model, pixels, options);
}

/** classify for any image source. */
export async function classifyAsync(model: Model, source: ImageSource, options: ClassifyOptions = {}): Promise<Classification[]> {
  const rank = classifyRanking(options);
  const output = model.run(await imageToInputAsync(model, source, options));
  return rank(outputScores(model, output), options.labels ?? model.labels);
}
