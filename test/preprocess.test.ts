// Image preprocessing: decoders (JPEG, PNG, BMP), central crop, bilinear resize, input
// conversion. The golden tests check that shared/golden's model inputs are reproduced byte for
// byte; the rest builds small images (test/image-builder.ts, and PNGs through UPNG's encoder) and
// feeds hostile data, which must always end in an ImageError.
import UPNG from "upng-js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError, InputError } from "../js/errors.js";
import {
  centralCrop,
  decodeImage,
  type InputTarget,
  preprocessImage,
  quantizeInput,
  resizeBilinear,
  type RgbImage,
} from "../js/preprocess/index.js";
import { dataPath, readData } from "./data.js";
import { PNG_SIGNATURE, concat, makeBmp, makeJpeg, makePng, pngChunk, randomBytes, randomImage } from "./image-builder.js";

const INPUT_SIZE = 224;
const INPUT_BYTES = INPUT_SIZE * INPUT_SIZE * 3;

const isInputError = (error: unknown) => error instanceof InputError;
const isImageError = (error: unknown) => error instanceof ImageError;

// ---------------------------------------------------------------- golden inputs

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Preprocesses every image listed in a golden index and counts the byte-identical results. */
function countIdentical(index: string, pixels: string, imageDir: string): number | null {
  const indexBytes = readData(`golden/${index}`);
  const golden = readData(`golden/${pixels}`);
  if (indexBytes === null || golden === null || dataPath(imageDir) === null) return null;
  const images: { file: string }[] = JSON.parse(new TextDecoder().decode(indexBytes)).images;
  assert.is(golden.length, images.length * INPUT_BYTES);
  let identical = 0;
  const mismatches: string[] = [];
  images.forEach(({ file }, i) => {
    const bytes = readData(`${imageDir}/${file}`);
    if (bytes === null) return;
    const input = preprocessImage(bytes, { width: INPUT_SIZE, height: INPUT_SIZE, decoder: "jpeg-js", orientation: "ignore" });
    const expected = golden.subarray(i * INPUT_BYTES, (i + 1) * INPUT_BYTES);
    if (sameBytes(input, expected)) identical++;
    else mismatches.push(file);
  });
  console.log(`  ${index}: ${identical}/${images.length} images byte-identical to ${pixels}`);
  assert.equal(mismatches, [], `not identical: ${mismatches.slice(0, 10).join(", ")}`);
  return identical;
}

test("the 11 sample images reproduce golden/samples.u8.bin byte for byte", () => {
  const identical = countIdentical("samples.json", "samples.u8.bin", "images/samples");
  if (identical !== null) assert.is(identical, 11);
});

test("the 500 ImageNet JPEGs reproduce golden/inputs.u8.bin byte for byte", () => {
  const identical = countIdentical("inputs.json", "inputs.u8.bin", "imagenet-sample");
  if (identical !== null) assert.is(identical, 500);
});

// ---------------------------------------------------------------- BMP

function assertImage(actual: RgbImage, expected: RgbImage, what: string): void {
  assert.is(actual.width, expected.width, `${what}: width`);
  assert.is(actual.height, expected.height, `${what}: height`);
  assert.equal(Array.from(actual.data), Array.from(expected.data), `${what}: pixels`);
}

test("BMP: 24- and 32-bit, bottom-up and top-down, widths needing row padding", () => {
  for (const width of [1, 2, 3, 5, 7, 8]) {
    for (const height of [1, 4]) {
      const image = randomImage(width, height, width * 10 + height);
      for (const bitCount of [24, 32] as const) {
        for (const topDown of [false, true]) {
          for (const headerSize of [40, 124]) {
            const what = `${width}x${height} ${bitCount}-bit ${topDown ? "top-down" : "bottom-up"} header ${headerSize}`;
            assertImage(decodeImage(makeBmp({ image, bitCount, topDown, headerSize })), image, what);
          }
        }
      }
    }
  }
});

