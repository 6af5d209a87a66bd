// The streaming PNG decoder (js/preprocess/png-stream.ts) against upng-js's whole-image decode:
// PNGs written here from the specification (every colour type and bit depth, every filter type
// at every row position including the first, odd widths, 1-row images, image data split into
// IDAT chunks at odd places) and by UPNG.encode decode to the same bytes as UPNG.decode +
// UPNG.toRGBA8 (alpha dropped) and, for the files written here, to the RGB the samples mean; the
// streamed orientation + crop + resize equals cropResize of UPNG's whole image byte for byte.
import { deflateSync } from "node:zlib";
import UPNG from "upng-js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError } from "../js/errors.js";
import { resolveLimits, type RgbImage } from "../js/preprocess/image.js";
import { preprocessImage } from "../js/preprocess/index.js";
import { decodePng, decodePngCropResize } from "../js/preprocess/png.js";
import { decodePngRows } from "../js/preprocess/png-stream.js";
import { cropResize, type CropResizeOptions } from "../js/preprocess/resize.js";
import { concat, PNG_SIGNATURE, pngChunk } from "./image-builder.js";
import { Rng } from "./random.js";

const LIMITS = resolveLimits();
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const WIDTHS = [1, 3, 7, 33];
const HEIGHTS = [1, 2, 5, 17];

interface Spec {
  width: number;
  height: number;
  colorType: number;
  depth: number;
  /** Row-major, the samples of a pixel adjacent. */
  samples: number[];
  /** RGB bytes, colour type 3 only. */
  palette?: number[];
  /** The filter type of row y. */
  filter: (y: number) => number;
  /** Sizes of the IDAT chunks the zlib stream is cut into, repeated; the rest goes into the last. */
  idatSizes?: number[];
  interlaced?: boolean;
  /** zlib level (default: Node's default, 6). */
  deflateLevel?: number;
}

function randomSpec(colorType: number, depth: number, width: number, height: number, seed: number, filter: (y: number) => number): Spec {
  const rng = new Rng(seed);
  const levels = 2 ** depth;
  const samples = Array.from({ length: width * height * CHANNELS[colorType] }, () => rng.u32() % levels);
  // Some palette indices lie past the palette's entries (those pixels read black).
  const entries = 1 + (rng.u32() % Math.min(levels, 256));
  const palette = colorType === 3 ? Array.from({ length: 3 * entries }, () => rng.u32() & 255) : undefined;
  return { width, height, colorType, depth, samples, palette, filter };
}

/** The PNG specification's Paeth predictor (section 9.4). */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** One row of samples packed as the specification says: high bits first, 16-bit big-endian, rows padded to bytes. */
function packRow(spec: Spec, samples: number[]): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((samples.length * spec.depth) / 8));
  samples.forEach((value, i) => {
    if (spec.depth === 16) bytes.set([value >> 8, value & 255], 2 * i);
    else {
      const bit = i * spec.depth;
      bytes[bit >> 3] |= value << (8 - spec.depth - (bit & 7));
    }
  });
  return bytes;
}

/** Filt(x) = Orig(x) - predictor(a, b, c) mod 256, preceded by the filter-type byte (section 9.2). */
function filterRow(type: number, row: Uint8Array, prior: Uint8Array, distance: number): Uint8Array {
  const out = new Uint8Array(1 + row.length);
  out[0] = type;
  for (let x = 0; x < row.length; x++) {
    const a = x >= distance ? row[x - distance] : 0;
    const b = prior[x];
    const c = x >= distance ? prior[x - distance] : 0;
    const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
    out[1 + x] = (row[x] - predictor) & 255;
  }
  return out;
}

const ADAM7 = [[0, 0, 8, 8], [0, 4, 8, 8], [4, 0, 8, 4], [0, 2, 4, 4], [2, 0, 4, 2], [0, 1, 2, 2], [1, 0, 2, 1]];

