// JPEG marker segments, read as libjpeg-turbo 2.1.5 reads them (jdmarker.c, jdinput.c,
// jdapimin.c): the frame header, the tables (DQT, DHT, DRI) in force at each scan, the scan
// headers, the JFIF/Adobe markers that decide the colour space, and the EXIF orientation.
// Everything djpeg refuses ends in an ImageError; what it only warns about is accepted.
import { ImageError } from "../../errors.js";

export interface JpegComponent { id: number; h: number; v: number; tq: number }

export interface JpegHeader {
  width: number;
  height: number;
  progressive: boolean;
  /** In frame order. */
  components: JpegComponent[];
  maxH: number;
  maxV: number;
  /** ceil(width / (8 * maxH)) */
  mcusAcross: number;
  /** ceil(height / (8 * maxV)) */
  mcusDown: number;
  /** jdapimin.c default_decompress_parms's guess (JFIF, Adobe transform, component ids). */
  colorSpace: "gray" | "ycbcr" | "rgb" | "cmyk" | "ycck";
  /** EXIF Orientation (0x0112) of IFD0 in the first APP1 "Exif", 1..8; 1 when absent or invalid. */
  orientation: number;
  /** Sequential with a first scan that interleaves every component: decodable one iMCU row at a time. */
  streaming: boolean;
}

/** One Huffman table as a DHT segment defines it. */
export interface HuffmanSpec {
  /** counts[l] codes of length l, l = 1..16 (counts[0] unused). */
  counts: Uint8Array;
  /** The symbols in code order (256 entries, zero past the last). */
  symbols: Uint8Array;
}

/** A scan header (SOS). */
export interface ScanHeader {
  /** Frame indexes of the scan's components, in scan order. */
  components: number[];
  dcTables: number[];
  acTables: number[];
  ss: number;
  se: number;
  ah: number;
  al: number;
}

const MAX_DIMENSION = 65500; // jmorecfg.h JPEG_MAX_DIMENSION
const MAX_COMPS_IN_SCAN = 4;
const MAX_BLOCKS_IN_MCU = 10; // D_MAX_BLOCKS_IN_MCU

/** jpeg_natural_order: zigzag index → natural index. */
export const NATURAL_ORDER = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

const truncated = () => new ImageError("JPEG: truncated");

/**
 * Reads the marker segments of one JPEG datastream from `pos` on, keeping the tables they define.
 * Before the first scan a missing byte is an error ("truncated"); after it, libjpeg's source
 * manager would feed fake EOI markers, so a segment that is skipped ends the datastream there.
 */
export class MarkerReader {
  pos = 0;
  width = 0;
  height = 0;
  progressive = false;
  components: JpegComponent[] = [];
  readonly quant: (Uint16Array | null)[] = [null, null, null, null];
  readonly dcHuffman: (HuffmanSpec | null)[] = [null, null, null, null];
  readonly acHuffman: (HuffmanSpec | null)[] = [null, null, null, null];
  restartInterval = 0;
  sawJfif = false;
  sawAdobe = false;
  adobeTransform = 0;
  orientation = 1;
  private sawExif = false;
  /** Scans started so far (SOS markers read). */
  scans = 0;
  /** Warnings libjpeg would print (bytes skipped before a marker, EOF). */
  warnings = 0;
  /** The data ended before EOI (libjpeg's "premature end of JPEG file"). */
  endedEarly = false;

  constructor(readonly bytes: Uint8Array) {}

  /** Before the first scan a missing byte is an error; after it, libjpeg's file source gives FF D9 (a fake EOI) again and again. */
  private inHeaders = true;

  private byte(): number {
    const pos = this.pos++;
    if (pos < this.bytes.length) return this.bytes[pos];
    if (this.inHeaders) throw truncated();
    return (pos - this.bytes.length) % 2 ? 0xd9 : 0xff;
  }

  private word(): number {
    const high = this.byte();
    return (high << 8) | this.byte();
  }

