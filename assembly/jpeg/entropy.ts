// JPEG Huffman decoding, as libjpeg-turbo 2.1.5 jdhuff.c does it: bits from the entropy-coded
// data (0xFF00 → 0xFF) into a 64-bit buffer, refilled a byte at a time to at least 57 bits;
// symbols through a 9-bit lookahead table, longer codes through maxcode/valoffset.
// jpeg_decode_sequential decodes `mcus` MCUs of a sequential scan into 64 × i16 blocks in natural
// order (not dequantized); progressive scans are in assembly/jpeg/progressive.ts.
//
// Everything lives in the host's state block (layout below, js/preprocess/jpeg/coefficients.ts
// writes it) so that decoding resumes call after call. The bit reader never reads at or past
// END: a marker or the end of the data stops it, and from then on it gives zero bits, as libjpeg
// does; the first zero bit an MCU really uses sets INSUFFICIENT (one warning) and later MCUs of
// the restart interval are left as they are (all zero when ZERO_BLOCKS). Restart markers are read
// and resynchronized on as jdmarker.c read_restart_marker / jpeg_resync_to_restart do.
//
// Huffman table layout (js/preprocess/jpeg/huffman.ts): u16 lookup[512] at 0, i32 maxcode[18] at
// 1024, i32 valoffset[18] at 1096, u8 symbols[256] at 1168.

// ---- state block (i32 fields unless noted)
export const POS = 0; // next byte of entropy-coded data (address)
export const END = 4; // end of the data (address)
export const BITS = 8; // bits in the buffer
export const PAD = 12; // how many of them (the last ones) are zero bits appended after a marker
export const BUFFER = 16; // u64; the next bit is bit BITS - 1
export const MARKER = 24; // marker code the bit reader stopped at (0: none); EOI at the end of the data
export const INSUFFICIENT = 28; // the current restart interval ran out of data
export const WARNINGS = 32; // corrupt-data warnings so far
export const RESTART_INTERVAL = 36; // MCUs per restart interval, 0: no restarts
export const RESTARTS_TO_GO = 40;
export const NEXT_RESTART = 44; // number (0..7) of the next expected RSTn
export const EOBRUN = 48; // progressive AC scans
export const BLOCKS_IN_MCU = 52;
export const ZERO_BLOCKS = 56; // 1: clear each block before decoding it (single-pass decoding)
export const SS = 60;
export const SE = 64;
export const AL = 72; // successive approximation: the bit position (Ah is implied by the kernel)
export const ERROR = 76; // 1: a DC coefficient overflowed (libjpeg's JERR_BAD_DCT_COEF), decoding stopped
export const LAST_DC = 80; // i32[4], per component of the scan
export const GOOD = 96; // set to 1 when an MCU of the call starts with INSUFFICIENT clear (libjpeg's last_good_iMCU_row)
export const LOST = 100; // those of the warnings that mean lost image data: out of data, bad codes, restart resyncs
// per block of the MCU (up to 10), 20 bytes each: address of the block in the first MCU of the
// call, stride to the same block of the next MCU, DC table, AC table, component index in the scan
export const BLOCK_INFO = 128;
export const BLOCK_INFO_BYTES = 20;

const MAXCODE: usize = 1024;
const VALOFFSET: usize = 1096;
const SYMBOLS: usize = 1168;

// jpeg_natural_order, with 16 extra entries of 63 for corrupt runs past the end of a block
export const NATURAL_ORDER: StaticArray<u8> = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
  63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
];

// The bit reader's registers while a call runs (saved to the state block at its end).
let bitBuffer: u64 = 0;
let bitCount: i32 = 0;
let padBits: i32 = 0;
let inputPos: usize = 0;
let inputEnd: usize = 0;
let marker: i32 = 0;
export let insufficient: i32 = 0;
let warnings: i32 = 0;
let lost: i32 = 0;

export function loadReader(state: usize): void {
  inputPos = <usize>load<u32>(state + POS);
  inputEnd = <usize>load<u32>(state + END);
  bitCount = load<i32>(state + BITS);
  padBits = load<i32>(state + PAD);
  bitBuffer = load<u64>(state + BUFFER);
  marker = load<i32>(state + MARKER);
  insufficient = load<i32>(state + INSUFFICIENT);
  warnings = load<i32>(state + WARNINGS);
  lost = load<i32>(state + LOST);
}

export function saveReader(state: usize): void {
  store<u32>(state + POS, <u32>inputPos);
  store<i32>(state + BITS, bitCount);
  store<i32>(state + PAD, padBits);
  store<u64>(state + BUFFER, bitBuffer);
  store<i32>(state + MARKER, marker);
  store<i32>(state + INSUFFICIENT, insufficient);
  store<i32>(state + WARNINGS, warnings);
  store<i32>(state + LOST, lost);
}

/** Sets INSUFFICIENT (with one warning) once an MCU has used a zero bit appended after a marker. */
export function checkOverrun(): void {
  if (padBits > bitCount) {
    if (!insufficient) {
      insufficient = 1;
      warnings++;
      lost++;
    }
    padBits = bitCount;
  }
}