test("BMP: 32-bit BI_BITFIELDS with 8-bit and narrower masks", () => {
  const image = randomImage(5, 3, 77);
  const rgbx: [number, number, number] = [0x000000ff, 0x0000ff00, 0x00ff0000];
  for (const headerSize of [40, 124]) {
    assertImage(decodeImage(makeBmp({ image, bitCount: 32, masks: rgbx, headerSize })), image, `RGBX, header ${headerSize}`);
  }
  // 5-6-5 bits: each stored value v of n bits comes back as round(v * 255 / (2^n - 1)).
  const masks565: [number, number, number] = [0xf800, 0x07e0, 0x001f];
  const decoded = decodeImage(makeBmp({ image, bitCount: 32, masks: masks565, topDown: true }));
  const expected = image.data.map((value, i) => {
    const bits = [5, 6, 5][i % 3];
    return Math.round(((value >>> (8 - bits)) * 255) / (2 ** bits - 1));
  });
  assertImage(decoded, { ...image, data: expected }, "5-6-5 masks");
});

test("BMP: 8-bit palette", () => {
  const palette = [[0, 0, 0], [255, 255, 255], [200, 10, 30], [1, 2, 3], [90, 180, 45]];
  const indices = randomBytes(7 * 3, 5).map((b) => b % palette.length);
  const image: RgbImage = { width: 7, height: 3, data: new Uint8Array(Array.from(indices, (i) => palette[i]).flat()) };
  for (const topDown of [false, true]) {
    assertImage(decodeImage(makeBmp({ image, bitCount: 8, palette, topDown })), image, `palette, top-down ${topDown}`);
  }
});

// ---------------------------------------------------------------- PNG

/** `count` random sample values of `depth` bits. */
function randomSamples(count: number, depth: number, seed: number): number[] {
  const bytes = randomBytes(2 * count, seed);
  return Array.from({ length: count }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]) & (2 ** depth - 1));
}

/** The 8-bit value of a PNG sample: scaled up from fewer bits, or the high byte of 16. */
function to8Bit(value: number, depth: number): number {
  return depth === 16 ? value >> 8 : (value * 255) / (2 ** depth - 1);
}

test("PNG: grey, grey+alpha, RGB and RGBA at every bit depth, interlaced or not; alpha dropped", () => {
  const cases: [0 | 2 | 4 | 6, (1 | 2 | 4 | 8 | 16)[]][] = [
    [0, [1, 2, 4, 8, 16]],
    [2, [8, 16]],
    [4, [8, 16]],
    [6, [8, 16]],
  ];
  for (const [colorType, depths] of cases) {
    const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
    for (const depth of depths) {
      for (const interlaced of depth === 1 ? [false] : [false, true]) {
        for (const [width, height] of [[1, 1], [5, 3], [13, 9]]) {
          const samples = randomSamples(width * height * channels, depth, width * 100 + depth + colorType);
          const rgb = Array.from({ length: width * height }, (_, p) => {
            const pixel = samples.slice(p * channels, (p + 1) * channels).map((v) => to8Bit(v, depth));
            return channels <= 2 ? [pixel[0], pixel[0], pixel[0]] : pixel.slice(0, 3);
          });
          const what = `colour type ${colorType}, ${depth}-bit, ${width}x${height}${interlaced ? ", interlaced" : ""}`;
          const png = makePng({ width, height, colorType, depth, samples, interlaced });
          assertImage(decodeImage(png), { width, height, data: new Uint8Array(rgb.flat()) }, what);
        }
      }
    }
  }
});

test("PNG: palette images at 1, 2, 4 and 8 bits", () => {
  for (const depth of [1, 2, 4, 8] as const) {
    const colors = 2 ** depth;
    const palette = Array.from(randomBytes(3 * colors, depth));
    const indices = randomSamples(11 * 6, depth, 31 + depth);
    const expected = new Uint8Array(indices.flatMap((i) => palette.slice(3 * i, 3 * i + 3)));
    for (const interlaced of depth === 1 ? [false] : [false, true]) {
      const png = makePng({ width: 11, height: 6, colorType: 3, depth, samples: indices, palette, interlaced });
      assertImage(decodeImage(png), { width: 11, height: 6, data: expected }, `palette ${depth}-bit interlaced ${interlaced}`);
    }
  }
});

