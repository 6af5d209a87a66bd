// TFLite's fixed-point requantization, bit for bit (tensorflow/lite/kernels/internal/common.h,
// TFLITE_SINGLE_ROUNDING undefined): two roundings, each to nearest.

/** gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31), ties away from zero. */
// @ts-ignore: decorator
@inline
export function saturatingRoundingDoublingHighMul(a: i32, b: i32): i32 {
  if (a == i32.MIN_VALUE && b == i32.MIN_VALUE) return i32.MAX_VALUE;
  const product = <i64>a * <i64>b;
  const nudge: i64 = product >= 0 ? (1 << 30) : (1 - (1 << 30));
  return <i32>((product + nudge) / (<i64>1 << 31));
}

/** gemmlowp RoundingDivideByPOT: x / 2^exponent, ties away from zero. */
// @ts-ignore: decorator
@inline
export function roundingDivideByPOT(x: i32, exponent: i32): i32 {
  const mask = (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** x * multiplier * 2^(shift - 31), shift > 0 shifting left first. */
// @ts-ignore: decorator
@inline
export function multiplyByQuantizedMultiplier(x: i32, multiplier: i32, shift: i32): i32 {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x << leftShift, multiplier), rightShift);
}

/** Adds the output offset to a requantized accumulator and clamps it to the activation range. */
// @ts-ignore: decorator
@inline
export function requantizeToInt8(acc: i32, multiplier: i32, shift: i32, outputOffset: i32, activationMin: i32, activationMax: i32): i8 {
  const value = multiplyByQuantizedMultiplier(acc, multiplier, shift) + outputOffset;
  return <i8>min(max(value, activationMin), activationMax);
}

// ---- v128 ----------------------------------------------------------------------------------
// The same arithmetic on int32 lanes, each lane with its own multiplier and shift, exact for
// every int32 input. With e = max(-shift, 0) and multiplier M in [0, 2^31):
//   SaturatingRoundingDoublingHighMul(x', M) = floor((x'·M + 2^30) / 2^31)
//     (gemmlowp's nudge and truncating division agree with this floor for either sign; the
//     saturating case needs M = -2^31, which QuantizeMultiplier never produces). The 64-bit
//     product comes from i64x2.extmul; the quotient fits int32, so its low word after a
//     logical shift is exact. Call the result q (q > -2^31).
//   RoundingDivideByPOT(q, e ≥ 1) = floor((q' + 2^(e-1)) / 2^e) with q' = q - (q < 0)
//     = floor((q'·2^(31-e) + 2^30) / 2^31): the same high-mul with the per-lane power of two
//     2^(31-e) in place of the variable shift wasm SIMD lacks. Lanes with e = 0 keep q.
// A faster second step, for a block of 8 channels whose e all lie in [k+1, k+7] (k ≥ 0):
//   floor((q' + 2^(e-1)) / 2^e) = floor((z + 2^(s-1)) / 2^s) with z = floor(q' / 2^k) (one
//   shift for the block) and s = e - k in [1, 7], which i16x8.q15mulr_sat_s(z, 2^(15-s)) is,
//   exactly, for z in int16 (then |result| ≤ 2^14 + 1, and adding the output offset with int16
//   saturation is exact). A z outside int16 narrows to 32767 or -32768, giving ±256; the true
//   result is then at least as far out, and both clamp to the same int8 because the output
//   offset, an int8 zero point, lies in [-128, 127].
// The per-channel constants come from vectorRequantTable (js/ops/weights.ts), in blocks of 8
// channels (REQUANT_BLOCK_BYTES): two quads of five i32x4 (80 bytes each: bias,
// 2^leftShift, multiplier, 2^(31-e) or 0, -1 where e = 0), 2^(15-s) as i16x8, and k as an i32,
// -1 when the block needs the general step.

export const REQUANT_BLOCK_BYTES: usize = 192;

// @ts-ignore: decorator
@inline
function highMul(a: v128, b: v128): v128 {
  const nudge = i64x2.splat(1 << 30);
  const lo = i64x2.shr_u(i64x2.add(i64x2.extmul_low_i32x4_s(a, b), nudge), 31);
  const hi = i64x2.shr_u(i64x2.add(i64x2.extmul_high_i32x4_s(a, b), nudge), 31);
  return i32x4.shuffle(lo, hi, 0, 2, 4, 6);
}

