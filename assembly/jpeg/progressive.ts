// Progressive JPEG scans, as libjpeg-turbo 2.1.5 jdphuff.c decodes them: DC first / refine
// (one or more components, MCUs as in a sequential scan) and AC first / refine (one component,
// one block per MCU, EOB runs). Coefficients accumulate in the whole-image buffer, which the host
// zeroed once. The state block, bit reader and restart handling are assembly/jpeg/entropy.ts's.
import {
  AL, BLOCK_INFO, BLOCK_INFO_BYTES, BLOCKS_IN_MCU, EOBRUN, ERROR, GOOD, LAST_DC, NATURAL_ORDER, RESTART_INTERVAL,
  RESTARTS_TO_GO, SE, SS, bitsOf, checkOverrun, ensureBits, extend, fillBits, insufficient, loadReader,
  processRestart, readerBuffer, readerCount, saveReader, setReader, slowSymbol, symbolOf, warn,
} from "./entropy";

/** Restart bookkeeping before an MCU (jdphuff.c: process_restart when the interval is used up). */
// @ts-ignore: decorator
@inline function beginMcu(state: usize, interval: i32): void {
  if (!insufficient) store<i32>(state + GOOD, 1);
  if (interval != 0) {
    if (load<i32>(state + RESTARTS_TO_GO) == 0) processRestart(state);
    store<i32>(state + RESTARTS_TO_GO, load<i32>(state + RESTARTS_TO_GO) - 1);
  }
}

// @ts-ignore: decorator
@inline function blockAddress(state: usize, b: i32, m: i32): usize {
  const info = state + BLOCK_INFO + <usize>(b * BLOCK_INFO_BYTES);
  return <usize>load<u32>(info) + <usize>(m * load<i32>(info + 4));
}

/** decode_mcu_DC_first for `mcus` MCUs. Sets ERROR (and stops) when a DC value overflows 32 bits, as libjpeg errors out. */
export function jpeg_decode_dc_first(state: usize, mcus: i32): void {
  loadReader(state);
  const blocks = load<i32>(state + BLOCKS_IN_MCU);
  const interval = load<i32>(state + RESTART_INTERVAL);
  const al = load<i32>(state + AL);
  for (let m = 0; m < mcus; m++) {
    beginMcu(state, interval);
    if (insufficient) continue;
    for (let b = 0; b < blocks; b++) {
      const info = state + BLOCK_INFO + <usize>(b * BLOCK_INFO_BYTES);
      ensureBits();
      const size = symbolOf(<usize>load<u32>(info + 8));
      const diff = size != 0 ? extend(bitsOf(size), size) : 0;
      const lastDc = state + LAST_DC + (<usize>load<i32>(info + 16) << 2);
      const dc = <i64>load<i32>(lastDc) + <i64>diff;
      if (dc > <i64>i32.MAX_VALUE || dc < <i64>i32.MIN_VALUE) {
        store<i32>(state + ERROR, 1);
        saveReader(state);
        return;
      }
      store<i32>(lastDc, <i32>dc);
      store<i16>(blockAddress(state, b, m), <i16>(<i32>dc << al));
    }
    checkOverrun();
  }
  saveReader(state);
}

/** decode_mcu_DC_refine for `mcus` MCUs: one more bit of each DC value. */
export function jpeg_decode_dc_refine(state: usize, mcus: i32): void {
  loadReader(state);
  const blocks = load<i32>(state + BLOCKS_IN_MCU);
  const interval = load<i32>(state + RESTART_INTERVAL);
  const p1 = 1 << load<i32>(state + AL);
  for (let m = 0; m < mcus; m++) {
    beginMcu(state, interval);
    for (let b = 0; b < blocks; b++) {
      ensureBits();
      if (bitsOf(1)) {
        const block = blockAddress(state, b, m);
        store<i16>(block, <i16>(<i32>load<i16>(block) | p1));
      }
    }
    checkOverrun();
  }
  saveReader(state);
}

