// Orientation, central crop and bilinear resize, reproducing TensorFlow's tf.image.central_crop
// and TF2's tf.image.resize(method="bilinear", antialias=False) bit for bit (see
// shared/golden/README.md), fed row by row: a bilinear output pixel reads 4 source pixels, so
// only the source rows and columns some output reads are kept (at most 2 × the output size each
// way), and a decoder can stream its rows through without the whole frame ever existing.
import { InputError } from "../errors.js";
import { type Orientation, orientedSize, storedIndex, swapsAxes } from "./orientation.js";
import { allocateRgb, type RgbImage } from "./image.js";

/** tf.image.central_crop's rule on one axis: start = trunc((size - size × fraction) / 2). */
function cropStart(size: number, fraction: number): number {
  return Math.trunc((size - size * fraction) / 2);
}

function checkFraction(fraction: number): void {
  if (!(fraction > 0 && fraction <= 1)) throw new InputError(`crop fraction must be in (0, 1], got ${fraction}`);
}

/** The size the central crop keeps of a side. */
export function croppedLength(size: number, fraction: number): number {
  return size - 2 * cropStart(size, fraction);
}

/** The rectangle the central crop keeps of a width × height image. */
export function cropRect(width: number, height: number, fraction: number): { left: number; top: number; width: number; height: number } {
  checkFraction(fraction);
  const left = cropStart(width, fraction);
  const top = cropStart(height, fraction);
  return { left, top, width: width - 2 * left, height: height - 2 * top };
}

/**
 * Keeps the central `fraction` of each side with tf.image.central_crop's rule, per axis:
 * start = trunc((size - size * fraction) / 2), length = size - 2 * start.
 * A fraction of 1 returns the image itself.
 */
export function centralCrop(image: RgbImage, fraction = 0.875): RgbImage {
  const { left, top, width, height } = cropRect(image.width, image.height, fraction);
  if (left === 0 && top === 0) return image;
  const cropped = allocateRgb(width, height);
  const rowBytes = 3 * cropped.width;
  for (let y = 0; y < cropped.height; y++) {
    const start = 3 * ((top + y) * image.width + left);
    cropped.data.set(image.data.subarray(start, start + rowBytes), y * rowBytes);
  }
  return cropped;
}

/**
 * Along one axis of the output: for each output coordinate the indices (into the axis's kept
 * source lines) of the two source lines it blends and the weight of the second, with half-pixel
 * centres in float64: src = (dst + 0.5) * in/out - 0.5, lo = max(floor(src), 0),
 * hi = min(ceil(src), in - 1), weight = src - floor(src). `kept` lists the source lines read, in
 * order, offset by `start` (the crop).
 */
interface Axis {
  lo: Int32Array;
  hi: Int32Array;
  weight: Float64Array;
  kept: number[];
}

function axis(inSize: number, outSize: number, start: number): Axis {
  const scale = inSize / outSize;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  const kept: number[] = [];
  const slot = new Map<number, number>();
  const keep = (line: number): number => {
    let index = slot.get(line);
    if (index === undefined) {
      index = kept.length;
      kept.push(start + line);
      slot.set(line, index);
    }
    return index;
  };
  for (let dst = 0; dst < outSize; dst++) {
    const src = (dst + 0.5) * scale - 0.5;
    const floor = Math.floor(src);
    lo[dst] = keep(Math.max(floor, 0));
    hi[dst] = keep(Math.min(Math.ceil(src), inSize - 1));
    weight[dst] = src - floor;
  }
  return { lo, hi, weight, kept };
}

export interface CropResizeOptions {
  /** Central crop fraction of each side of the shown image, (0, 1]; 1 keeps it whole. */
  crop: number;
  width: number;
  height: number;
  /** EXIF orientation of the stored rows (1: as stored). */
  orientation?: Orientation;
}

/**
 * Orient → central crop → bilinear resize, fed the stored image's RGB rows in any order. Only the
 * pixels some output reads are copied, into a grid of kept shown rows × kept shown columns.
 */
export class CropResizer {
  private readonly rows: Axis;
  private readonly columns: Axis;
  private readonly grid: Uint8Array;
  /** Stored row → the kept grid line it fills (a grid row, or a grid column when axes swap). */
  private readonly lineOfStoredRow = new Map<number, number>();
  /** For the other axis: each kept grid line's stored column. */
  private readonly storedColumns: Int32Array;
  private readonly swapped: boolean;
  private filled = 0;

