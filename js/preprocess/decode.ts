// decodeImage: bytes of a JPEG, PNG or BMP (recognised by their magic bytes, not a file name)
// to an 8-bit RGB image. JPEGs go through quantlite's own wasm decoder (exact with libjpeg-turbo,
// EXIF orientation applied, optional DCT scaling) unless `decoder: "jpeg-js"`. Whatever goes
// wrong (unknown format, corrupt or truncated data, sizes beyond the limits) ends in an
// ImageError: the third-party decoders' own exceptions (Errors, even plain strings) are wrapped.
import { ImageError, InputError } from "../errors.js";
import { decodeBmp } from "./bmp.js";
import { type ImageBytes, toBytes } from "../bytes.js";
import { type DecodeLimits, type RgbImage, resolveLimits } from "./image.js";
import { decodeJpegImage } from "./jpeg/decode-jpeg.js";
import { readJpegHeader } from "./jpeg/markers.js";
import { checkOrientationOption, type Orientation, type OrientationOption, orientedSize } from "./orientation.js";
import { decodePng, PNG_SIGNATURE } from "./png.js";
import { cropResize } from "./resize.js";

/** Which JPEG decoder runs: quantlite's own (default) or jpeg-js (what shared/golden's inputs were made with). */
export type JpegDecoderName = "quantlite" | "jpeg-js";

export interface DecodeOptions {
  /**
   * JPEG only: decode at M/8 of the full size, M = 1…8 (0.125, 0.25, … 1; default 1), as libjpeg's
   * scale_num/scale_denom does it: in the DCT domain, far faster than decoding everything.
   */
  scale?: number;
  /** "exif" (default): turn the image upright as its EXIF Orientation says; "ignore": as stored. */
  orientation?: OrientationOption;
  decoder?: JpegDecoderName;
  limits?: DecodeLimits;
  /**
   * JPEG: without it, image data that is corrupt or cut short is an ImageError; with it, the image
   * decodes as libjpeg decodes it (what is missing comes out grey) and this is told why.
   */
  onWarning?: (message: string) => void;
}

export type ImageFormat = "JPEG" | "PNG" | "BMP";

const FORMATS: { name: ImageFormat; magic: number[] }[] = [
  { name: "JPEG", magic: [0xff, 0xd8, 0xff] },
  { name: "PNG", magic: PNG_SIGNATURE },
  { name: "BMP", magic: [0x42, 0x4d] }, // "BM"
];

/** The format quantlite decodes itself that the bytes start like, or null. */
export function sniffFormat(head: Uint8Array): ImageFormat | null {
  return FORMATS.find(({ magic }) => magic.every((byte, i) => head[i] === byte))?.name ?? null;
}

/** The first 8 bytes in hex, for messages about data of an unknown kind. */
export function startHex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** The format the bytes start like, or an ImageError. */
export function imageFormat(bytes: Uint8Array): ImageFormat {
  if (bytes.length === 0) throw new ImageError("empty image data");
  const format = sniffFormat(bytes);
  if (format === null) {
    throw new ImageError(`unknown image format (expected JPEG, PNG or BMP); the data starts with ${startHex(bytes)}`);
  }
  return format;
}

export function checkDecoderName(decoder: unknown): JpegDecoderName {
  if (decoder === undefined) return "quantlite";
  if (decoder !== "quantlite" && decoder !== "jpeg-js") throw new InputError(`decoder must be "quantlite" or "jpeg-js", got ${JSON.stringify(decoder)}`);
  return decoder;
}

/** M of a scale option given as the fraction M/8. */
export function scaleEighths(scale: unknown): number {
  if (scale === undefined) return 8;
  const m = typeof scale === "number" ? scale * 8 : NaN;
  if (!Number.isInteger(m) || m < 1 || m > 8) throw new InputError(`scale must be M/8 for M = 1…8 (0.125, 0.25, … 1), got ${String(scale)}`);
  return m;
}

/** Runs a third-party decoder, turning whatever it throws into an ImageError. */
export function wrapDecoder<T>(format: ImageFormat, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ImageError || error instanceof InputError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImageError(`${format}: corrupt or unsupported data: ${reason.slice(0, 200)}`);
  }
}

type JpegJsDecoder = (bytes: Uint8Array, limits: Required<DecodeLimits>) => RgbImage;

/** jpeg-js's decoder, when the entry provides it (use-jpeg-js.ts: every entry but the browser one). */
let jpegJs: JpegJsDecoder | null = null;

export function provideJpegJs(decoder: JpegJsDecoder): void {
  jpegJs = decoder;
}

function decodeJpegWithJpegJs(bytes: Uint8Array, limits: Required<DecodeLimits>): RgbImage {
  if (jpegJs === null) throw new InputError('decoder "jpeg-js" is not in this entry of quantlite (the browser one leaves it out): use the default decoder');
  return jpegJs(bytes, limits);
}

/** A whole image through the decoders other than quantlite's JPEG one, upright where EXIF says so (jpeg-js). */
export function decodeWithLibraries(format: ImageFormat, bytes: Uint8Array, limits: Required<DecodeLimits>, orientation: OrientationOption): { image: RgbImage; orientation: Orientation } {
  const image = wrapDecoder(format, () => (format === "JPEG" ? decodeJpegWithJpegJs(bytes, limits) : format === "PNG" ? decodePng(bytes, limits) : decodeBmp(bytes, limits)));
  const exif = format === "JPEG" && orientation === "exif" ? (readJpegHeader(bytes).orientation as Orientation) : 1;
  return { image, orientation: exif };
}

/** Encoded bytes (any ArrayBuffer view or buffer) → the whole image, 8-bit RGB. */
export function decodeImage(image: ImageBytes, options: DecodeOptions = {}): RgbImage {
  const bytes = toBytes(image);
  const format = imageFormat(bytes);
  const limits = resolveLimits(options.limits);
  const orientation = checkOrientationOption(options.orientation);
  const decoder = checkDecoderName(options.decoder);
  const scale = scaleEighths(options.scale);
  if (format === "JPEG" && decoder === "quantlite") return decodeJpegImage(bytes, { scale, orientation, limits, onWarning: options.onWarning });
  if (scale !== 8) throw new InputError(`scale is for quantlite's JPEG decoder; this is ${format === "JPEG" ? "jpeg-js" : `a ${format}`}`);
  const decoded = decodeWithLibraries(format, bytes, limits, orientation);
  if (decoded.orientation === 1) return decoded.image;
  const { width, height } = decoded.image;
  // A resize to the same size copies each pixel exactly: this only turns the image.
  return cropResize(decoded.image, { crop: 1, ...orientedSize(width, height, decoded.orientation), orientation: decoded.orientation });
}
