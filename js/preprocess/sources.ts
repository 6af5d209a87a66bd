// Every kind of image a caller may hand over, turned into the model's RGB input (height × width
// × 3, after the central crop and the resize):
// - encoded bytes (any ArrayBuffer view, an ArrayBuffer) and Blobs/Files whose first bytes are
//   JPEG, PNG or BMP: quantlite's own decoder (preprocessImage), so the pixels are the same as in
//   Node, Deno, Bun or a Worker;
// - ImageData (or any { width, height, data } of RGBA bytes): its RGB, then quantlite's own
//   central crop and bilinear resize; no platform needed;
// - other Blobs and bytes (WebP, GIF, AVIF…) and the platform's image objects (ImageBitmap, <img>,
//   <canvas>, OffscreenCanvas, VideoFrame): the platform, createImageBitmap with the same central
//   crop and resizeWidth/resizeHeight, read back through a 2D canvas.
// Alpha is dropped everywhere. The browser types are declared here by shape (and kinds are told
// apart by their toStringTag, not instanceof, so objects from another realm pass), so that
// quantlite's types need no DOM library. toBytes (bytes.ts) is re-exported from here.
import { ImageError, InputError } from "../errors.js";
import { describe, type ImageBytes, toBytes, toStringTag } from "../bytes.js";
import { checkDimensions, resolveLimits } from "./image.js";
import { preprocessImage, type PreprocessOptions } from "./index.js";
import { sniffFormat, startHex } from "./decode.js";
import { cropRect, cropResize } from "./resize.js";

export { type ImageBytes, toBytes } from "../bytes.js";

/** A Blob or File (browsers, workers, Node, Deno, Bun, workerd). */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  slice(start?: number, end?: number): BlobLike;
}

/** An ImageData, or any object of its shape: RGBA bytes, row-major, width × height × 4. */
export interface ImageDataLike {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/**
 * A platform image object that createImageBitmap accepts: ImageBitmap, HTMLImageElement,
 * HTMLCanvasElement, OffscreenCanvas, VideoFrame (also HTMLVideoElement and SVGImageElement).
 */
export type PlatformImage = { readonly width: number; readonly height: number } | { readonly displayWidth: number; readonly displayHeight: number };

/** Whatever classifyAsync and preprocessImageAsync accept. */
export type ImageSource = ImageBytes | BlobLike | ImageDataLike | PlatformImage;

/** The platform's image objects, by toStringTag; all go to createImageBitmap. */
const PLATFORM_TAGS = new Set(["ImageBitmap", "HTMLImageElement", "HTMLCanvasElement", "OffscreenCanvas", "VideoFrame", "HTMLVideoElement", "SVGImageElement"]);

const SNIFF_BYTES = 8;

function decodedHere(head: Uint8Array): boolean {
  return sniffFormat(head) !== null;
}

/**
 * Any image source → RGB uint8, height × width × 3, as preprocessImage makes it from bytes:
 * central crop (`crop`, default 0.875), then resized to width × height. Bytes, JPEG/PNG/BMP Blobs
 * and ImageData give exactly the pixels of the synchronous path; other sources are decoded and
 * resized by the platform (see the top of this file).
 */
export async function imageSourceToRgb(source: ImageSource, options: PreprocessOptions): Promise<Uint8Array> {
  // The options are checked before any decoding.
  for (const size of [options.width, options.height]) {
    if (!Number.isInteger(size) || size <= 0) throw new InputError(`resize: output size must be a positive integer, got ${size}`);
  }
  cropRect(1, 1, options.crop ?? 0.875);
  const tag = toStringTag(source);
  if (ArrayBuffer.isView(source) || tag === "ArrayBuffer" || tag === "SharedArrayBuffer") {
    const bytes = toBytes(source as ImageBytes);
    if (bytes.length === 0 || decodedHere(bytes) || !platformDecodes()) return preprocessImage(bytes, options);
    // Blobs refuse views of shared memory: those bytes are copied.
    const part = toStringTag(bytes.buffer) === "SharedArrayBuffer" ? bytes.slice() : bytes;
    return platformToRgb(new (globalThis as unknown as { Blob: new (parts: Uint8Array[]) => BlobLike }).Blob([part]), `image bytes (starting ${startHex(bytes)})`, options);
  }
  if (tag === "Blob" || tag === "File" || isBlobLike(source)) {
    const blob = source as BlobLike;
    if (blob.size === 0) throw new ImageError("empty image data");
    const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
    if (decodedHere(head)) return preprocessImage(new Uint8Array(await blob.arrayBuffer()), options);
    return platformToRgb(source as object, `${tag === "File" ? "File" : "Blob"}${blob.type ? ` of type ${blob.type}` : ""} (starting ${startHex(head)})`, options);
  }
  if (tag === "ImageData" || isImageDataLike(source)) return imageDataToRgb(source as ImageDataLike, options);
  if (PLATFORM_TAGS.has(tag)) return platformToRgb(source as object, tag, options);
  throw new InputError(
    `expected an image: encoded bytes (ArrayBuffer or a view), a Blob or File, ImageData, ImageBitmap, an <img>, a <canvas>, an OffscreenCanvas or a VideoFrame; got ${describe(source)}`,
  );
}


/** ImageData → RGB (alpha dropped: the RGB as stored), then quantlite's crop and resize. */
function imageDataToRgb(image: ImageDataLike, options: PreprocessOptions): Uint8Array {
  const { width, height, data } = image;
  checkDimensions("ImageData", width, height, 4, resolveLimits(options.limits));
  if (data.length !== width * height * 4) throw new InputError(`ImageData of ${width}x${height} needs ${width * height * 4} bytes of RGBA, has ${data.length}`);
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    rgb[o] = data[i];
    rgb[o + 1] = data[i + 1];
    rgb[o + 2] = data[i + 2];
  }
  return cropResize({ width, height, data: rgb }, { crop: options.crop ?? 0.875, width: options.width, height: options.height }).data;
}

