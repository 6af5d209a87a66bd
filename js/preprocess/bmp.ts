// BMP decoder, written by hand: BITMAPINFOHEADER (40 bytes) and its V2–V5 extensions; 8-bit
// palette, 24-bit BGR and 32-bit pixels (BI_RGB, or BI_BITFIELDS masks); bottom-up (positive
// height) or top-down (negative height) rows, each padded to 4 bytes. Every offset and size is
// checked against the data length before the output is allocated. 32-bit alpha is ignored.
import { ImageError } from "../errors.js";
import { allocateRgb, checkDimensions, type DecodeLimits, type RgbImage } from "./image.js";

const FILE_HEADER_SIZE = 14;
const INFO_HEADER_SIZE = 40;
/** BITMAPINFOHEADER, BITMAPV2/V3INFOHEADER (Adobe), BITMAPV4HEADER, BITMAPV5HEADER. */
const SUPPORTED_HEADER_SIZES = [40, 52, 56, 108, 124];
const BI_RGB = 0;
const BI_BITFIELDS = 3;

/** One colour channel of a 32-bit pixel: mask, its shift, and the factor that maps it to 0..255. */
interface Channel {
  mask: number;
  shift: number;
  scale: number;
}

export function decodeBmp(bytes: Uint8Array, limits: Required<DecodeLimits>): RgbImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  requireBytes(bytes, FILE_HEADER_SIZE + 4, "file header");
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (!SUPPORTED_HEADER_SIZES.includes(headerSize)) {
    throw new ImageError(`BMP: unsupported header of ${headerSize} bytes (only BITMAPINFOHEADER and V2-V5)`);
  }
  requireBytes(bytes, FILE_HEADER_SIZE + headerSize, "info header");
  const width = view.getInt32(18, true);
  const signedHeight = view.getInt32(22, true);
  const height = Math.abs(signedHeight);
  const planes = view.getUint16(26, true);
  const bitCount = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  if (planes !== 1) throw new ImageError(`BMP: invalid plane count ${planes}`);

  // Colour tables (BI_BITFIELDS masks, palette) start right after the info header. A 40-byte
  // header is followed by the three masks; the larger headers contain them at the same offset.
  let tablesEnd = FILE_HEADER_SIZE + headerSize;
  let channels: Channel[] | null = null;
  let palette: Uint8Array | null = null;
  if (bitCount === 32 && compression === BI_BITFIELDS) {
    if (headerSize === INFO_HEADER_SIZE) tablesEnd += 12;
    requireBytes(bytes, tablesEnd, "BI_BITFIELDS masks");
    channels = [0, 4, 8].map((offset) => channel(view.getUint32(FILE_HEADER_SIZE + INFO_HEADER_SIZE + offset, true)));
  } else if (compression !== BI_RGB || ![8, 24, 32].includes(bitCount)) {
    throw new ImageError(
      `BMP: unsupported pixel format: ${bitCount} bits per pixel, compression ${compression} ` +
        "(supported: 8-bit palette, 24-bit, 32-bit BI_RGB or BI_BITFIELDS)",
    );
  } else if (bitCount === 32) {
    channels = [0x00ff0000, 0x0000ff00, 0x000000ff].map(channel);
  } else if (bitCount === 8) {
    const colorsUsed = view.getUint32(46, true) || 256;
    if (colorsUsed > 256) throw new ImageError(`BMP: palette of ${colorsUsed} colours for an 8-bit image`);
    const paletteStart = tablesEnd;
    tablesEnd += 4 * colorsUsed;
    requireBytes(bytes, tablesEnd, "palette");
    palette = readPalette(bytes, paletteStart, colorsUsed);
  }

  checkDimensions("BMP", width, height, 3, limits);
  if (pixelOffset < tablesEnd) {
    throw new ImageError(`BMP: pixel data offset ${pixelOffset} overlaps the headers (which end at ${tablesEnd})`);
  }
  const stride = Math.ceil((width * bitCount) / 32) * 4;
  requireBytes(bytes, pixelOffset + stride * height, `${width}x${height} pixel data`);

  const image = allocateRgb(width, height);
  const out = image.data;
  let o = 0;
  for (let row = 0; row < height; row++) {
    const rowStart = pixelOffset + (signedHeight < 0 ? row : height - 1 - row) * stride;
    if (channels !== null) {
      const [red, green, blue] = channels;
      for (let p = rowStart, end = rowStart + 4 * width; p < end; p += 4) {
        const pixel = view.getUint32(p, true);
        out[o++] = channelValue(pixel, red);
        out[o++] = channelValue(pixel, green);
        out[o++] = channelValue(pixel, blue);
      }
    } else if (palette !== null) {
      for (let p = rowStart, end = rowStart + width; p < end; p++) {
        const entry = 3 * bytes[p];
        out[o++] = palette[entry];
        out[o++] = palette[entry + 1];
        out[o++] = palette[entry + 2];
      }
    } else {
      for (let p = rowStart, end = rowStart + 3 * width; p < end; p += 3) {
        out[o++] = bytes[p + 2];
        out[o++] = bytes[p + 1];
        out[o++] = bytes[p];
      }
    }
  }
  return image;
}

function requireBytes(bytes: Uint8Array, needed: number, what: string): void {
  if (bytes.length < needed) {
    throw new ImageError(`BMP: truncated: the ${what} needs ${needed} bytes, the data has ${bytes.length}`);
  }
}

function channel(mask: number): Channel {
  const shift = mask === 0 ? 0 : 31 - Math.clz32(mask & -mask);
  const max = mask >>> shift;
  if (mask === 0 || (max & (max + 1)) !== 0) {
    throw new ImageError(`BMP: invalid colour mask 0x${mask.toString(16)} (must be one run of set bits)`);
  }
  return { mask, shift, scale: 255 / max };
}

function channelValue(pixel: number, { mask, shift, scale }: Channel): number {
  return Math.round(((pixel & mask) >>> shift) * scale);
}

/** Palette entries are stored B, G, R, reserved; indices past the stored entries read as black. */
function readPalette(bytes: Uint8Array, start: number, colors: number): Uint8Array {
  const palette = new Uint8Array(256 * 3);
  for (let i = 0; i < colors; i++) {
    const entry = start + 4 * i;
    palette[3 * i] = bytes[entry + 2];
    palette[3 * i + 1] = bytes[entry + 1];
    palette[3 * i + 2] = bytes[entry];
  }
  return palette;
}
