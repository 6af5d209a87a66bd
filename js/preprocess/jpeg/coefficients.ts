// The front half of the JPEG decoder: file bytes → quantized DCT coefficients in wasm memory
// (layout in /work/spec/jpeg-decoder.md "Coefficients"). The scans are Huffman-decoded by
// assembly/jpeg/entropy.ts and progressive.ts; this class reads the markers around them, sets up
// each scan as libjpeg-turbo 2.1.5 does (jdinput.c per_scan_setup and latch_quant_tables,
// jdhuff.c / jdphuff.c start_pass) and tells the kernels where each block goes.
//  - streaming (a sequential file whose first scan interleaves every component): readRow()
//    decodes one iMCU row into per-component buffers of v[c] block rows;
//  - whole image (progressive, or sequential with several scans): readAll() decodes every scan
//    up to EOI into buffers of all the block rows.
import { ImageError } from "../../errors.js";
import type { KernelExports } from "../../runtime/kernels.js";
import { HUFFMAN_TABLE_BYTES, standardHuffmanTables, writeHuffmanTable } from "./huffman.js";
import { type JpegHeader, type MarkerReader, type ScanHeader, checkScanShape, startJpeg } from "./markers.js";
import type { DecoderMemory } from "./memory.js";

// state block fields (assembly/jpeg/entropy.ts)
const POS = 0;
const END = 4;
const MARKER = 24;
const INSUFFICIENT = 28;
const WARNINGS = 32;
const RESTART_INTERVAL = 36;
const RESTARTS_TO_GO = 40;
const BLOCKS_IN_MCU = 52;
const ZERO_BLOCKS = 56;
const SS = 60;
const SE = 64;
const AL = 72;
const ERROR = 76;
const GOOD = 96;
const LOST = 100;
const BLOCK_INFO = 128;
const BLOCK_INFO_BYTES = 20;
const STATE_BYTES = 128 + 10 * BLOCK_INFO_BYTES;
const BLOCK_BYTES = 128;

type ScanKernel = "jpeg_decode_sequential" | "jpeg_decode_dc_first" | "jpeg_decode_dc_refine" | "jpeg_decode_ac_first" | "jpeg_decode_ac_refine";

export class CoefficientReader {
  /** Per component: address of its coefficient buffer. */
  readonly coef: number[] = [];
  /** Per component: blocks per block row (mcusAcross * h). */
  readonly blocksWide: number[] = [];
  /** Per component: block rows in its buffer (v in streaming mode, mcusDown * v otherwise). */
  readonly blocksHigh: number[] = [];
  /** Per component: address of its quantization table, i32[64] in natural order (latched at its first scan). */
  readonly quant: number[] = [];
  /**
   * Progressive files: per component, the successive-approximation bit of each coefficient after
   * the scans read so far (-1: never coded), as libjpeg's coef_bits, which decides block smoothing.
   */
  readonly coefBits: Int32Array[] = [];
  /**
   * Progressive files: per component, coefBits of coefficients min(Ss,1)..max(Se,9) as they were
   * before the last scan of the component (libjpeg's coef_bits[ci + num_components]).
   */
  readonly prevCoefBits: Int32Array[] = [];
  /**
   * libjpeg's master->last_good_iMCU_row: the iMCU row (of the scan then being read) of the last
   * MCU that started with data left; block smoothing uses prevCoefBits below it.
   */
  lastGoodImcuRow = 0;

  private readonly reader: MarkerReader;
  /** Address of the copy of the file in wasm memory. */
  private readonly dataBase: number;
  private readonly state: number;
  private readonly tables: number;
  private readonly latched: boolean[] = [];
  private scan: ScanHeader | null;
  private kernel: ScanKernel = "jpeg_decode_sequential";
  private rowsDone = 0;

