// Independent TypeScript model of TensorFlow Lite's integer arithmetic primitives
// (tensorflow/lite/kernels/internal/common.h + common.cc, gemmlowp fixedpoint/fixedpoint.h,
// quantization_util.cc). Default build: TFLITE_SINGLE_ROUNDING undefined, so
// MultiplyByQuantizedMultiplier rounds twice (SaturatingRoundingDoublingHighMul, then
// RoundingDivideByPOT).
//
// All values are plain JS numbers holding int32 values. 64-bit products are computed
// exactly by splitting one operand into 16-bit halves (every partial product stays below
// 2^53), so no BigInt is needed in the hot paths.

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO_31 = 2147483648;
const TWO_30 = 1073741824;

/** C's (int32_t) conversion of an integral value held in a double (wraps modulo 2^32). */
export function wrapInt32(x: number): number {
  return x | 0;
}

/** gemmlowp SaturatingRoundingDoublingHighMul(int32 a, int32 b): (a*b + nudge) / 2^31 with C
 *  truncation, nudge = 2^30 when a*b >= 0 else 1 - 2^30; saturates INT32_MIN*INT32_MIN. */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // a*b = hi * 2^16 + lo, exactly.
  const bh = b >> 16; // floor(b / 2^16), signed
  const bl = b & 0xffff; // b mod 2^16, in [0, 65536)
  const hi = a * bh; // |hi| <= 2^46
  const lo = a * bl; // |lo| <  2^47
  const negative = a !== 0 && b !== 0 && (a < 0) !== (b < 0);
  const nudge = negative ? 1 - TWO_30 : TWO_30;
  // hi = h1 * 2^15 + h0 with 0 <= h0 < 2^15, so a*b + nudge = h1 * 2^31 + r.
  const h1 = Math.floor(hi / 32768);
  const h0 = hi - h1 * 32768;
  const r = h0 * 65536 + lo + nudge; // |r| < 2^48: exact
  const rq = Math.floor(r / TWO_31);
  let q = h1 + rq; // floor((a*b + nudge) / 2^31)
  // The dividend is negative exactly when a*b < 0; C division truncates toward zero.
  if (negative && r - rq * TWO_31 !== 0) q += 1;
  return q;
}

/** gemmlowp RoundingDivideByPOT(int32 x, exponent in [0, 31]): rounds to nearest, ties away
 *  from zero. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = exponent === 31 ? 0x7fffffff : (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** common.cc MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, int shift), double
 *  rounding: RoundingDivideByPOT(SRDHM(x * 2^max(shift,0), m), max(-shift,0)). */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  // x * (1 << left_shift) is an int32 multiply in C (wraps in practice).
  const shifted = leftShift === 0 ? x : Math.imul(x, 1 << leftShift);
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, multiplier), rightShift);
}

/** common.h MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0). */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(
  x: number,
  multiplier: number,
  leftShift: number,
): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
}

/** common.h MultiplyByQuantizedMultiplierGreaterThanOne (shift >= 0). */
export function multiplyByQuantizedMultiplierGreaterThanOne(
  x: number,
  multiplier: number,
  leftShift: number,
): number {
  return saturatingRoundingDoublingHighMul(Math.imul(x, 2 ** leftShift), multiplier);
}

/** BigInt model of MultiplyByQuantizedMultiplier, used to cross-check the Number version. */
export function multiplyByQuantizedMultiplierBig(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  const a = BigInt(leftShift === 0 ? x : Math.imul(x, 1 << leftShift));
  const b = BigInt(multiplier);
  let high: bigint;
  if (a === -2147483648n && b === -2147483648n) {
    high = 2147483647n;
  } else {
    const ab = a * b;
    const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
    high = (ab + nudge) / (1n << 31n); // BigInt division truncates toward zero, like C
  }
  if (rightShift === 0) return Number(high);
  // Round half away from zero.
  const d = 1n << BigInt(rightShift);
  const floor = high >= 0n ? high / d : -((-high + d - 1n) / d);
  const rem = high - floor * d; // in [0, d)
  const half = d / 2n;
  const up = high < 0n ? rem > half : rem >= half;
  return Number(floor + (up ? 1n : 0n));
}

/** std::round: round half away from zero, exact for every double. */
export function roundHalfAwayFromZero(x: number): number {
  const t = Math.trunc(x);
  const frac = x - t; // exact
  if (frac >= 0.5) return t + 1;
  if (frac <= -0.5) return t - 1;
  return t;
}

/** std::frexp for finite non-zero x: x = fraction * 2^exponent, 0.5 <= |fraction| < 1. */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  let f = x / 2 ** e;
  while (Math.abs(f) >= 1) {
    f /= 2;
    e += 1;
  }
  while (Math.abs(f) < 0.5) {
    f *= 2;
    e -= 1;
  }
  return [f, e];
}

/** quantization_util.cc QuantizeMultiplier(double) -> [quantized_multiplier, shift]; shift is
 *  the power-of-two exponent (negative = right shift). Double-rounding build (no clamp to 30). */
