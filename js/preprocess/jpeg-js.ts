// JPEG decoding with jpeg-js 0.4.4 (baseline and progressive Huffman JPEGs), the decoder the
// golden inputs were made with: `decoder: "jpeg-js"`. The default is quantlite's own (jpeg/). Before jpeg-js runs, the frame header (SOF) is read here and its
// size checked against the limits and against the length of the data. jpeg-js's output with
// `formatAsRGBA: false` is already RGB: it replicates greyscale to R = G = B and converts
// YCbCr/CMYK itself. Its decoder module alone: the package's entry also loads the encoder, which
// quantlite never uses (with pako's deflate, scripts/bundle.mjs, 2 ms of importing quantlite).
import decode from "jpeg-js/lib/decoder.js";
import { ImageError } from "../errors.js";
import { checkDimensions, type DecodeLimits, type RgbImage } from "./image.js";

const SOF_BASELINE = 0xc0;
const SOF_EXTENDED = 0xc1;
const SOF_PROGRESSIVE = 0xc2;
/** Markers C0..CF are frame headers except DHT (C4), JPG (C8) and DAC (CC). */
const NOT_FRAME_HEADERS = [0xc4, 0xc8, 0xcc];

interface Frame {
  width: number;
  height: number;
  /** Number of 8x8 blocks the entropy-coded data must cover, over all components. */
  blocks: number;
}

export function decodeJpegWithJpegJs(bytes: Uint8Array, limits: Required<DecodeLimits>): RgbImage {
  const { width, height, blocks } = readFrame(bytes);
  checkDimensions("JPEG", width, height, 3, limits);
  // Every 8x8 block's DC coefficient is coded with at least one bit (in the only scan of a
  // baseline JPEG, in the first DC scan of a progressive one). Data shorter than that declares
  // more pixels than it can describe.
  const minimumBytes = Math.ceil(blocks / 8);
  if (bytes.length < minimumBytes) {
    throw new ImageError(
      `JPEG: ${width}x${height} cannot be coded in ${bytes.length} bytes (at least ${minimumBytes} needed); the data is truncated or hostile`,
    );
  }
  // jpeg-js enforces both limits again itself while it allocates (its memory count includes its
  // coefficient buffers); what it throws is turned into an ImageError by decodeImage.
  const decoded = decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: limits.maxPixels / 1e6,
    maxMemoryUsageInMB: limits.maxMemoryMB,
  });
  if (decoded.width !== width || decoded.height !== height || decoded.data.length !== width * height * 3) {
    throw new ImageError(`JPEG: decoder returned ${decoded.width}x${decoded.height} for a ${width}x${height} frame`);
  }
  return { width, height, data: decoded.data };
}

/** The first frame header. Bytes between segments are skipped, as jpeg-js does. */
function readFrame(bytes: Uint8Array): Frame {
  let offset = 2; // after SOI
  while (offset + 4 <= bytes.length) {
    const marker = bytes[offset + 1];
    if (bytes[offset] !== 0xff || marker === 0xff) {
      offset++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // SOS or EOI before any frame header
    const segmentLength = (bytes[offset + 2] << 8) | bytes[offset + 3];
    if (marker >= 0xc0 && marker <= 0xcf && !NOT_FRAME_HEADERS.includes(marker)) {
      if (marker !== SOF_BASELINE && marker !== SOF_EXTENDED && marker !== SOF_PROGRESSIVE) {
        throw new ImageError(
          `JPEG: unsupported coding process (frame marker 0xff${marker.toString(16)}: lossless, hierarchical or arithmetic-coded)`,
        );
      }
      return parseFrameHeader(bytes.subarray(offset + 4, offset + 2 + segmentLength));
    }
    // Standalone markers (TEM, RST0-7) have no length field.
    offset += marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) ? 2 : 2 + segmentLength;
  }
  throw new ImageError("JPEG: no frame header (SOF) found: the data is truncated or not a JPEG");
}

/** SOF segment: precision, height, width, component count, then per component id, H<<4|V, table. */
function parseFrameHeader(segment: Uint8Array): Frame {
  if (segment.length < 6 || segment.length < 6 + 3 * segment[5]) throw new ImageError("JPEG: truncated frame header");
  const height = (segment[1] << 8) | segment[2];
  const width = (segment[3] << 8) | segment[4];
  const factors = Array.from({ length: segment[5] }, (_, i) => segment[7 + 3 * i]);
  const maxH = Math.max(1, ...factors.map((f) => f >> 4));
  const maxV = Math.max(1, ...factors.map((f) => f & 15));
  let blocks = 0;
  for (const f of factors) {
    blocks += Math.ceil((Math.ceil(width / 8) * (f >> 4)) / maxH) * Math.ceil((Math.ceil(height / 8) * (f & 15)) / maxV);
  }
  return { width, height, blocks };
}
