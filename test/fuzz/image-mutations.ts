// Mutations of image files: generic ones (byte flips, truncation, inserted and deleted bytes) and
// ones that know the format: header fields set to edge values, declared dimensions far beyond
// the data (decompression bombs), PNG chunks and JPEG segments broken, dropped or repeated, and
// a PNG whose small IDAT inflates far beyond its declared size. Each returns the new bytes and
// a short description.
import { deflateSync } from "node:zlib";
import type { Rng } from "../random.js";
import { concat, pngChunk } from "../image-builder.js";

export type ImageFormat = "jpeg" | "png" | "bmp";
export type ImageMutation = (bytes: Uint8Array, format: ImageFormat, rng: Rng) => [Uint8Array, string];

const U32_EDGES = [0, 1, 2, 0x7fff, 0x8000, 0xffff, 0x10000, 100_000, 0x7fffffff, 0x80000000, 0xffffffff];
const U16_EDGES = [0, 1, 2, 7, 8, 9, 255, 256, 0x7fff, 0x8000, 0xffff];

interface Field {
  pos: number;
  size: 1 | 2 | 4;
  littleEndian: boolean;
}

const deflated = new Map<number, Uint8Array>();

function deflatedZeros(count: number): Uint8Array {
  let stream = deflated.get(count);
  if (stream === undefined) deflated.set(count, (stream = new Uint8Array(deflateSync(new Uint8Array(count)))));
  return stream;
}

/** PNG chunks: position of the length field, data length and type, up to the data's end. */
function pngChunks(bytes: Uint8Array): { pos: number; length: number; type: string }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = [];
  for (let pos = 8; pos + 8 <= bytes.length; ) {
    const length = view.getUint32(pos);
    chunks.push({ pos, length, type: String.fromCharCode(...bytes.subarray(pos + 4, pos + 8)) });
    pos += 12 + length;
  }
  return chunks;
}

/** JPEG segments before the scan data: marker position and segment length. */
function jpegSegments(bytes: Uint8Array): { pos: number; marker: number; length: number }[] {
  const segments = [];
  for (let pos = 2; pos + 4 <= bytes.length && bytes[pos] === 0xff; ) {
    const marker = bytes[pos + 1];
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    segments.push({ pos, marker, length });
    if (marker === 0xda) break;
    pos += 2 + length;
  }
  return segments;
}

/** Header fields worth breaking: dimensions, depth, colour type, counts, offsets. */
function headerFields(bytes: Uint8Array, format: ImageFormat): Field[] {
  if (format === "bmp") {
    // File size, pixel offset, header size, width, height, planes, bit count, compression,
    // colours used, the three BI_BITFIELDS masks.
    const fields: [number, 2 | 4][] = [[2, 4], [10, 4], [14, 4], [18, 4], [22, 4], [26, 2], [28, 2], [30, 4], [46, 4], [54, 4], [58, 4], [62, 4]];
    return fields.map(([pos, size]) => ({ pos, size, littleEndian: true }));
  }
  if (format === "png") {
    const fields: Field[] = [16, 20].map((pos) => ({ pos, size: 4, littleEndian: false }));
    for (let pos = 24; pos <= 28; pos++) fields.push({ pos, size: 1, littleEndian: false });
    for (const chunk of pngChunks(bytes)) fields.push({ pos: chunk.pos, size: 4, littleEndian: false });
    return fields;
  }
  const fields: Field[] = [];
  for (const { pos, marker } of jpegSegments(bytes)) {
    fields.push({ pos: pos + 2, size: 2, littleEndian: false });
    if (marker >= 0xc0 && marker <= 0xc2) {
      // SOF: precision, height, width, component count, then id, sampling factors, table.
      fields.push({ pos: pos + 4, size: 1, littleEndian: false }, { pos: pos + 5, size: 2, littleEndian: false }, { pos: pos + 7, size: 2, littleEndian: false });
      for (let k = 9; k < 18; k++) fields.push({ pos: pos + k, size: 1, littleEndian: false });
    }
    if (marker === 0xda || marker === 0xdd) for (let k = 4; k < 8; k++) fields.push({ pos: pos + k, size: 1, littleEndian: false });
  }
  return fields;
}

function setField(bytes: Uint8Array, field: Field, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (field.pos + field.size > bytes.length) return;
  if (field.size === 1) view.setUint8(field.pos, value & 0xff);
  else if (field.size === 2) view.setUint16(field.pos, value & 0xffff, field.littleEndian);
  else view.setUint32(field.pos, value >>> 0, field.littleEndian);
}

