// quantlite's JPEG decoder as the SDK uses it (js/preprocess/jpeg/decode-jpeg.ts): EXIF
// orientation, the DCT scale preprocessImage picks, rows streamed into the crop and resize, corrupt
// data refused unless the caller takes warnings, and the memory a 50 MP photo needs. The pixels
// themselves are compared with djpeg in jpeg-djpeg.test.ts; here the expected values come from
// djpeg, from test/exif.ts's transforms, or from the whole-image path.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError, decodeImage, decodeImageToPnm, preprocessImage } from "../js/index.js";
import type { RgbImage } from "../js/preprocess/image.js";
import type { Orientation } from "../js/preprocess/orientation.js";
import { cropResize } from "../js/preprocess/resize.js";
import { cjpeg, djpegRaster, gradient, jpegToolsAvailable, noise, parsePnm, type Raster, samplePhotos } from "./jpeg-corpus.js";
import { upright, withOrientation } from "./exif.js";

const ORIENTATIONS: Orientation[] = [1, 2, 3, 4, 5, 6, 7, 8];
const CLI = new URL("../js/cli.js", import.meta.url).pathname;

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  let first = -1;
  for (let i = 0; i < actual.length && first < 0; i++) if (actual[i] !== expected[i]) first = i;
  assert.ok(first < 0, `${what}: first difference at byte ${first}`);
}

const rgb = (raster: Raster): RgbImage => ({ width: raster.width, height: raster.height, data: raster.data });

/** A photo-like test picture: a sample photo tiled over it, or (without the data) noise on a gradient. */
function picture(width: number, height: number): Raster {
  const photo = samplePhotos()?.[0];
  if (photo === undefined) {
    const base = gradient(width, height);
    const grain = noise(width, height, 5);
    return { ...base, data: base.data.map((v, i) => (v + (grain.data[i] >> 3)) & 255) };
  }
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = photo.data.subarray(3 * (y % photo.height) * photo.width, 3 * ((y % photo.height) + 1) * photo.width);
    for (let x = 0; x < width; x += photo.width) data.set(row.subarray(0, 3 * Math.min(photo.width, width - x)), 3 * (y * width + x));
  }
  return { width, height, channels: 3, data };
}

test("EXIF orientation 1–8: decodeImage turns djpeg's pixels upright; the streamed crop + resize equals the same steps on that image", () => {
  if (!jpegToolsAvailable("EXIF orientation through the JPEG decoder")) return;
  const stored = cjpeg(picture(61, 37), ["-quality", "90", "-sample", "2x2"]);
  for (const scale of [1, 3, 8]) {
    const asStored = rgb(djpegRaster(stored, ["-scale", `${scale}/8`]));
    for (const orientation of ORIENTATIONS) {
      for (const little of [false, true]) {
        const jpeg = withOrientation(stored, orientation, little);
        const expected = upright(asStored, orientation);
        const decoded = decodeImage(jpeg, { scale: scale / 8 });
        assert.is(decoded.width, expected.width, `orientation ${orientation}, scale ${scale}/8: width`);
        sameBytes(decoded.data, expected.data, `decodeImage, orientation ${orientation}, scale ${scale}/8`);
        sameBytes(decodeImage(jpeg, { scale: scale / 8, orientation: "ignore" }).data, asStored.data, `orientation ignored, ${orientation}`);
        const streamed = preprocessImage(jpeg, { width: 19, height: 23, crop: 0.875, scale: scale / 8 });
        sameBytes(streamed, cropResize(expected, { crop: 0.875, width: 19, height: 23 }).data, `preprocessImage, orientation ${orientation}, scale ${scale}/8`);
      }
    }
  }
});

test("preprocessImage decodes at the smallest M/8 whose central crop covers the input, and streams exactly what the whole image gives", () => {
  if (!jpegToolsAvailable("the DCT scale preprocessImage picks")) return;
  // 600×450, crop 0.875: at 4/8, 300×225 crops to 264×197, too short for 224×224; at 5/8, 375×282
  // crops to 329×248. A 250×100 input fits at 4/8 (264×197) but not at 3/8 (225×169 → 197×…).
  const jpeg = cjpeg(picture(600, 450), ["-quality", "85"]);
  const auto = preprocessImage(jpeg, { width: 224, height: 224 });
  sameBytes(auto, preprocessImage(jpeg, { width: 224, height: 224, scale: 5 / 8 }), "auto = 5/8");
  assert.not.equal(Array.from(auto), Array.from(preprocessImage(jpeg, { width: 224, height: 224, scale: 4 / 8 })), "auto ≠ 4/8");
  // The scale is chosen on the upright image: turned a quarter, 450 wide needs the same M.
  const turned = withOrientation(jpeg, 6);
  sameBytes(preprocessImage(turned, { width: 224, height: 224 }), preprocessImage(turned, { width: 224, height: 224, scale: 5 / 8 }), "turned: auto = 5/8");
  // A small picture decodes at full size; a wide model input (250×100) needs M = 4 across.
  const small = cjpeg(picture(200, 150), ["-quality", "85"]);
  sameBytes(preprocessImage(small, { width: 224, height: 224 }), preprocessImage(small, { width: 224, height: 224, scale: 1 }), "small: full size");
  sameBytes(preprocessImage(jpeg, { width: 250, height: 100 }), preprocessImage(jpeg, { width: 250, height: 100, scale: 4 / 8 }), "250×100: 4/8");
  // Streaming skips the rows nobody reads: the result equals crop + resize of the whole image, at every scale and sampling.
  for (const sample of ["1x1", "2x1", "2x2", "1x2", "4x1"]) {
    const file = cjpeg(picture(333, 251), ["-quality", "80", "-sample", sample]);
    for (let m = 1; m <= 8; m++) {
      const whole = decodeImage(file, { scale: m / 8 });
      for (const [width, height, crop] of [[224, 224, 0.875], [17, 5, 1], [40, 90, 0.5]] as const) {
        sameBytes(preprocessImage(file, { width, height, crop, scale: m / 8 }), cropResize(whole, { crop, width, height }).data, `${sample} ${m}/8 → ${width}×${height} crop ${crop}`);
      }
    }
  }
});