/** q - (q < 0) on four lanes. */
// @ts-ignore: decorator
@inline
function towardZero(q: v128): v128 {
  return i32x4.add(q, i32x4.shr_s(q, 31));
}

/** multiplyByQuantizedMultiplier on four lanes (x: i32x4, constants per lane). */
// @ts-ignore: decorator
@inline
export function multiplyByQuantizedMultiplierV(x: v128, leftMul: v128, multiplier: v128, rightMul: v128, keepMask: v128): v128 {
  const q = highMul(i32x4.mul(x, leftMul), multiplier);
  return v128.bitselect(q, highMul(towardZero(q), rightMul), keepMask);
}

/**
 * One block of 8 channels: accumulators a (channels 0–3) and b (4–7) with their bias,
 * requantized, plus the output offset (offset32 / offset16: i32x4 / i16x8 splats), as i16x8
 * saturated to int16.
 */
// @ts-ignore: decorator
@inline
export function requantizeBlock(a: v128, b: v128, block: usize, offset32: v128, offset16: v128): v128 {
  const k = load<i32>(block, 176);
  const qa = highMul(i32x4.mul(i32x4.add(a, v128.load(block)), v128.load(block, 16)), v128.load(block, 32));
  const qb = highMul(i32x4.mul(i32x4.add(b, v128.load(block, 80)), v128.load(block, 96)), v128.load(block, 112));
  if (k >= 0) {
    const z = i16x8.narrow_i32x4_s(i32x4.shr_s(towardZero(qa), k), i32x4.shr_s(towardZero(qb), k));
    return i16x8.add_sat_s(i16x8.q15mulr_sat_s(z, v128.load(block, 160)), offset16);
  }
  const ra = v128.bitselect(qa, highMul(towardZero(qa), v128.load(block, 48)), v128.load(block, 64));
  const rb = v128.bitselect(qb, highMul(towardZero(qb), v128.load(block, 128)), v128.load(block, 144));
  return i16x8.narrow_i32x4_s(i32x4.add(ra, offset32), i32x4.add(rb, offset32));
}

// ---- v128, doubled accumulators --------------------------------------------------------------
// The faster form for ops whose every shift is negative (e = -shift ≥ 1) and whose accumulators
// stay below 2^30 in magnitude (the host checks both, js/ops/weights.ts kernelRequant): the kernel
// sums 2·acc (its weights and bias are doubled). Each block of 8 channels then takes one of:
// - f64 (k = -2): with t = acc·M / 2^(31+e) and h = 2^-(e+1), both roundings together are
//     r = floor((acc·M + 2^30 - 2^31·[q < 0] + 2^(30+e)) / 2^(31+e)) = floor(t + s·h + 1/2),
//   s = +1 for q ≥ 0 and -1 for q < 0; s = sign(t) (+1 at t = 0) gives the same r since e ≥ 1
//   (for -h ≤ t < 0 both are 0). t = 2acc · (M·2^-(32+e)) and t ± h are exact in f64 while
//   2|acc|·M + 2^31 < 2^53, and floor(z + 1/2) = nearest(z) unless z is a half-integer, which
//   needs acc·M ≡ 2^30·odd (mod 2^(31+e)), impossible when 2^(30 - v2(M)) exceeds every reachable
//   |acc|. Adding 1.5·2^52 + outputOffset rounds to nearest and leaves r + outputOffset in the
//   low word of each f64. The host checks both conditions per channel.
// - integer: SaturatingRoundingDoublingHighMul(acc, M) = floor((acc·M + 2^30) / 2^31)
//     = floor((2acc·M + 2^31) / 2^32), the high word of one i64x2.extmul product plus a constant,
//   then the second step above (k ≥ 0: one shift and i16x8.q15mulr_sat_s; k = -1: the general
//   high-mul by 2^(31-e)).
// The relaxed-SIMD build (asconfig target "relaxed") uses f64x2.relaxed_madd and
// i16x8.relaxed_q15mulr_s only where they are exact, so that it computes the same bytes.
// Table: a header (REQUANT_HEADER_BYTES: the f64 sign mask and 1.5·2^52 + outputOffset, each as
// f64x2), then DOUBLED_BLOCK_BYTES per block: 2·bias (two i32x4, the accumulators' initial
// value); f64: M·2^-(32+e) (four f64x2), h (four f64x2); integer: M (two i32x4), 2^(31-e) (two
// i32x4), 2^(15-s) (i16x8); then k (i32) at byte 160.

