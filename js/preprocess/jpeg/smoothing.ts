// Progressive block smoothing, as djpeg does it by default (libjpeg-turbo 2.1.5 jdcoefct.c:
// smoothing_ok decides, decompress_smooth_data smooths). When a progressive file's low-frequency
// AC coefficients are not all known to full precision (above all when the file is cut short), the
// first 9 AC coefficients that are still 0 (and the DC, when no AC data arrived at all) are
// estimated from the DC values of the 5×5 blocks around each block, before the inverse DCT.
// The whole-image coefficients stay as read; smoothed copies of one block row at a time go to a
// scratch row that the inverse DCT reads instead (assembly/jpeg/smoothing.ts does the arithmetic).
import type { KernelExports } from "../../runtime/kernels.js";
import type { CoefficientReader } from "./coefficients.js";
import type { JpegHeader } from "./markers.js";
import type { DecoderMemory } from "./memory.js";

const BLOCK_BYTES = 128;
/** Coefficients 0..9 (DC and the first 9 AC in zigzag order): libjpeg's SAVED_COEFS. */
const SAVED_COEFS = 10;
/** Natural-order positions of the first 9 AC coefficients in zigzag order. */
const LOW_AC_POSITIONS = [1, 8, 16, 9, 2, 3, 10, 17, 24];

export class BlockSmoother {
  /** smoothing_ok's verdict: a progressive file, DC known and the quantizers usable in every component, some low AC not fully refined. */
  readonly enabled: boolean;
  /** Latched coef_bits 0..9: per component the current ones (slot c), then the previous scan's (slot components + c). */
  private readonly latch: number;
  /** Per component: one row of smoothed blocks. */
  private readonly scratch: number[] = [];
  private readonly heightInBlocks: number[];
  private readonly widthInBlocks: number[];

  /** Construct after reader.readAll(): smoothing uses the coefficient bits at the end of the input, as djpeg does. */
  constructor(
    private readonly kernels: KernelExports,
    memory: DecoderMemory,
    private readonly reader: CoefficientReader,
    private readonly header: JpegHeader,
  ) {
    const { width, height, maxH, maxV, components } = header;
    this.widthInBlocks = components.map(({ h }) => Math.ceil((width * h) / (8 * maxH)));
    this.heightInBlocks = components.map(({ v }) => Math.ceil((height * v) / (8 * maxV)));
    this.enabled = header.progressive && this.smoothingOk(memory);
    this.latch = 0;
    if (!this.enabled) return;
    const n = components.length;
    this.latch = memory.allocate(2 * n * SAVED_COEFS * 4, "JPEG smoothing parameters");
    for (let c = 0; c < n; c++) this.scratch.push(memory.allocate(reader.blocksWide[c] * BLOCK_BYTES, "JPEG smoothed blocks"));
    const latch = new Int32Array(memory.memory.buffer, this.latch, 2 * n * SAVED_COEFS);
    const firstScanOnly = this.onlyOneScan();
    for (let c = 0; c < n; c++) {
      latch.set(reader.coefBits[c].subarray(0, SAVED_COEFS), c * SAVED_COEFS);
      // smoothing_ok latches -1 as the previous bits when the file had a single scan
      const previous = firstScanOnly ? new Int32Array(SAVED_COEFS).fill(-1) : reader.prevCoefBits[c].subarray(0, SAVED_COEFS);
      latch.set(previous, (n + c) * SAVED_COEFS);
    }
  }

  /** Address of the blocks of component ci's block row `blockRow` that the inverse DCT should read. */
  rowBlocks(ci: number, blockRow: number): number {
    const { reader } = this;
    const rowBytes = reader.blocksWide[ci] * BLOCK_BYTES;
    const row = (r: number): number => reader.coef[ci] + r * rowBytes;
    const { v } = this.header.components[ci];
    const lastIMcuRow = this.header.mcusDown - 1;
    const k = Math.floor(blockRow / v);
    const r = blockRow % v;
    // block rows of this iMCU row that hold image data (libjpeg does not transform the others)
    const blockRows = k < lastIMcuRow ? v : this.heightInBlocks[ci] % v || v;
    if (!this.enabled || r >= blockRows) return row(blockRow);
    // neighbour rows as decompress_smooth_data picks them (by iMCU row, not simply clamped)
    const prev = r > 0 || k > 0 ? blockRow - 1 : blockRow;
    const prevPrev = r > 1 || k > 1 ? blockRow - 2 : prev;
    const next = r < blockRows - 1 || k < lastIMcuRow ? blockRow + 1 : blockRow;
    const nextNext = r < blockRows - 2 || k + 1 < lastIMcuRow ? blockRow + 2 : next;
    // rows past the last one that started with data use the bits from before the last scan
    const slot = k > reader.lastGoodImcuRow ? this.header.components.length + ci : ci;
    const out = this.scratch[ci];
    this.kernels.jpeg_smooth_row(
      row(prevPrev),
      row(prev),
      row(blockRow),
      row(next),
      row(nextNext),
      this.widthInBlocks[ci],
      reader.quant[ci],
      this.latch + slot * SAVED_COEFS * 4,
      out,
    );
    return out;
  }

  /** jdcoefct.c smoothing_ok (after the checks on the file kind). */
  private smoothingOk(memory: DecoderMemory): boolean {
    let useful = false;
    for (let c = 0; c < this.header.components.length; c++) {
      const quant = new Int32Array(memory.memory.buffer, this.reader.quant[c], 64);
      if (quant[0] === 0 || LOW_AC_POSITIONS.some((p) => quant[p] === 0)) return false;
      const bits = this.reader.coefBits[c];
      if (bits[0] < 0) return false;
      for (let k = 1; k < SAVED_COEFS; k++) if (bits[k] !== 0) useful = true;
    }
    return useful;
  }

  /**
   * Whether the file had one scan (libjpeg's input_scan_number == 1). The reader records 0 as the
   * previous bits of coefficients 0..9 at the first scan; after more scans a previous bit of 0
   * means the coefficient was coded, so its current bit can no longer be -1. When smoothing is
   * enabled the single scan is an interleaved DC scan, so every component tells the same.
   */
  private onlyOneScan(): boolean {
    const { coefBits, prevCoefBits } = this.reader;
    return coefBits.every((bits, c) => {
      for (let k = 1; k < SAVED_COEFS; k++) if (bits[k] !== -1 || prevCoefBits[c][k] !== 0) return false;
      return true;
    });
  }
}
