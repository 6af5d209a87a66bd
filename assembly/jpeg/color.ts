// JPEG colour conversion to interleaved 8-bit RGB (3 bytes per pixel), one row per call,
// bit-exact with libjpeg-turbo 2.1.5 as djpeg writes PPM: jdcolor.c's YCbCr → RGB (whose x86 SIMD
// version computes the same bytes), gray → RGB, RGB, and CMYK/YCCK through wrppm.c's cmyk_to_rgb.
// Input rows are u8 samples, read up to 16 bytes past their end; the v128 kernels write up to the
// next multiple of 16 bytes of output (at most 15 bytes past 3 * width).
import { replicate3Block } from "./upsample";

/** A swizzle lane that gives 0. */
// @ts-ignore: decorator
@inline
const Z: i8 = -128;

// ---- YCbCr → RGB -----------------------------------------------------------------------------
// jdcolor.c's tables in closed form, SCALEBITS = 16, ONE_HALF = 1 << 15, x = Cb or Cr - 128:
//   R = clamp(Y + ((91881 Cr' + 32768) >> 16))
//   G = clamp(Y + ((-22554 Cb' - 46802 Cr' + 32768) >> 16))
//   B = clamp(Y + ((116130 Cb' + 32768) >> 16))
// (FIX(1.40200), FIX(0.34414), FIX(0.71414), FIX(1.77200)); clamp to 0..255 is its range limit
// table for these sums, which stay within -179..433.

// @ts-ignore: decorator
@inline
function clampSample(v: i32): u8 {
  return <u8>min(max(v, 0), 255);
}

// @ts-ignore: decorator
@inline
function redOffset(crCentred: i32): i32 {
  return (91881 * crCentred + 32768) >> 16;
}

// @ts-ignore: decorator
@inline
function greenOffset(cbCentred: i32, crCentred: i32): i32 {
  return (-22554 * cbCentred - 46802 * crCentred + 32768) >> 16;
}

// @ts-ignore: decorator
@inline
function blueOffset(cbCentred: i32): i32 {
  return (116130 * cbCentred + 32768) >> 16;
}

export function jpeg_ycc_rgb_ref(y: usize, cb: usize, cr: usize, out: usize, width: i32): void {
  for (let i = 0; i < width; i++) {
    const luma = <i32>load<u8>(y + <usize>i);
    const cbCentred = <i32>load<u8>(cb + <usize>i) - 128, crCentred = <i32>load<u8>(cr + <usize>i) - 128;
    const at = out + <usize>(3 * i);
    store<u8>(at, clampSample(luma + redOffset(crCentred)));
    store<u8>(at, clampSample(luma + greenOffset(cbCentred, crCentred)), 1);
    store<u8>(at, clampSample(luma + blueOffset(cbCentred)), 2);
  }
}

