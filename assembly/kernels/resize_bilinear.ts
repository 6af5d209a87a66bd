// RESIZE_BILINEAR: in (N, H, W, C) → out (N, OH, OW, C), each output pixel a weighted sum of the
// four input pixels (y0|y1, x0|x1) around its source point. The host computes, per output row and
// per output column, a Tap (byte offsets of the two source rows / columns and their weights).
// int8 (resize_bilinear): TFLite's ResizeBilinearInteger, weights in 1/1024;
//   out = round_half_away(Σ v·wy·wx / 2^20), computed as Σ_y wy·(v_x0·wx0 + v_x1·wx1).
// float32 and uint8 (resize_bilinear_f32, `uint8` 1: bytes stored as uint8 − 128): TFLite's
//   float ResizeBilinear, f32 weights, ((v00·a0)·b0 + (v10·a1)·b0 + (v01·a0)·b1 + (v11·a1)·b1)
//   in that order, + 0.5 and truncated for uint8.

@unmanaged
export class ResizeBilinearParams {
  input: i32; batches: i32; inputBatchBytes: i32; channels: i32;
  output: i32; outputHeight: i32; outputWidth: i32;
  /** outputHeight Taps, then outputWidth Taps. */
  taps: i32;
  uint8: i32;
}

// A Tap: offset0, offset1 (bytes), weight0, weight1 (i32 in 1/1024, or f32 bits).
const TAP_BYTES: usize = 16;

// @ts-ignore: decorator
@inline
function roundShift20(acc: i32): i32 {
  return acc > 0 ? (acc + (1 << 19)) / (1 << 20) : (acc - (1 << 19)) / (1 << 20);
}

// @ts-ignore: decorator
@inline
function interpolateInt8(p00: usize, p01: usize, p10: usize, p11: usize, wx0: i32, wx1: i32, wy0: i32, wy1: i32): i8 {
  const top = <i32>load<i8>(p00) * wx0 + <i32>load<i8>(p01) * wx1;
  const bottom = <i32>load<i8>(p10) * wx0 + <i32>load<i8>(p11) * wx1;
  return <i8>roundShift20(top * wy0 + bottom * wy1);
}