export const REQUANT_HEADER_BYTES: usize = 32;
export const DOUBLED_BLOCK_BYTES: usize = 176;

/**
 * SaturatingRoundingDoublingHighMul(acc, M) - (result < 0), four lanes, from 2·acc; with `clamped`
 * without the "- (result < 0)", which changes only results that are negative either way.
 */
// @ts-ignore: decorator
@inline
export function highWord(doubled: v128, multiplier: v128, clamped: bool): v128 {
  const nudge = i64x2.splat(<i64>0x80000000);
  const lo = i64x2.add(i64x2.extmul_low_i32x4_s(doubled, multiplier), nudge);
  const hi = i64x2.add(i64x2.extmul_high_i32x4_s(doubled, multiplier), nudge);
  const q = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
  return clamped ? q : towardZero(q);
}

/**
 * f64 step: r + outputOffset for the four channels of a quad, from their doubled accumulators in
 * lanes 0–1 of x01 and of x23, given M·2^-(32+e) (scale0: channels 0–1, scale1: 2–3) and h (h0, h1)
 * as f64x2; with `clamped`, s = +1 throughout, which changes only results that are negative either way.
 */
// @ts-ignore: decorator
@inline
export function quadF64(
  x01: v128, x23: v128, scale0: v128, scale1: v128, h0: v128, h1: v128, signMask: v128, magic: v128, clamped: bool,
): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    // Fused or not, acc·S ± h is exact (above), so relaxed_madd gives the same value either way.
    const xl = f64x2.convert_low_i32x4_s(x01);
    const xh = f64x2.convert_low_i32x4_s(x23);
    const hl = clamped ? h0 : v128.or(v128.and(xl, signMask), h0);
    const hh = clamped ? h1 : v128.or(v128.and(xh, signMask), h1);
    const rl = f64x2.add(f64x2.relaxed_madd(xl, scale0, hl), magic);
    const rh = f64x2.add(f64x2.relaxed_madd(xh, scale1, hh), magic);
    return i32x4.shuffle(rl, rh, 0, 2, 4, 6);
  }
  let lo = f64x2.mul(f64x2.convert_low_i32x4_s(x01), scale0);
  let hi = f64x2.mul(f64x2.convert_low_i32x4_s(x23), scale1);
  if (clamped) {
    lo = f64x2.add(f64x2.add(lo, h0), magic);
    hi = f64x2.add(f64x2.add(hi, h1), magic);
  } else {
    lo = f64x2.add(f64x2.add(lo, v128.or(v128.and(lo, signMask), h0)), magic);
    hi = f64x2.add(f64x2.add(hi, v128.or(v128.and(hi, signMask), h1)), magic);
  }
  return i32x4.shuffle(lo, hi, 0, 2, 4, 6);
}

/** Lanes 2–3 of x in lanes 0–1. */
// @ts-ignore: decorator
@inline
export function highPair(x: v128): v128 {
  return i32x4.shuffle(x, x, 2, 3, 2, 3);
}

/**
 * One block of 8 channels from doubled accumulators a (channels 0–3) and b (4–7), bias included:
 * requantized plus the output offset, as i16x8 saturated to int16. signMask and magic: the table
 * header's two vectors; offset32 / offset16: the output offset as i32x4 / i16x8 splats.
 * `clamped` (a constant): the caller clamps at activationMin ≥ outputOffset, where every result
 * r < 0 becomes activationMin anyway; then the rounding of negative r may differ (it still gives
 * r ≤ 0), and the steps that only serve it are left out.
 */
