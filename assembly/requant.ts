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
// channels (REQUANT_BLOCK_BYTES): two quads of five i32x4 (REQUANT_QUAD_BYTES each: bias,
// 2^leftShift, multiplier, 2^(31-e) or 0, -1 where e = 0), 2^(15-s) as i16x8, and k as an i32,
// -1 when the block needs the general step.

export const REQUANT_QUAD_BYTES: usize = 80;
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

/** Adds a quad's bias to four accumulators and requantizes them (without the output offset). */
// @ts-ignore: decorator
@inline
export function requantizeQuad(acc: v128, quad: usize): v128 {
  return multiplyByQuantizedMultiplierV(i32x4.add(acc, v128.load(quad)),
    v128.load(quad, 16), v128.load(quad, 32), v128.load(quad, 48), v128.load(quad, 64));
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