/** jdhuff.c jpeg_fill_bit_buffer: at least 57 bits in the buffer, zero bits once a marker stops the data. */
export function fillBits(): void {
  checkOverrun();
  let buffer = bitBuffer;
  let count = bitCount;
  if (marker == 0) {
    let pos = inputPos;
    const end = inputEnd;
    while (count < 57) {
      if (pos >= end) {
        marker = 0xd9; // libjpeg's source manager inserts a fake EOI at the end of the file
        warnings++;
        break;
      }
      let c = <u32>load<u8>(pos++);
      if (c == 0xff) {
        let next: u32 = 0xff;
        while (next == 0xff && pos < end) next = <u32>load<u8>(pos++);
        if (next == 0xff) {
          marker = 0xd9;
          warnings++;
          break;
        }
        if (next != 0) {
          marker = <i32>next;
          break;
        }
      }
      buffer = (buffer << 8) | <u64>c;
      count += 8;
    }
    inputPos = pos;
  }
  if (marker != 0 && count < 57) {
    buffer <<= <u64>(57 - count);
    padBits += 57 - count;
    count = 57;
  }
  bitBuffer = buffer;
  bitCount = count;
}

/** Decodes a symbol whose code is longer than the lookahead, from `count` >= 17 buffered bits; updates bitCount. */
export function slowSymbol(table: usize, buffer: u64, count: i32): i32 {
  let length = 10;
  let code = <i32>(buffer >> <u64>(count - 10)) & 0x3ff;
  while (code > load<i32>(table + MAXCODE + (<usize>length << 2))) {
    length++;
    code = <i32>(buffer >> <u64>(count - length)) & ((1 << length) - 1);
  }
  bitCount = count - length;
  if (length > 16) {
    warnings++;
    lost++;
    return 0;
  }
  return <i32>load<u8>(table + SYMBOLS + <usize>((code + load<i32>(table + VALOFFSET + (<usize>length << 2))) & 0xff));
}

/** The next Huffman symbol; the caller made sure of at least 32 bits in the buffer. */
export function symbolOf(table: usize): i32 {
  const count = bitCount;
  const entry = <i32>load<u16>(table + (<usize>(<i32>(bitBuffer >> <u64>(count - 9)) & 0x1ff) << 1));
  if (entry != 0) {
    bitCount = count - (entry >> 8);
    return entry & 0xff;
  }
  return slowSymbol(table, bitBuffer, count);
}

/** The next `n` (0..16) bits; the caller made sure they are buffered. */
// @ts-ignore: decorator
@inline export function bitsOf(n: i32): i32 {
  bitCount -= n;
  return <i32>(bitBuffer >> <u64>bitCount) & ((1 << n) - 1);
}

// @ts-ignore: decorator
@inline export function ensureBits(): void {
  if (bitCount < 32) fillBits();
}

/** The bit buffer and its count, for decoders that keep them in locals (write them back before fillBits). */
// @ts-ignore: decorator
@inline export function readerBuffer(): u64 {
  return bitBuffer;
}

// @ts-ignore: decorator
@inline export function readerCount(): i32 {
  return bitCount;
}

// @ts-ignore: decorator
@inline export function setReader(buffer: u64, count: i32): void {
  bitBuffer = buffer;
  bitCount = count;
}

/** A warning about corrupt coefficient data (lost image data). */
export function warn(): void {
  warnings++;
  lost++;
}

/** Figure F.12: the value of `size` (1..15) extra bits. */
// @ts-ignore: decorator
@inline export function extend(bits: i32, size: i32): i32 {
  return bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
}

/**
 * jdmarker.c next_marker from inputPos: the code of the next marker (EOI at the end of the data),
 * with a warning if bytes were skipped (`discarded` of them before inputPos).
 */
function nextMarker(discarded: i32): i32 {
  let pos = inputPos;
  const end = inputEnd;
  let code: i32 = 0xd9;
  for (;;) {
    while (pos < end && load<u8>(pos) != 0xff) {
      pos++;
      discarded++;
    }
    while (pos < end && load<u8>(pos) == 0xff) pos++;
    if (pos >= end) {
      warnings++;
      break;
    }
    code = <i32>load<u8>(pos++);
    if (code != 0) break;
    discarded += 2;
  }
  if (discarded) warnings++;
  inputPos = pos;
  return code;
}