// The few platform interfaces used below, by shape.
interface Bitmap {
  readonly width: number;
  readonly height: number;
  close(): void;
}
interface BitmapOptions {
  imageOrientation?: "from-image";
  resizeWidth?: number;
  resizeHeight?: number;
  resizeQuality?: "high";
}
interface Context2d {
  drawImage(image: Bitmap, dx: number, dy: number): void;
  getImageData(sx: number, sy: number, sw: number, sh: number): ImageDataLike;
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: "2d"): Context2d | null;
}
interface Platform {
  createImageBitmap?: {
    (image: object, options?: BitmapOptions): Promise<Bitmap>;
    (image: object, sx: number, sy: number, sw: number, sh: number, options?: BitmapOptions): Promise<Bitmap>;
  };
  OffscreenCanvas?: new (width: number, height: number) => Canvas;
  document?: { createElement(tag: "canvas"): Canvas };
}

const platform = () => globalThis as unknown as Platform;

/** A canvas of the platform: an OffscreenCanvas, else a document's <canvas>, else null. */
function newCanvas(width: number, height: number): Canvas | null {
  const { OffscreenCanvas, document } = platform();
  if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(width, height);
  if (document === undefined) return null;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

let canvas2d: boolean | undefined;

/**
 * Whether this runtime can decode an image and read its pixels back: createImageBitmap and a 2D
 * canvas (Deno has both functions, but its OffscreenCanvas has no 2D context).
 */
function platformDecodes(): boolean {
  if (typeof platform().createImageBitmap !== "function") return false;
  canvas2d ??= newCanvas(1, 1)?.getContext("2d") != null;
  return canvas2d;
}

/**
 * The platform decodes (Blobs), orients (EXIF, imageOrientation "from-image"), crops and resizes
 * (resizeQuality "high"); a 2D canvas gives the pixels back.
 */
async function platformToRgb(source: object, what: string, options: PreprocessOptions): Promise<Uint8Array> {
  if (!platformDecodes()) {
    throw new ImageError(`${what}: quantlite decodes JPEG, PNG and BMP; other images need the platform's createImageBitmap and a canvas, which this runtime does not have`);
  }
  const createImageBitmap = platform().createImageBitmap!;
  const onPlatform = async (make: () => Promise<Bitmap>): Promise<Bitmap> => {
    try {
      return await make();
    } catch (error) {
      const reason = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n")[0];
      throw new ImageError(`${what}: the platform could not decode it (${reason})`);
    }
  };
  // First the whole image, oriented, for its size: the crop is a fraction of what is shown.
  const given = toStringTag(source) === "ImageBitmap";
  const whole = given ? (source as Bitmap) : await onPlatform(() => createImageBitmap(source, { imageOrientation: "from-image" }));
  try {
    checkDimensions(what, whole.width, whole.height, 4, resolveLimits(options.limits));
    const crop = cropRect(whole.width, whole.height, options.crop ?? 0.875);
    const resized = await onPlatform(() =>
      createImageBitmap(whole, crop.left, crop.top, crop.width, crop.height, { resizeWidth: options.width, resizeHeight: options.height, resizeQuality: "high" }),
    );
    try {
      return bitmapRgb(resized, what);
    } finally {
      resized.close();
    }
  } finally {
    if (!given) whole.close();
  }
}

/** A bitmap's pixels through a 2D canvas (OffscreenCanvas, else a document's canvas), alpha dropped. */
function bitmapRgb(bitmap: Bitmap, what: string): Uint8Array {
  const context = newCanvas(bitmap.width, bitmap.height)?.getContext("2d") ?? null;
  if (context === null) throw new ImageError(`${what}: no 2D canvas context to read the pixels with`);
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  const rgb = new Uint8Array(bitmap.width * bitmap.height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    rgb[o] = data[i];
    rgb[o + 1] = data[i + 1];
    rgb[o + 2] = data[i + 2];
  }
  return rgb;
}


function isBlobLike(value: unknown): boolean {
  const v = value as Partial<BlobLike> | null;
  return typeof v === "object" && v !== null && typeof v.arrayBuffer === "function" && typeof v.slice === "function" && typeof v.size === "number" && typeof v.type === "string";
}

function isImageDataLike(value: unknown): boolean {
  const v = value as Partial<ImageDataLike> | null;
  if (typeof v !== "object" || v === null || typeof v.width !== "number" || typeof v.height !== "number") return false;
  const tag = toStringTag(v.data);
  return tag === "Uint8ClampedArray" || tag === "Uint8Array";
}