test("PNG: files written by UPNG.encode (RGBA with alpha, opaque RGB, palette)", () => {
  const width = 9;
  const height = 7;
  const rgba = randomBytes(width * height * 4, 99);
  const opaque = rgba.map((v, i) => (i % 4 === 3 ? 255 : v));
  const fewColors = rgba.map((v, i) => (i % 4 === 3 ? 255 : v & 0xc0)); // at most 64 colours
  const cases: [string, Uint8Array, boolean, number][] = [
    ["RGBA", rgba, true, 6],
    ["RGB", opaque, true, 2],
    ["palette", fewColors, false, 3],
  ];
  for (const [name, pixels, forbidPalette, colorType] of cases) {
    const png = new Uint8Array(UPNG.encode([pixels.slice().buffer], width, height, 0, undefined, forbidPalette));
    assert.is(png[25], colorType, `${name}: the encoder wrote colour type ${png[25]}`);
    const expected = pixels.filter((_, i) => i % 4 !== 3);
    assertImage(decodeImage(png), { width, height, data: expected }, name);
  }
});

test("PNG: ancillary chunks upng-js would mishandle are skipped", () => {
  const samples = [10, 20, 30, 40, 50, 60];
  // A tEXt chunk without the zero byte after its keyword: UPNG alone would loop forever on it.
  const text = pngChunk("tEXt", new Uint8Array([0x41, 0x42, 0x43]));
  const png = makePng({ width: 2, height: 1, colorType: 2, depth: 8, samples, extra: [text] });
  assert.equal(Array.from(decodeImage(png).data), samples);
});

// ---------------------------------------------------------------- JPEG (through jpeg-js's encoder)

test("JPEG: decodes to 3 bytes per pixel of the declared size", () => {
  const decoded = decodeImage(makeJpeg(37, 21));
  assert.is(decoded.width, 37);
  assert.is(decoded.height, 21);
  assert.is(decoded.data.length, 37 * 21 * 3);
});

// ---------------------------------------------------------------- crop and resize

test("centralCrop follows tf.image.central_crop on odd and even sizes", () => {
  // start = trunc((size - size * 0.875) / 2), length = size - 2 * start
  const known: [number, number, number][] = [[1, 0, 1], [7, 0, 7], [8, 0, 8], [9, 0, 9], [16, 1, 14], [17, 1, 15], [375, 23, 329], [500, 31, 438]];
  for (const [size, start, length] of known) {
    const image: RgbImage = { width: size, height: 3, data: new Uint8Array(size * 3 * 3).map((_, i) => i % 251) };
    const cropped = centralCrop(image);
    assert.is(cropped.width, length, `size ${size}`);
    assert.is(cropped.height, 3);
    for (let y = 0; y < 3; y++) {
      const from = 3 * (y * size + start);
      assert.equal(Array.from(cropped.data.subarray(3 * y * length, 3 * (y + 1) * length)), Array.from(image.data.subarray(from, from + 3 * length)));
    }
  }
  const image = randomImage(5, 11, 3);
  const half = centralCrop(image, 0.5); // x: trunc(1.25) = 1; y: trunc(2.75) = 2
  assert.is(half.width, 3);
  assert.is(half.height, 7);
  assert.equal(Array.from(half.data.subarray(0, 3)), Array.from(image.data.subarray(3 * (2 * 5 + 1), 3 * (2 * 5 + 1) + 3)));
  assert.is(centralCrop(image, 1), image);
  for (const fraction of [0, -0.5, 1.5, Number.NaN]) assert.throws(() => centralCrop(image, fraction), isInputError);
});

/** Bilinear resize written pixel by pixel from the formulas, without tables. */
function referenceResize(image: RgbImage, outWidth: number, outHeight: number): RgbImage {
  const data = new Uint8Array(outWidth * outHeight * 3);
  const at = (x: number, y: number, c: number) => image.data[(y * image.width + x) * 3 + c];
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const sy = (y + 0.5) * (image.height / outHeight) - 0.5;
      const sx = (x + 0.5) * (image.width / outWidth) - 0.5;
      const y0 = Math.max(Math.floor(sy), 0);
      const y1 = Math.min(Math.ceil(sy), image.height - 1);
      const x0 = Math.max(Math.floor(sx), 0);
      const x1 = Math.min(Math.ceil(sx), image.width - 1);
      const fy = sy - Math.floor(sy);
      const fx = sx - Math.floor(sx);
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) + (at(x1, y0, c) - at(x0, y0, c)) * fx;
        const bottom = at(x0, y1, c) + (at(x1, y1, c) - at(x0, y1, c)) * fx;
        const value = top + (bottom - top) * fy;
        const whole = Math.floor(value);
        const rounded = value - whole >= 0.5 ? whole + 1 : whole; // half away from zero (value >= 0)
        data[(y * outWidth + x) * 3 + c] = Math.min(255, Math.max(0, rounded));
      }
    }
  }
  return { width: outWidth, height: outHeight, data };
}