export function resize_bilinear_ref(paramsPtr: usize): void {
  const p = changetype<ResizeBilinearParams>(paramsPtr);
  const c = p.channels;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const batch = <usize>p.input + <usize>(b * p.inputBatchBytes);
    for (let y = 0; y < p.outputHeight; y++) {
      const row = <usize>p.taps + <usize>y * TAP_BYTES;
      const r0 = batch + <usize>load<i32>(row), r1 = batch + <usize>load<i32>(row, 4);
      const wy0 = load<i32>(row, 8), wy1 = load<i32>(row, 12);
      for (let x = 0; x < p.outputWidth; x++) {
        const col = <usize>p.taps + <usize>(p.outputHeight + x) * TAP_BYTES;
        const c0 = <usize>load<i32>(col), c1 = <usize>load<i32>(col, 4);
        const wx0 = load<i32>(col, 8), wx1 = load<i32>(col, 12);
        for (let ch = 0; ch < c; ch++) {
          const k = <usize>ch;
          store<i8>(out + k, interpolateInt8(r0 + c0 + k, r0 + c1 + k, r1 + c0 + k, r1 + c1 + k, wx0, wx1, wy0, wy1));
        }
        out += <usize>c;
      }
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// 8 channels at a time: each source row's two pixels interleaved as int16 pairs, dotted with
// the (wx0, wx1) pair (exact int32), then weighted by wy0, wy1 and rounded. The last C % 8
// channels run the scalar code.

// @ts-ignore: decorator
@inline
function horizontal(left: usize, right: usize, wx: v128, high: bool): v128 {
  const pairs = i8x16.shuffle(v128.load64_zero(left), v128.load64_zero(right), 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  return i32x4.dot_i16x8_s(high ? i16x8.extend_high_i8x16_s(pairs) : i16x8.extend_low_i8x16_s(pairs), wx);
}

// @ts-ignore: decorator
@inline
function roundShift20V(acc: v128): v128 {
  const magnitude = i32x4.shr_u(i32x4.add(i32x4.abs(acc), i32x4.splat(1 << 19)), 20);
  const sign = i32x4.shr_s(acc, 31);
  return i32x4.sub(v128.xor(magnitude, sign), sign);
}

export function resize_bilinear(paramsPtr: usize): void {
  const p = changetype<ResizeBilinearParams>(paramsPtr);
  const c = p.channels;
  const vectorC = c & ~7;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const batch = <usize>p.input + <usize>(b * p.inputBatchBytes);
    for (let y = 0; y < p.outputHeight; y++) {
      const row = <usize>p.taps + <usize>y * TAP_BYTES;
      const r0 = batch + <usize>load<i32>(row), r1 = batch + <usize>load<i32>(row, 4);
      const wy0 = load<i32>(row, 8), wy1 = load<i32>(row, 12);
      const wy0V = i32x4.splat(wy0), wy1V = i32x4.splat(wy1);
      for (let x = 0; x < p.outputWidth; x++) {
        const col = <usize>p.taps + <usize>(p.outputHeight + x) * TAP_BYTES;
        const c0 = <usize>load<i32>(col), c1 = <usize>load<i32>(col, 4);
        const wx0 = load<i32>(col, 8), wx1 = load<i32>(col, 12);
        const wx = i32x4.splat((wx0 & 0xffff) | (wx1 << 16));
        const p00 = r0 + c0, p01 = r0 + c1, p10 = r1 + c0, p11 = r1 + c1;
        let ch = 0;
        for (; ch < vectorC; ch += 8) {
          const k = <usize>ch;
          const low = i32x4.add(i32x4.mul(horizontal(p00 + k, p01 + k, wx, false), wy0V), i32x4.mul(horizontal(p10 + k, p11 + k, wx, false), wy1V));
          const high = i32x4.add(i32x4.mul(horizontal(p00 + k, p01 + k, wx, true), wy0V), i32x4.mul(horizontal(p10 + k, p11 + k, wx, true), wy1V));
          const q = i16x8.narrow_i32x4_s(roundShift20V(low), roundShift20V(high));
          v128.store64_lane(out + k, i8x16.narrow_i16x8_s(q, q), 0);
        }
        for (; ch < c; ch++) {
          const k = <usize>ch;
          store<i8>(out + k, interpolateInt8(p00 + k, p01 + k, p10 + k, p11 + k, wx0, wx1, wy0, wy1));
        }
        out += <usize>c;
      }
    }
  }
}

// ---- float32 and uint8 -------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function interpolateF32(v00: f32, v01: f32, v10: f32, v11: f32, a0: f32, a1: f32, b0: f32, b1: f32): f32 {
  return v00 * a0 * b0 + v10 * a1 * b0 + v01 * a0 * b1 + v11 * a1 * b1;
}

// @ts-ignore: decorator
@inline
function loadU8(ptr: usize): f32 {
  return <f32>(<i32>load<i8>(ptr) + 128);
}

export function resize_bilinear_f32_ref(paramsPtr: usize): void {
  const p = changetype<ResizeBilinearParams>(paramsPtr);
  const c = p.channels;
  const uint8 = p.uint8 != 0;
  const shift: usize = uint8 ? 0 : 2;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const batch = <usize>p.input + <usize>(b * p.inputBatchBytes);
    for (let y = 0; y < p.outputHeight; y++) {
      const row = <usize>p.taps + <usize>y * TAP_BYTES;
      const r0 = batch + <usize>load<i32>(row), r1 = batch + <usize>load<i32>(row, 4);
      const a0 = load<f32>(row, 8), a1 = load<f32>(row, 12);
      for (let x = 0; x < p.outputWidth; x++) {
        const col = <usize>p.taps + <usize>(p.outputHeight + x) * TAP_BYTES;
        const c0 = <usize>load<i32>(col), c1 = <usize>load<i32>(col, 4);
        const b0 = load<f32>(col, 8), b1 = load<f32>(col, 12);
        for (let ch = 0; ch < c; ch++) {
          const k = <usize>ch << shift;
          if (uint8) {
            const v = interpolateF32(loadU8(r0 + c0 + k), loadU8(r0 + c1 + k), loadU8(r1 + c0 + k), loadU8(r1 + c1 + k), a0, a1, b0, b1);
            store<i8>(out + k, <i8>(<i32>(v + 0.5) - 128));
          } else {
            store<f32>(out + k, interpolateF32(load<f32>(r0 + c0 + k), load<f32>(r0 + c1 + k), load<f32>(r1 + c0 + k), load<f32>(r1 + c1 + k), a0, a1, b0, b1));
          }
        }
        out += <usize>c << shift;
      }
    }
  }
}

