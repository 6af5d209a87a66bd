// A PNG's image data → 8-bit RGB rows, so that a 12 MP photo never exists whole: the zlib stream
// is inflated in 64 KiB pieces (pako.Inflate), each row is unfiltered (types 0–4, PNG
// specification section 9) against the one before it and converted to RGB, then handed to a sink
// (a whole-image buffer, or the streaming crop + resize). Working memory: two rows of filtered
// data, one RGB row and one piece of inflated output; for an interlaced (Adam7) image also the
// even rows the sink wants, which passes 1–6 fill a few pixels at a time (pass 7 brings the odd
// rows whole).
//
// The conversion is the one upng-js 2.1.0's UPNG.toRGBA8 makes, without the alpha: grey below
// 8 bits scaled to 0…255 (v × 255 / (2^depth - 1)), 16-bit samples keep their high byte,
// palette indices past the PLTE entries read black, tRNS and alpha are ignored (the result is
// the stored R, G, B of each pixel, whatever its transparency).
//
// The inflated data must be exactly the size the header needs: a stream that inflates to more (a
// zlib bomb) is refused as soon as it passes that size, one that inflates to less is refused at
// its end, as is an unknown filter type.
import pako from "pako/lib/inflate.js";
import { ImageError } from "../errors.js";

export interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

/** Where decoded rows go, in any order; `row`'s array is only valid during the call. */
export interface PngRowSink {
  wants(y: number): boolean;
  row(y: number, rgb: Uint8Array): void;
}

/** Colour type → samples per pixel (PNG specification, table 11.1). */
export const SAMPLES_PER_PIXEL: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const INFLATE_CHUNK = 64 * 1024;
/** Adam7 passes: first row, first column, row step, column step (PNG specification, section 8.2). */
const ADAM7 = [[0, 0, 8, 8], [0, 4, 8, 8], [4, 0, 8, 4], [0, 2, 4, 4], [2, 0, 4, 2], [0, 1, 2, 2], [1, 0, 2, 1]];

/** A sub-image in the image data: every columnStep-th pixel of every rowStep-th row from (firstColumn, firstRow). */
interface Pass {
  firstRow: number;
  firstColumn: number;
  rowStep: number;
  columnStep: number;
  width: number;
  height: number;
  /** Bytes of each of its rows: the filter-type byte, then the pixels. */
  stride: number;
}

/** Bytes of one row of `width` pixels, without the filter-type byte. */
export function rowBytes(width: number, bitsPerPixel: number): number {
  return Math.ceil((width * bitsPerPixel) / 8);
}

/** The non-empty passes in the order the image data holds them: the whole image, or Adam7's seven. */
function imagePasses({ width, height, depth, colorType, interlaced }: PngHeader): Pass[] {
  const bitsPerPixel = SAMPLES_PER_PIXEL[colorType] * depth;
  return (interlaced ? ADAM7 : [[0, 0, 1, 1]])
    .map(([firstRow, firstColumn, rowStep, columnStep]) => {
      const passWidth = Math.max(0, Math.ceil((width - firstColumn) / columnStep));
      const passHeight = Math.max(0, Math.ceil((height - firstRow) / rowStep));
      return { firstRow, firstColumn, rowStep, columnStep, width: passWidth, height: passHeight, stride: 1 + rowBytes(passWidth, bitsPerPixel) };
    })
    .filter((pass) => pass.width > 0 && pass.height > 0);
}

/**
 * Bytes decodePngRows allocates: two rows of filtered data and an RGB row, and for an interlaced
 * image the even rows the sink wants, gathered over passes 1–6 (odd rows come whole in pass 7).
 */
export function rowMemory(header: PngHeader, wants: (y: number) => boolean): number {
  const bitsPerPixel = SAMPLES_PER_PIXEL[header.colorType] * header.depth;
  let gathered = 0;
  for (let y = 0; header.interlaced && y < header.height; y += 2) if (wants(y)) gathered++;
  return 2 * (1 + rowBytes(header.width, bitsPerPixel)) + 3 * header.width * (1 + gathered);
}

/**
 * Inflates `imageData` (the IDAT chunks' data, in order) and passes every row the sink wants to
 * it: top to bottom, or for an interlaced image the even rows after pass 6 and the odd ones as
 * pass 7 completes them. Throws an ImageError on a corrupt or wrongly sized zlib stream or an
 * unknown filter type.
 */