test("resizeBilinear matches a direct per-pixel implementation on tiny images", () => {
  const sizes = [[1, 1], [2, 1], [1, 3], [2, 3], [3, 2], [5, 7], [4, 4], [7, 5], [16, 9]];
  let seed = 1;
  for (const [inWidth, inHeight] of sizes) {
    for (const [outWidth, outHeight] of sizes) {
      const image = randomImage(inWidth, inHeight, seed++);
      const what = `${inWidth}x${inHeight} -> ${outWidth}x${outHeight}`;
      assertImage(resizeBilinear(image, outWidth, outHeight), referenceResize(image, outWidth, outHeight), what);
    }
  }
});

test("resizeBilinear: half-pixel centres, ties rounded away from zero, identity at the same size", () => {
  const grey = (values: number[]): RgbImage => ({ width: values.length, height: 1, data: new Uint8Array(values.flatMap((v) => [v, v, v])) });
  const firstChannel = (image: RgbImage) => Array.from(image.data.filter((_, i) => i % 3 === 0));
  // Source positions -0.25, 0.25, 0.75, 1.25: 0, 63.75, 191.25, 255.
  assert.equal(firstChannel(resizeBilinear(grey([0, 255]), 4, 1)), [0, 64, 191, 255]);
  // 0.5 and 1.5 round up (round half to even would give 0 and 2).
  assert.equal(firstChannel(resizeBilinear(grey([0, 2]), 4, 1)), [0, 1, 2, 2]);
  assert.equal(firstChannel(resizeBilinear(grey([0, 6]), 4, 1)), [0, 2, 5, 6]); // 1.5 -> 2, 4.5 -> 5
  const image = randomImage(6, 4, 8);
  assertImage(resizeBilinear(image, 6, 4), image, "same size");
  for (const size of [0, -1, 2.5, Number.NaN]) assert.throws(() => resizeBilinear(image, size, 4), isInputError);
});

test("preprocessImage: decode, crop, resize; crop 1 is a plain resize", () => {
  const image = randomImage(40, 30, 12);
  const bmp = makeBmp({ image, bitCount: 24 });
  assert.equal(Array.from(preprocessImage(bmp, { width: 8, height: 6 })), Array.from(resizeBilinear(centralCrop(image), 8, 6).data));
  assert.equal(Array.from(preprocessImage(bmp, { width: 8, height: 6, crop: 1 })), Array.from(resizeBilinear(image, 8, 6).data));
});

test("quantizeInput: uint8 as is, int8 minus 128, float32 normalised", () => {
  const rgb = new Uint8Array([0, 127, 128, 255, 1, 254]);
  assert.is(quantizeInput(rgb, { dtype: "uint8", scale: 1 / 128, zeroPoint: 128 }), rgb);
  assert.equal(Array.from(quantizeInput(rgb, { dtype: "int8", scale: 1 / 127.5, zeroPoint: -1 })), [-128, -1, 0, 127, -127, 126]);
  const normalised = quantizeInput(rgb, { dtype: "float32", scale: 1, zeroPoint: 0 });
  assert.ok(normalised instanceof Float32Array);
  assert.equal(Array.from(normalised), Array.from(rgb, (v) => Math.fround((v - 127.5) / 127.5)));
  const custom = quantizeInput(rgb, { dtype: "float32", scale: 1, zeroPoint: 0, mean: [0, 100, 200], std: [1, 2, 4] });
  assert.equal(Array.from(custom), [0, 13.5, -18, 255, -49.5, 13.5]);
  assert.throws(() => quantizeInput(rgb, { dtype: "float32", scale: 1, zeroPoint: 0, mean: [1, 2] }), isInputError);
  assert.throws(() => quantizeInput(rgb, { dtype: "float32", scale: 1, zeroPoint: 0, std: [0] }), isInputError);
  const int16 = { dtype: "int16", scale: 1, zeroPoint: 0 } as unknown as InputTarget;
  assert.throws(() => quantizeInput(rgb, int16), isInputError);
});