  constructor(
    private readonly kernels: KernelExports,
    private readonly memory: DecoderMemory,
    bytes: Uint8Array,
    private readonly header: JpegHeader,
  ) {
    const start = startJpeg(bytes);
    this.reader = start.reader;
    this.scan = start.scan;
    this.dataBase = memory.store(bytes, "JPEG file");
    this.state = memory.allocate(STATE_BYTES, "JPEG decoder state");
    this.tables = memory.allocate(8 * HUFFMAN_TABLE_BYTES, "JPEG Huffman tables");
    const view = this.view();
    view.setUint32(this.state + POS, this.dataBase + this.reader.pos, true);
    view.setUint32(this.state + END, this.dataBase + bytes.length, true);
    for (const { h, v } of header.components) {
      const wide = header.mcusAcross * h;
      const high = header.streaming ? v : header.mcusDown * v;
      this.blocksWide.push(wide);
      this.blocksHigh.push(high);
      this.quant.push(memory.allocate(256, "JPEG quantization tables"));
      this.coef.push(memory.allocate(wide * high * BLOCK_BYTES, "JPEG coefficients"));
      this.latched.push(false);
      this.coefBits.push(new Int32Array(64).fill(-1));
      this.prevCoefBits.push(new Int32Array(64).fill(-1));
    }
    if (!header.progressive) {
      // jdhuff.c jinit_huff_decoder: the standard tables where slots 0 and 1 are still empty
      const standard = standardHuffmanTables();
      for (let i = 0; i < 2; i++) {
        this.reader.dcHuffman[i] ??= standard.dc[i];
        this.reader.acHuffman[i] ??= standard.ac[i];
      }
    }
    this.startScan(this.scan);
  }

  /**
   * Corrupt-data warnings so far (a marker or the end of the data inside a scan, a bad code, a
   * resync, skipped bytes...). The count can differ from libjpeg's, which depends on its input
   * buffering; in particular, after corrupt data ends a scan early, libjpeg may warn about
   * "extraneous bytes" before the next marker that this reader has already buffered.
   */
  get warnings(): number {
    return this.view().getInt32(this.state + WARNINGS, true) + this.reader.warnings;
  }

  /**
   * Whether image data was lost: entropy-coded data corrupt or cut short (out of data inside a
   * scan, a bad Huffman code, a restart marker missing, an inconsistent progression), or a
   * progressive file that ended before EOI with coefficients not all sent. Warnings about the file's structure alone (bytes skipped before a marker, a missing
   * EOI after complete data) do not count.
   */
  get dataLost(): boolean {
    if (this.view().getInt32(this.state + LOST, true) > 0) return true;
    return this.reader.endedEarly && this.header.progressive && this.coefBits.some((bits) => bits.some((b) => b !== 0));
  }

  private view(): DataView {
    return new DataView(this.memory.memory.buffer);
  }

  /** Streaming mode: decodes the next iMCU row into the one-row buffers. */
  readRow(): void {
    const { header, scan } = this;
    if (!header.streaming || !scan) throw new Error("CoefficientReader.readRow: not a streaming JPEG");
    if (this.rowsDone >= header.mcusDown) throw new Error("CoefficientReader.readRow: past the last row");
    const row = this.rowsDone++;
    if (scan.components.length > 1) {
      this.setInterleavedBlocks(0);
      this.run(header.mcusAcross, row);
    } else {
      this.readSingleComponentRow(scan.components[0], row);
    }
    if (this.rowsDone === header.mcusDown) this.finish();
  }

  /**
   * After the last row of a streaming file: the markers up to EOI, as jpeg_finish_decompress
   * reads them, for their warnings. What libjpeg would stop on there (another scan: "Didn't
   * expect more than one scan"; a broken segment) comes after the whole image, so it only counts
   * as a warning too.
   */
  private finish(): void {
    const view = this.view();
    this.reader.pos = view.getUint32(this.state + POS, true) - this.dataBase;
    try {
      if (this.reader.readUntilScan(view.getInt32(this.state + MARKER, true), false)) this.reader.warnings++;
    } catch (error) {
      if (!(error instanceof ImageError)) throw error;
      this.reader.warnings++;
    }
  }

  /** One iMCU row of a non-interleaved scan: v block rows, fewer in the last row. */
  private readSingleComponentRow(c: number, row: number): void {
    const { v } = this.header.components[c];
    const heightInBlocks = this.heightInBlocks(c);
    const rows = Math.min(v, heightInBlocks - row * v);
    for (let y = 0; y < v; y++) {
      if (y >= rows) {
        const from = this.coef[c] + y * this.blocksWide[c] * BLOCK_BYTES;
        this.memory.bytes.fill(0, from, from + this.blocksWide[c] * BLOCK_BYTES);
        continue;
      }
      this.setSingleBlock(c, y);
      this.run(this.widthInBlocks(c), row);
    }
  }

