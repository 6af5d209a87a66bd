// EXIF orientation, central crop and the row-fed bilinear resize (js/preprocess/resize.ts,
// orientation.ts). The expected images come from plain transforms written from the EXIF
// definitions (test/exif.ts: rotations and mirrors composed), not from the index maps under test.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Orientation } from "../js/preprocess/orientation.js";
import { centralCrop, cropResize, CropResizer } from "../js/preprocess/resize.js";
import type { RgbImage } from "../js/preprocess/image.js";
import { upright } from "./exif.js";
import { randomImage } from "./image-builder.js";

function pixel(image: RgbImage, x: number, y: number): number[] {
  const at = 3 * (y * image.width + x);
  return [image.data[at], image.data[at + 1], image.data[at + 2]];
}

const ORIENTATIONS: Orientation[] = [1, 2, 3, 4, 5, 6, 7, 8];

test("every EXIF orientation turns the stored pixels upright", () => {
  const stored = randomImage(5, 3, 11);
  for (const orientation of ORIENTATIONS) {
    const expected = upright(stored, orientation);
    const turned = cropResize(stored, { crop: 1, width: expected.width, height: expected.height, orientation });
    assert.equal(Array.from(turned.data), Array.from(expected.data), `orientation ${orientation}`);
  }
  // Orientation 6 is a quarter turn clockwise: the stored bottom-left pixel shows top-left.
  const six = cropResize(stored, { crop: 1, width: 3, height: 5, orientation: 6 });
  assert.equal(pixel(six, 0, 0), pixel(stored, 0, 2));
});

test("orientation, crop and resize fed row by row equal the same steps on the whole image", () => {
  for (const [width, height] of [[37, 23], [64, 48], [9, 100], [1, 1]]) {
    const stored = randomImage(width, height, width + height);
    for (const orientation of ORIENTATIONS) {
      for (const [crop, outWidth, outHeight] of [[0.875, 13, 11], [1, 7, 29], [0.5, 3, 3]] as const) {
        const shown = upright(stored, orientation);
        const resizer = new CropResizer(width, height, { crop, width: outWidth, height: outHeight, orientation });
        // Rows arrive bottom to top here; the result must not depend on the order.
        for (let y = height - 1; y >= 0; y--) {
          if (resizer.wants(y)) resizer.row(y, stored.data.subarray(3 * y * width, 3 * (y + 1) * width));
        }
        assert.is(resizer.missingRows, 0);
        const whole = cropResize(centralCrop(shown, crop), { crop: 1, width: outWidth, height: outHeight });
        assert.equal(Array.from(resizer.result().data), Array.from(whole.data), `${width}x${height} orientation ${orientation} crop ${crop} → ${outWidth}x${outHeight}`);
      }
    }
  }
});

test("the resize reads at most two source rows per output row", () => {
  const resizer = new CropResizer(4032, 3024, { crop: 0.875, width: 224, height: 224 });
  let wanted = 0;
  for (let y = 0; y < 3024; y++) if (resizer.wants(y)) wanted++;
  assert.ok(wanted <= 448 && wanted >= 224, `${wanted} rows wanted`);
});

test.run();