export function quantizeMultiplier(realMultiplier: number): [number, number] {
  if (realMultiplier === 0) return [0, 0];
  const [q, exp] = frexp(realMultiplier);
  let shift = exp;
  let qFixed = roundHalfAwayFromZero(q * TWO_31);
  if (qFixed > TWO_31) throw new Error(`QuantizeMultiplier: q_fixed overflow for ${realMultiplier}`);
  if (qFixed === TWO_31) {
    qFixed /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  return [qFixed, shift];
}

export function quantizeMultiplierSmallerThanOneExp(realMultiplier: number): [number, number] {
  if (!(realMultiplier < 1 && realMultiplier > 0)) {
    throw new Error(`QuantizeMultiplierSmallerThanOneExp: ${realMultiplier} not in (0, 1)`);
  }
  const [m, shift] = quantizeMultiplier(realMultiplier);
  if (shift > 0) throw new Error("QuantizeMultiplierSmallerThanOneExp: positive shift");
  return [m, shift];
}

export function quantizeMultiplierGreaterThanOne(realMultiplier: number): [number, number] {
  if (!(realMultiplier > 1)) throw new Error(`QuantizeMultiplierGreaterThanOne: ${realMultiplier} <= 1`);
  const [m, shift] = quantizeMultiplier(realMultiplier);
  if (shift < 0) throw new Error("QuantizeMultiplierGreaterThanOne: negative shift");
  return [m, shift];
}

// ---------------------------------------------------------------------------------------
// gemmlowp fixed-point helpers used by the quantized softmax. Raw int32 values; the number
// of integer bits is implied by the caller. Plain + and - wrap like the C++ code does.

/** Saturating multiply by 2^exponent (exponent > 0), as ImplSaturatingRoundingMultiplyByPOT. */
export function saturatingShiftLeft(x: number, exponent: number): number {
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * 2 ** exponent;
}

/** Rescale<dst>(FixedPoint<src>): exponent = src - dst. */
export function rescale(raw: number, srcIntegerBits: number, dstIntegerBits: number): number {
  const exponent = srcIntegerBits - dstIntegerBits;
  if (exponent > 0) return saturatingShiftLeft(raw, exponent);
  if (exponent < 0) return roundingDivideByPOT(raw, -exponent);
  return raw;
}

/** gemmlowp RoundingHalfSum for int32: (a + b + sign) / 2 with C truncation. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  const sign = sum >= 0 ? 1 : -1;
  return Math.trunc((sum + sign) / 2);
}

const srdhm = saturatingRoundingDoublingHighMul;

/** exp(x) for x in [-1/4, 0), Q0.31 in and out. */
export function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constantOneOver3 = 715827883;
  const x = (a + (1 << 28)) | 0; // a + 1/8
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT((srdhm((x4Over4 + x3) | 0, constantOneOver3) + x2) | 0, 1);
  return (constantTerm + srdhm(constantTerm, (x + poly) | 0)) | 0;
}

const EXP_BARREL: ReadonlyArray<readonly [number, number]> = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** gemmlowp exp_on_negative_values: input FixedPoint<int32, integerBits>, output Q0.31. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 2 ** (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
    rescale(aModQuarterMinusQuarter, integerBits, 0),
  );
  const remainder = (aModQuarterMinusQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent) {
      const shiftAmount = fractionalBits + exponent;
      if ((remainder & (1 << shiftAmount)) !== 0) result = srdhm(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clamp = -(2 ** (36 - integerBits)); // -32.0 in this format
    if (a < clamp) result = 0;
  }
  if (a === 0) result = INT32_MAX; // FixedPoint<.., 0>::One()
  return result;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1: Q0.31 in and out. */
export function oneOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  const constant48Over17 = 1515870810; // Q2.29
  const constantNeg32Over17 = -1010580540; // Q2.29
  const oneQ2 = 1 << 29;
  let x = (constant48Over17 + srdhm(halfDenominator, constantNeg32Over17)) | 0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = srdhm(halfDenominator, x); // Q2.29
    const oneMinus = (oneQ2 - halfDenominatorTimesX) | 0;
    x = (x + rescale(srdhm(x, oneMinus), 4, 2)) | 0;
  }
  // ExactMulByPot<-1> turns Q2 into Q1 with the same raw value; Rescale<0> from Q1.
  return rescale(x, 1, 0);
}

/** common.h GetReciprocal(x, x_integer_digits) -> [shifted_scale (Q0.31), num_bits_over_unit]. */
export function getReciprocal(x: number, xIntegerDigits: number): [number, number] {
  const headroomPlusOne = Math.clz32(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  // (uint32(x) << headroom_plus_one) - 2^31: the shifted value has its top bit set.
  const shifted = headroomPlusOne >= 32 ? 0 : (x << headroomPlusOne) >>> 0;
  const shiftedSumMinusOne = (shifted - TWO_31) | 0;
  return [oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit];
}

/** 63 - CountLeadingZeros(uint64 n) for 0 < n < 2^53. */
export function floorLog2(n: number): number {
  if (n <= 0) throw new Error("floorLog2 of non-positive");
  let e = 0;
  while (2 ** (e + 1) <= n) e++;
  return e;
}