// ---------------------------------------------------------------- hostile input

/** Decoding must fail with an ImageError whose message matches `reason`, if given. */
function assertRejected(bytes: Uint8Array, what: string, reason?: RegExp): void {
  let error: unknown = null;
  try {
    decodeImage(bytes);
  } catch (thrown) {
    error = thrown;
  }
  assert.ok(error !== null, `${what}: decoded without an error`);
  assert.ok(error instanceof ImageError, `${what}: threw ${String(error)} instead of an ImageError`);
  if (reason) assert.match((error as ImageError).message, reason, what);
}

function truncations(file: Uint8Array): number[] {
  const lengths = [0, 1, 2, 3, 8, 14, 20, 30, 54, 60, 100, file.length >> 2, file.length >> 1, file.length - 20, file.length - 1];
  return lengths.filter((n) => n < file.length);
}

test("hostile: empty, random and truncated data always end in an ImageError", () => {
  const heapBefore = process.memoryUsage().rss;
  assertRejected(new Uint8Array(0), "empty", /empty/);
  const magics = [[], [0xff, 0xd8, 0xff], Array.from(PNG_SIGNATURE), [0x42, 0x4d]];
  for (let seed = 1; seed <= 400; seed++) {
    const magic = magics[seed % magics.length];
    const bytes = randomBytes(magic.length + ((seed * 37) % 600), seed);
    bytes.set(magic);
    assertRejected(bytes, `random bytes #${seed}`);
  }
  const image = randomImage(33, 17, 4);
  const files: [string, Uint8Array][] = [
    ["JPEG", makeJpeg(33, 17)],
    ["PNG", makePng({ width: 33, height: 17, colorType: 2, depth: 8, samples: Array.from(image.data) })],
    ["interlaced PNG", makePng({ width: 33, height: 17, colorType: 2, depth: 8, samples: Array.from(image.data), interlaced: true })],
    ["BMP 24", makeBmp({ image, bitCount: 24 })],
    ["BMP 32 bitfields", makeBmp({ image, bitCount: 32, masks: [0xff, 0xff00, 0xff0000] })],
  ];
  for (const [name, file] of files) {
    const whole = decodeImage(file); // the whole file is fine
    for (const length of truncations(file)) {
      // A JPEG cut inside its final EOI marker has all its image data: it decodes (libjpeg only warns).
      if (name === "JPEG" && length >= file.length - 2) assert.equal(decodeImage(file.subarray(0, length)).data, whole.data, `${name} cut to ${length} bytes`);
      else assertRejected(file.subarray(0, length), `${name} cut to ${length} bytes`);
    }
  }
  const grown = (process.memoryUsage().rss - heapBefore) / 2 ** 20;
  assert.ok(grown < 200, `resident memory grew by ${grown.toFixed(0)} MiB`);
});