test("corrupt or truncated image data: an ImageError, or libjpeg's image with onWarning; a missing EOI alone is fine", () => {
  if (!jpegToolsAvailable("truncated JPEGs")) return;
  const whole = cjpeg(picture(160, 120), ["-quality", "90"]);
  const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
  assert.throws(() => decodeImage(cut), (e: unknown) => e instanceof ImageError && /truncated.*onWarning/.test(e.message));
  assert.throws(() => preprocessImage(cut, { width: 32, height: 32 }), (e: unknown) => e instanceof ImageError);
  const messages: string[] = [];
  const lenient = decodeImageToPnm(cut, { onWarning: (message) => messages.push(message) });
  assert.is(messages.length, 1);
  assert.match(messages[0], /corrupt or truncated image data/);
  const djpeg = parsePnm(lenient);
  assert.is(djpeg.width, 160);
  // Without its EOI marker the image data is complete: it decodes, and only onWarning hears of it.
  const noEoi = whole.subarray(0, whole.length - 2);
  sameBytes(decodeImage(noEoi).data, decodeImage(whole).data, "missing EOI");
  const structure: string[] = [];
  decodeImage(noEoi, { onWarning: (message) => structure.push(message) });
  assert.is(structure.length, 1);
  assert.match(structure[0], /structure/);
  // A progressive file cut between scans lacks coefficients: refused without onWarning too.
  const progressive = cjpeg(picture(160, 120), ["-quality", "90", "-progressive"]);
  const scans = [...progressive.keys()].filter((i) => progressive[i] === 0xff && progressive[i + 1] === 0xda);
  assert.ok(scans.length > 3);
  assert.throws(() => decodeImage(progressive.subarray(0, scans[3])), (e: unknown) => e instanceof ImageError && /truncated/.test(e.message));
});

test("a 50 MP photo decodes for a 224×224 input within 32 MiB of decoder memory (the file's copy included)", () => {
  if (!jpegToolsAvailable("the 50 MP memory bound")) return;
  const width = 8192;
  const height = 6144;
  const jpeg = cjpeg(picture(width, height), ["-quality", "90", "-sample", "2x2"]);
  const pixels = preprocessImage(jpeg, { width: 224, height: 224, limits: { maxMemoryMB: 32 } });
  assert.is(pixels.length, 224 * 224 * 3);
  // The limit is real: 1 MiB cannot hold the file's copy, and the error names limit and image.
  assert.ok(jpeg.length > 1048576, `${jpeg.length} bytes`);
  assert.throws(
    () => preprocessImage(jpeg, { width: 224, height: 224, limits: { maxMemoryMB: 1 } }),
    (e: unknown) => e instanceof ImageError && /over the limit of 1 MiB/.test(e.message) && /8192x6144/.test(e.message),
  );
});

test("quantlite decode writes djpeg's bytes; usage errors exit 2, unreadable or unwritable files exit 1, in one line each", () => {
  if (!jpegToolsAvailable("quantlite decode against djpeg")) return;
  const dir = mkdtempSync(join(tmpdir(), "quantlite-decode-"));
  const cli = (args: string[]) => spawnSync(process.execPath, [CLI, "decode", ...args], { encoding: "utf8" });
  try {
    const jpeg = join(dir, "photo.jpg");
    writeFileSync(jpeg, cjpeg(picture(97, 61), ["-quality", "75", "-sample", "2x1"]));
    for (const scale of ["1/8", "5/8", "8/8"]) {
      const out = join(dir, `photo-${scale[0]}.ppm`);
      const result = cli([jpeg, "--out", out, "--scale", scale]);
      assert.is(result.status, 0, result.stderr);
      sameBytes(new Uint8Array(readFileSync(out)), new Uint8Array(spawnSync("djpeg", ["-dct", "int", "-scale", scale, jpeg]).stdout), `decode --scale ${scale}`);
    }
    const failures: [string[], number, RegExp][] = [
      [[jpeg, "--out", join(dir, "x.ppm"), "--scale", "1/2"], 2, /--scale takes M\/8/],
      [[jpeg], 2, /decode needs --out/],
      [[jpeg, "--out", join(dir, "x.ppm"), "--orientation", "auto"], 2, /--orientation takes exif or ignore/],
      [[join(dir, "missing.jpg"), "--out", join(dir, "x.ppm")], 1, /cannot read .*missing\.jpg: ENOENT/],
      [[jpeg, "--out", join(dir, "no", "such", "x.ppm")], 1, /cannot write .*x\.ppm: ENOENT/],
    ];
    for (const [args, status, pattern] of failures) {
      const result = cli(args);
      assert.is(result.status, status, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, pattern);
      assert.ok(result.stderr.trim().split("\n").length <= 2, result.stderr);
    }
    assert.equal(readdirSync(dir).filter((name) => name.endsWith(".tmp")), [], "no temporary file left");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