// @ts-ignore: decorator
@inline
export function requantizeDoubled(
  a: v128, b: v128, block: usize, signMask: v128, magic: v128, offset32: v128, offset16: v128, clamped: bool,
): v128 {
  return doubledKind(block) == -2 ? requantizeDoubledF64(a, b, block, signMask, magic, clamped)
    : requantizeDoubledInt(a, b, block, offset32, offset16, clamped);
}

/** A block's step: -2 f64, -1 the general integer step, k ≥ 0 the int16 one. */
// @ts-ignore: decorator
@inline
export function doubledKind(block: usize): i32 {
  return load<i32>(block, 160);
}

/** requantizeDoubled for a block of kind -2 (f64). */
// @ts-ignore: decorator
@inline
export function requantizeDoubledF64(a: v128, b: v128, block: usize, signMask: v128, magic: v128, clamped: bool): v128 {
  return i16x8.narrow_i32x4_s(
    quadF64(a, highPair(a), v128.load(block, 32), v128.load(block, 48), v128.load(block, 96), v128.load(block, 112), signMask, magic, clamped),
    quadF64(b, highPair(b), v128.load(block, 64), v128.load(block, 80), v128.load(block, 128), v128.load(block, 144), signMask, magic, clamped));
}

/** requantizeDoubled for a block of an integer kind. */
// @ts-ignore: decorator
@inline
export function requantizeDoubledInt(a: v128, b: v128, block: usize, offset32: v128, offset16: v128, clamped: bool): v128 {
  const k = doubledKind(block);
  const qa = highWord(a, v128.load(block, 32), clamped);
  const qb = highWord(b, v128.load(block, 48), clamped);
  return k >= 0 ? int16Step(qa, qb, k, v128.load(block, 96), offset16) : generalStep(qa, qb, v128.load(block, 64), v128.load(block, 80), offset32);
}

/** The int16 second step (kind k ≥ 0) of highWord's results qa (channels 0–3) and qb (4–7), given 2^(15-s) as i16x8. */
// @ts-ignore: decorator
@inline
export function int16Step(qa: v128, qb: v128, k: i32, q15: v128, offset16: v128): v128 {
  const z = i16x8.narrow_i32x4_s(i32x4.shr_s(qa, k), i32x4.shr_s(qb, k));
  // relaxed_q15mulr differs only for -32768 · -32768; these multipliers are at most 2^14.
  const r = ASC_FEATURE_RELAXED_SIMD ? i16x8.relaxed_q15mulr_s(z, q15) : i16x8.q15mulr_sat_s(z, q15);
  return i16x8.add_sat_s(r, offset16);
}

/** The general second step (kind -1) of qa and qb, given 2^(31-e) (r0: channels 0–3, r1: 4–7). */
// @ts-ignore: decorator
@inline
export function generalStep(qa: v128, qb: v128, r0: v128, r1: v128, offset32: v128): v128 {
  return i16x8.narrow_i32x4_s(i32x4.add(highMul(qa, r0), offset32), i32x4.add(highMul(qb, r1), offset32));
}

/** Two blocks' outputs (i16x8 each) as 16 int8 clamped to [lo, hi] (i8x16 splats). */
// @ts-ignore: decorator
@inline
export function narrowClamp(a: v128, b: v128, lo: v128, hi: v128): v128 {
  return i8x16.min_s(i8x16.max_s(i8x16.narrow_i16x8_s(a, b), lo), hi);
}

/** The four lane constants for one (multiplier, shift) pair, for per-tensor requantization. */
// @ts-ignore: decorator
@inline
export function leftMulOf(shift: i32): v128 {
  return i32x4.splat(1 << (shift > 0 ? shift : 0));
}
// @ts-ignore: decorator
@inline
export function rightMulOf(shift: i32): v128 {
  return i32x4.splat(shift < 0 ? 1 << (31 + shift) : 0);
}
// @ts-ignore: decorator
@inline
export function keepMaskOf(shift: i32): v128 {
  return i32x4.splat(shift < 0 ? 0 : -1);
}

/**
 * Adds the output offset to 16 requantized lanes (four i32x4, channel order a, b, c, d), and
 * narrows them to 16 int8 clamped to [activationMin, activationMax] (given as i8x16 splats).
 * The offset is added in int32 (wrapping, as the scalar code does); the narrowing saturates.
 */