  /** Whole-image mode: decodes every scan, and the markers between them, up to EOI. */
  readAll(): void {
    if (this.header.streaming) throw new Error("CoefficientReader.readAll: a streaming JPEG (use readRow)");
    while (this.scan) {
      const scan = this.scan;
      if (scan.components.length > 1) {
        for (let row = 0; row < this.header.mcusDown; row++) {
          this.setInterleavedBlocks(row);
          this.run(this.header.mcusAcross, row);
        }
      } else {
        const c = scan.components[0];
        const width = this.widthInBlocks(c);
        const { v } = this.header.components[c];
        for (let row = 0, rows = this.heightInBlocks(c); row < rows; row++) {
          this.setSingleBlock(c, row);
          this.run(width, Math.floor(row / v));
        }
      }
      this.nextScan();
    }
  }

  private widthInBlocks(c: number): number {
    const { width, maxH, components } = this.header;
    return Math.ceil((width * components[c].h) / (8 * maxH));
  }

  private heightInBlocks(c: number): number {
    const { height, maxV, components } = this.header;
    return Math.ceil((height * components[c].v) / (8 * maxV));
  }

  /** Decodes `mcus` MCUs of iMCU row `imcuRow`. */
  private run(mcus: number, imcuRow: number): void {
    this.view().setInt32(this.state + GOOD, 0, true);
    this.kernels[this.kernel](this.state, mcus);
    const view = this.view();
    if (view.getInt32(this.state + ERROR, true)) throw new ImageError("JPEG: DC coefficient out of range");
    if (view.getInt32(this.state + GOOD, true)) this.lastGoodImcuRow = imcuRow;
  }

  /** Block addresses of the MCUs of MCU row `row` of an interleaved scan (row 0 of the buffers in streaming mode). */
  private setInterleavedBlocks(row: number): void {
    const view = this.view();
    let b = 0;
    for (const c of this.scan!.components) {
      const { h, v } = this.header.components[c];
      const wide = this.blocksWide[c];
      const firstRow = this.header.streaming ? 0 : row * v;
      for (let y = 0; y < v; y++) {
        for (let x = 0; x < h; x++, b++) {
          const info = this.state + BLOCK_INFO + b * BLOCK_INFO_BYTES;
          view.setUint32(info, this.coef[c] + ((firstRow + y) * wide + x) * BLOCK_BYTES, true);
          view.setInt32(info + 4, h * BLOCK_BYTES, true);
        }
      }
    }
  }

  /** Block addresses of block row `row` of the single component `c` of a non-interleaved scan. */
  private setSingleBlock(c: number, row: number): void {
    const view = this.view();
    view.setUint32(this.state + BLOCK_INFO, this.coef[c] + row * this.blocksWide[c] * BLOCK_BYTES, true);
    view.setInt32(this.state + BLOCK_INFO + 4, BLOCK_BYTES, true);
  }

  /** After a scan: the markers up to the next scan (set up) or EOI (scan = null). */
  private nextScan(): void {
    const view = this.view();
    const marker = view.getInt32(this.state + MARKER, true);
    this.reader.pos = view.getUint32(this.state + POS, true) - this.dataBase;
    this.scan = this.reader.readUntilScan(marker, false);
    if (this.scan) {
      view.setUint32(this.state + POS, this.dataBase + this.reader.pos, true);
      this.startScan(this.scan);
    }
  }