/** The high 16 bits of eight i32 lanes (arithmetic >> 16, all in i16 range here) as i16x8. */
// @ts-ignore: decorator
@inline
function high16(low: v128, high: v128): v128 {
  return i8x16.shuffle(low, high, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
}

/**
 * Interleaves 16 R, G and B bytes into 48 bytes of RGB; the second and third 16 only where the
 * output reaches them. Output byte p is channel p % 3 of pixel p / 3: each output vector ORs one
 * byte swizzle per channel, whose lanes of the other channels (Z: out of range) are zero.
 */
// @ts-ignore: decorator
@inline
function storeRgb(r: v128, g: v128, b: v128, out: usize, outBytesLeft: i32): void {
  v128.store(out, v128.or(v128.or(
    i8x16.swizzle(r, i8x16( 0,  Z,  Z,  1,  Z,  Z,  2,  Z,  Z,  3,  Z,  Z,  4,  Z,  Z,  5)),
    i8x16.swizzle(g, i8x16( Z,  0,  Z,  Z,  1,  Z,  Z,  2,  Z,  Z,  3,  Z,  Z,  4,  Z,  Z))),
    i8x16.swizzle(b, i8x16( Z,  Z,  0,  Z,  Z,  1,  Z,  Z,  2,  Z,  Z,  3,  Z,  Z,  4,  Z))));
  if (outBytesLeft > 16) {
    v128.store(out, v128.or(v128.or(
      i8x16.swizzle(r, i8x16( Z,  Z,  6,  Z,  Z,  7,  Z,  Z,  8,  Z,  Z,  9,  Z,  Z, 10,  Z)),
      i8x16.swizzle(g, i8x16( 5,  Z,  Z,  6,  Z,  Z,  7,  Z,  Z,  8,  Z,  Z,  9,  Z,  Z, 10))),
      i8x16.swizzle(b, i8x16( Z,  5,  Z,  Z,  6,  Z,  Z,  7,  Z,  Z,  8,  Z,  Z,  9,  Z,  Z))), 16);
  }
  if (outBytesLeft > 32) {
    v128.store(out, v128.or(v128.or(
      i8x16.swizzle(r, i8x16( Z, 11,  Z,  Z, 12,  Z,  Z, 13,  Z,  Z, 14,  Z,  Z, 15,  Z,  Z)),
      i8x16.swizzle(g, i8x16( Z,  Z, 11,  Z,  Z, 12,  Z,  Z, 13,  Z,  Z, 14,  Z,  Z, 15,  Z))),
      i8x16.swizzle(b, i8x16(10,  Z,  Z, 11,  Z,  Z, 12,  Z,  Z, 13,  Z,  Z, 14,  Z,  Z, 15))), 32);
  }
}

/**
 * Colour offsets of 8 pixels, as i16x8, from Cb' and Cr' (i16x8): the same closed forms split so
 * that every multiplier fits i16 (91881 = 65536 + 26345, 116130 = 131072 - 14942,
 * -46802 = 18734 - 65536), products and ONE_HALF in i32, the >> 16 as the high halves.
 */
// @ts-ignore: decorator
@inline
function redOffsets(cr: v128): v128 {
  const factor = i16x8.splat(26345), half = i32x4.splat(32768);
  const low = i32x4.add(i32x4.extmul_low_i16x8_s(cr, factor), half);
  const high = i32x4.add(i32x4.extmul_high_i16x8_s(cr, factor), half);
  return i16x8.add(high16(low, high), cr);
}

// @ts-ignore: decorator
@inline
function blueOffsets(cb: v128): v128 {
  const factor = i16x8.splat(-14942), half = i32x4.splat(32768);
  const low = i32x4.add(i32x4.extmul_low_i16x8_s(cb, factor), half);
  const high = i32x4.add(i32x4.extmul_high_i16x8_s(cb, factor), half);
  return i16x8.add(high16(low, high), i16x8.add(cb, cb));
}

// @ts-ignore: decorator
@inline
function greenOffsets(cb: v128, cr: v128): v128 {
  const factors = i32x4.splat((18734 << 16) | (-22554 & 0xffff)), half = i32x4.splat(32768); // (Cb', Cr') pairs · (-22554, 18734)
  const low = i32x4.add(i32x4.dot_i16x8_s(i16x8.shuffle(cb, cr, 0, 8, 1, 9, 2, 10, 3, 11), factors), half);
  const high = i32x4.add(i32x4.dot_i16x8_s(i16x8.shuffle(cb, cr, 4, 12, 5, 13, 6, 14, 7, 15), factors), half);
  return i16x8.sub(high16(low, high), cr);
}

/** Cb' or Cr' (sample - 128) of the low or high 8 of 16 samples, as i16x8 (the sample ^ 0x80 read as i8, widened). */
// @ts-ignore: decorator
@inline
function centredLow(samples: v128): v128 {
  return i16x8.extend_low_i8x16_s(v128.xor(samples, i8x16.splat(-128)));
}

// @ts-ignore: decorator
@inline
function centredHigh(samples: v128): v128 {
  return i16x8.extend_high_i8x16_s(v128.xor(samples, i8x16.splat(-128)));
}

/** R, G or B of 16 pixels from Y (i16x8, low and high 8) and Cb', Cr'; the narrowing to u8 saturates: the clamp. */
// @ts-ignore: decorator
@inline
function redBytes(lumaLow: v128, lumaHigh: v128, crLow: v128, crHigh: v128): v128 {
  return i8x16.narrow_i16x8_u(i16x8.add(lumaLow, redOffsets(crLow)), i16x8.add(lumaHigh, redOffsets(crHigh)));
}

// @ts-ignore: decorator
@inline
function greenBytes(lumaLow: v128, lumaHigh: v128, cbLow: v128, cbHigh: v128, crLow: v128, crHigh: v128): v128 {
  return i8x16.narrow_i16x8_u(i16x8.add(lumaLow, greenOffsets(cbLow, crLow)), i16x8.add(lumaHigh, greenOffsets(cbHigh, crHigh)));
}

// @ts-ignore: decorator
@inline
function blueBytes(lumaLow: v128, lumaHigh: v128, cbLow: v128, cbHigh: v128): v128 {
  return i8x16.narrow_i16x8_u(i16x8.add(lumaLow, blueOffsets(cbLow)), i16x8.add(lumaHigh, blueOffsets(cbHigh)));
}

/** 16 pixels per step. */
export function jpeg_ycc_rgb(y: usize, cb: usize, cr: usize, out: usize, width: i32): void {
  for (let i = 0; i < width; i += 16) {
    const luma = v128.load(y + <usize>i), cbSamples = v128.load(cb + <usize>i), crSamples = v128.load(cr + <usize>i);
    const lumaLow = i16x8.extend_low_i8x16_u(luma), lumaHigh = i16x8.extend_high_i8x16_u(luma);
    const cbLow = centredLow(cbSamples), cbHigh = centredHigh(cbSamples), crLow = centredLow(crSamples), crHigh = centredHigh(crSamples);
    storeRgb(
      redBytes(lumaLow, lumaHigh, crLow, crHigh), greenBytes(lumaLow, lumaHigh, cbLow, cbHigh, crLow, crHigh), blueBytes(lumaLow, lumaHigh, cbLow, cbHigh),
      out + <usize>(3 * i), 3 * (width - i),
    );
  }
}

// ---- gray → RGB: R = G = B = Y ---------------------------------------------------------------

export function jpeg_gray_rgb_ref(y: usize, out: usize, width: i32): void {
  for (let i = 0; i < width; i++) {
    const luma = load<u8>(y + <usize>i), at = out + <usize>(3 * i);
    store<u8>(at, luma);
    store<u8>(at, luma, 1);
    store<u8>(at, luma, 2);
  }
}

export function jpeg_gray_rgb(y: usize, out: usize, width: i32): void {
  for (let i = 0; i < width; i += 16) replicate3Block(v128.load(y + <usize>i), out + <usize>(3 * i), 3 * (width - i));
}

// ---- RGB (three planes) → interleaved RGB ----------------------------------------------------

export function jpeg_rgb_rgb_ref(r: usize, g: usize, b: usize, out: usize, width: i32): void {
  for (let i = 0; i < width; i++) {
    const at = out + <usize>(3 * i);
    store<u8>(at, load<u8>(r + <usize>i));
    store<u8>(at, load<u8>(g + <usize>i), 1);
    store<u8>(at, load<u8>(b + <usize>i), 2);
  }
}

export function jpeg_rgb_rgb(r: usize, g: usize, b: usize, out: usize, width: i32): void {
  for (let i = 0; i < width; i += 16) {
    storeRgb(v128.load(r + <usize>i), v128.load(g + <usize>i), v128.load(b + <usize>i), out + <usize>(3 * i), 3 * (width - i));
  }
}

// ---- CMYK / YCCK → RGB ----------------------------------------------------------------------
// ycck = 1: jdcolor.c ycck_cmyk_convert first: C, M, Y = 255 - (the YCbCr → RGB above), K kept.
// Then wrppm.c's cmyk_to_rgb (cmyk.h): R = (JSAMPLE)((double)C * K / 255.0 + 0.5), likewise G
// from M and B from Y. C·K/255 + 0.5 is never within 1/510 of an integer, far more than the
// double's rounding, so that is exactly (C·K + 127) / 255 in integers, and also
// (t + (t >> 8)) >> 8 with t = C·K + 128 (below 2^16 throughout). The test checks both kernels
// on all 65536 (C, K) pairs against the double formula.

// @ts-ignore: decorator
@inline
function scaleByBlack(ink: i32, black: i32): u8 {
  return <u8>(<u32>(ink * black + 127) / 255);
}

export function jpeg_cmyk_rgb_ref(c: usize, m: usize, y: usize, k: usize, out: usize, width: i32, ycck: i32): void {
  for (let i = 0; i < width; i++) {
    let cyan = <i32>load<u8>(c + <usize>i), magenta = <i32>load<u8>(m + <usize>i), yellow = <i32>load<u8>(y + <usize>i);
    if (ycck != 0) {
      const luma = cyan, cbCentred = magenta - 128, crCentred = yellow - 128;
      cyan = 255 - clampSample(luma + redOffset(crCentred));
      magenta = 255 - clampSample(luma + greenOffset(cbCentred, crCentred));
      yellow = 255 - clampSample(luma + blueOffset(cbCentred));
    }
    const black = <i32>load<u8>(k + <usize>i), at = out + <usize>(3 * i);
    store<u8>(at, scaleByBlack(cyan, black));
    store<u8>(at, scaleByBlack(magenta, black), 1);
    store<u8>(at, scaleByBlack(yellow, black), 2);
  }
}

/** ink · black / 255 rounded, for 16 byte pairs: (t + (t >> 8)) >> 8, t = ink · black + 128, in u16 lanes. */
// @ts-ignore: decorator
@inline
function scaleByBlacks(ink: v128, black: v128): v128 {
  const half = i16x8.splat(128);
  const low = i16x8.add(i16x8.extmul_low_i8x16_u(ink, black), half);
  const high = i16x8.add(i16x8.extmul_high_i8x16_u(ink, black), half);
  return i8x16.narrow_i16x8_u(i16x8.shr_u(i16x8.add(low, i16x8.shr_u(low, 8)), 8), i16x8.shr_u(i16x8.add(high, i16x8.shr_u(high, 8)), 8));
}

/** 16 pixels per step; for YCCK, 255 - x of the YCbCr → RGB bytes is their bitwise not. */
export function jpeg_cmyk_rgb(c: usize, m: usize, y: usize, k: usize, out: usize, width: i32, ycck: i32): void {
  for (let i = 0; i < width; i += 16) {
    let cyan = v128.load(c + <usize>i), magenta = v128.load(m + <usize>i), yellow = v128.load(y + <usize>i);
    if (ycck != 0) {
      const lumaLow = i16x8.extend_low_i8x16_u(cyan), lumaHigh = i16x8.extend_high_i8x16_u(cyan);
      const cbLow = centredLow(magenta), cbHigh = centredHigh(magenta), crLow = centredLow(yellow), crHigh = centredHigh(yellow);
      cyan = v128.not(redBytes(lumaLow, lumaHigh, crLow, crHigh));
      magenta = v128.not(greenBytes(lumaLow, lumaHigh, cbLow, cbHigh, crLow, crHigh));
      yellow = v128.not(blueBytes(lumaLow, lumaHigh, cbLow, cbHigh));
    }
    const black = v128.load(k + <usize>i);
    storeRgb(scaleByBlacks(cyan, black), scaleByBlacks(magenta, black), scaleByBlacks(yellow, black), out + <usize>(3 * i), 3 * (width - i));
  }
}