function encodePng(spec: Spec): Uint8Array {
  const { width, height, colorType, depth } = spec;
  const channels = CHANNELS[colorType];
  const distance = Math.max(1, (channels * depth) >> 3);
  const raw: Uint8Array[] = [];
  for (const [row0, col0, rowStep, colStep] of spec.interlaced ? ADAM7 : [[0, 0, 1, 1]]) {
    if (col0 >= width) continue;
    let prior: Uint8Array | null = null;
    for (let y = row0, passRow = 0; y < height; y += rowStep, passRow++) {
      const samples: number[] = [];
      for (let x = col0; x < width; x += colStep) samples.push(...spec.samples.slice((y * width + x) * channels, (y * width + x + 1) * channels));
      const row = packRow(spec, samples);
      raw.push(filterRow(spec.filter(passRow), row, prior ?? new Uint8Array(row.length), distance));
      prior = row;
    }
  }
  const stream = deflateSync(concat(raw), { level: spec.deflateLevel ?? -1 });
  const idat: Uint8Array[] = [];
  const sizes = spec.idatSizes ?? [];
  let offset = 0;
  for (let i = 0; sizes.length > 0 && offset + sizes[i % sizes.length] < stream.length; i++) {
    idat.push(pngChunk("IDAT", stream.subarray(offset, offset + sizes[i % sizes.length])));
    offset += sizes[i % sizes.length];
  }
  idat.push(pngChunk("IDAT", stream.subarray(offset)));
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([depth, colorType, 0, 0, spec.interlaced ? 1 : 0], 8);
  const palette = spec.palette ? [pngChunk("PLTE", new Uint8Array(spec.palette))] : [];
  return concat([PNG_SIGNATURE, pngChunk("IHDR", ihdr), ...palette, ...idat, pngChunk("IEND", new Uint8Array(0))]);
}

/** The RGB the samples mean: grey below 8 bits scaled to 0…255, 16 bits' high byte, palette entries (black past the end). */
function expectedRgb(spec: Spec): Uint8Array {
  const { colorType, depth, samples } = spec;
  const channels = CHANNELS[colorType];
  const to8 = (v: number) => (depth === 16 ? v >> 8 : depth === 8 ? v : (v * 255) / (2 ** depth - 1));
  const rgb = new Uint8Array(spec.width * spec.height * 3);
  for (let p = 0; p < spec.width * spec.height; p++) {
    const s = samples.slice(p * channels, (p + 1) * channels);
    const pixel =
      colorType === 3 ? [0, 1, 2].map((c) => spec.palette?.[3 * s[0] + c] ?? 0) : channels >= 3 ? s.slice(0, 3).map(to8) : [to8(s[0]), to8(s[0]), to8(s[0])];
    rgb.set(pixel, 3 * p);
  }
  return rgb;
}

/**
 * upng-js's whole image (UPNG.decode + UPNG.toRGBA8), alpha dropped. Grey below 8 bits goes in as
 * a palette image of the grey ramp: UPNG 2.1.0 unpacks such grey rows as if they were not padded
 * to whole bytes (its palette path pads them right).
 */
function upngWholeImage(png: Uint8Array): RgbImage {
  let file = png;
  const depth = png[24];
  if (png[25] === 0 && depth < 8) {
    const levels = 2 ** depth;
    const ramp = Uint8Array.from({ length: 3 * levels }, (_, i) => (Math.floor(i / 3) * 255) / (levels - 1));
    const ihdrEnd = 8 + 12 + 13;
    file = concat([png.subarray(0, ihdrEnd), pngChunk("PLTE", ramp), png.subarray(ihdrEnd)]);
    file[25] = 3;
  }
  const decoded = UPNG.decode(file.slice().buffer);
  const rgba = new Uint8Array(UPNG.toRGBA8(decoded)[0]);
  const data = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, o = 0; o < data.length; i += 4, o += 3) data.set(rgba.subarray(i, i + 3), o);
  return { width: decoded.width, height: decoded.height, data };
}

function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  const at = actual.findIndex((v, i) => v !== expected[i]);
  assert.is(at, -1, `${what}: first difference at byte ${at}: ${actual[at]} instead of ${expected[at]}`);
}

