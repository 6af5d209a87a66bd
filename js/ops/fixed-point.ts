// gemmlowp's scalar fixed-point arithmetic, exactly (BigInt where products exceed 2^53), for
// tables and constants computed at prepare: SaturatingRoundingDoublingHighMul, RoundingDivideByPOT,
// SaturatingRoundingMultiplyByPOT, and TFLite's GetInvSqrtQuantizedMultiplierExp.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** SaturatingRoundingDoublingHighMul of two values of `bits` (32 or 16) bits. */
export function roundingDoublingHighMul(a: number, b: number, bits = 32): number {
  const min = -(2 ** (bits - 1));
  if (a === min && b === min) return -min - 1;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << BigInt(bits - 2) : 1n - (1n << BigInt(bits - 2));
  return Number((ab + nudge) / (1n << BigInt(bits - 1)));
}

/** RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const mask = 2 ** exponent - 1;
  const remainder = Number(BigInt(x) & BigInt(mask));
  const threshold = Math.floor(mask / 2) + (x < 0 ? 1 : 0);
  return Math.floor(x / 2 ** exponent) + (remainder > threshold ? 1 : 0);
}

/** SaturatingRoundingMultiplyByPOT with a positive exponent on int32: x·2^exponent, saturated. */
export function saturatingShiftLeft(x: number, exponent: number): number {
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * 2 ** exponent;
}

/** int32 wrap-around of an integer-valued number. */
const wrap32 = (x: number) => Number(BigInt.asIntN(32, BigInt(x)));

/**
 * GetInvSqrtQuantizedMultiplierExp: 1 / sqrt(input) as a multiplier and shift (Newton–Raphson
 * in Q3.28, five iterations), the shift multiplied by reverseShift.
 */
export function invSqrtMultiplier(input: number, reverseShift: number): [multiplier: number, shift: number] {
  if (input <= 1) return [INT32_MAX, 0];
  let shift = 11;
  while (input >= 2 ** 29) {
    input = Math.trunc(input / 4);
    shift++;
  }
  const leftShiftBitPairs = Math.floor((Math.clz32(input) - 1) / 2) - 1;
  shift -= leftShiftBitPairs;
  input *= 4 ** leftShiftBitPairs;
  const mul = (a: number, b: number) => roundingDoublingHighMul(a, b);
  const fixedInput = input >> 1;
  const halfInput = roundingDivideByPOT(fixedInput, 1);
  const halfThree = 2 ** 28 + 2 ** 27;
  let x = 2 ** 28; // F3 one
  for (let i = 0; i < 5; i++) {
    const x3 = saturatingShiftLeft(mul(mul(x, x), x), 6);
    x = saturatingShiftLeft(wrap32(mul(halfThree, x) - mul(halfInput, x3)), 3);
  }
  let multiplier = mul(x, 1518500250);
  if (shift < 0) {
    multiplier = wrap32(multiplier * 2 ** -shift);
    shift = 0;
  }
  return [multiplier, shift * reverseShift];
}
