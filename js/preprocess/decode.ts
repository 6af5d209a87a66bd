// decodeImage: bytes of a JPEG, PNG or BMP (recognised by their magic bytes, not a file name)
// to an 8-bit RGB image. Whatever goes wrong (unknown format, corrupt or truncated data,
// declared sizes beyond the limits or beyond what the data can hold) ends in an ImageError: the
// third-party decoders' own exceptions (Errors, even plain strings) are wrapped here.
import { ImageError, InputError } from "../errors.js";
import { decodeBmp } from "./bmp.js";
import { type DecodeLimits, type RgbImage, resolveLimits } from "./image.js";
import { decodeJpeg } from "./jpeg.js";
import { decodePng, PNG_SIGNATURE } from "./png.js";

type Decoder = (bytes: Uint8Array, limits: Required<DecodeLimits>) => RgbImage;

const FORMATS: { name: string; magic: number[]; decode: Decoder }[] = [
  { name: "JPEG", magic: [0xff, 0xd8, 0xff], decode: decodeJpeg },
  { name: "PNG", magic: PNG_SIGNATURE, decode: decodePng },
  { name: "BMP", magic: [0x42, 0x4d], decode: decodeBmp }, // "BM"
];

export function decodeImage(bytes: Uint8Array, limits?: DecodeLimits): RgbImage {
  // Not instanceof: a Uint8Array from another realm (worker, vm context) must pass too.
  if (Object.prototype.toString.call(bytes) !== "[object Uint8Array]") {
    throw new InputError("decodeImage: expected the image bytes as a Uint8Array");
  }
  const resolved = resolveLimits(limits);
  if (bytes.length === 0) throw new ImageError("empty image data");
  const format = FORMATS.find(({ magic }) => magic.every((byte, i) => bytes[i] === byte));
  if (format === undefined) {
    const start = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new ImageError(`unknown image format (expected JPEG, PNG or BMP); the data starts with ${start}`);
  }
  try {
    return format.decode(bytes, resolved);
  } catch (error) {
    if (error instanceof ImageError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImageError(`${format.name}: corrupt or unsupported data: ${reason}`);
  }
}