  /** jdinput.c start_input_pass: scan geometry, quantization tables, entropy decoder state. */
  private startScan(scan: ScanHeader): void {
    const { header, reader } = this;
    checkScanShape(header.components, scan);
    const memory = this.memory;
    for (const c of scan.components) {
      if (this.latched[c]) continue;
      const slot = header.components[c].tq;
      const table = slot < 4 ? reader.quant[slot] : null;
      if (!table) throw new ImageError(`JPEG: quantization table ${slot} not defined`);
      new Int32Array(memory.memory.buffer, this.quant[c], 64).set(table);
      this.latched[c] = true;
    }
    const view = this.view();
    const state = this.state;
    let warnings = 0;
    const useDc = !header.progressive || (scan.ss === 0 && scan.ah === 0);
    const useAc = !header.progressive || scan.ss !== 0;
    if (header.progressive) {
      warnings += this.checkProgression(scan);
      this.kernel = scan.ss === 0 ? (scan.ah === 0 ? "jpeg_decode_dc_first" : "jpeg_decode_dc_refine") : scan.ah === 0 ? "jpeg_decode_ac_first" : "jpeg_decode_ac_refine";
    } else {
      if (scan.ss !== 0 || scan.se !== 63 || scan.ah !== 0 || scan.al !== 0) warnings++;
      this.kernel = "jpeg_decode_sequential";
    }
    // Huffman tables: slots 0..3 DC, 4..7 AC
    const bytes = memory.bytes;
    scan.components.forEach((_, i) => {
      if (useDc) this.writeTable(scan.dcTables[i], true, bytes);
      if (useAc) this.writeTable(scan.acTables[i], false, bytes);
    });
    // blocks of the MCU
    let b = 0;
    scan.components.forEach((c, i) => {
      const { h, v } = header.components[c];
      const count = scan.components.length > 1 ? h * v : 1;
      for (let j = 0; j < count; j++, b++) {
        const info = state + BLOCK_INFO + b * BLOCK_INFO_BYTES;
        view.setUint32(info + 8, this.tables + (scan.dcTables[i] & 3) * HUFFMAN_TABLE_BYTES, true);
        view.setUint32(info + 12, this.tables + (4 + (scan.acTables[i] & 3)) * HUFFMAN_TABLE_BYTES, true);
        view.setInt32(info + 16, i, true);
      }
    });
    // a fresh bit reader, predictors, EOB run, restart counter
    const pos = view.getUint32(state + POS, true);
    const end = view.getUint32(state + END, true);
    const previousWarnings = view.getInt32(state + WARNINGS, true);
    const previousLost = view.getInt32(state + LOST, true);
    new Uint8Array(memory.memory.buffer, state, BLOCK_INFO).fill(0);
    view.setUint32(state + POS, pos, true);
    view.setUint32(state + END, end, true);
    view.setInt32(state + WARNINGS, previousWarnings + warnings, true);
    // An inconsistent progression or bad scan parameters: coefficients are missing or wrong.
    view.setInt32(state + LOST, previousLost + warnings, true);
    view.setInt32(state + RESTART_INTERVAL, reader.restartInterval, true);
    view.setInt32(state + RESTARTS_TO_GO, reader.restartInterval, true);
    view.setInt32(state + BLOCKS_IN_MCU, b, true);
    view.setInt32(state + ZERO_BLOCKS, header.streaming ? 1 : 0, true);
    view.setInt32(state + SS, scan.ss, true);
    view.setInt32(state + SE, scan.se, true);
    view.setInt32(state + AL, scan.al, true);
    view.setInt32(state + INSUFFICIENT, 0, true);
  }

  private writeTable(slot: number, dc: boolean, bytes: Uint8Array): void {
    const spec = slot < 4 ? (dc ? this.reader.dcHuffman : this.reader.acHuffman)[slot] : null;
    if (!spec) throw new ImageError(`JPEG: Huffman table ${slot} not defined`);
    writeHuffmanTable(spec, dc, bytes, this.tables + ((dc ? 0 : 4) + slot) * HUFFMAN_TABLE_BYTES);
  }

  /** jdphuff.c start_pass_phuff_decoder's checks; returns the number of warnings (inconsistent progression). */
  private checkProgression(scan: ScanHeader): number {
    const { ss, se, ah, al } = scan;
    const dcBand = ss === 0;
    let bad = dcBand ? se !== 0 : ss > se || se >= 64 || scan.components.length !== 1;
    if (ah !== 0 && al !== ah - 1) bad = true;
    if (al > 13) bad = true;
    if (bad) throw new ImageError(`JPEG: invalid progressive scan (Ss=${ss} Se=${se} Ah=${ah} Al=${al})`);
    let warnings = 0;
    for (const c of scan.components) {
      const bits = this.coefBits[c];
      if (!dcBand && bits[0] < 0) warnings++;
      const prev = this.prevCoefBits[c];
      for (let k = Math.min(ss, 1); k <= Math.max(se, 9); k++) prev[k] = this.reader.scans > 1 ? bits[k] : 0;
      for (let k = ss; k <= se; k++) {
        if (ah !== Math.max(bits[k], 0)) warnings++;
        bits[k] = al;
      }
    }
    return warnings;
  }
}
