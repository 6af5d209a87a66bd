// Phone-sized JPEGs for the examples' checks, made at test time and never committed: parrot.jpg
// decoded by quantlite, stretched to a phone photo's size with quantlite's bilinear resize, a
// deterministic grain added (so that it codes like a photo, not a smooth gradient), written as
// PPM and encoded by `cjpeg -quality 90` (libjpeg-turbo-progs; 4:2:0, as phones store them).
// With the grain ±20 of phonePhotoJpeg, 12 MP is 4.5 MB and 24 MP 8.8 MB, as phone JPEGs are.
import { withOrientation } from "../exif.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeImage, resizeBilinear, type RgbImage } from "../../js/index.js";

export const BIG_WIDTH = 3024;
export const BIG_HEIGHT = 4032;

/** The browser example's 12 MP portrait photo (grain ±6: 2.2 MB). */
export function bigPhotoJpeg(source: Uint8Array): Buffer {
  return photoJpeg(source, BIG_WIDTH, BIG_HEIGHT, 6, false);
}

/**
 * A width × height photo as a phone stores it, grain ±20. `turned`: the picture is stored turned
 * a quarter counter-clockwise (height × width pixels) with EXIF Orientation 6, as a phone held
 * upright does; a viewer shows the upright width × height parrot.
 */
export function phonePhotoJpeg(source: Uint8Array, width: number, height: number, turned = false): Buffer {
  return photoJpeg(source, width, height, 20, turned);
}

function photoJpeg(source: Uint8Array, width: number, height: number, grain: number, turned: boolean): Buffer {
  const upright = resizeBilinear(decodeImage(source), width, height);
  const { data } = upright;
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = Math.min(255, Math.max(0, data[i] + ((seed >>> 16) % (2 * grain + 1)) - grain));
  }
  const stored = turned ? turnCounterClockwise(upright) : upright;
  const dir = mkdtempSync(join(tmpdir(), "quantlite-big-photo-"));
  try {
    const ppm = join(dir, "photo.ppm");
    const jpeg = join(dir, "photo.jpg");
    writeFileSync(ppm, Buffer.concat([Buffer.from(`P6\n${stored.width} ${stored.height}\n255\n`), stored.data]));
    const result = spawnSync("cjpeg", ["-quality", "90", "-outfile", jpeg, ppm], { encoding: "utf8" });
    if (result.error !== undefined || result.status !== 0) {
      throw new Error(`cjpeg failed (apt-get install -y libjpeg-turbo-progs): ${result.error?.message ?? result.stderr}`);
    }
    return turned ? Buffer.from(withOrientation(readFileSync(jpeg), 6, true)) : readFileSync(jpeg);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The image turned a quarter counter-clockwise: what EXIF Orientation 6 turns back clockwise. */
function turnCounterClockwise({ width, height, data }: RgbImage): RgbImage {
  const turned = new Uint8Array(data.length);
  // Stored pixel (x, y) of the height × width result is upright pixel (width - 1 - y, x).
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      const from = 3 * (x * width + (width - 1 - y));
      turned.set(data.subarray(from, from + 3), 3 * (y * height + x));
    }
  }
  return { width: height, height: width, data: turned };
}