/** Output sizes, crops and orientations for the streamed crop + resize (shrinking, growing, axes swapped). */
function resizeCases(width: number, height: number): CropResizeOptions[] {
  return [
    { crop: 0.875, width: 3, height: 2, orientation: 1 },
    { crop: 1, width: width + 4, height: 2 * height + 1, orientation: 6 },
    { crop: 0.5, width: Math.max(1, width >> 1), height: Math.max(1, height >> 1), orientation: 3 },
    { crop: 0.875, width: 5, height: 4, orientation: 7 },
  ];
}

function checkFile(png: Uint8Array, spec: Spec | null, what: string): void {
  let reference = upngWholeImage(png);
  if (spec !== null) {
    const samples = { width: spec.width, height: spec.height, data: expectedRgb(spec) };
    // UPNG 2.1.0 gets interlaced images wrong when they are at most 4 pixels wide (it unfilters
    // the passes without columns as if they had rows, writing over the next pass's data).
    if (!(spec.interlaced && spec.width <= 4)) assertSameBytes(reference.data, samples.data, `${what}: UPNG against the samples (the test's own encoder)`);
    reference = samples;
  }
  const whole = decodePng(png, LIMITS);
  assert.equal([whole.width, whole.height], [reference.width, reference.height], `${what}: size`);
  assertSameBytes(whole.data, reference.data, `${what}: decodePng`);
  for (const options of resizeCases(reference.width, reference.height)) {
    const streamed = decodePngCropResize(png, { ...options, orientation: options.orientation ?? 1, limits: LIMITS });
    const expected = cropResize(reference, options);
    assertSameBytes(streamed.data, expected.data, `${what}: crop ${options.crop} to ${options.width}x${options.height}, orientation ${options.orientation}`);
  }
}

test("every colour type and bit depth, odd widths, 1-row images, each filter type on each row including the first", () => {
  let seed = 1;
  for (const colorType of [0, 2, 3, 4, 6]) {
    for (const depth of DEPTHS[colorType]) {
      for (const width of WIDTHS) {
        for (const height of HEIGHTS) {
          for (let first = 0; first < 5; first++) {
            const spec = randomSpec(colorType, depth, width, height, seed++, (y) => (first + y) % 5);
            checkFile(encodePng(spec), spec, `type ${colorType}, ${depth}-bit, ${width}x${height}, filters from ${first}`);
          }
        }
      }
    }
  }
});

test("smooth images (filters predict well) with random filter types per row", () => {
  for (const [colorType, depth] of [[2, 8], [6, 16], [0, 4], [4, 8], [3, 2]]) {
    const width = 61;
    const height = 23;
    const levels = 2 ** depth;
    const channels = CHANNELS[colorType];
    const samples = Array.from({ length: width * height * channels }, (_, i) => {
      const p = Math.floor(i / channels);
      return Math.floor(((p % width) * 3 + Math.floor(p / width) * 5 + (i % channels) * 40) * (levels / 256)) % levels;
    });
    const rng = new Rng(colorType * 100 + depth);
    const filters = Array.from({ length: height }, () => rng.u32() % 5);
    const palette = colorType === 3 ? Array.from({ length: 3 * levels }, (_, i) => (i * 53) & 255) : undefined;
    const spec: Spec = { width, height, colorType, depth, samples, palette, filter: (y) => filters[y] };
    checkFile(encodePng(spec), spec, `smooth type ${colorType}, ${depth}-bit`);
  }
});

test("image data split into IDAT chunks at odd places, empty ones included", () => {
  for (const idatSizes of [[1], [0, 1], [7, 0, 13], [2, 3, 1000], [5000]]) {
    const spec = randomSpec(2, 8, 33, 17, idatSizes.length, (y) => y % 5);
    spec.idatSizes = idatSizes;
    const png = encodePng(spec);
    checkFile(png, spec, `IDAT sizes ${idatSizes.join(", ")}`);
  }
  const spec = randomSpec(0, 1, 7, 5, 99, (y) => 4 - (y % 5));
  spec.idatSizes = [1];
  checkFile(encodePng(spec), spec, "1-bit grey, one byte per IDAT");
});