/** jdhuff.c / jdphuff.c process_restart with read_restart_marker and jpeg_resync_to_restart. */
export function processRestart(state: usize): void {
  // whole bytes left in the buffer count as skipped, as in libjpeg
  const leftover = (bitCount - padBits) >> 3;
  bitCount = 0;
  padBits = 0;
  if (marker == 0) marker = nextMarker(leftover);
  else if (leftover > 0) warnings++;
  const desired = load<i32>(state + NEXT_RESTART);
  if (marker == 0xd0 + desired) {
    marker = 0;
  } else {
    warnings++;
    lost++;
    for (;;) {
      // 1: discard the marker and go on; 2: scan to the next marker; 3: leave it (empty segment)
      let action = 1;
      if (marker < 0xc0) action = 2;
      else if (marker < 0xd0 || marker > 0xd7) action = 3;
      else if (marker == 0xd0 + ((desired + 1) & 7) || marker == 0xd0 + ((desired + 2) & 7)) action = 3;
      else if (marker == 0xd0 + ((desired - 1) & 7) || marker == 0xd0 + ((desired - 2) & 7)) action = 2;
      if (action == 1) marker = 0;
      if (action != 2) break;
      marker = nextMarker(0);
    }
  }
  store<i32>(state + NEXT_RESTART, (desired + 1) & 7);
  store<u64>(state + LAST_DC, 0);
  store<u64>(state + LAST_DC + 8, 0);
  store<i32>(state + EOBRUN, 0);
  store<i32>(state + RESTARTS_TO_GO, load<i32>(state + RESTART_INTERVAL));
  if (marker == 0) insufficient = 0;
}

// @ts-ignore: decorator
@inline export function clearBlock(block: usize): void {
  const zero = i64x2.splat(0);
  v128.store(block, zero, 0);
  v128.store(block, zero, 16);
  v128.store(block, zero, 32);
  v128.store(block, zero, 48);
  v128.store(block, zero, 64);
  v128.store(block, zero, 80);
  v128.store(block, zero, 96);
  v128.store(block, zero, 112);
}

/** Decodes one block of a sequential scan (jdhuff.c decode_mcu_slow's loop, same results as its fast path). */
function decodeBlock(block: usize, dcTable: usize, acTable: usize, lastDc: usize): void {
  let buffer = bitBuffer;
  let count = bitCount;
  if (count < 32) {
    fillBits();
    buffer = bitBuffer;
    count = bitCount;
  }
  // DC difference
  let entry = <i32>load<u16>(dcTable + (<usize>(<i32>(buffer >> <u64>(count - 9)) & 0x1ff) << 1));
  let symbol: i32;
  if (entry != 0) {
    count -= entry >> 8;
    symbol = entry & 0xff;
  } else {
    symbol = slowSymbol(dcTable, buffer, count);
    count = bitCount;
  }
  let dc = load<i32>(lastDc);
  if (symbol != 0) {
    count -= symbol;
    dc += extend(<i32>(buffer >> <u64>count) & ((1 << symbol) - 1), symbol);
  }
  store<i32>(lastDc, dc);
  store<i16>(block, <i16>dc);
  // AC coefficients
  for (let k = 1; k < 64; k++) {
    if (count < 32) {
      bitCount = count;
      fillBits();
      buffer = bitBuffer;
      count = bitCount;
    }
    entry = <i32>load<u16>(acTable + (<usize>(<i32>(buffer >> <u64>(count - 9)) & 0x1ff) << 1));
    if (entry != 0) {
      count -= entry >> 8;
      symbol = entry & 0xff;
    } else {
      symbol = slowSymbol(acTable, buffer, count);
      count = bitCount;
    }
    const run = symbol >> 4;
    const size = symbol & 15;
    if (size != 0) {
      k += run;
      count -= size;
      const value = extend(<i32>(buffer >> <u64>count) & ((1 << size) - 1), size);
      store<i16>(block + (<usize>unchecked(NATURAL_ORDER[k]) << 1), <i16>value);
    } else {
      if (run != 15) break;
      k += 15;
    }
  }
  bitBuffer = buffer;
  bitCount = count;
}

/**
 * jdhuff.c decode_mcu for `mcus` MCUs of a sequential scan: block b of MCU m goes to
 * BLOCK_INFO[b].address + m * BLOCK_INFO[b].stride.
 */
export function jpeg_decode_sequential(state: usize, mcus: i32): void {
  loadReader(state);
  const blocks = load<i32>(state + BLOCKS_IN_MCU);
  const zero = load<i32>(state + ZERO_BLOCKS);
  const interval = load<i32>(state + RESTART_INTERVAL);
  for (let m = 0; m < mcus; m++) {
    if (!insufficient) store<i32>(state + GOOD, 1);
    if (interval != 0) {
      if (load<i32>(state + RESTARTS_TO_GO) == 0) processRestart(state);
      store<i32>(state + RESTARTS_TO_GO, load<i32>(state + RESTARTS_TO_GO) - 1);
    }
    const skip = insufficient;
    for (let b = 0; b < blocks; b++) {
      const info = state + BLOCK_INFO + <usize>(b * BLOCK_INFO_BYTES);
      const block = <usize>load<u32>(info) + <usize>(m * load<i32>(info + 4));
      if (zero) clearBlock(block);
      if (skip) continue;
      decodeBlock(block, <usize>load<u32>(info + 8), <usize>load<u32>(info + 12), state + LAST_DC + (<usize>load<i32>(info + 16) << 2));
    }
    checkOverrun();
  }
  saveReader(state);
}
