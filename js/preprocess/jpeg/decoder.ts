// The JPEG decoding pipeline, one iMCU row at a time, as libjpeg-turbo's decompressor runs it
// (jdapistd.c → jdmainct.c → jdcoefct.c → jddctmgr.c → jdsample.c → jdcolor.c): coefficients of
// an iMCU row → inverse DCT at the layout's sizes into a ring of sample rows per component →
// upsampling and colour conversion of each output row that the sink wants. Memory is a few iMCU
// rows of each component, never the frame (progressive and multi-scan files keep their
// coefficients, as libjpeg does). Every kernel is in wasm; this file only sequences the calls.
import type { KernelExports } from "../../runtime/kernels.js";
import { CoefficientReader } from "./coefficients.js";
import { type ComponentLayout, type JpegLayout, jpegLayout, ROW_PADDING } from "./layout.js";
import type { JpegHeader } from "./markers.js";
import type { DecoderMemory } from "./memory.js";
import { BlockSmoother } from "./smoothing.js";

const BLOCK_BYTES = 128;
/** iMCU rows of samples kept per component: the previous (its last row is context), the current, the next. */
const RING_IMCU_ROWS = 3;

/** Where decoded rows go: rows come in order, top to bottom, each valid only during the call. */
export interface RowSink {
  /** Whether output row y is needed (rows nobody needs are not upsampled or converted). */
  wants(y: number): boolean;
  /** Output row y: width × channels bytes, a view of wasm memory valid until the call returns. */
  row(y: number, samples: Uint8Array): void;
}

export interface DecodedRows {
  layout: JpegLayout;
  /** Corrupt-data warnings (libjpeg's: premature end of data, bad Huffman codes, missing restarts, skipped bytes). */
  warnings: number;
  /** Whether some of the image's data was missing or damaged (see CoefficientReader.dataLost). */
  dataLost: boolean;
}

/**
 * Decodes `bytes` (header already read) at scale M/8 into `sink`, as 3-channel RGB or, for a
 * greyscale JPEG with `channels` 1, as its one channel.
 */
