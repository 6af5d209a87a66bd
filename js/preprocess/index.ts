// Image preprocessing for classification models: decode (JPEG, PNG, BMP) → EXIF orientation →
// central crop → bilinear resize to the model's input size → RGB uint8 → the input's layout
// (NHWC or channel-first NCHW; 3 channels, or 1: gray = (299 R + 587 G + 114 B + 500) // 1000),
// then conversion to the model input's dtype. JPEGs stream from quantlite's decoder into the resize at the smallest
// DCT scale that still covers the input (never the whole frame in memory). With
// `decoder: "jpeg-js"` (full scale) this reproduces shared/golden's inputs byte for byte.
import { InputError } from "../errors.js";
import { type ImageBytes, toBytes } from "../bytes.js";
import { type DecodeLimits, resolveLimits } from "./image.js";
import { checkDecoderName, decodeWithLibraries, imageFormat, type JpegDecoderName, scaleEighths, wrapDecoder } from "./decode.js";
import { decodeJpegCropResize } from "./jpeg/decode-jpeg.js";
import { checkOrientationOption, type OrientationOption } from "./orientation.js";
import { decodePngCropResize } from "./png.js";
import { cropResize } from "./resize.js";

export { decodeImage, type DecodeOptions, type JpegDecoderName } from "./decode.js";
export { decodeImageToPnm } from "./pnm.js";
export { centralCrop, resizeBilinear } from "./resize.js";
export type { DecodeLimits, RgbImage } from "./image.js";
export type { OrientationOption } from "./orientation.js";
export { toBytes, type ImageBytes } from "../bytes.js";

/** How an image input holds its pixels: channel-last (TensorFlow) or channel-first (PyTorch-converted). */
export type PixelLayout = "NHWC" | "NCHW";

export interface PreprocessOptions {
  /** Output size in pixels (the model input's W and H). */
  width: number;
  height: number;
  /** 3 (default): RGB; 1: gray = (299 R + 587 G + 114 B + 500) // 1000 of the resized RGB pixels. */
  channels?: 1 | 3;
  /** "NHWC" (default): height × width × channels; "NCHW": channels × height × width. */
  layout?: PixelLayout;
  /** Central crop fraction kept of each side before resizing; default 0.875, 1 = no crop. */
  crop?: number;
  /**
   * JPEG DCT scale: "auto" (default) decodes at the smallest M/8 whose crop is still at least
   * width × height (a 12 MP photo for a 224×224 model: 1/8), or a fixed M/8 (1 = full size).
   */
  scale?: number | "auto";
  /** "exif" (default): turn the image upright as its EXIF Orientation says; "ignore": as stored. */
  orientation?: OrientationOption;
  decoder?: JpegDecoderName;
  limits?: DecodeLimits;
  /** JPEG: decode corrupt or truncated data as libjpeg does and say why here, instead of an ImageError. */
  onWarning?: (message: string) => void;
}

/**
 * Image file bytes → uint8 pixels without the batch axis: height × width × 3 RGB by default, or
 * as `channels` and `layout` say.
 */
export function preprocessImage(image: ImageBytes, options: PreprocessOptions): Uint8Array {
  const { channels, layout } = checkPixelLayout(options);
  return arrangePixels(preprocessRgb(image, options), options.width, options.height, channels, layout);
}

function preprocessRgb(image: ImageBytes, options: PreprocessOptions): Uint8Array {
  const bytes = toBytes(image);
  const format = imageFormat(bytes);
  const limits = resolveLimits(options.limits);
  const orientation = checkOrientationOption(options.orientation);
  const decoder = checkDecoderName(options.decoder);
  const crop = options.crop ?? 0.875;
  const { width, height } = options;
  if (format === "JPEG" && decoder === "quantlite") {
    const scale = options.scale === undefined || options.scale === "auto" ? "auto" : scaleEighths(options.scale);
    return decodeJpegCropResize(bytes, { width, height, crop, orientation, scale, limits, onWarning: options.onWarning }).data;
  }
  if (options.scale !== undefined && options.scale !== "auto" && scaleEighths(options.scale) !== 8) {
    throw new InputError(`scale is for quantlite's JPEG decoder; this is ${format === "JPEG" ? "jpeg-js" : `a ${format}`}`);
  }
  if (format === "PNG") {
    // Rows streamed into the crop + resize, never the whole image; PNG orientation (eXIf) is not read.
    return wrapDecoder("PNG", () => decodePngCropResize(bytes, { width, height, crop, orientation: 1, limits })).data;
  }
  const decoded = decodeWithLibraries(format, bytes, limits, orientation);
  return cropResize(decoded.image, { crop, width, height, orientation: decoded.orientation }).data;
}

