// Small images written for the tests: BMP and PNG straight from their specifications (so every
// header field and chunk can be set, or broken, at will), JPEG through jpeg-js's encoder.
import { deflateSync } from "node:zlib";
import { encode as encodeJpeg } from "jpeg-js";
import type { RgbImage } from "../js/preprocess/index.js";
import { Rng } from "./random.js";

export function randomBytes(length: number, seed: number): Uint8Array {
  return new Rng(seed).uint8Array(length);
}

export function randomImage(width: number, height: number, seed: number): RgbImage {
  return { width, height, data: randomBytes(width * height * 3, seed) };
}

export interface BmpSpec {
  image: RgbImage;
  bitCount: 8 | 24 | 32;
  topDown?: boolean;
  /** 40 (BITMAPINFOHEADER, the default) or 124 (BITMAPV5HEADER). */
  headerSize?: number;
  /** 32-bit only: R, G, B masks; written as BI_BITFIELDS. */
  masks?: [number, number, number];
  /** 8-bit only: the palette, as RGB triples; pixels are written as indices into it. */
  palette?: number[][];
}

/** A BMP file written straightforwardly from the specification. */
export function makeBmp({ image, bitCount, topDown = false, headerSize = 40, masks, palette }: BmpSpec): Uint8Array {
  const { width, height, data } = image;
  const stride = Math.ceil((width * bitCount) / 32) * 4;
  const maskBytes = masks && headerSize === 40 ? 12 : 0;
  const paletteBytes = palette ? 4 * palette.length : 0;
  const pixelOffset = 14 + headerSize + maskBytes + paletteBytes;
  const file = new Uint8Array(pixelOffset + stride * height);
  const view = new DataView(file.buffer);
  file.set([0x42, 0x4d]);
  view.setUint32(2, file.length, true);
  view.setUint32(10, pixelOffset, true);
  view.setUint32(14, headerSize, true);
  view.setInt32(18, width, true);
  view.setInt32(22, topDown ? -height : height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, bitCount, true);
  view.setUint32(30, masks ? 3 : 0, true);
  if (palette) view.setUint32(46, palette.length, true);
  masks?.forEach((mask, i) => view.setUint32(54 + 4 * i, mask, true));
  palette?.forEach(([r, g, b], i) => file.set([b, g, r, 0], 14 + headerSize + 4 * i));
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = data.subarray(3 * (y * width + x), 3 * (y * width + x) + 3);
      if (bitCount === 24) file.set([b, g, r], row + 3 * x);
      else if (bitCount === 8) file[row + x] = palette!.findIndex(([pr, pg, pb]) => pr === r && pg === g && pb === b);
      else if (masks) view.setUint32(row + 4 * x, pack(r, masks[0]) | pack(g, masks[1]) | pack(b, masks[2]), true);
      else file.set([b, g, r, 0x5a], row + 4 * x); // the fourth byte is unused
    }
  }
  return file;
}

/** An 8-bit value stored in a mask's bits: its top bits, as many as the mask has. */
function pack(value: number, mask: number): number {
  const shift = 31 - Math.clz32(mask & -mask);
  const bits = 32 - Math.clz32(mask >>> shift);
  return ((value >>> Math.max(0, 8 - bits)) << shift) >>> 0;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(Array.from(type, (c) => c.charCodeAt(0)), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  /** Sample values, row-major, samples of a pixel adjacent (1, 2, 3 or 4 per pixel). */
  samples: number[];
  interlaced?: boolean;
  /** Palette as RGB bytes, for colour type 3. */
  palette?: number[];
  /** Extra chunks inserted after IHDR. */
  extra?: Uint8Array[];
}

/** A PNG file written from the specification: filter type 0 on every row, optional Adam7. */
export function makePng({ width, height, colorType, depth, samples, interlaced = false, palette, extra = [] }: PngSpec): Uint8Array {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  const passes = interlaced
    ? [[0, 0, 8, 8], [0, 4, 8, 8], [4, 0, 8, 4], [0, 2, 4, 4], [2, 0, 4, 2], [0, 1, 2, 2], [1, 0, 2, 1]]
    : [[0, 0, 1, 1]]; // [first row, first column, row step, column step]
  const raw: number[] = [];
  for (const [row0, col0, rowStep, colStep] of passes) {
    for (let y = row0; y < height; y += rowStep) {
      if (col0 >= width) continue;
      raw.push(0); // filter type: none
      let bits = 0;
      let bitCount = 0;
      for (let x = col0; x < width; x += colStep) {
        for (let c = 0; c < channels; c++) {
          const value = samples[(y * width + x) * channels + c];
          if (depth === 16) raw.push(value >> 8, value & 0xff);
          else if (depth === 8) raw.push(value);
          else {
            bits = (bits << depth) | value;
            bitCount += depth;
            if (bitCount === 8) {
              raw.push(bits);
              bits = bitCount = 0;
            }
          }
        }
      }
      if (bitCount > 0) raw.push(bits << (8 - bitCount));
    }
  }
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([depth, colorType, 0, 0, interlaced ? 1 : 0], 8);
  return concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdr),
    ...extra,
    ...(palette ? [pngChunk("PLTE", new Uint8Array(palette))] : []),
    pngChunk("IDAT", deflateSync(new Uint8Array(raw))),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

/** A JPEG made by jpeg-js's encoder from random pixels. */
export function makeJpeg(width: number, height: number, quality = 90, rgba = randomBytes(width * height * 4, width * height)): Uint8Array {
  return new Uint8Array(encodeJpeg({ width, height, data: rgba }, quality).data);
}