  /** jdmarker.c next_marker: the code of the next marker after any garbage, or -1 at the end of the data. */
  nextMarker(): number {
    const bytes = this.bytes;
    let discarded = 0;
    for (;;) {
      if (this.pos >= bytes.length) return -1;
      while (this.pos < bytes.length && bytes[this.pos] !== 0xff) {
        this.pos++;
        discarded++;
      }
      while (this.pos < bytes.length && bytes[this.pos] === 0xff) this.pos++;
      if (this.pos >= bytes.length) return -1;
      const code = bytes[this.pos++];
      if (code !== 0) {
        if (discarded) this.warnings++;
        return code;
      }
      discarded += 2;
    }
  }

  /**
   * Reads markers, starting with `marker` (whose two bytes are already consumed) or, when it is
   * 0, the next one, up to a scan header (returned, with pos at the first entropy-coded byte) or
   * EOI (null). `inHeaders`: before the first scan (a truncated segment is an error then).
   */
  readUntilScan(marker: number, inHeaders: boolean): ScanHeader | null {
    this.inHeaders = inHeaders;
    for (;;) {
      if (marker === 0) {
        marker = this.nextMarker();
        if (marker < 0) {
          if (inHeaders) throw truncated();
          this.warnings++; // libjpeg's source manager: premature end, a fake EOI
          this.endedEarly = true;
          return null;
        }
      }
      switch (marker) {
        case 0xd8:
          throw new ImageError("JPEG: duplicate SOI marker");
        case 0xc0:
        case 0xc1:
        case 0xc2:
          this.readFrame(marker === 0xc2);
          break;
        case 0xc9:
        case 0xca:
          throw new ImageError("JPEG: arithmetic coding is not supported");
        case 0xc3:
        case 0xcb:
          throw new ImageError("JPEG: lossless JPEG is not supported");
        case 0xc5:
        case 0xc6:
        case 0xc7:
        case 0xcd:
        case 0xce:
        case 0xcf:
          throw new ImageError("JPEG: hierarchical JPEG is not supported");
        case 0xc8:
          throw new ImageError("JPEG: unsupported SOF marker 0xc8");
        case 0xda:
          return this.readScanHeader();
        case 0xd9:
          if (inHeaders) throw new ImageError(this.components.length ? "JPEG: no scan before EOI" : "JPEG: no image");
          return null;
        case 0xc4:
          this.readHuffmanTables();
          break;
        case 0xdb:
          this.readQuantTables();
          break;
        case 0xdd: {
          if (this.word() !== 4) throw new ImageError("JPEG: bad DRI length");
          this.restartInterval = this.word();
          break;
        }
        case 0xcc: // DAC: arithmetic conditioning, skipped like any segment
        case 0xdc: // DNL: ignored, as libjpeg does
        case 0xfe: // COM
          if (!this.skipSegment(inHeaders)) return null;
          break;
        default:
          if (marker >= 0xe0 && marker <= 0xef) {
            if (!this.readApplication(marker, inHeaders)) return null;
          } else if (!((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01)) {
            throw new ImageError(`JPEG: unknown marker 0x${marker.toString(16)}`);
          }
      }
      marker = 0;
    }
  }

  /** Skips a segment's body; false when it runs past the end of the data (libjpeg then meets EOI). */
  private skipSegment(inHeaders: boolean): boolean {
    const length = this.word();
    const end = this.pos + length - 2;
    if (end > this.bytes.length) {
      if (inHeaders) throw truncated();
      this.warnings++;
      this.pos = this.bytes.length;
      return false;
    }
    if (length > 2) this.pos = end;
    return true;
  }

  private readApplication(marker: number, inHeaders: boolean): boolean {
    const start = this.pos;
    const length = start + 2 <= this.bytes.length ? (this.bytes[start] << 8) | this.bytes[start + 1] : 0;
    const body = this.bytes.subarray(Math.min(start + 2, this.bytes.length), Math.min(this.bytes.length, start + Math.max(length, 2)));
    if (marker === 0xe0 && body.length >= 14 && body[0] === 0x4a && body[1] === 0x46 && body[2] === 0x49 && body[3] === 0x46 && body[4] === 0) {
      this.sawJfif = true;
    } else if (marker === 0xee && body.length >= 12 && body[0] === 0x41 && body[1] === 0x64 && body[2] === 0x6f && body[3] === 0x62 && body[4] === 0x65) {
      this.sawAdobe = true;
      this.adobeTransform = body[11];
    } else if (marker === 0xe1 && !this.sawExif && body.length >= 6 && body[0] === 0x45 && body[1] === 0x78 && body[2] === 0x69 && body[3] === 0x66 && body[4] === 0 && body[5] === 0) {
      this.sawExif = true;
      this.orientation = exifOrientation(body.subarray(6));
    }
    return this.skipSegment(inHeaders);
  }

  private readFrame(progressive: boolean): void {
    const length = this.word();
    const precision = this.byte();
    const height = this.word();
    const width = this.word();
    const count = this.byte();
    if (this.components.length) throw new ImageError("JPEG: duplicate SOF marker");
    if (height <= 0 || width <= 0 || count <= 0) throw new ImageError("JPEG: empty image (height 0 is not supported)");
    if (length - 8 !== count * 3) throw new ImageError("JPEG: bad SOF length");
    const components: JpegComponent[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.byte();
      const sampling = this.byte();
      components.push({ id, h: sampling >> 4, v: sampling & 15, tq: this.byte() });
    }
    if (precision !== 8) throw new ImageError(`JPEG: ${precision}-bit precision is not supported (only 8-bit)`);
    this.progressive = progressive;
    this.width = width;
    this.height = height;
    this.components = components;
  }

  private readScanHeader(): ScanHeader {
    if (!this.components.length) throw new ImageError("JPEG: SOS before SOF");
    const length = this.word();
    const count = this.byte();
    if (length !== count * 2 + 6 || count < 1 || count > MAX_COMPS_IN_SCAN) throw new ImageError("JPEG: bad SOS length");
    const scan: ScanHeader = { components: [], dcTables: [], acTables: [], ss: 0, se: 0, ah: 0, al: 0 };
    for (let i = 0; i < count; i++) {
      const id = this.byte();
      const tables = this.byte();
      // jdmarker.c get_sos: the first component (of at most 4) with this id not yet in the scan
      let index = -1;
      for (let c = 0; c < this.components.length && c < MAX_COMPS_IN_SCAN; c++) {
        if (this.components[c].id === id && !scan.components.includes(c)) {
          index = c;
          break;
        }
      }
      if (index < 0) throw new ImageError(`JPEG: bad component id ${id} in SOS`);
      scan.components.push(index);
      scan.dcTables.push(tables >> 4);
      scan.acTables.push(tables & 15);
    }
    scan.ss = this.byte();
    scan.se = this.byte();
    const a = this.byte();
    scan.ah = a >> 4;
    scan.al = a & 15;
    this.scans++;
    return scan;
  }

  private readHuffmanTables(): void {
    let length = this.word() - 2;
    while (length > 16) {
      const index = this.byte();
      const counts = new Uint8Array(17);
      let count = 0;
      for (let l = 1; l <= 16; l++) count += counts[l] = this.byte();
      length -= 17;
      if (count > 256 || count > length) throw new ImageError("JPEG: bad Huffman table");
      const symbols = new Uint8Array(256);
      for (let i = 0; i < count; i++) symbols[i] = this.byte();
      length -= count;
      const slot = index & 0x0f;
      if ((index & ~0x1f) !== 0 || slot >= 4) throw new ImageError(`JPEG: bad Huffman table index ${index}`);
      (index & 0x10 ? this.acHuffman : this.dcHuffman)[slot] = { counts, symbols };
    }
    if (length !== 0) throw new ImageError("JPEG: bad DHT length");
  }

  private readQuantTables(): void {
    let length = this.word() - 2;
    while (length > 0) {
      const n = this.byte();
      const precision = n >> 4;
      const slot = n & 15;
      if (slot >= 4) throw new ImageError(`JPEG: bad quantization table index ${slot}`);
      const table = new Uint16Array(64);
      for (let i = 0; i < 64; i++) table[NATURAL_ORDER[i]] = precision ? this.word() : this.byte();
      this.quant[slot] = table;
      length -= precision ? 129 : 65;
    }
    if (length !== 0) throw new ImageError("JPEG: bad DQT length");
  }

  /**
   * jdinput.c initial_setup and the checks djpeg's later stages make on the frame: limits,
   * sampling factors, a colour space PPM output can take. Call at the first scan.
   */
  header(first: ScanHeader): JpegHeader {
    const { width, height, components } = this;
    if (width > MAX_DIMENSION || height > MAX_DIMENSION) throw new ImageError(`JPEG: ${width}x${height} is larger than ${MAX_DIMENSION} pixels a side`);
    if (components.length > 10) throw new ImageError(`JPEG: ${components.length} components (at most 10)`);
    let maxH = 1;
    let maxV = 1;
    for (const { h, v } of components) {
      if (h < 1 || h > 4 || v < 1 || v > 4) throw new ImageError("JPEG: bad sampling factors");
      maxH = Math.max(maxH, h);
      maxV = Math.max(maxV, v);
    }
    const colorSpace = this.colorSpace();
    checkScanShape(components, first);
    return {
      width, height, progressive: this.progressive, components, maxH, maxV,
      mcusAcross: Math.ceil(width / (8 * maxH)),
      mcusDown: Math.ceil(height / (8 * maxV)),
      colorSpace,
      orientation: this.orientation,
      streaming: !this.progressive && first.components.length === components.length,
    };
  }

  /** jdapimin.c default_decompress_parms; djpeg's PPM writer refuses the unknown ones. */
  private colorSpace(): JpegHeader["colorSpace"] {
    const components = this.components;
    switch (components.length) {
      case 1:
        return "gray";
      case 3:
        if (this.sawJfif) return "ycbcr";
        if (this.sawAdobe) return this.adobeTransform === 0 ? "rgb" : "ycbcr";
        return components[0].id === 82 && components[1].id === 71 && components[2].id === 66 ? "rgb" : "ycbcr";
      case 4:
        if (this.sawAdobe) return this.adobeTransform === 0 ? "cmyk" : "ycck";
        return "cmyk";
      default:
        throw new ImageError(`JPEG: ${components.length} colour components are not supported (only 1, 3 or 4)`);
    }
  }
}

/** jdinput.c per_scan_setup's check of an interleaved scan's MCU size. */
export function checkScanShape(components: JpegComponent[], scan: ScanHeader): void {
  if (scan.components.length === 1) return;
  let blocks = 0;
  for (const c of scan.components) blocks += components[c].h * components[c].v;
  if (blocks > MAX_BLOCKS_IN_MCU) throw new ImageError(`JPEG: ${blocks} blocks in an MCU (at most ${MAX_BLOCKS_IN_MCU})`);
}

/** The Orientation value of IFD0 in a TIFF structure (the body of an APP1 "Exif\0\0"), 1 when absent or invalid. */
export function exifOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return 1;
  const u16 = (at: number) => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 65536 : u16(at) * 65536 + u16(at + 2));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) !== 0x0112) continue;
    if (u16(entry + 2) !== 3 || u32(entry + 4) < 1) return 1;
    const value = u16(entry + 8);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

/** Parses a JPEG file up to its first scan header (no wasm). Throws ImageError for anything djpeg refuses there. */
export function readJpegHeader(bytes: Uint8Array): JpegHeader {
  return startJpeg(bytes).header;
}

/** The marker reader positioned at the first scan's entropy-coded data, with the header and that scan. */
export function startJpeg(bytes: Uint8Array): { reader: MarkerReader; header: JpegHeader; scan: ScanHeader } {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new ImageError(bytes.length < 2 ? "JPEG: truncated" : "JPEG: not a JPEG file (no SOI marker)");
  }
  const reader = new MarkerReader(bytes);
  reader.pos = 2;
  const scan = reader.readUntilScan(0, true)!;
  return { reader, header: reader.header(scan), scan };
}