export function decodeJpegRows(
  kernels: KernelExports,
  memory: DecoderMemory,
  bytes: Uint8Array,
  header: JpegHeader,
  scale: number,
  channels: 1 | 3,
  sink: RowSink,
): DecodedRows {
  const layout = jpegLayout(header, scale);
  const reader = new CoefficientReader(kernels, memory, bytes, header);
  const components = layout.components;
  const rings = components.map((c) => memory.allocate(RING_IMCU_ROWS * c.rowsPerIMcu * c.stride, "sample rows"));
  const upsampled = components.map((c) =>
    needsRowBuffer(c) ? memory.allocate(c.width * c.hFactor + 2 * ROW_PADDING, "upsampled row") : 0,
  );
  const outChannels = header.colorSpace === "gray" ? channels : 3;
  const output = memory.allocate(layout.outputWidth * outChannels + ROW_PADDING, "output row");

  /** Address of sample row r of component ci in its ring. */
  const rowAddress = (ci: number, r: number): number => {
    const c = components[ci];
    const slot = Math.floor(r / c.rowsPerIMcu) % RING_IMCU_ROWS;
    return rings[ci] + (slot * c.rowsPerIMcu + (r % c.rowsPerIMcu)) * c.stride;
  };

  const wanted = wantedIMcuRows(layout, sink);
  const context = layout.needsContext ? 1 : 0;
  const idctNeeded = (k: number): boolean => {
    for (let j = Math.max(0, k - context); j <= Math.min(layout.iMcuRows - 1, k + context); j++) if (wanted[j]) return true;
    return false;
  };

  const inverseDct = (k: number): void => {
    for (let ci = 0; ci < components.length; ci++) {
      const c = components[ci];
      const blockRowBytes = c.blocksWide * BLOCK_BYTES;
      for (let by = 0; by < c.v; by++) {
        // whole image: block row k·v + by, smoothed as libjpeg does (progressive); streaming: row by of the one-row buffers
        const blocks = smoother ? smoother.rowBlocks(ci, k * c.v + by) : reader.coef[ci] + by * blockRowBytes;
        kernels.jpeg_idct(blocks, reader.quant[ci], c.blocksWide, rowAddress(ci, k * c.rowsPerIMcu + by * c.idctSize), c.stride, c.idctSize);
      }
    }
  };

  /** Address of component ci's samples for output row y, upsampled where it has to be. */
  const componentRow = (ci: number, y: number): number => {
    const c = components[ci];
    switch (c.upsample) {
      case "full":
        return rowAddress(ci, y);
      case "replicate": {
        const source = rowAddress(ci, Math.floor(y / c.vFactor));
        if (c.hFactor === 1) return source;
        kernels.jpeg_replicate(source, upsampled[ci], c.width, c.hFactor);
        return upsampled[ci];
      }
      case "h2v1-fancy":
        kernels.jpeg_h2v1_fancy(rowAddress(ci, y), upsampled[ci], c.width);
        return upsampled[ci];
      case "h2v2-fancy":
      case "h1v2-fancy": {
        const near = y >> 1;
        const lower = y & 1;
        // Above the first row and below the last, libjpeg's context is the edge row itself.
        const far = Math.min(Math.max(lower ? near + 1 : near - 1, 0), c.height - 1);
        if (c.upsample === "h2v2-fancy") kernels.jpeg_h2v2_fancy(rowAddress(ci, near), rowAddress(ci, far), upsampled[ci], c.width, lower);
        else kernels.jpeg_h1v2_fancy(rowAddress(ci, near), rowAddress(ci, far), upsampled[ci], c.width, lower);
        return upsampled[ci];
      }
    }
  };

  const emit = (j: number): void => {
    if (!wanted[j]) return;
    const width = layout.outputWidth;
    const end = Math.min((j + 1) * layout.rowsPerIMcu, layout.outputHeight);
    for (let y = j * layout.rowsPerIMcu; y < end; y++) {
      if (!sink.wants(y)) continue;
      const rows = components.map((_, ci) => componentRow(ci, y));
      let samples = output;
      switch (header.colorSpace) {
        case "gray":
          if (outChannels === 1) samples = rows[0];
          else kernels.jpeg_gray_rgb(rows[0], output, width);
          break;
        case "ycbcr":
          kernels.jpeg_ycc_rgb(rows[0], rows[1], rows[2], output, width);
          break;
        case "rgb":
          kernels.jpeg_rgb_rgb(rows[0], rows[1], rows[2], output, width);
          break;
        case "cmyk":
        case "ycck":
          kernels.jpeg_cmyk_rgb(rows[0], rows[1], rows[2], rows[3], output, width, header.colorSpace === "ycck" ? 1 : 0);
          break;
      }
      sink.row(y, new Uint8Array(memory.memory.buffer, samples, width * outChannels));
    }
  };

  let smoother: BlockSmoother | null = null;
  if (!header.streaming) {
    reader.readAll();
    smoother = new BlockSmoother(kernels, memory, reader, header);
  }
  for (let k = 0; k < layout.iMcuRows; k++) {
    if (header.streaming) reader.readRow();
    if (idctNeeded(k)) inverseDct(k);
    if (context === 0) emit(k);
    else if (k > 0) emit(k - 1);
  }
  if (context === 1) emit(layout.iMcuRows - 1);
  return { layout, warnings: reader.warnings, dataLost: reader.dataLost };
}

function needsRowBuffer(c: ComponentLayout): boolean {
  return c.upsample !== "full" && !(c.upsample === "replicate" && c.hFactor === 1);
}

/** For each iMCU row, whether the sink wants any of its output rows. */
function wantedIMcuRows(layout: JpegLayout, sink: RowSink): boolean[] {
  const wanted = new Array<boolean>(layout.iMcuRows).fill(false);
  for (let y = 0; y < layout.outputHeight; y++) {
    if (sink.wants(y)) wanted[Math.floor(y / layout.rowsPerIMcu)] = true;
  }
  return wanted;
}
