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