  constructor(readonly storedWidth: number, readonly storedHeight: number, readonly options: CropResizeOptions) {
    checkFraction(options.crop);
    for (const size of [options.width, options.height]) {
      if (!Number.isInteger(size) || size <= 0) throw new InputError(`resize: output size must be a positive integer, got ${size}`);
    }
    const orientation = options.orientation ?? 1;
    const shown = orientedSize(storedWidth, storedHeight, orientation);
    const left = cropStart(shown.width, options.crop);
    const top = cropStart(shown.height, options.crop);
    this.columns = axis(shown.width - 2 * left, options.width, left);
    this.rows = axis(shown.height - 2 * top, options.height, top);
    this.grid = new Uint8Array(this.rows.kept.length * this.columns.kept.length * 3);
    this.swapped = swapsAxes(orientation);
    // Without a swap a stored row is a shown row and its samples are at the kept columns; with one,
    // a stored row is a shown column and its samples are at the kept rows.
    const [along, across] = this.swapped ? [this.columns, this.rows] : [this.rows, this.columns];
    const [alongAxis, acrossAxis] = this.swapped ? (["x", "y"] as const) : (["y", "x"] as const);
    along.kept.forEach((line, index) => this.lineOfStoredRow.set(storedIndex(orientation, alongAxis, line, storedWidth, storedHeight), index));
    this.storedColumns = Int32Array.from(across.kept, (line) => storedIndex(orientation, acrossAxis, line, storedWidth, storedHeight));
  }

  /** Whether stored row y is read by some output pixel. */
  wants(y: number): boolean {
    return this.lineOfStoredRow.has(y);
  }

  /** Stored row y: storedWidth RGB pixels (more bytes after them are ignored). */
  row(y: number, rgb: Uint8Array): void {
    const line = this.lineOfStoredRow.get(y);
    if (line === undefined) return;
    const columns = this.storedColumns;
    const gridWidth = this.columns.kept.length;
    // A grid row is contiguous; a grid column steps by a grid row.
    let target = this.swapped ? 3 * line : 3 * line * gridWidth;
    const step = this.swapped ? 3 * gridWidth : 3;
    for (let i = 0; i < columns.length; i++, target += step) {
      const source = 3 * columns[i];
      this.grid[target] = rgb[source];
      this.grid[target + 1] = rgb[source + 1];
      this.grid[target + 2] = rgb[source + 2];
    }
    this.filled++;
  }

  /** Rows the output reads that have not come yet (0 when the result is complete). */
  get missingRows(): number {
    return this.lineOfStoredRow.size - this.filled;
  }

  /**
   * The output: interpolate along x on the two kept rows, then along y, in float64; round half
   * away from zero and clamp to [0, 255].
   */
  result(): RgbImage {
    const { width, height } = this.options;
    const output = allocateRgb(width, height);
    const out = output.data;
    const grid = this.grid;
    const xs = this.columns;
    const ys = this.rows;
    const rowBytes = 3 * xs.kept.length;
    let o = 0;
    for (let y = 0; y < height; y++) {
      const top = ys.lo[y] * rowBytes;
      const bottom = ys.hi[y] * rowBytes;
      const dy = ys.weight[y];
      for (let x = 0; x < width; x++) {
        const left = 3 * xs.lo[x];
        const right = 3 * xs.hi[x];
        const dx = xs.weight[x];
        for (let c = 0; c < 3; c++) {
          const topLeft = grid[top + left + c];
          const bottomLeft = grid[bottom + left + c];
          const upper = topLeft + (grid[top + right + c] - topLeft) * dx;
          const lower = bottomLeft + (grid[bottom + right + c] - bottomLeft) * dx;
          // The value is >= 0 up to rounding error, so Math.round (ties toward +infinity) rounds
          // half away from zero; the clamp catches the rounding error at both ends.
          out[o++] = Math.min(255, Math.max(0, Math.round(upper + (lower - upper) * dy)));
        }
      }
    }
    return output;
  }
}

/** Feeds a whole decoded image through a CropResizer. */
export function cropResize(image: RgbImage, options: CropResizeOptions): RgbImage {
  const resizer = new CropResizer(image.width, image.height, options);
  const rowBytes = 3 * image.width;
  for (let y = 0; y < image.height; y++) {
    if (resizer.wants(y)) resizer.row(y, image.data.subarray(y * rowBytes, (y + 1) * rowBytes));
  }
  return resizer.result();
}

/**
 * Bilinear resize with half-pixel centres: interpolate along x on the two source rows, then
 * along y, in float64; round half away from zero and clamp to [0, 255].
 */
export function resizeBilinear(image: RgbImage, outWidth: number, outHeight: number): RgbImage {
  return cropResize(image, { crop: 1, width: outWidth, height: outHeight });
}