test("images of several 64 KiB pieces of inflated data, a piece ending where an IDAT chunk ends among them", () => {
  // 200x333 RGB: 200,133 bytes inflated. Stored (level 0) deflate blocks inflate byte for byte, so
  // one of these first-chunk sizes ends exactly where the first 64 KiB piece of output is full
  // (65,548 with Node 20's zlib), where png-stream.ts must leave the output buffer to pako.
  const spec = randomSpec(2, 8, 200, 333, 1234, (y) => y % 5);
  spec.deflateLevel = 0;
  const expected = expectedRgb(spec);
  for (let first = 65530; first < 65570; first++) {
    spec.idatSizes = [first, 1 << 20];
    assertSameBytes(decodePng(encodePng(spec), LIMITS).data, expected, `stored blocks, first IDAT of ${first} bytes`);
  }
  checkFile(encodePng(spec), spec, "stored blocks");
  for (const idatSizes of [[], [8192], [65536], [1, 99_999]]) {
    const compressed = randomSpec(6, 16, 160, 120, idatSizes.length, (y) => (y * 3) % 5);
    compressed.idatSizes = idatSizes;
    checkFile(encodePng(compressed), compressed, `RGBA 16-bit 160x120, IDAT sizes ${idatSizes.join(", ") || "one chunk"}`);
  }
});

test("files written by UPNG.encode: RGBA with alpha, opaque RGB, palette (lossy)", () => {
  const width = 97;
  const height = 41;
  const rng = new Rng(5);
  const smooth = (x: number, y: number, c: number) => (x * (c + 2) + y * (3 - c) + (rng.u32() & 7)) & 255;
  for (const [name, alpha, colours] of [["RGBA", true, 0], ["RGB", false, 0], ["palette", false, 256], ["palette 16", true, 16]] as const) {
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        rgba.set([smooth(x, y, 0), smooth(x, y, 1), smooth(x, y, 2), alpha ? (x * 7 + y) & 255 : 255], i);
      }
    }
    const png = new Uint8Array(UPNG.encode([rgba.buffer], width, height, colours));
    checkFile(png, null, `UPNG.encode ${name} (colour type ${png[25]}, ${png[24]}-bit)`);
  }
});

test("interlaced (Adam7) images of every colour type and bit depth, sizes that leave passes empty", () => {
  let seed = 5000;
  for (const colorType of [0, 2, 3, 4, 6]) {
    for (const depth of DEPTHS[colorType].filter((d) => d > 1)) {
      for (const [width, height] of [[1, 1], [1, 9], [9, 1], [3, 5], [33, 17], [8, 8]]) {
        const spec = randomSpec(colorType, depth, width, height, seed++, (y) => (seed + y) % 5);
        spec.interlaced = true;
        checkFile(encodePng(spec), spec, `interlaced type ${colorType}, ${depth}-bit, ${width}x${height}`);
      }
    }
  }
});

test("interlaced 1-bit images decode right (upng-js, the decoder before, got them wrong)", () => {
  for (const [colorType, width, height] of [[0, 9, 9], [3, 33, 17], [0, 1, 3], [3, 13, 1]]) {
    const spec = randomSpec(colorType, 1, width, height, width * height, (y) => y % 5);
    spec.interlaced = true;
    const png = encodePng(spec);
    assertSameBytes(decodePng(png, LIMITS).data, expectedRgb(spec), `decodePng, interlaced 1-bit type ${colorType}, ${width}x${height}`);
    const header = { width, height, depth: 1, colorType, interlaced: true };
    const stream = png.subarray(8 + 25 + (spec.palette ? 12 + spec.palette.length : 0) + 8, png.length - 12 - 4); // the one IDAT's data
    const data = new Uint8Array(width * height * 3);
    const rows: number[] = [];
    decodePngRows(header, spec.palette ? new Uint8Array(spec.palette) : null, [stream], {
      wants: (y) => y !== 1,
      row: (y, rgb) => {
        rows.push(y);
        data.set(rgb.subarray(0, 3 * width), 3 * width * y);
      },
    });
    assert.equal(rows.sort((a, b) => a - b), Array.from({ length: height }, (_, y) => y).filter((y) => y !== 1), "each wanted row once");
    const expected = expectedRgb(spec).fill(0, 3 * width, height > 1 ? 6 * width : 3 * width);
    assertSameBytes(data, expected, `interlaced 1-bit type ${colorType}, ${width}x${height}`);
  }
});

