// Central crop and bilinear resize, reproducing TensorFlow's tf.image.central_crop and TF2's
// tf.image.resize(method="bilinear", antialias=False) bit for bit (see shared/golden/README.md).
import { InputError } from "../errors.js";
import { allocateRgb, type RgbImage } from "./image.js";

/**
 * Keeps the central `fraction` of each side with tf.image.central_crop's rule, per axis:
 * start = trunc((size - size * fraction) / 2), length = size - 2 * start.
 * A fraction of 1 returns the image itself.
 */
export function centralCrop(image: RgbImage, fraction = 0.875): RgbImage {
  if (!(fraction > 0 && fraction <= 1)) throw new InputError(`crop fraction must be in (0, 1], got ${fraction}`);
  const left = Math.trunc((image.width - image.width * fraction) / 2);
  const top = Math.trunc((image.height - image.height * fraction) / 2);
  if (left === 0 && top === 0) return image;
  const cropped = allocateRgb(image.width - 2 * left, image.height - 2 * top);
  const rowBytes = 3 * cropped.width;
  for (let y = 0; y < cropped.height; y++) {
    const start = 3 * ((top + y) * image.width + left);
    cropped.data.set(image.data.subarray(start, start + rowBytes), y * rowBytes);
  }
  return cropped;
}

/** For each output coordinate: the two source coordinates it blends and the weight of the second. */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  weight: Float64Array;
}

/**
 * Half-pixel-centre sampling positions along one axis, in float64:
 * src = (dst + 0.5) * in/out - 0.5, lo = max(floor(src), 0), hi = min(ceil(src), in - 1),
 * weight = src - floor(src).
 */
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const result = { lo: new Int32Array(outSize), hi: new Int32Array(outSize), weight: new Float64Array(outSize) };
  for (let dst = 0; dst < outSize; dst++) {
    const src = (dst + 0.5) * scale - 0.5;
    const floor = Math.floor(src);
    result.lo[dst] = Math.max(floor, 0);
    result.hi[dst] = Math.min(Math.ceil(src), inSize - 1);
    result.weight[dst] = src - floor;
  }
  return result;
}

/**
 * Bilinear resize with half-pixel centres: interpolate along x on the two source rows, then
 * along y, in float64; round half away from zero and clamp to [0, 255].
 */
export function resizeBilinear(image: RgbImage, outWidth: number, outHeight: number): RgbImage {
  for (const size of [outWidth, outHeight]) {
    if (!Number.isInteger(size) || size <= 0) throw new InputError(`resize: output size must be a positive integer, got ${size}`);
  }
  const xs = taps(image.width, outWidth);
  const ys = taps(image.height, outHeight);
  const src = image.data;
  const output = allocateRgb(outWidth, outHeight);
  const out = output.data;
  const rowBytes = 3 * image.width;
  let o = 0;
  for (let y = 0; y < outHeight; y++) {
    const top = ys.lo[y] * rowBytes;
    const bottom = ys.hi[y] * rowBytes;
    const dy = ys.weight[y];
    for (let x = 0; x < outWidth; x++) {
      const left = 3 * xs.lo[x];
      const right = 3 * xs.hi[x];
      const dx = xs.weight[x];
      for (let c = 0; c < 3; c++) {
        const topLeft = src[top + left + c];
        const bottomLeft = src[bottom + left + c];
        const upper = topLeft + (src[top + right + c] - topLeft) * dx;
        const lower = bottomLeft + (src[bottom + right + c] - bottomLeft) * dx;
        // The value is >= 0 up to rounding error, so Math.round (ties toward +infinity) rounds
        // half away from zero; the clamp catches the rounding error at both ends.
        out[o++] = Math.min(255, Math.max(0, Math.round(upper + (lower - upper) * dy)));
      }
    }
  }
  return output;
}