/** PreprocessOptions' channels and layout, checked, with their defaults. */
export function checkPixelLayout(options: { channels?: number; layout?: string }): { channels: 1 | 3; layout: PixelLayout } {
  const { channels = 3, layout = "NHWC" } = options;
  if (channels !== 1 && channels !== 3) throw new InputError(`channels must be 1 or 3, got ${channels}`);
  if (layout !== "NHWC" && layout !== "NCHW") throw new InputError(`layout must be "NHWC" or "NCHW", got ${JSON.stringify(layout)}`);
  return { channels, layout };
}

/**
 * Resized RGB pixels (height × width × 3) → the input's layout: unchanged (the same array) for
 * 3-channel NHWC; gray = (299 R + 587 G + 114 B + 500) // 1000 for 1 channel (either layout);
 * channel planes for 3-channel NCHW.
 */
export function arrangePixels(rgb: Uint8Array, width: number, height: number, channels: 1 | 3, layout: PixelLayout): Uint8Array {
  if (channels === 3 && layout === "NHWC") return rgb;
  const pixels = width * height;
  if (rgb.length !== 3 * pixels) throw new InputError(`expected ${3 * pixels} RGB bytes for ${width}x${height}, got ${rgb.length}`);
  const out = new Uint8Array(channels * pixels);
  if (channels === 1) {
    for (let i = 0; i < pixels; i++) out[i] = Math.floor((299 * rgb[3 * i] + 587 * rgb[3 * i + 1] + 114 * rgb[3 * i + 2] + 500) / 1000);
  } else {
    for (let i = 0; i < pixels; i++) {
      out[i] = rgb[3 * i];
      out[pixels + i] = rgb[3 * i + 1];
      out[2 * pixels + i] = rgb[3 * i + 2];
    }
  }
  return out;
}

/** The model input tensor's element type and quantization, as the model declares them. */
export interface InputTarget {
  dtype: "uint8" | "int8" | "float32";
  scale: number;
  zeroPoint: number;
  /** float32 only: per-channel (one per channel) or common (1) mean and standard deviation; default 127.5. */
  mean?: number[];
  std?: number[];
  /** The pixels' channels and layout (default 3, "NHWC"): which mean and std each value takes. */
  channels?: 1 | 3;
  layout?: PixelLayout;
}

/**
 * uint8 pixels (RGB, or as `channels` and `layout` say) → the model input's dtype. Image classifiers (MobileNet and alike) expect the
 * real value (pixel - 127.5) / 127.5 in [-1, 1], and their quantized inputs are declared so that
 * the integer range covers it: uint8 with scale ≈ 1/128 and zero point ≈ 128 (TF1: 1/128, 128;
 * TF2 converter: 1/127.5, 127). So the pixels are fed as they are, which is also exactly what
 * TFLite's reference runs did for shared/golden:
 * - uint8: the pixels unchanged (the same array, not a copy);
 * - int8: pixel - 128;
 * - float32: (pixel - mean) / std per channel, default mean = std = 127.5.
 * `scale` and `zeroPoint` do not enter the rule; they are part of the type so that a tensor's
 * description can be passed as it is.
 */
export function quantizeInput(rgb: Uint8Array, target: InputTarget): Uint8Array | Int8Array | Float32Array {
  switch (target.dtype) {
    case "uint8":
      return rgb;
    case "int8":
      return Int8Array.from(rgb, (pixel) => pixel - 128);
    case "float32": {
      const { channels, layout } = checkPixelLayout(target);
      const mean = perChannel(target.mean ?? [127.5], "mean", channels);
      const std = perChannel(target.std ?? [127.5], "std", channels);
      const plane = rgb.length / channels;
      const channel = layout === "NHWC" ? (i: number) => i % channels : (i: number) => Math.floor(i / plane);
      return Float32Array.from(rgb, (pixel, i) => (pixel - mean[channel(i)]) / std[channel(i)]);
    }
    default:
      throw new InputError(`unsupported input dtype ${String(target.dtype)} (expected uint8, int8 or float32)`);
  }
}

function perChannel(values: number[], name: string, channels: number): number[] {
  if (values.length !== 1 && values.length !== channels) {
    throw new InputError(`${name} needs 1${channels === 1 ? "" : ` or ${channels}`} value${channels === 1 ? "" : "s"} for a ${channels}-channel input, got ${values.length}`);
  }
  if (values.some((v) => typeof v !== "number" || !Number.isFinite(v))) throw new InputError(`${name} must hold finite numbers, got [${values}]`);
  if (name === "std" && values.some((v) => v === 0)) throw new InputError("std must not be 0");
  return values.length === 1 ? Array.from({ length: channels }, () => values[0]) : values;
}
