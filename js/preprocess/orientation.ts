// EXIF orientation (TIFF tag 0x0112, values 1–8): how the stored pixels map to the picture as it
// should be shown. For each value, the stored pixel (sx, sy) that shows at (x, y), for a stored
// image of width W and height H; values 5–8 swap the axes (the shown image is H wide).
//   1 (x, y)            2 (W-1-x, y)          3 (W-1-x, H-1-y)      4 (x, H-1-y)
//   5 (y, x)            6 (y, H-1-x)          7 (W-1-y, H-1-x)      8 (W-1-y, x)
import { InputError } from "../errors.js";

export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** How decoders treat EXIF orientation: apply it (default) or keep the stored pixels as they are. */
export type OrientationOption = "exif" | "ignore";

export function checkOrientationOption(option: unknown): OrientationOption {
  if (option === undefined) return "exif";
  if (option !== "exif" && option !== "ignore") throw new InputError(`orientation must be "exif" or "ignore", got ${JSON.stringify(option)}`);
  return option;
}

/** Whether the orientation swaps width and height. */
export function swapsAxes(orientation: Orientation): boolean {
  return orientation >= 5;
}

/** The size of the image as shown. */
export function orientedSize(width: number, height: number, orientation: Orientation): { width: number; height: number } {
  return swapsAxes(orientation) ? { width: height, height: width } : { width, height };
}

/**
 * For an axis of the shown image: the stored coordinate of shown index i. For orientations
 * 1–4 shown columns map to stored columns and shown rows to stored rows; for 5–8 shown columns
 * map to stored rows and shown rows to stored columns.
 */
export function storedIndex(orientation: Orientation, axis: "x" | "y", i: number, storedWidth: number, storedHeight: number): number {
  switch (orientation) {
    case 1: return i;
    case 2: return axis === "x" ? storedWidth - 1 - i : i;
    case 3: return axis === "x" ? storedWidth - 1 - i : storedHeight - 1 - i;
    case 4: return axis === "x" ? i : storedHeight - 1 - i;
    case 5: return i;
    case 6: return axis === "x" ? storedHeight - 1 - i : i;
    case 7: return axis === "x" ? storedHeight - 1 - i : storedWidth - 1 - i;
    case 8: return axis === "x" ? i : storedWidth - 1 - i;
  }
}
