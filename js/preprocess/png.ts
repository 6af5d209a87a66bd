// PNG decoding: grey, grey+alpha, palette, RGB and RGBA at every bit depth, to 8-bit RGB (alpha
// dropped, not composited; 16-bit samples keep their high byte; see png-stream.ts).
//
// Non-interlaced images (nearly every PNG) go through png-stream.ts row by row: into a whole RGB
// image (decodePng), or straight into orientation + central crop + resize (decodePngCropResize),
// which then never holds more than a few rows of the image. Measured on a 4032x3024 RGB PNG
// through preprocessImage to 224x224 (Node 20): peak RSS growth 168 MiB with upng-js, 18 MiB streamed.
//
// Interlaced (Adam7) images stay on the whole-image path through upng-js 2.1.0 (UPNG.decode +
// UPNG.toRGBA8): their rows arrive in seven passes, so a row is complete only at the last one.
// Interlaced 1-bit images are refused (UPNG gets them wrong).
//
// The chunk structure is validated here first, for both paths. upng-js trusts its input: a chunk
// length past the end makes it loop for up to 2^32 steps and a text chunk without a terminating
// zero makes it loop forever. So UPNG only ever sees a minimal, well-formed PNG rebuilt from the
// critical chunks (IHDR, PLTE, IDAT, IEND). Chunk CRCs are not checked (corruption inside the
// image data still fails the zlib checksum). upng-js also inflates the image data without an
// output cap, so for it the data is first inflated here with pako, only to measure it: a stream
// that inflates to more (a zlib bomb) or less than the declared size needs is refused before UPNG
// sees it (png-stream.ts refuses such streams by itself).
import pako from "pako";
import UPNG from "upng-js";
import { ImageError } from "../errors.js";
import { allocateRgb, checkDimensions, type DecodeLimits, type RgbImage } from "./image.js";
import type { Orientation } from "./orientation.js";
import { decodePngRows, greyRamp, type PngHeader, rowBytes, SAMPLES_PER_PIXEL } from "./png-stream.js";
import { cropResize, CropResizer } from "./resize.js";

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SIGNATURE_LENGTH = PNG_SIGNATURE.length;
const IHDR_LENGTH = 13;
/** Colour type → the allowed bit depths (PNG specification, table 11.1). */
const BIT_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16], // grey
  2: [8, 16], // RGB
  3: [1, 2, 4, 8], // palette
  4: [8, 16], // grey + alpha
  6: [8, 16], // RGBA
};
const GREY = 0;
const PALETTE = 3;
/** Deflate cannot compress better than about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;
/** Adam7 passes: first row, first column, row step, column step. */
const ADAM7 = [[0, 0, 8, 8], [0, 4, 8, 8], [4, 0, 8, 4], [0, 2, 4, 4], [2, 0, 4, 2], [0, 1, 2, 2], [1, 0, 2, 1]];

interface Chunks {
  header: PngHeader;
  /** The IHDR chunk's data. */
  ihdr: Uint8Array;
  palette: Uint8Array | null;
  imageData: Uint8Array[];
}

/** The whole image as 8-bit RGB. */
export function decodePng(bytes: Uint8Array, limits: Required<DecodeLimits>): RgbImage {
  const chunks = readChunks(bytes);
  if (chunks.header.interlaced) return decodeInterlaced(chunks, limits);
  const { width, height } = chunks.header;
  checkSizes(chunks, 3, limits); // the RGB image
  const image = allocateRgb(width, height);
  const rowLength = 3 * width;
  decodePngRows(chunks.header, chunks.palette, chunks.imageData, {
    wants: () => true,
    row: (y, rgb) => image.data.set(rgb.subarray(0, rowLength), y * rowLength),
  });
  return image;
}

export interface PngCropResizeOptions {
  width: number;
  height: number;
  crop: number;
  /** How the stored rows are turned (PNG's own eXIf chunk is not read: pass 1 for "as stored"). */
  orientation: Orientation;
  limits: Required<DecodeLimits>;
}

/** Orientation + central crop + bilinear resize of a PNG, its rows streamed unless it is interlaced. */
export function decodePngCropResize(bytes: Uint8Array, options: PngCropResizeOptions): RgbImage {
  const { width, height, crop, orientation, limits } = options;
  const chunks = readChunks(bytes);
  if (chunks.header.interlaced) return cropResize(decodeInterlaced(chunks, limits), { crop, width, height, orientation });
  checkSizes(chunks, 0, limits); // a few rows, counted by checkSizes; the resizer's grid is output-sized
  const resizer = new CropResizer(chunks.header.width, chunks.header.height, { crop, width, height, orientation });
  decodePngRows(chunks.header, chunks.palette, chunks.imageData, resizer);
  return resizer.result();
}

