// Test helpers for EXIF orientation: JPEGs with an Exif APP1 segment made here, and the upright
// picture of a stored image written from the EXIF definitions, independently of
// js/preprocess/orientation.ts (no Node built-ins: the Chromium checks import it too).
import type { RgbImage } from "../js/preprocess/image.js";
import type { Orientation } from "../js/preprocess/orientation.js";

/** A JPEG with an APP1 Exif segment holding IFD0 `entries` (tag, type, count, value) inserted after SOI. */
export function withExif(jpeg: Uint8Array, little: boolean, entries: [number, number, number, number][]): Uint8Array<ArrayBuffer> {
  const tiff = new Uint8Array(8 + 2 + entries.length * 12 + 4);
  const view = new DataView(tiff.buffer);
  tiff.set(little ? [0x49, 0x49] : [0x4d, 0x4d]);
  view.setUint16(2, 42, little);
  view.setUint32(4, 8, little);
  view.setUint16(8, entries.length, little);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    view.setUint16(at, tag, little);
    view.setUint16(at + 2, type, little);
    view.setUint32(at + 4, count, little);
    if (type === 3) view.setUint16(at + 8, value, little);
    else view.setUint32(at + 8, value, little);
  });
  const body = new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]);
  const segment = new Uint8Array([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
  return new Uint8Array([...jpeg.subarray(0, 2), ...segment, ...jpeg.subarray(2)]);
}

/** The JPEG with one Exif entry, Orientation (tag 0x0112, SHORT) = `orientation`. */
export function withOrientation(jpeg: Uint8Array, orientation: number, little = false): Uint8Array<ArrayBuffer> {
  return withExif(jpeg, little, [[0x0112, 3, 1, orientation]]);
}

/** A raster of `channels` samples per pixel (an RgbImage has 3). */
interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * The upright picture of a stored image with the given EXIF orientation, from the TIFF/EXIF
 * definitions: the stored pixel each shown pixel (x, y) comes from, for 1 as stored, 2 mirrored
 * left-right, 3 turned 180°, 4 mirrored top-bottom, 5 transposed, 6 turned 90° clockwise to show,
 * 7 transversed, 8 turned 90° anticlockwise to show.
 */
export function orient<T extends Pixels>(stored: T, orientation: number, channels = 3): T {
  const { width: w, height: h, data } = stored;
  const swap = orientation >= 5;
  const [outW, outH] = swap ? [h, w] : [w, h];
  const out = new Uint8Array(data.length);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const [sx, sy] = [
        [x, y], [x, y], [w - 1 - x, y], [w - 1 - x, h - 1 - y], [x, h - 1 - y],
        [y, x], [y, h - 1 - x], [w - 1 - y, h - 1 - x], [w - 1 - y, x],
      ][orientation];
      out.set(data.subarray((sy * w + sx) * channels, (sy * w + sx + 1) * channels), (y * outW + x) * channels);
    }
  }
  return { ...stored, width: outW, height: outH, data: out };
}

/** orient() of an RGB image. */
export function upright(stored: RgbImage, orientation: Orientation): RgbImage {
  return orient(stored, orientation);
}