/** decode_mcu_AC_first for `mcus` blocks of one component. */
export function jpeg_decode_ac_first(state: usize, mcus: i32): void {
  loadReader(state);
  const interval = load<i32>(state + RESTART_INTERVAL);
  const ss = load<i32>(state + SS);
  const se = load<i32>(state + SE);
  const al = load<i32>(state + AL);
  const table = <usize>load<u32>(state + BLOCK_INFO + 12);
  const first = <usize>load<u32>(state + BLOCK_INFO);
  const stride = load<i32>(state + BLOCK_INFO + 4);
  let eobrun = load<u32>(state + EOBRUN);
  for (let m = 0; m < mcus; m++) {
    if (interval != 0) {
      store<u32>(state + EOBRUN, eobrun);
      beginMcu(state, interval);
      eobrun = load<u32>(state + EOBRUN);
    } else if (!insufficient) {
      store<i32>(state + GOOD, 1);
    }
    if (insufficient) continue;
    if (eobrun > 0) {
      eobrun--;
      continue;
    }
    const block = first + <usize>(m * stride);
    let buffer = readerBuffer();
    let count = readerCount();
    for (let k = ss; k <= se; k++) {
      if (count < 32) {
        setReader(buffer, count);
        fillBits();
        buffer = readerBuffer();
        count = readerCount();
      }
      let symbol: i32;
      const entry = <i32>load<u16>(table + (<usize>(<i32>(buffer >> <u64>(count - 9)) & 0x1ff) << 1));
      if (entry != 0) {
        count -= entry >> 8;
        symbol = entry & 0xff;
      } else {
        symbol = slowSymbol(table, buffer, count);
        count = readerCount();
      }
      const run = symbol >> 4;
      const size = symbol & 15;
      if (size != 0) {
        k += run;
        count -= size;
        const value = extend(<i32>(buffer >> <u64>count) & ((1 << size) - 1), size);
        store<i16>(block + (<usize>unchecked(NATURAL_ORDER[k]) << 1), <i16>(value << al));
      } else if (run == 15) {
        k += 15;
      } else {
        eobrun = 1 << run;
        if (run != 0) {
          count -= run;
          eobrun += <u32>(buffer >> <u64>count) & ((1 << run) - 1);
        }
        eobrun--;
        break;
      }
    }
    setReader(buffer, count);
    checkOverrun();
  }
  store<u32>(state + EOBRUN, eobrun);
  saveReader(state);
}

/** decode_mcu_AC_refine for `mcus` blocks of one component. */
export function jpeg_decode_ac_refine(state: usize, mcus: i32): void {
  loadReader(state);
  const interval = load<i32>(state + RESTART_INTERVAL);
  const ss = load<i32>(state + SS);
  const se = load<i32>(state + SE);
  const p1 = 1 << load<i32>(state + AL);
  const m1 = -1 << load<i32>(state + AL);
  const table = <usize>load<u32>(state + BLOCK_INFO + 12);
  const first = <usize>load<u32>(state + BLOCK_INFO);
  const stride = load<i32>(state + BLOCK_INFO + 4);
  let eobrun = load<u32>(state + EOBRUN);
  for (let m = 0; m < mcus; m++) {
    if (interval != 0) {
      store<u32>(state + EOBRUN, eobrun);
      beginMcu(state, interval);
      eobrun = load<u32>(state + EOBRUN);
    } else if (!insufficient) {
      store<i32>(state + GOOD, 1);
    }
    if (insufficient) continue;
    const block = first + <usize>(m * stride);
    let buffer = readerBuffer();
    let count = readerCount();
    let k = ss;
    if (eobrun == 0) {
      for (; k <= se; k++) {
        if (count < 32) {
          setReader(buffer, count);
          fillBits();
          buffer = readerBuffer();
          count = readerCount();
        }
        let symbol: i32;
        const entry = <i32>load<u16>(table + (<usize>(<i32>(buffer >> <u64>(count - 9)) & 0x1ff) << 1));
        if (entry != 0) {
          count -= entry >> 8;
          symbol = entry & 0xff;
        } else {
          symbol = slowSymbol(table, buffer, count);
          count = readerCount();
        }
        let run = symbol >> 4;
        const size = symbol & 15;
        let value = 0;
        if (size != 0) {
          if (size != 1) warn();
          count--;
          value = <i32>(buffer >> <u64>count) & 1 ? p1 : m1;
        } else if (run != 15) {
          eobrun = 1 << run;
          if (run != 0) {
            count -= run;
            eobrun += <u32>(buffer >> <u64>count) & ((1 << run) - 1);
          }
          break;
        }
        // skip already-nonzero coefficients (appending a correction bit to each) and `run` zero ones
        do {
          const coef = block + (<usize>unchecked(NATURAL_ORDER[k]) << 1);
          const current = <i32>load<i16>(coef);
          if (current != 0) {
            if (count < 32) {
              setReader(buffer, count);
              fillBits();
              buffer = readerBuffer();
              count = readerCount();
            }
            count--;
            if ((<i32>(buffer >> <u64>count) & 1) != 0 && (current & p1) == 0) store<i16>(coef, <i16>(current >= 0 ? current + p1 : current + m1));
          } else {
            if (--run < 0) break;
          }
          k++;
        } while (k <= se);
        if (value != 0) store<i16>(block + (<usize>unchecked(NATURAL_ORDER[k]) << 1), <i16>value);
      }
    }
    if (eobrun > 0) {
      // the rest of the band: a correction bit for each nonzero coefficient
      for (; k <= se; k++) {
        const coef = block + (<usize>unchecked(NATURAL_ORDER[k]) << 1);
        const current = <i32>load<i16>(coef);
        if (current == 0) continue;
        if (count < 32) {
          setReader(buffer, count);
          fillBits();
          buffer = readerBuffer();
          count = readerCount();
        }
        count--;
        if ((<i32>(buffer >> <u64>count) & 1) != 0 && (current & p1) == 0) store<i16>(coef, <i16>(current >= 0 ? current + p1 : current + m1));
      }
      eobrun--;
    }
    setReader(buffer, count);
    checkOverrun();
  }
  store<u32>(state + EOBRUN, eobrun);
  saveReader(state);
}