/**
 * Refuses sizes beyond the limits, with `bytesPerPixel` of working memory per pixel besides the
 * rows being unfiltered, and image data too short to inflate to what the size needs.
 */
function checkSizes({ header, imageData }: Chunks, bytesPerPixel: number, limits: Required<DecodeLimits>): void {
  const { width, height } = header;
  const bitsPerPixel = SAMPLES_PER_PIXEL[header.colorType] * header.depth;
  checkDimensions("PNG", width, height, bytesPerPixel, limits);
  // Two rows of filtered data and one of RGB.
  const rowMegabytes = (2 * (1 + rowBytes(width, bitsPerPixel)) + 3 * width) / (1024 * 1024);
  if (rowMegabytes > limits.maxMemoryMB) {
    throw new ImageError(`PNG: rows of ${width} pixels need about ${Math.ceil(rowMegabytes)} MiB, over the limit of ${limits.maxMemoryMB} MiB`);
  }
  const compressedLength = imageData.reduce((sum, part) => sum + part.length, 0);
  const rawLength = (width * height * bitsPerPixel) / 8;
  if (compressedLength * MAX_DEFLATE_RATIO < rawLength) {
    throw new ImageError(
      `PNG: ${width}x${height} needs ${rawLength} bytes of pixel data, which ${compressedLength} compressed bytes cannot hold`,
    );
  }
}

/** An interlaced image, whole, through upng-js. */
function decodeInterlaced(chunks: Chunks, limits: Required<DecodeLimits>): RgbImage {
  const { width, height, depth, colorType } = chunks.header;
  const bitsPerPixel = SAMPLES_PER_PIXEL[colorType] * depth;
  // Working memory per pixel: the inflated rows twice, UPNG's RGBA and our RGB.
  checkSizes(chunks, (bitsPerPixel / 8) * 2 + 4 + 3, limits);
  if (depth === 1) {
    // UPNG 2.1.0 misplaces the pixels of 1-bit interlaced images (it uses col & 3 for a bit index).
    throw new ImageError("PNG: interlaced 1-bit images are not supported");
  }
  let { ihdr, palette } = chunks;
  if (colorType === GREY && depth < 8) {
    // UPNG 2.1.0 unpacks grey samples below 8 bits as if rows were not padded to whole bytes. Its
    // palette path gets the padding right, so such images become palette images of a grey ramp.
    ihdr = ihdr.slice();
    ihdr[9] = PALETTE;
    palette = greyRamp(depth);
  }
  checkInflatedLength(chunks.imageData, interlacedLength(chunks.header, bitsPerPixel));
  const decoded = UPNG.decode(rebuildPng(ihdr, palette, chunks.imageData).buffer);
  const rgba = new Uint8Array(UPNG.toRGBA8(decoded)[0]);
  const image = allocateRgb(width, height);
  for (let i = 0, o = 0; o < image.data.length; i += 4) {
    image.data[o++] = rgba[i];
    image.data[o++] = rgba[i + 1];
    image.data[o++] = rgba[i + 2];
  }
  return image;
}

/** Bytes of an interlaced image's inflated data: every row of every pass, each with its filter-type byte. */
function interlacedLength({ width, height }: PngHeader, bitsPerPixel: number): number {
  let length = 0;
  for (const [row0, col0, rowStep, colStep] of ADAM7) {
    const rows = Math.ceil((height - row0) / rowStep);
    const columns = Math.ceil((width - col0) / colStep);
    if (rows > 0 && columns > 0) length += rows * (1 + rowBytes(columns, bitsPerPixel));
  }
  return length;
}

/**
 * Inflates the image data only to count its bytes, stopping as soon as there are more than
 * `expected`. Throws an ImageError unless it inflates without error to exactly `expected` bytes
 * (a short stream inflates without error to fewer, which UPNG would read as zeros).
 */
