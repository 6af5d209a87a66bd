// PNG decoding: grey, grey+alpha, palette, RGB and RGBA at every bit depth, interlaced or not, to
// 8-bit RGB (alpha dropped, not composited; 16-bit samples keep their high byte). The rows come
// from png-stream.ts one at a time: into a whole RGB image (decodePng), or straight into
// orientation + central crop + resize (decodePngCropResize), which then never holds more than a
// few rows of the image.
//
// upng-js 2.1.0 decoded PNGs here before: it inflates all the image data in one piece and makes
// an RGBA copy of the image. 4032x3024 PNGs through preprocessImage to 224x224 (Node 20) grew the
// peak RSS by 118–200 MiB that way (palette, RGB, interlaced RGB, RGBA), by 4–9 MiB now.
//
// The chunk structure is validated first: every chunk must lie within the data, IHDR must come
// first and hold a valid colour type and bit depth, a palette image needs PLTE. Ancillary chunks
// are skipped and chunk CRCs are not checked (corruption inside the image data still fails the
// zlib checksum).
import { ImageError } from "../errors.js";
import { allocateRgb, checkDimensions, type DecodeLimits, type RgbImage } from "./image.js";
import type { Orientation } from "./orientation.js";
import { decodePngRows, type PngHeader, rowMemory, SAMPLES_PER_PIXEL } from "./png-stream.js";
import { CropResizer } from "./resize.js";

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
const PALETTE = 3;
/** Deflate cannot compress better than about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;

interface Chunks {
  header: PngHeader;
  palette: Uint8Array | null;
  imageData: Uint8Array[];
}

/** The whole image as 8-bit RGB. */
export function decodePng(bytes: Uint8Array, limits: Required<DecodeLimits>): RgbImage {
  const chunks = readChunks(bytes);
  const { width, height } = chunks.header;
  const wantsAll = () => true;
  checkSizes(chunks, 3, wantsAll, limits); // the RGB image
  const image = allocateRgb(width, height);
  const rowLength = 3 * width;
  decodePngRows(chunks.header, chunks.palette, chunks.imageData, {
    wants: wantsAll,
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

/** Orientation + central crop + bilinear resize of a PNG, its rows streamed into the resize. */
export function decodePngCropResize(bytes: Uint8Array, options: PngCropResizeOptions): RgbImage {
  const { width, height, crop, orientation, limits } = options;
  const chunks = readChunks(bytes);
  const resizer = new CropResizer(chunks.header.width, chunks.header.height, { crop, width, height, orientation });
  checkSizes(chunks, 0, (y) => resizer.wants(y), limits); // only rows (the resizer's grid is output-sized)
  decodePngRows(chunks.header, chunks.palette, chunks.imageData, resizer);
  return resizer.result();
}

/**
 * Refuses sizes beyond the limits (working memory: `bytesPerPixel` per pixel, and the rows
 * decodePngRows keeps for a sink that wants rows `wants`) and image data too short to inflate to
 * what the size needs.
 */
function checkSizes({ header, imageData }: Chunks, bytesPerPixel: number, wants: (y: number) => boolean, limits: Required<DecodeLimits>): void {
  const { width, height } = header;
  checkDimensions("PNG", width, height, bytesPerPixel, limits);
  const megabytes = (width * height * bytesPerPixel + rowMemory(header, wants)) / (1024 * 1024);
  if (megabytes > limits.maxMemoryMB) {
    throw new ImageError(`PNG: decoding ${width}x${height} needs about ${Math.ceil(megabytes)} MiB, over the limit of ${limits.maxMemoryMB} MiB`);
  }
  const compressedLength = imageData.reduce((sum, part) => sum + part.length, 0);
  const rawLength = (width * height * SAMPLES_PER_PIXEL[header.colorType] * header.depth) / 8;
  if (compressedLength * MAX_DEFLATE_RATIO < rawLength) {
    throw new ImageError(
      `PNG: ${width}x${height} needs ${rawLength} bytes of pixel data, which ${compressedLength} compressed bytes cannot hold`,
    );
  }
}

/** Walks every chunk up to IEND, checking that each lies within the data. */
function readChunks(bytes: Uint8Array): Chunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: PngHeader | null = null;
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
  if (header === null) throw new ImageError("PNG: no IHDR chunk");
  if (imageData.length === 0) throw new ImageError("PNG: no image data (IDAT chunk)");
  if (header.colorType === PALETTE && palette === null) throw new ImageError("PNG: palette image without a PLTE chunk");
  return { header, palette, imageData };
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
