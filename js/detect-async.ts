// detect for every image source classifyAsync takes (js/preprocess/sources.ts): encoded bytes and
// Blobs quantlite decodes go through detect; ImageData and the platform's images through
// imageSourceToRgb with no crop, the shown size read from the source (platform images are first
// made an upright ImageBitmap, whose size that is).
import { toBytes, toStringTag } from "./bytes.js";
import { type Detection, type DetectOptions, checkDetectOptions, detect, detectionInputSize, detectPixels } from "./detect.js";
import type { Model } from "./model.js";
import { sniffFormat } from "./preprocess/decode.js";
import { type ImageBytes, type ImageDataLike, type ImageSource, type BlobLike, imageSourceToRgb } from "./preprocess/sources.js";

interface Bitmap { readonly width: number; readonly height: number; close(): void }
type CreateBitmap = (image: unknown, options: { imageOrientation: "from-image" }) => Promise<Bitmap>;

/** detect for any image source. */
export async function detectAsync(model: Model, source: ImageSource, options: DetectOptions = {}): Promise<Detection[]> {
  checkDetectOptions(options);
  const { width, height } = detectionInputSize(model);
  const tag = toStringTag(source);
  let platformSource: unknown = source;
  if (ArrayBuffer.isView(source) || tag === "ArrayBuffer" || tag === "SharedArrayBuffer") {
    const bytes = toBytes(source as ImageBytes);
    if (sniffFormat(bytes) !== null) return detect(model, bytes, options);
    platformSource = new (globalThis as unknown as { Blob: new (parts: Uint8Array[]) => unknown }).Blob([bytes.slice()]);
  } else if (typeof (source as BlobLike).arrayBuffer === "function" && typeof (source as BlobLike).slice === "function") {
    const blob = source as BlobLike;
    if (sniffFormat(new Uint8Array(await blob.slice(0, 8).arrayBuffer())) !== null) return detect(model, new Uint8Array(await blob.arrayBuffer()), options);
  } else if (typeof (source as ImageDataLike).data === "object" && (source as ImageDataLike).data !== null) {
    const image = source as ImageDataLike;
    const rgb = await imageSourceToRgb(image, { width, height, crop: 1, limits: options.limits });
    return detectPixels(model, rgb, { width: image.width, height: image.height }, options);
  }
  const createImageBitmap = (globalThis as unknown as { createImageBitmap?: CreateBitmap }).createImageBitmap;
  // Without a platform decoder imageSourceToRgb says why this source cannot be read.
  if (typeof createImageBitmap !== "function") await imageSourceToRgb(source, { width, height, crop: 1, limits: options.limits });
  const bitmap = await createImageBitmap!(platformSource, { imageOrientation: "from-image" });
  try {
    const rgb = await imageSourceToRgb(bitmap as unknown as ImageSource, { width, height, crop: 1, limits: options.limits });
    return detectPixels(model, rgb, { width: bitmap.width, height: bitmap.height }, options);
  } finally {
    bitmap.close();
  }
}
