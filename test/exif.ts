// Test helpers for EXIF orientation: JPEGs with an Exif APP1 segment made here, and the upright
// picture of a stored image written from the EXIF definitions (rotations and mirrors composed),
// independently of the index maps in js/preprocess/orientation.ts.
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

function pixel(image: RgbImage, x: number, y: number): Uint8Array {
  const at = 3 * (y * image.width + x);
  return image.data.subarray(at, at + 3);
}

/** A new image of the given size whose pixel (x, y) is source's pixel at pick(x, y). */
function remap(source: RgbImage, width: number, height: number, pick: (x: number, y: number) => [number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(source, ...pick(x, y)), 3 * (y * width + x));
  }
  return { width, height, data };
}

const mirror = (s: RgbImage) => remap(s, s.width, s.height, (x, y) => [s.width - 1 - x, y]);
const flip = (s: RgbImage) => remap(s, s.width, s.height, (x, y) => [x, s.height - 1 - y]);
/** Turned a quarter clockwise: the left column becomes the top row. */
export const clockwise = (s: RgbImage) => remap(s, s.height, s.width, (x, y) => [y, s.height - 1 - x]);

/** The upright picture of a stored image with the given EXIF orientation (TIFF 6.0 / Exif 2.3). */
export function upright(stored: RgbImage, orientation: Orientation): RgbImage {
  switch (orientation) {
    case 1: return stored;
    case 2: return mirror(stored); // "mirror horizontal"
    case 3: return clockwise(clockwise(stored)); // "rotate 180"
    case 4: return flip(stored); // "mirror vertical"
    case 5: return clockwise(clockwise(clockwise(mirror(stored)))); // "mirror horizontal and rotate 270 CW"
    case 6: return clockwise(stored); // "rotate 90 CW"
    case 7: return clockwise(mirror(stored)); // "mirror horizontal and rotate 90 CW"
    case 8: return clockwise(clockwise(clockwise(stored))); // "rotate 270 CW"
  }
}