function checkInflatedLength(imageData: Uint8Array[], expected: number): void {
  const parts = imageData.filter((part) => part.length > 0);
  const inflator = new pako.Inflate({ chunkSize: 64 * 1024 });
  let length = 0;
  let error: string | null = null;
  inflator.onData = (chunk) => {
    length += chunk.length;
    if (length > expected) throw new ImageError(`PNG: the image data inflates to more than the ${expected} bytes the image size needs`);
  };
  inflator.onEnd = (status) => {
    if (status !== 0) error = inflator.strm.msg || `zlib error ${status}`;
  };
  parts.forEach((part, i) => inflator.push(part, i === parts.length - 1));
  if (error !== null) throw new ImageError(`PNG: corrupt image data: ${error}`);
  if (length < expected) throw new ImageError(`PNG: image data truncated: ${length} of ${expected} bytes`);
}

/** Walks every chunk up to IEND, checking that each lies within the data. */
function readChunks(bytes: Uint8Array): Chunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: PngHeader | null = null;
  let ihdr: Uint8Array | null = null;
  let palette: Uint8Array | null = null;
  const imageData: Uint8Array[] = [];
  let offset = SIGNATURE_LENGTH;
  for (;;) {
    if (offset + 12 > bytes.length) throw new ImageError("PNG: truncated: the data ends before the IEND chunk");
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const dataStart = offset + 8;
    const next = dataStart + length + 4; // data, then CRC
    if (next > bytes.length) {
      throw new ImageError(`PNG: truncated: chunk ${JSON.stringify(type)} of ${length} bytes runs past the end of the data`);
    }
    const data = bytes.subarray(dataStart, dataStart + length);
    if (header === null && type !== "IHDR") throw new ImageError("PNG: the first chunk is not IHDR");
    if (type === "IHDR") {
      if (header !== null) throw new ImageError("PNG: more than one IHDR chunk");
      header = readHeader(data);
      ihdr = data;
    } else if (type === "PLTE") {
      if (length === 0 || length > 256 * 3 || length % 3 !== 0) throw new ImageError(`PNG: invalid palette of ${length} bytes`);
      palette = data;
    } else if (type === "IDAT") {
      imageData.push(data);
    } else if (type === "IEND") {
      break;
    }
    offset = next;
  }
  if (header === null || ihdr === null) throw new ImageError("PNG: no IHDR chunk");
  if (imageData.length === 0) throw new ImageError("PNG: no image data (IDAT chunk)");
  if (header.colorType === PALETTE && palette === null) throw new ImageError("PNG: palette image without a PLTE chunk");
  return { header, ihdr, palette, imageData };
}

function readHeader(data: Uint8Array): PngHeader {
  if (data.length !== IHDR_LENGTH) throw new ImageError(`PNG: IHDR chunk of ${data.length} bytes, expected ${IHDR_LENGTH}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = {
    width: view.getUint32(0),
    height: view.getUint32(4),
    depth: data[8],
    colorType: data[9],
    interlaced: data[12] === 1,
  };
  const { depth, colorType } = header;
  if (!BIT_DEPTHS[colorType]?.includes(depth)) {
    throw new ImageError(`PNG: invalid colour type ${colorType} with bit depth ${depth}`);
  }
  if (data[10] !== 0 || data[11] !== 0 || data[12] > 1) {
    throw new ImageError(`PNG: unknown compression, filter or interlace method (${data[10]}, ${data[11]}, ${data[12]})`);
  }
  return header;
}

/** Signature, IHDR, PLTE if any, all image data in one IDAT, IEND; CRC fields left zero. */
function rebuildPng(ihdr: Uint8Array, palette: Uint8Array | null, imageData: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const parts: [string, Uint8Array[]][] = [["IHDR", [ihdr]]];
  if (palette !== null) parts.push(["PLTE", [palette]]);
  parts.push(["IDAT", imageData], ["IEND", []]);
  const total = parts.reduce((sum, [, data]) => sum + 12 + data.reduce((n, d) => n + d.length, 0), SIGNATURE_LENGTH);
  const png = new Uint8Array(total);
  const view = new DataView(png.buffer);
  png.set(PNG_SIGNATURE);
  let offset = SIGNATURE_LENGTH;
  for (const [type, data] of parts) {
    const lengthOffset = offset;
    for (let i = 0; i < 4; i++) png[offset + 4 + i] = type.charCodeAt(i);
    offset += 8;
    for (const d of data) {
      png.set(d, offset);
      offset += d.length;
    }
    view.setUint32(lengthOffset, offset - lengthOffset - 8);
    offset += 4;
  }
  return png;
}
