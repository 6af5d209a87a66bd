// The decoded-image type shared by the decoders and the resizer, and the size limits every
// decoder enforces from header fields alone, before it allocates anything for the pixels.
import { ImageError, InputError } from "../errors.js";

/** An 8-bit RGB image: row-major, 3 bytes per pixel, no padding between rows. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Caps on what a decoder may produce and allocate (untrusted input can declare anything). */
export interface DecodeLimits {
  /** Largest accepted width × height of the stored image. Default 100 megapixels. */
  maxPixels?: number;
  /**
   * Largest decoder working memory, in MiB (default 256): for quantlite's JPEG decoder, the wasm
   * memory it really allocates (the file's copy, a few rows of samples; the coefficients of a
   * progressive file); for jpeg-js, PNG and BMP, an estimate made from the header before decoding.
   */
  maxMemoryMB?: number;
}

const DEFAULT_MAX_PIXELS = 100_000_000;
const DEFAULT_MAX_MEMORY_MB = 256;

export function resolveLimits(limits: DecodeLimits = {}): Required<DecodeLimits> {
  const resolved = {
    maxPixels: limits.maxPixels ?? DEFAULT_MAX_PIXELS,
    maxMemoryMB: limits.maxMemoryMB ?? DEFAULT_MAX_MEMORY_MB,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(value > 0)) throw new InputError(`decode limit ${name} must be a positive number, got ${value}`);
  }
  return resolved;
}

/**
 * Rejects declared dimensions that are zero, not integers, or above the limits. `bytesPerPixel`
 * is the decoder's working memory per pixel, compared against `maxMemoryMB`.
 */
export function checkDimensions(
  format: string,
  width: number,
  height: number,
  bytesPerPixel: number,
  limits: Required<DecodeLimits>,
): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(`${format}: invalid image size ${width}x${height}`);
  }
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new ImageError(
      `${format}: image of ${width}x${height} (${pixels} pixels) exceeds the limit of ${limits.maxPixels} pixels`,
    );
  }
  const megabytes = (pixels * bytesPerPixel) / (1024 * 1024);
  if (megabytes > limits.maxMemoryMB) {
    throw new ImageError(
      `${format}: decoding ${width}x${height} needs about ${Math.ceil(megabytes)} MiB, over the limit of ${limits.maxMemoryMB} MiB`,
    );
  }
}

/** An 8-bit RGB image of the given size, filled by the caller. */
export function allocateRgb(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}
