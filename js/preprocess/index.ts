// Image preprocessing for classification models: decode (JPEG, PNG, BMP) → EXIF orientation →
// central crop → bilinear resize to the model's input size → RGB uint8 NHWC, then conversion to
// the model input's dtype. JPEGs stream from quantlite's decoder into the resize at the smallest
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

export interface PreprocessOptions {
  /** Output size in pixels (the model input's W and H). */
  width: number;
  height: number;
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

/** Image file bytes → RGB uint8 pixels, NHWC without the batch axis: height × width × 3. */
export function preprocessImage(image: ImageBytes, options: PreprocessOptions): Uint8Array {
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

/** The model input tensor's element type and quantization, as the model declares them. */
export interface InputTarget {
  dtype: "uint8" | "int8" | "float32";
  scale: number;
  zeroPoint: number;
  /** float32 only: per-channel (3) or common (1) mean and standard deviation; default 127.5. */
  mean?: number[];
  std?: number[];
}

/**
 * RGB uint8 pixels → the model input's dtype. Image classifiers (MobileNet and alike) expect the
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
      const mean = perChannel(target.mean ?? [127.5], "mean");
      const std = perChannel(target.std ?? [127.5], "std");
      return Float32Array.from(rgb, (pixel, i) => (pixel - mean[i % 3]) / std[i % 3]);
    }
    default:
      throw new InputError(`unsupported input dtype ${String(target.dtype)} (expected uint8, int8 or float32)`);
  }
}

function perChannel(values: number[], name: string): number[] {
  if (values.length !== 1 && values.length !== 3) throw new InputError(`${name} needs 1 or 3 values, got ${values.length}`);
  if (name === "std" && values.some((v) => v === 0)) throw new InputError("std must not be 0");
  return values.length === 1 ? [values[0], values[0], values[0]] : values;
}