export function decodePngRows(header: PngHeader, palette: Uint8Array | null, imageData: Uint8Array[], sink: PngRowSink): void {
  const { width, depth, colorType } = header;
  const passes = imagePasses(header);
  const expected = passes.reduce((sum, pass) => sum + pass.height * pass.stride, 0);
  const filterDistance = Math.max(1, (SAMPLES_PER_PIXEL[colorType] * depth) >> 3);
  const widest = Math.max(...passes.map((pass) => pass.stride));
  const buffers = [new Uint8Array(widest), new Uint8Array(widest)];
  const rgb = new Uint8Array(3 * width);
  /** Interlaced: the wanted rows of passes 1–6 (even rows), until pass 7 or the end. */
  const gathered = new Map<number, Uint8Array>();
  let passIndex = 0;
  let pass = passes[0];
  let toRgb = rgbConverter(pass.width, depth, colorType, palette, rgb);
  let line = buffers[0].subarray(0, pass.stride);
  let previous = buffers[1].subarray(0, pass.stride); // zeros: the row above a pass's first
  let rowInPass = 0;
  let filled = 0;

  const handOverGathered = (): void => {
    for (const [y, row] of gathered) sink.row(y, row);
    gathered.clear();
  };
  const startPass = (): void => {
    pass = passes[++passIndex];
    toRgb = rgbConverter(pass.width, depth, colorType, palette, rgb);
    line = buffers[0].subarray(0, pass.stride);
    previous = buffers[1].subarray(0, pass.stride).fill(0);
    rowInPass = 0;
    if (pass.columnStep === 1) handOverGathered(); // pass 7: the even rows are complete
  };
  const endRow = (): void => {
    const y = pass.firstRow + rowInPass * pass.rowStep;
    unfilter(line, previous, filterDistance, y);
    if (sink.wants(y)) {
      if (pass.columnStep === 1) sink.row(y, toRgb(line));
      else gather(toRgb(line), y);
    }
    [line, previous] = [previous, line];
    filled = 0;
    if (++rowInPass === pass.height && passIndex + 1 < passes.length) startPass();
  };
  const gather = (pixels: Uint8Array, y: number): void => {
    let row = gathered.get(y);
    if (row === undefined) gathered.set(y, (row = new Uint8Array(3 * width)));
    for (let i = 0, x = pass.firstColumn; i < pass.width; i++, x += pass.columnStep) {
      row[3 * x] = pixels[3 * i];
      row[3 * x + 1] = pixels[3 * i + 1];
      row[3 * x + 2] = pixels[3 * i + 2];
    }
  };

  const inflator = new pako.Inflate({ chunkSize: INFLATE_CHUNK });
  let inflated = 0;
  let error: string | null = null;
  inflator.onData = (chunk) => {
    inflated += chunk.length;
    if (inflated > expected) throw new ImageError(`PNG: the image data inflates to more than the ${expected} bytes the image size needs`);
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(pass.stride - filled, chunk.length - offset);
      line.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === pass.stride) endRow();
    }
    // Its rows taken, the piece's buffer is handed back to be filled again (zlib's z_stream
    // fields, which pako 1.x keeps): else each 64 KiB is a new buffer, and the garbage (the whole
    // image in all) outgrew the rows by 20–30 MiB on a 12 MP image before the GC reclaimed it.
    // Only while input remains: with none left, pako decides by avail_out === 0 whether output is
    // still pending.
    if (inflator.strm.avail_in > 0) {
      inflator.strm.next_out = 0;
      inflator.strm.avail_out = INFLATE_CHUNK;
    }
  };
  inflator.onEnd = (status) => {
    if (status !== 0) error = inflator.strm.msg || `zlib error ${status}`;
  };
  const parts = imageData.filter((part) => part.length > 0);
  parts.forEach((part, i) => inflator.push(part, i === parts.length - 1));
  if (error !== null) throw new ImageError(`PNG: corrupt image data: ${error}`);
  if (inflated < expected) throw new ImageError(`PNG: image data truncated: ${inflated} of ${expected} bytes`);
  handOverGathered(); // an interlaced image without pass 7 (1 row high)
}

/**
 * Undoes row `y`'s filter in place. `line` and `previous` hold a filter-type byte, then the row
 * (`previous` unfiltered already; zeros above the first row). `distance`: bytes per pixel, at
 * least 1 — the byte a filter calls "a" (left) is that far back.
 */
