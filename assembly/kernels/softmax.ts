// SOFTMAX, int8 in → int8 out (uint8 models run shifted by -128), TFLite's fixed-point path
// (reference/softmax.h with gemmlowp fixedpoint.h): exp of scaled differences from the row max
// in Q5.26, sum in Q12.19, Newton-Raphson reciprocal, output scale 1/256.
// in: (rows, depth) int8   out: (rows, depth) int8
// table (softmax only; filled at load by softmax_exp_table): 2304 bytes, see below.
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul as mul } from "../requant";

@unmanaged
export class SoftmaxParams {
  input: i32; output: i32; rows: i32; depth: i32;
  inputMultiplier: i32; inputLeftShift: i32; diffMin: i32;
  table: i32;
}

export const SCALED_DIFF_INTEGER_BITS = 5;
export const ACCUMULATION_INTEGER_BITS = 12;
const ONE_Q0: i32 = i32.MAX_VALUE;

/** gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent: saturating left shift. */
// @ts-ignore: decorator
@inline
export function saturatingShiftLeft(x: i32, exponent: i32): i32 {
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

/** gemmlowp RoundingHalfSum: (a + b) / 2, ties away from zero. */
// @ts-ignore: decorator
@inline
export function roundingHalfSum(a: i32, b: i32): i32 {
  const sum = <i64>a + <i64>b;
  return <i32>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** 1 / (1 + x) for x in [0, 1), Q0.31 in, Q0.31 out: Newton-Raphson in Q2.29. */
export function oneOverOnePlusX(a: i32): i32 {
  const halfDenominator = roundingHalfSum(a, ONE_Q0);
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

// ---- table ----------------------------------------------------------------------------------
// The exp only depends on the difference diff = x - max ∈ [-255, 0], so the reference's values are
// computed once per op, at load, for the 256 differences k = max - x: the table holds their exps in
// Q0.31 (0 where diff < diffMin), then the same rounded to Q12.19 (the terms of the sum), then 256
// bytes that each row fills with its outputs by k. An exp of 0 gives exactly what the reference
// gives below diffMin: no term in the sum, and output -128 (RoundingDivideByPOT(0, ·) = 0).
// Per row the output only depends on k too, so a row whose max - min + 1 is smaller than its depth
// computes that many outputs and looks them up; others compute one per element.
// Table: 256 int32 exps, 256 int32 terms, 256 bytes of row outputs (2304 bytes).

/** Fills the table at `params.table` for the op's multiplier, shift and diffMin (once, at load). */
export function softmax_exp_table(paramsPtr: usize): void {
  const p = changetype<SoftmaxParams>(paramsPtr);
  const table = <usize>p.table;
  for (let k = 0; k < 256; k++) {
    const diff = -k;
    const exp = diff >= p.diffMin ? expOnNegativeValues(mul(diff << p.inputLeftShift, p.inputMultiplier)) : 0;
    store<i32>(table + (<usize>k << 2), exp);
    store<i32>(table + (<usize>k << 2), roundingDivideByPOT(exp, ACCUMULATION_INTEGER_BITS), 1024);
  }
}

/** The output byte for an exp in Q0.31, given the row's reciprocal (shiftedScale) and final exponent. */
// @ts-ignore: decorator
@inline
function outputOf(exp: i32, shiftedScale: i32, exponent: i32): i8 {
  return <i8>min(max(roundingDivideByPOT(mul(shiftedScale, exp), exponent) - 128, -128), 127);
}

/** Largest lane of 16 int8. */
// @ts-ignore: decorator
@inline
function maxLane(v: v128): i32 {
  v = i8x16.max_s(v, i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v = i8x16.max_s(v, i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3));
  v = i8x16.max_s(v, i8x16.shuffle(v, v, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1));
  return max(<i32>i8x16.extract_lane_s(v, 0), <i32>i8x16.extract_lane_s(v, 1));
}

export function softmax(paramsPtr: usize): void {
  const p = changetype<SoftmaxParams>(paramsPtr);
  const depth = p.depth;
  const vectorDepth = depth & ~15;
  const exps = <usize>p.table;
  const terms = exps + 1024;
  const rowOutputs = exps + 2048;
  for (let r = 0; r < p.rows; r++) {
    const row = <usize>p.input + <usize>(r * depth);
    const outRow = <usize>p.output + <usize>(r * depth);
    // max and -min (as the max of the bitwise complement, ~x = -1 - x)
    let maxes = i8x16.splat(-128);
    let complementMaxes = i8x16.splat(-128);
    for (let c = 0; c < vectorDepth; c += 16) {
      const v = v128.load(row + <usize>c);
      maxes = i8x16.max_s(maxes, v);
      complementMaxes = i8x16.max_s(complementMaxes, v128.not(v));
    }
    let maxInRow = maxLane(maxes);
    let minInRow = -1 - maxLane(complementMaxes);
    for (let c = vectorDepth; c < depth; c++) {
      const x = <i32>load<i8>(row + <usize>c);
      maxInRow = max(maxInRow, x);
      minInRow = min(minInRow, x);
    }
    const k0 = <usize>maxInRow; // k = k0 - x, in wrapping usize arithmetic with x read as int8

    let sumOfExps: i32 = 0; // Q12.19
    for (let c = 0; c < depth; c++) sumOfExps += load<i32>(terms + ((k0 - <usize>load<i8>(row + <usize>c)) << 2));

    const headroomPlusOne = <i32>clz<u32>(<u32>sumOfExps);
    const numBitsOverUnit = ACCUMULATION_INTEGER_BITS - headroomPlusOne;
    const shiftedSumMinusOne = <i32>((<u32>sumOfExps << headroomPlusOne) - (<u32>1 << 31));
    const shiftedScale = oneOverOnePlusX(shiftedSumMinusOne);
    const exponent = numBitsOverUnit + 31 - 8;

    const span = maxInRow - minInRow + 1;
    if (span < depth) {
      for (let k = 0; k < span; k++) store<i8>(rowOutputs + <usize>k, outputOf(load<i32>(exps + (<usize>k << 2)), shiftedScale, exponent));
      for (let c = 0; c < depth; c++) store<i8>(outRow + <usize>c, load<i8>(rowOutputs + (k0 - <usize>load<i8>(row + <usize>c))));
    } else {
      for (let c = 0; c < depth; c++) {
        store<i8>(outRow + <usize>c, outputOf(load<i32>(exps + ((k0 - <usize>load<i8>(row + <usize>c)) << 2)), shiftedScale, exponent));
      }
    }
  }
}
