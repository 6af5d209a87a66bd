// quantlite's JPEG decoder as the rest of the SDK uses it: a whole image (decodeImage), a PNM file
// exactly as `djpeg -dct int -scale M/8` writes it (the CLI's decode), or rows streamed straight
// into orientation, central crop and resize (preprocessImage, classify), at the smallest DCT scale
// whose crop still covers the model's input.
import { ImageError } from "../../errors.js";
import { acquireDecoderKernels, releaseDecoderKernels } from "../../runtime/decoder-module.js";
import type { KernelExports } from "../../runtime/kernels.js";
import type { DecodeLimits, RgbImage } from "../image.js";
import { type Orientation, type OrientationOption, orientedSize, storedIndex, swapsAxes } from "../orientation.js";
import { croppedLength, CropResizer } from "../resize.js";
import { type DecodedRows, decodeJpegRows, type RowSink } from "./decoder.js";
import { scaledSize } from "./layout.js";
import { type JpegHeader, readJpegHeader } from "./markers.js";
import { DecoderMemory } from "./memory.js";

/** Called with libjpeg's verdict when the data is corrupt or truncated but decodes anyway. */
export type WarningHandler = (message: string) => void;

export interface JpegDecodeOptions {
  /** M of the DCT scale M/8 (1…8). */
  scale: number;
  orientation: OrientationOption;
  limits: Required<DecodeLimits>;
  /**
   * Without it, image data that is corrupt or cut short is an ImageError; with it, the image
   * decodes as libjpeg decodes it (what is missing comes out grey) and this is told why.
   */
  onWarning?: WarningHandler;
}

interface Session {
  header: JpegHeader;
  kernels: KernelExports;
  memory: DecoderMemory;
  orientation: Orientation;
}

/** Runs `decode` on a decoder instance for the file, then gives the instance back. */
function withSession<T>(bytes: Uint8Array, orientation: OrientationOption, limits: Required<DecodeLimits>, lenient: boolean, decode: (session: Session) => T): T {
  const session = begin(bytes, orientation, limits, lenient);
  try {
    return decode(session);
  } finally {
    releaseDecoderKernels(session.kernels);
  }
}

function begin(bytes: Uint8Array, orientation: OrientationOption, limits: Required<DecodeLimits>, lenient: boolean): Session {
  const header = readJpegHeader(bytes);
  const pixels = header.width * header.height;
  if (pixels > limits.maxPixels) {
    throw new ImageError(`JPEG: image of ${header.width}x${header.height} (${pixels} pixels) exceeds the limit of ${limits.maxPixels} pixels (option limits.maxPixels)`);
  }
  // Every block's DC coefficient takes at least one bit: data shorter than that is cut short, and
  // is refused before anything is allocated for it (unless corrupt data is to be decoded anyway).
  const blocks = header.components.reduce((sum, c) => sum + header.mcusAcross * c.h * header.mcusDown * c.v, 0);
  if (!lenient && bytes.length < blocks / 8) {
    throw new ImageError(`JPEG: ${header.width}x${header.height} cannot be coded in ${bytes.length} bytes (at least ${Math.ceil(blocks / 8)} needed): the file is truncated`);
  }
  const kernels = acquireDecoderKernels();
  const memory = new DecoderMemory(kernels.memory, kernels.heap_base(), limits.maxMemoryMB * 1048576, `JPEG ${header.width}x${header.height}`);
  return { header, kernels, memory, orientation: orientation === "exif" ? (header.orientation as Orientation) : 1 };
}

/**
 * After a decode: lost image data is an ImageError unless the caller takes warnings; warnings
 * about the file's structure alone (bytes skipped, a missing EOI) only go to the caller's handler.
 */
function settle({ warnings, dataLost }: DecodedRows, onWarning: WarningHandler | undefined): void {
  if (warnings === 0 && !dataLost) return;
  const count = `${warnings} libjpeg warning${warnings === 1 ? "" : "s"}`;
  if (dataLost && onWarning === undefined) throw new ImageError(`JPEG: corrupt or truncated image data (${count}); pass onWarning to decode what is there, as libjpeg does`);
  onWarning?.(dataLost ? `corrupt or truncated image data (${count}), decoded as libjpeg does` : `corrupt JPEG structure around complete image data (${count})`);
}

/**
 * A sink that writes every row into a whole image, turned as `orientation` says, after `prefix`
 * bytes of the array it allocates (room for a file header).
 */