function unfilter(line: Uint8Array, previous: Uint8Array, distance: number, y: number): void {
  const end = line.length;
  const firstPixelEnd = Math.min(1 + distance, end);
  switch (line[0]) {
    case 0: // None
      return;
    case 1: // Sub: + a
      for (let i = 1 + distance; i < end; i++) line[i] += line[i - distance];
      return;
    case 2: // Up: + b
      for (let i = 1; i < end; i++) line[i] += previous[i];
      return;
    case 3: // Average: + floor((a + b) / 2)
      for (let i = 1; i < firstPixelEnd; i++) line[i] += previous[i] >> 1;
      for (let i = 1 + distance; i < end; i++) line[i] += (line[i - distance] + previous[i]) >> 1;
      return;
    case 4: // Paeth: + whichever of a, b, c is nearest a + b - c (ties: a, then b); a = c = 0 gives b
      for (let i = 1; i < firstPixelEnd; i++) line[i] += previous[i];
      for (let i = 1 + distance; i < end; i++) {
        const a = line[i - distance];
        const b = previous[i];
        const c = previous[i - distance];
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        line[i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      return;
    default:
      throw new ImageError(`PNG: unknown filter type ${line[0]} in row ${y}`);
  }
}

/**
 * The function turning an unfiltered line (filter-type byte, then the row) into `width` RGB
 * pixels, written to `rgb`. 8-bit RGB rows are returned as they are (a view after the filter byte).
 */
function rgbConverter(width: number, depth: number, colorType: number, palette: Uint8Array | null, rgb: Uint8Array): (line: Uint8Array) => Uint8Array {
  const step = depth >> 3; // bytes per 8- or 16-bit sample; its first is the high byte
  switch (colorType) {
    case 2: // RGB
      if (depth === 8) return (line) => line.subarray(1);
      return (line) => {
        for (let x = 0, i = 1, o = 0; x < width; x++, i += 6) {
          rgb[o++] = line[i];
          rgb[o++] = line[i + 2];
          rgb[o++] = line[i + 4];
        }
        return rgb;
      };
    case 6: // RGBA
      return (line) => {
        for (let x = 0, i = 1, o = 0; x < width; x++, i += 4 * step) {
          rgb[o++] = line[i];
          rgb[o++] = line[i + step];
          rgb[o++] = line[i + 2 * step];
        }
        return rgb;
      };
    case 4: // grey + alpha
      return (line) => {
        for (let x = 0, i = 1, o = 0; x < width; x++, i += 2 * step) {
          const grey = line[i];
          rgb[o++] = grey;
          rgb[o++] = grey;
          rgb[o++] = grey;
        }
        return rgb;
      };
    case 0: // grey
      if (depth >= 8) {
        return (line) => {
          for (let x = 0, i = 1, o = 0; x < width; x++, i += step) {
            const grey = line[i];
            rgb[o++] = grey;
            rgb[o++] = grey;
            rgb[o++] = grey;
          }
          return rgb;
        };
      }
      return paletteConverter(width, depth, greyRamp(depth), rgb);
    default: // 3, palette: validated by the caller
      return paletteConverter(width, depth, palette ?? new Uint8Array(0), rgb);
  }
}

/** Samples of 1, 2, 4 or 8 bits (packed from the high bits of each byte) looked up in `palette`. */
function paletteConverter(width: number, depth: number, palette: Uint8Array, rgb: Uint8Array): (line: Uint8Array) => Uint8Array {
  const table = new Uint8Array(256 * 3); // every index a byte can hold; past the palette: black
  table.set(palette.subarray(0, table.length));
  const mask = (1 << depth) - 1;
  return (line) => {
    for (let x = 0, bit = 0, o = 0; x < width; x++, bit += depth) {
      const index = 3 * ((line[1 + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask);
      rgb[o++] = table[index];
      rgb[o++] = table[index + 1];
      rgb[o++] = table[index + 2];
    }
    return rgb;
  };
}

/** The grey levels of `depth`-bit samples, as RGB palette entries: v × 255 / (2^depth - 1). */
export function greyRamp(depth: number): Uint8Array {
  const levels = 2 ** depth;
  return Uint8Array.from({ length: 3 * levels }, (_, i) => (Math.floor(i / 3) * 255) / (levels - 1));
}