test("hostile: declared sizes far beyond the data or the limits are rejected before allocating", () => {
  const image = randomImage(10, 2, 6);
  // BMP declaring 100000 x 100000 with 100 bytes of data, and 5000 x 5000 (under the pixel limit).
  for (const [width, height] of [[100_000, 100_000], [5000, 5000], [5000, -5000]]) {
    const bmp = makeBmp({ image, bitCount: 24 }).slice(0, 100);
    new DataView(bmp.buffer).setInt32(18, width, true);
    new DataView(bmp.buffer).setInt32(22, height, true);
    assertRejected(bmp, `BMP ${width}x${height}`, /limit|truncated/);
  }
  // JPEG whose frame header claims 65535 x 65535, and 4000 x 4000 (under the limits).
  const jpeg = makeJpeg(16, 16);
  const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
  for (const size of [65535, 4000]) {
    const bomb = jpeg.slice();
    new DataView(bomb.buffer).setUint16(sof + 5, size);
    new DataView(bomb.buffer).setUint16(sof + 7, size);
    assertRejected(bomb, `JPEG ${size}x${size}`, /limit|larger than 65500|cannot be coded/);
  }
  // PNG declaring 60000 x 60000, and 4000 x 4000 (under the limits) with a few bytes of IDAT.
  for (const size of [60_000, 4000]) {
    const png = makePng({ width: 1, height: 1, colorType: 2, depth: 8, samples: [1, 2, 3] });
    new DataView(png.buffer).setUint32(16, size);
    new DataView(png.buffer).setUint32(20, size);
    assertRejected(png, `PNG ${size}x${size}`, /limit|cannot hold/);
  }
  // A small image is still refused when the caller's limits are lower.
  assert.throws(() => decodeImage(makeBmp({ image: randomImage(20, 20, 1), bitCount: 24 }), { limits: { maxPixels: 399 } }), isImageError);
  assert.throws(() => decodeImage(makeJpeg(64, 64), { limits: { maxPixels: 4000 } }), isImageError);
  assert.throws(() => decodeImage(makeJpeg(64, 64), { limits: { maxPixels: 0 } }), isInputError);
});

test("hostile: zero-size images, bad headers and unsupported formats", () => {
  const bmp = makeBmp({ image: randomImage(3, 2, 6), bitCount: 24 });
  for (const [offset, value, what] of [[18, 0, "width 0"], [22, 0, "height 0"], [18, -3, "negative width"]] as const) {
    const bad = bmp.slice();
    new DataView(bad.buffer).setInt32(offset, value, true);
    assertRejected(bad, `BMP ${what}`, /invalid image size/);
  }
  const core = bmp.slice();
  new DataView(core.buffer).setUint32(14, 12, true);
  assertRejected(core, "BMP core header", /unsupported header/);
  const rle = bmp.slice();
  new DataView(rle.buffer).setUint32(30, 1, true);
  assertRejected(rle, "BMP RLE8", /unsupported pixel format/);

  const png = makePng({ width: 2, height: 2, colorType: 0, depth: 8, samples: [1, 2, 3, 4] });
  const zeroWidth = png.slice();
  new DataView(zeroWidth.buffer).setUint32(16, 0);
  assertRejected(zeroWidth, "PNG width 0", /invalid image size/);
  const badDepth = png.slice();
  badDepth[24] = 3;
  assertRejected(badDepth, "PNG depth 3", /bit depth/);
  const hugeChunk = png.slice();
  new DataView(hugeChunk.buffer).setUint32(33, 0xfffffff0); // the IDAT length
  assertRejected(hugeChunk, "PNG chunk length past the end", /truncated/);
  assertRejected(makePng({ width: 2, height: 1, colorType: 3, depth: 8, samples: [0, 1] }), "PNG palette image without PLTE", /PLTE/);
  // A zlib stream cut short inside a complete chunk structure.
  const short = makePng({ width: 64, height: 64, colorType: 2, depth: 8, samples: Array.from(randomBytes(64 * 64 * 3, 2)) });
  const idatLength = new DataView(short.buffer).getUint32(33);
  const cut = concat([short.subarray(0, 33), pngChunk("IDAT", short.subarray(41, 41 + (idatLength >> 1))), pngChunk("IEND", new Uint8Array(0))]);
  assertRejected(cut, "PNG with half its zlib stream", /truncated|corrupt/);

  const jpeg = makeJpeg(16, 16);
  const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
  const zeroHeight = jpeg.slice();
  new DataView(zeroHeight.buffer).setUint16(sof + 5, 0);
  assertRejected(zeroHeight, "JPEG height 0", /invalid image size|empty image/);
  const arithmetic = jpeg.slice();
  arithmetic[sof + 1] = 0xc9;
  assertRejected(arithmetic, "arithmetic-coded JPEG", /unsupported coding process|arithmetic coding is not supported/);

  assertRejected(new TextEncoder().encode("GIF89a and then some more bytes"), "GIF", /unknown image format/);
  assert.throws(() => decodeImage([1, 2, 3] as unknown as Uint8Array), isInputError);
});

test.run();
