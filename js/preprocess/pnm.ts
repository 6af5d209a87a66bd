// An image as a binary PNM file. For a JPEG through quantlite's decoder these are exactly the bytes
// `djpeg -dct int -scale M/8` writes (P6, or P5 for greyscale) when orientation is "ignore" or the
// photo's EXIF orientation is 1. Other images (and jpeg-js) give P6 of decodeImage's pixels.
import { type ImageBytes, toBytes } from "../bytes.js";
import { checkDecoderName, decodeImage, type DecodeOptions, imageFormat, scaleEighths } from "./decode.js";
import { resolveLimits } from "./image.js";
import { decodeJpegToPnm } from "./jpeg/decode-jpeg.js";
import { checkOrientationOption } from "./orientation.js";

export function decodeImageToPnm(encoded: ImageBytes, options: DecodeOptions = {}): Uint8Array {
  const bytes = toBytes(encoded);
  const format = imageFormat(bytes);
  if (format === "JPEG" && checkDecoderName(options.decoder) === "quantlite") {
    const scale = scaleEighths(options.scale);
    const orientation = checkOrientationOption(options.orientation);
    return decodeJpegToPnm(bytes, { scale, orientation, limits: resolveLimits(options.limits), onWarning: options.onWarning });
  }
  const image = decodeImage(bytes, options);
  const head = new TextEncoder().encode(`P6\n${image.width} ${image.height}\n255\n`);
  const file = new Uint8Array(head.length + image.data.length);
  file.set(head);
  file.set(image.data, head.length);
  return file;
}