// 4 channels at a time (f32x4; uint8 bytes widened to f32), the last C % 4 by the scalar code.

// @ts-ignore: decorator
@inline
function loadU8x4(ptr: usize): v128 {
  const bytes = v128.load32_zero(ptr);
  const wide = i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(bytes));
  return f32x4.convert_i32x4_s(i32x4.add(wide, i32x4.splat(128)));
}

// @ts-ignore: decorator
@inline
function interpolateF32x4(v00: v128, v01: v128, v10: v128, v11: v128, a0: v128, a1: v128, b0: v128, b1: v128): v128 {
  const sum = f32x4.add(f32x4.mul(f32x4.mul(v00, a0), b0), f32x4.mul(f32x4.mul(v10, a1), b0));
  return f32x4.add(f32x4.add(sum, f32x4.mul(f32x4.mul(v01, a0), b1)), f32x4.mul(f32x4.mul(v11, a1), b1));
}

export function resize_bilinear_f32(paramsPtr: usize): void {
  const p = changetype<ResizeBilinearParams>(paramsPtr);
  const c = p.channels;
  const vectorC = c & ~3;
  const uint8 = p.uint8 != 0;
  const shift: usize = uint8 ? 0 : 2;
  const half = f32x4.splat(0.5), offset = i32x4.splat(128);
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const batch = <usize>p.input + <usize>(b * p.inputBatchBytes);
    for (let y = 0; y < p.outputHeight; y++) {
      const row = <usize>p.taps + <usize>y * TAP_BYTES;
      const r0 = batch + <usize>load<i32>(row), r1 = batch + <usize>load<i32>(row, 4);
      const a0 = load<f32>(row, 8), a1 = load<f32>(row, 12);
      const a0V = f32x4.splat(a0), a1V = f32x4.splat(a1);
      for (let x = 0; x < p.outputWidth; x++) {
        const col = <usize>p.taps + <usize>(p.outputHeight + x) * TAP_BYTES;
        const c0 = <usize>load<i32>(col), c1 = <usize>load<i32>(col, 4);
        const b0 = load<f32>(col, 8), b1 = load<f32>(col, 12);
        const b0V = f32x4.splat(b0), b1V = f32x4.splat(b1);
        const p00 = r0 + c0, p01 = r0 + c1, p10 = r1 + c0, p11 = r1 + c1;
        let ch = 0;
        if (uint8) {
          for (; ch < vectorC; ch += 4) {
            const k = <usize>ch;
            const v = interpolateF32x4(loadU8x4(p00 + k), loadU8x4(p01 + k), loadU8x4(p10 + k), loadU8x4(p11 + k), a0V, a1V, b0V, b1V);
            const q = i32x4.sub(i32x4.trunc_sat_f32x4_s(f32x4.add(v, half)), offset);
            const narrow = i16x8.narrow_i32x4_s(q, q);
            v128.store32_lane(out + k, i8x16.narrow_i16x8_s(narrow, narrow), 0);
          }
          for (; ch < c; ch++) {
            const k = <usize>ch;
            const v = interpolateF32(loadU8(p00 + k), loadU8(p01 + k), loadU8(p10 + k), loadU8(p11 + k), a0, a1, b0, b1);
            store<i8>(out + k, <i8>(<i32>(v + 0.5) - 128));
          }
        } else {
          for (; ch < vectorC; ch += 4) {
            const k = <usize>ch << 2;
            v128.store(out + k, interpolateF32x4(v128.load(p00 + k), v128.load(p01 + k), v128.load(p10 + k), v128.load(p11 + k), a0V, a1V, b0V, b1V));
          }
          for (; ch < c; ch++) {
            const k = <usize>ch << 2;
            store<f32>(out + k, interpolateF32(load<f32>(p00 + k), load<f32>(p01 + k), load<f32>(p10 + k), load<f32>(p11 + k), a0, a1, b0, b1));
          }
        }
        out += <usize>c << shift;
      }
    }
  }
}