test("preprocessImage streams a PNG into the crop + resize: the same bytes as cropResize of the whole image", () => {
  const spec = randomSpec(6, 8, 300, 200, 7, (y) => y % 5);
  const png = encodePng(spec);
  const expected = cropResize(upngWholeImage(png), { crop: 0.875, width: 224, height: 224 });
  assertSameBytes(preprocessImage(png, { width: 224, height: 224 }), expected.data, "preprocessImage 300x200 RGBA → 224x224");
  const small = cropResize(upngWholeImage(png), { crop: 0.5, width: 10, height: 20 });
  assertSameBytes(preprocessImage(png, { width: 10, height: 20, crop: 0.5 }), small.data, "preprocessImage → 10x20, crop 0.5");
});

/** A PNG of `width` x `height` 8-bit RGB whose image data inflates to `raw`. */
function pngWithRawData(width: number, height: number, raw: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return concat([PNG_SIGNATURE, pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(raw)), pngChunk("IEND", new Uint8Array(0))]);
}

function assertRefused(png: Uint8Array, reason: RegExp, what: string): void {
  for (const [path, decode] of [
    ["decodePng", () => decodePng(png, LIMITS)],
    ["decodePngCropResize", () => decodePngCropResize(png, { crop: 1, width: 2, height: 2, orientation: 1, limits: LIMITS })],
    ["preprocessImage", () => preprocessImage(png, { width: 2, height: 2 })],
  ] as const) {
    assert.throws(decode, (e: unknown) => e instanceof ImageError && reason.test(e.message), `${what} (${path})`);
  }
}

test("refused: unknown filter types, image data inflating to more or less than the size needs, corrupt zlib data", () => {
  const good = new Uint8Array(2 * (1 + 3 * 4)); // 4x2, filter 0
  assert.is(decodePng(pngWithRawData(4, 2, good), LIMITS).data.length, 24);
  for (const type of [5, 255]) {
    const raw = good.slice();
    raw[13] = type;
    assertRefused(pngWithRawData(4, 2, raw), new RegExp(`unknown filter type ${type} in row 1`), `filter type ${type}`);
  }
  assertRefused(pngWithRawData(4, 2, concat([good, new Uint8Array(1)])), /inflates to more than the 26 bytes/, "one byte too many");
  assertRefused(pngWithRawData(4, 2, good.subarray(0, 25)), /truncated: 25 of 26 bytes/, "one byte short");
  const corrupt = pngWithRawData(4, 2, good);
  corrupt[corrupt.length - 12 - 4 - 1] ^= 1; // the Adler-32 checksum at the end of the zlib stream
  assertRefused(corrupt, /corrupt image data/, "bad Adler-32");
  // A zlib bomb: 64 MiB of zeros for a 1000x1 image, refused long before it is all inflated.
  const bomb = pngWithRawData(1000, 1, new Uint8Array(64 * 2 ** 20));
  const before = process.memoryUsage().arrayBuffers;
  assertRefused(bomb, /inflates to more than the 3001 bytes/, "zlib bomb");
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 2 ** 20, "inflated the bomb");
});

test("refused: rows wider than the memory limit allows, before anything is inflated", () => {
  const png = pngWithRawData(1, 1, new Uint8Array(4));
  new DataView(png.buffer).setUint32(16, 20_000_000); // width: rows of 60 MB, 20 Mpixels in all
  const limits = resolveLimits({ maxMemoryMB: 100 });
  assert.throws(
    () => decodePngCropResize(png, { crop: 1, width: 2, height: 2, orientation: 1, limits }),
    (e: unknown) => e instanceof ImageError && /decoding 20000000x1 needs about 172 MiB, over the limit of 100 MiB/.test(e.message),
  );
});

test.run();
