// Load-time choice of the doubled-accumulator requantization (assembly/requant.ts) and its table,
// in wasm: thousands of channels of double arithmetic would run in JavaScript's interpreter at
// load, boxing every intermediate. js/ops/weights.ts kernelRequant calls it and documents the
// choice; the layout is that of REQUANT_HEADER_BYTES and DOUBLED_BLOCK_BYTES in assembly/requant.ts.
// in: bias, multipliers, shifts (count) int32, bounds (count) f64: the largest |accumulator|
// out: table (header + ceil(channels/8) blocks), constant (count) int32: 1 for a constant channel
import { DOUBLED_BLOCK_BYTES, REQUANT_HEADER_BYTES, multiplyByQuantizedMultiplier } from "../requant";

/** 2^n, n in [-1022, 1023]. */
// @ts-ignore: decorator
@inline
function pow2(n: i32): f64 {
  return reinterpret<f64>(<u64>(1023 + n) << 52);
}

/** TFLite's output for accumulator acc, clamped, minus the output offset. */
// @ts-ignore: decorator
@inline
function outputOf(acc: f64, multiplier: i32, shift: i32, outputOffset: i32, activationMin: i32, activationMax: i32): i32 {
  const clampedAcc = <i32>max(-2147483648.0, min(2147483647.0, acc));
  return min(max(multiplyByQuantizedMultiplier(clampedAcc, multiplier, shift) + outputOffset, activationMin), activationMax);
}

/**
 * Whether every shift is negative and every bound below 2^30 (the doubled accumulators fit
 * int32); if so, writes the table and the constant flags and returns 1, else returns 0 and writes
 * nothing. Per block of 8 channels: the f64 step when allowF64 and every channel either has
 * exact, tie-free f64 arithmetic (2·bound·M + 2^31 < 2^53 and 2^(30 - v2(M)) > bound) or one
 * output over its whole accumulator range (a constant channel: bias 0, multiplier 0 and that
 * output as h); else the int16 step when the block's e = -shift lie within 7 of min(e) - 1, else
 * the general integer step. Blocks past `count` are padding. `table` needs REQUANT_HEADER_BYTES +
 * ceil(channels/8)·DOUBLED_BLOCK_BYTES bytes; constant flags are set in f64 blocks only.
 */
export function requant_table(
  bias: usize, multipliers: usize, shifts: usize, bounds: usize, count: i32, channels: i32,
  outputOffset: i32, allowF64: bool, activationMin: i32, activationMax: i32, table: usize, constant: usize,
): i32 {
  for (let c = 0; c < count; c++) {
    if (load<i32>(shifts + (<usize>c << 2)) >= 0 || load<f64>(bounds + (<usize>c << 3)) >= 1073741824.0) return 0;
  }
  const blocks = (channels + 7) >> 3;
  memory.fill(table, 0, REQUANT_HEADER_BYTES + <usize>blocks * DOUBLED_BLOCK_BYTES);
  v128.store(table, f64x2.splat(-0.0));
  v128.store(table, f64x2.splat(6755399441055744.0 + <f64>outputOffset), 16); // 1.5·2^52 + outputOffset
  for (let block = 0; block < blocks; block++) {
    const base = table + REQUANT_HEADER_BYTES + <usize>block * DOUBLED_BLOCK_BYTES;
    const first = block * 8;
    const n = max(0, min(8, count - first)); // 0: a block of padding channels
    let f64 = true;
    let eMin = 32, eMax = 0;
    for (let j = 0; j < n; j++) {
      const c = <usize>(first + j);
      const b = load<i32>(bias + (c << 2));
      store<i32>(base + (<usize>j << 2), b << 1); // 2·bias, wrapping
      store<i32>(constant + (c << 2), 0);
      const m = load<i32>(multipliers + (c << 2));
      const shift = load<i32>(shifts + (c << 2));
      const bound = load<f64>(bounds + (c << 3));
      eMin = min(eMin, -shift);
      eMax = max(eMax, -shift);
      if (2.0 * bound * <f64>m + 2147483648.0 < 9007199254740992.0 && (m == 0 || pow2(30 - ctz(m)) > bound)) continue;
      // Out of the f64 step's range; but a channel whose every reachable accumulator gives one
      // output (a "dead" channel: a large bias, a tiny multiplier) needs no arithmetic at all.
      const dotBound = bound - <f64>abs(b);
      const lo = outputOf(<f64>b - dotBound, m, shift, outputOffset, activationMin, activationMax);
      if (lo == outputOf(<f64>b + dotBound, m, shift, outputOffset, activationMin, activationMax)) store<i32>(constant + (c << 2), 1);
      else f64 = false;
    }
    if (f64 && allowF64) {
      // A constant channel gets bias 0, weights 0 (the caller zeroes them) and multiplier 0, and
      // its output as h: t = +0, and nearest(+0 + h) = h.
      for (let j = 0; j < 8; j++) {
        const c = <usize>(first + j);
        const shift = j < n ? load<i32>(shifts + (c << 2)) : -1;
        const isConstant = j < n && load<i32>(constant + (c << 2)) == 1;
        let scale = 0.0, h = pow2(shift - 1);
        if (isConstant) {
          const b = load<i32>(bias + (c << 2));
          const bound = load<f64>(bounds + (c << 3));
          const m = load<i32>(multipliers + (c << 2));
          h = <f64>(outputOf(<f64>b - (bound - <f64>abs(b)), m, shift, outputOffset, activationMin, activationMax) - outputOffset);
          store<i32>(base + (<usize>j << 2), 0);
        } else if (j < n) {
          scale = <f64>load<i32>(multipliers + (c << 2)) * pow2(shift - 32);
        }
        store<f64>(base + 32 + (<usize>j << 3), scale);
        store<f64>(base + 96 + (<usize>j << 3), h);
      }
      store<i32>(base + 160, -2);
      continue;
    }
    for (let j = 0; j < n; j++) store<i32>(constant + (<usize>(first + j) << 2), 0); // only the f64 step uses them
    const k = eMin - 1;
    const usable = eMax - k <= 7;
    store<i32>(base + 160, usable ? k : -1);
    for (let j = 0; j < 8; j++) {
      const c = <usize>(first + j);
      const e = j < n ? -load<i32>(shifts + (c << 2)) : 1;
      store<i32>(base + 32 + (<usize>j << 2), j < n ? load<i32>(multipliers + (c << 2)) : 0);
      store<i32>(base + 64 + (<usize>j << 2), 1 << (31 - e));
      const step: i32 = usable && j < n ? 1 << (15 - (e - k)) : 0; // 2^(15 - s), s = e - k
      store<i16>(base + 96 + (<usize>j << 1), <i16>step);
    }
  }
  return 1;
}