function wholeImageSink(width: number, height: number, channels: 1 | 3, orientation: Orientation, prefix: number): RowSink & { file: Uint8Array } {
  const shown = orientedSize(width, height, orientation);
  const file = new Uint8Array(prefix + shown.width * shown.height * channels);
  const data = file.subarray(prefix);
  const swapped = swapsAxes(orientation);
  return {
    file,
    wants: () => true,
    row(y, samples) {
      if (orientation === 1) {
        data.set(samples, y * width * channels);
        return;
      }
      // Every orientation maps each axis by itself or by its mirror image, so the same index map
      // takes stored coordinates to shown ones.
      const shownLine = storedIndex(orientation, swapped ? "x" : "y", y, width, height);
      for (let x = 0; x < width; x++) {
        const along = storedIndex(orientation, swapped ? "y" : "x", x, width, height);
        const [sx, sy] = swapped ? [shownLine, along] : [along, shownLine];
        const target = (sy * shown.width + sx) * channels;
        for (let c = 0; c < channels; c++) data[target + c] = samples[x * channels + c];
      }
    },
  };
}

/**
 * The whole image in one array, after a file header that `head` makes from the shown size and the
 * channels (1 for a greyscale JPEG when `channels` is 1, else 3).
 */
function decodeWhole(bytes: Uint8Array, options: JpegDecodeOptions, channels: 1 | 3, head: (width: number, height: number, channels: number) => Uint8Array) {
  return withSession(bytes, options.orientation, options.limits, options.onWarning !== undefined, ({ header, orientation, kernels, memory }) => {
    const size = scaledSize(header.width, header.height, options.scale);
    const native = header.colorSpace === "gray" ? channels : 3;
    const shown = orientedSize(size.width, size.height, orientation);
    const prefix = head(shown.width, shown.height, native);
    const sink = wholeImageSink(size.width, size.height, native, orientation, prefix.length);
    sink.file.set(prefix);
    settle(decodeJpegRows(kernels, memory, bytes, header, options.scale, channels, sink), options.onWarning);
    return { ...shown, file: sink.file };
  });
}

/** The whole image as 8-bit RGB. */
export function decodeJpegImage(bytes: Uint8Array, options: JpegDecodeOptions): RgbImage {
  const { width, height, file } = decodeWhole(bytes, options, 3, () => new Uint8Array(0));
  return { width, height, data: file };
}

/**
 * The bytes `djpeg -dct int -scale M/8` writes: binary PPM (P6), or PGM (P5) for a greyscale JPEG
 * (turned as `orientation` says, which djpeg never does).
 */
export function decodeJpegToPnm(bytes: Uint8Array, options: JpegDecodeOptions): Uint8Array {
  const pnmHeader = (width: number, height: number, channels: number) => new TextEncoder().encode(`${channels === 1 ? "P5" : "P6"}\n${width} ${height}\n255\n`);
  return decodeWhole(bytes, options, 1, pnmHeader).file;
}

export interface JpegCropResizeOptions {
  width: number;
  height: number;
  crop: number;
  orientation: OrientationOption;
  /** M of the DCT scale M/8, or "auto": the smallest whose crop still covers width × height. */
  scale: number | "auto";
  limits: Required<DecodeLimits>;
  onWarning?: WarningHandler;
}

/** The smallest M whose scaled, oriented, central-cropped image is at least width × height (else 8). */
export function smallestScale(header: JpegHeader, orientation: Orientation, crop: number, width: number, height: number): number {
  for (let m = 1; m < 8; m++) {
    const scaled = scaledSize(header.width, header.height, m);
    const shown = orientedSize(scaled.width, scaled.height, orientation);
    if (croppedLength(shown.width, crop) >= width && croppedLength(shown.height, crop) >= height) return m;
  }
  return 8;
}

/** Decoded rows streamed through orientation, central crop and bilinear resize. */
export function decodeJpegCropResize(bytes: Uint8Array, options: JpegCropResizeOptions): RgbImage {
  return withSession(bytes, options.orientation, options.limits, options.onWarning !== undefined, ({ header, orientation, kernels, memory }) => {
    const scale = options.scale === "auto" ? smallestScale(header, orientation, options.crop, options.width, options.height) : options.scale;
    const size = scaledSize(header.width, header.height, scale);
    const resizer = new CropResizer(size.width, size.height, { crop: options.crop, width: options.width, height: options.height, orientation });
    settle(decodeJpegRows(kernels, memory, bytes, header, scale, 3, resizer), options.onWarning);
    if (resizer.missingRows !== 0) throw new ImageError(`JPEG: ${resizer.missingRows} rows the resize needs were not decoded`);
    return resizer.result();
  });
}
