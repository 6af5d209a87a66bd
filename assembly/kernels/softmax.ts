// SOFTMAX, int8 in → int8 out (uint8 models run shifted by -128), TFLite's fixed-point path
// (reference/softmax.h with gemmlowp fixedpoint.h): exp of scaled differences from the row max
// in Q5.26, sum in Q12.19, Newton-Raphson reciprocal, output scale 1/256.
// in: (rows, depth) int8   out: (rows, depth) int8
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul as mul } from "../requant";

@unmanaged
export class SoftmaxParams {
  input: i32; output: i32; rows: i32; depth: i32;
  inputMultiplier: i32; inputLeftShift: i32; diffMin: i32;
}

const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;
const ONE_Q0: i32 = i32.MAX_VALUE;

/** gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent: saturating left shift. */
// @ts-ignore: decorator
@inline
function saturatingShiftLeft(x: i32, exponent: i32): i32 {
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return i32.MAX_VALUE;
  if (x < -threshold) return i32.MIN_VALUE;
  return x << exponent;
}

/** exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor expansion around -1/8. */
function expOnIntervalNegativeQuarterToZero(a: i32): i32 {
  const constantTerm: i32 = 1895147668; // exp(-1/8)
  const oneThird: i32 = 715827883;
  const x = a + (1 << 28); // a + 1/8
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const polynomial = roundingDivideByPOT(mul(x4Over4 + x3, oneThird) + x2, 1);
  return constantTerm + mul(constantTerm, x + polynomial);
}

/** exp(a) for a ≤ 0 in Q5.26, result in Q0.31 (gemmlowp exp_on_negative_values). */
function expOnNegativeValues(a: i32): i32 {
  const fractionalBits = 31 - SCALED_DIFF_INTEGER_BITS;
  const oneQuarter = 1 << (fractionalBits - 2);
  const aModQuarterMinusQuarter = (a & (oneQuarter - 1)) - oneQuarter;
  let result = expOnIntervalNegativeQuarterToZero(saturatingShiftLeft(aModQuarterMinusQuarter, SCALED_DIFF_INTEGER_BITS));
  const remainder = aModQuarterMinusQuarter - a;
  // Barrel shifter: multiply by exp(-2^k) for each bit k of the remainder, k = -2 … 4.
  if (remainder & (1 << (fractionalBits - 2))) result = mul(result, 1672461947);
  if (remainder & (1 << (fractionalBits - 1))) result = mul(result, 1302514674);
  if (remainder & (1 << fractionalBits)) result = mul(result, 790015084);
  if (remainder & (1 << (fractionalBits + 1))) result = mul(result, 290630308);
  if (remainder & (1 << (fractionalBits + 2))) result = mul(result, 39332535);
  if (remainder & (1 << (fractionalBits + 3))) result = mul(result, 720401);
  if (remainder & (1 << (fractionalBits + 4))) result = mul(result, 242);
  return a == 0 ? ONE_Q0 : result;
}

/** 1 / (1 + x) for x in [0, 1), Q0.31 in, Q0.31 out: Newton-Raphson in Q2.29. */
function oneOverOnePlusX(a: i32): i32 {
  const sum = <i64>a + <i64>ONE_Q0;
  const halfDenominator = <i32>((sum + (sum >= 0 ? 1 : -1)) / 2);
  let x: i32 = 1515870810 + mul(halfDenominator, -1010580540); // 48/17 - 32/17 * d
  for (let i = 0; i < 3; i++) {
    const oneMinusHalfDenominatorTimesX = (1 << 29) - mul(halfDenominator, x);
    x = x + saturatingShiftLeft(mul(x, oneMinusHalfDenominatorTimesX), 2);
  }
  return saturatingShiftLeft(x, 1);
}

export function softmax_ref(paramsPtr: usize): void {
  const p = changetype<SoftmaxParams>(paramsPtr);
  const depth = p.depth;
  for (let r = 0; r < p.rows; r++) {
    const row = <usize>p.input + <usize>(r * depth);
    const outRow = <usize>p.output + <usize>(r * depth);
    let maxInRow: i32 = -128;
    for (let c = 0; c < depth; c++) maxInRow = max(maxInRow, <i32>load<i8>(row + <usize>c));

    let sumOfExps: i32 = 0; // Q12.19
    for (let c = 0; c < depth; c++) {
      const diff = <i32>load<i8>(row + <usize>c) - maxInRow;
      if (diff >= p.diffMin) {
        const scaledDiff = mul(diff << p.inputLeftShift, p.inputMultiplier);
        sumOfExps += roundingDivideByPOT(expOnNegativeValues(scaledDiff), ACCUMULATION_INTEGER_BITS);
      }
    }

    const headroomPlusOne = <i32>clz<u32>(<u32>sumOfExps);
    const numBitsOverUnit = ACCUMULATION_INTEGER_BITS - headroomPlusOne;
    const shiftedSumMinusOne = <i32>((<u32>sumOfExps << headroomPlusOne) - (<u32>1 << 31));
    const shiftedScale = oneOverOnePlusX(shiftedSumMinusOne);

    for (let c = 0; c < depth; c++) {
      const diff = <i32>load<i8>(row + <usize>c) - maxInRow;
      let value: i32 = -128;
      if (diff >= p.diffMin) {
        const scaledDiff = mul(diff << p.inputLeftShift, p.inputMultiplier);
        const unsaturated = roundingDivideByPOT(mul(shiftedScale, expOnNegativeValues(scaledDiff)), numBitsOverUnit + 31 - 8);
        value = min(max(unsaturated - 128, -128), 127);
      }
      store<i8>(outRow + <usize>c, <i8>value);
    }
  }
}