// @ts-ignore: decorator
@inline
export function packInt8(a: v128, b: v128, c: v128, d: v128, offset: v128, lo: v128, hi: v128): v128 {
  const ab = i16x8.narrow_i32x4_s(i32x4.add(a, offset), i32x4.add(b, offset));
  const cd = i16x8.narrow_i32x4_s(i32x4.add(c, offset), i32x4.add(d, offset));
  return narrowClamp(ab, cd, lo, hi);
}

/** Stores the low n (0..16) bytes of v at ptr. */
// @ts-ignore: decorator
@inline
export function storeBytes(ptr: usize, v: v128, n: i32): void {
  if (n >= 16) { v128.store(ptr, v); return; }
  if (n & 8) { v128.store64_lane(ptr, v, 0); v = i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0); ptr += 8; }
  if (n & 4) { v128.store32_lane(ptr, v, 0); v = i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); ptr += 4; }
  if (n & 2) { v128.store16_lane(ptr, v, 0); v = i8x16.shuffle(v, v, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); ptr += 2; }
  if (n & 1) v128.store8_lane(ptr, v, 0);
}

// ---- v128, scaled in f64 -----------------------------------------------------------------------
// TFLite 2.21's reference FULLY_CONNECTED (int8 per-tensor and per-channel, uint8) requantizes in
// double: round(acc · scale[c]) with scale[c] = (double)s_in · (double)s_filter[c] / (double)s_out,
// round() taking ties away from zero. acc → f64 and one f64 multiply are that arithmetic exactly;
// with t = trunc(x), x - t is exact, so t + sign(x)·[|x - t| ≥ 1/2] is round(x). The result,
// saturated to int16 (where it only matters outside every int8 clamp), plus the output offset.
// Table (SCALED_BLOCK_BYTES per block of 8 channels): bias (two i32x4, the accumulators' initial
// value), then scale[c] (four f64x2).

export const SCALED_BLOCK_BYTES: usize = 96;

/** round(x) (ties away from zero) on two f64 lanes, as i32 in lanes 0–1 (saturating). */
// @ts-ignore: decorator
@inline
function roundAway(x: v128): v128 {
  const t = f64x2.trunc(x);
  const sign = v128.or(v128.and(x, i64x2.splat(<i64>0x8000000000000000)), f64x2.splat(1));
  const up = f64x2.ge(f64x2.abs(f64x2.sub(x, t)), f64x2.splat(0.5));
  return i32x4.trunc_sat_f64x2_s_zero(f64x2.add(t, v128.and(up, sign)));
}

/** round(acc · scale) for four channels (accumulators in x, scales at s, s + 16). */
// @ts-ignore: decorator
@inline
function scaledQuad(x: v128, s: usize): v128 {
  const lo = roundAway(f64x2.mul(f64x2.convert_low_i32x4_s(x), v128.load(s)));
  const hi = roundAway(f64x2.mul(f64x2.convert_low_i32x4_s(highPair(x)), v128.load(s, 16)));
  return i32x4.shuffle(lo, hi, 0, 1, 4, 5);
}

/**
 * One block of 8 channels, accumulators a (channels 0–3) and b (4–7) with their bias, scaled as
 * above, plus the output offset (offset16: i16x8 splat), as i16x8 saturated to int16.
 */
// @ts-ignore: decorator
@inline
export function requantizeScaled(a: v128, b: v128, block: usize, offset16: v128): v128 {
  return i16x8.add_sat_s(i16x8.narrow_i32x4_s(scaledQuad(a, block + 32), scaledQuad(b, block + 64)), offset16);
}

/** The scalar form of one channel: clamp(sat16(round(acc · scale)) + outputOffset, activationMin, activationMax). */
// @ts-ignore: decorator
@inline
export function requantizeScaledToInt8(acc: i32, scale: f64, outputOffset: i32, activationMin: i32, activationMax: i32): i8 {
  const x = <f64>acc * scale;
  const t = trunc(x);
  const r = abs(x - t) >= 0.5 ? t + (x < 0 ? -1 : 1) : t;
  const value = <i32>min(max(r, -32768), 32767) + outputOffset;
  return <i8>min(max(value, activationMin), activationMax);
}