/** The width and height fields of each format. */
function dimensionFields(bytes: Uint8Array, format: ImageFormat): Field[] {
  if (format === "bmp") return [18, 22].map((pos) => ({ pos, size: 4, littleEndian: true }));
  if (format === "png") return [16, 20].map((pos) => ({ pos, size: 4, littleEndian: false }));
  const sof = jpegSegments(bytes).find(({ marker }) => marker >= 0xc0 && marker <= 0xc2);
  return sof === undefined ? [] : [sof.pos + 5, sof.pos + 7].map((pos) => ({ pos, size: 2, littleEndian: false }));
}

export const IMAGE_MUTATIONS: Record<string, ImageMutation> = {
  flip(bytes, _format, rng) {
    const copy = bytes.slice();
    const count = rng.int(1, 8);
    for (let i = 0; i < count; i++) copy[rng.int(0, copy.length - 1)] = rng.int(0, 255);
    return [copy, `${count} bytes`];
  },
  truncate(bytes, _format, rng) {
    const length = rng.bool(0.3) ? rng.int(0, Math.min(80, bytes.length - 1)) : rng.int(0, bytes.length - 1);
    return [bytes.subarray(0, length), `to ${length} of ${bytes.length}`];
  },
  splice(bytes, _format, rng) {
    const at = rng.int(0, bytes.length);
    const removed = rng.int(0, 16);
    const inserted = Array.from({ length: rng.int(0, 16) }, () => rng.int(0, 255));
    return [concat([bytes.subarray(0, at), new Uint8Array(inserted), bytes.subarray(Math.min(bytes.length, at + removed))]), `@${at} -${removed} +${inserted.length}`];
  },
  field(bytes, format, rng) {
    const fields = headerFields(bytes, format);
    if (fields.length === 0) return [bytes, "no fields"];
    const field = rng.pick(fields);
    const value = field.size === 1 ? rng.int(0, 255) : rng.pick(field.size === 2 ? U16_EDGES : U32_EDGES);
    const copy = bytes.slice();
    setField(copy, field, value);
    return [copy, `@${field.pos}=${value}`];
  },
  /** Declared dimensions far beyond what the data holds. */
  bomb(bytes, format, rng) {
    const copy = bytes.slice();
    const size = rng.pick([0, 1, 3000, 8000, 20_000, 65_535, 100_000, 2 ** 31 - 1, 2 ** 32 - 1]);
    const fields = dimensionFields(copy, format);
    for (const field of fields) if (rng.bool(0.7)) setField(copy, field, format === "bmp" && rng.bool(0.2) ? -size : size);
    return [copy, `${size}`];
  },
  /** PNG: a chunk dropped, repeated, moved or added; JPEG: a segment dropped or repeated. */
  structure(bytes, format, rng) {
    const parts = format === "png"
      ? pngChunks(bytes).map(({ pos, length }) => [pos, pos + 12 + length])
      : format === "jpeg" ? jpegSegments(bytes).map(({ pos, length }) => [pos, pos + 2 + length]) : [];
    if (parts.length === 0) return [bytes, "no structure"];
    const [start, end] = rng.pick(parts);
    const part = bytes.subarray(start, Math.min(end, bytes.length));
    const r = rng.int(0, 2);
    if (r === 0) return [concat([bytes.subarray(0, start), bytes.subarray(end)]), `dropped @${start}`];
    if (r === 1) return [concat([bytes.subarray(0, end), part, bytes.subarray(end)]), `repeated @${start}`];
    const extra = format === "png"
      ? pngChunk(rng.pick(["tEXt", "iTXt", "zTXt", "tRNS", "PLTE", "IHDR", "IDAT", "IEND", "acTL", "fcTL"]), rng.uint8Array(rng.int(0, 40)))
      : new Uint8Array([0xff, rng.pick([0xc4, 0xdb, 0xdd, 0xe0, 0xfe, 0xc0, 0xc2, 0xd9]), 0, 2 + (rng.int(0, 20) & ~1), ...rng.uint8Array(20)]);
    return [concat([bytes.subarray(0, start), extra, bytes.subarray(start)]), `inserted @${start}`];
  },
  /** PNG: the image data replaced by a zlib stream of zeros far longer than the image. */
  inflateBomb(bytes, format, rng) {
    if (format !== "png") return IMAGE_MUTATIONS.bomb(bytes, format, rng);
    const kept = pngChunks(bytes).filter(({ type }) => type !== "IDAT" && type !== "IEND");
    const zeros = rng.pick([1 << 16, 1 << 20, 1 << 24]);
    const idat = pngChunk("IDAT", deflatedZeros(zeros));
    const chunks = kept.map(({ pos, length }) => bytes.subarray(pos, pos + 12 + length));
    return [concat([bytes.subarray(0, 8), ...chunks, idat, pngChunk("IEND", new Uint8Array(0))]), `${zeros} zeros`];
  },
};
