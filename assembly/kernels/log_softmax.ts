// LOG_SOFTMAX over the last axis, as TFLite's reference kernels (reference/log_softmax.h,
// integer_ops/log_softmax.h).
// float32: in: (rows, depth) f32   out: (rows, depth) f32
//   out_c = x_c - max - log(Σ exp(x_c - max)), the sum in float32 in order c; exp is
//   assembly/f32.ts expf, log is Mathf.log.
// int8 (uint8 models run shifted by -128): in: (rows, depth) int8   out: (rows, depth) int8,
//   output scale 16/256, zero point 127. The exps of the differences from the row max (Q5.26 in,
//   Q0.31 out) come from the SOFTMAX table (softmax_exp_table, same scaling with beta 1), summed in
//   Q12.19; gemmlowp's log_x_for_x_greater_than_or_equal_to_1 gives log Σ in Q5.26; each output is
//   (scaled diff - log Σ) in Q4.27 rounded to the output's 1/16 steps.
import { expf } from "../f32";
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul as mul } from "../requant";
import { ACCUMULATION_INTEGER_BITS, SCALED_DIFF_INTEGER_BITS, oneOverOnePlusX, roundingHalfSum, saturatingShiftLeft } from "./softmax";

@unmanaged
export class LogSoftmaxParams {
  input: i32; output: i32; rows: i32; depth: i32;
}

export function log_softmax_f32(paramsPtr: usize): void {
  const p = changetype<LogSoftmaxParams>(paramsPtr);
  const depth = p.depth;
  for (let r = 0; r < p.rows; r++) {
    const row = <usize>p.input + (<usize>(r * depth) << 2);
    const outRow = <usize>p.output + (<usize>(r * depth) << 2);
    let maxInRow: f32 = -3.40282347e38;
    for (let c = 0; c < depth; c++) maxInRow = max<f32>(maxInRow, load<f32>(row + (<usize>c << 2)));
    let sum: f32 = 0;
    for (let c = 0; c < depth; c++) sum += expf(load<f32>(row + (<usize>c << 2)) - maxInRow);
    const logSum = Mathf.log(sum);
    for (let c = 0; c < depth; c++) store<f32>(outRow + (<usize>c << 2), load<f32>(row + (<usize>c << 2)) - maxInRow - logSum);
  }
}

/** The SOFTMAX parameter block (SoftmaxParams, whose table this kernel reads) and the reverse scaling. */
@unmanaged
export class LogSoftmaxQuantizedParams {
  input: i32; output: i32; rows: i32; depth: i32;
  inputMultiplier: i32; inputLeftShift: i32; diffMin: i32;
  table: i32;
  reverseScalingDivisor: i32; reverseScalingRightShift: i32;
}

const OUTPUT_INTEGER_BITS = 4;
const OUTPUT_ZERO_POINT = 127;
const LOG_ACCUMULATION_INTEGER_BITS = SCALED_DIFF_INTEGER_BITS + 1;

// @ts-ignore: decorator
@inline
function saturatingAdd(a: i32, b: i32): i32 {
  return <i32>min(max(<i64>a + <i64>b, <i64>i32.MIN_VALUE), <i64>i32.MAX_VALUE);
}

/**
 * log(x) in Q5.26 for x ≥ 1 in Q12.19 (TFLite's log_x_for_x_greater_than_or_equal_to_1<5>):
 * x = 2^z · r with r near 1 (two candidate normalisations, by 1 and by sqrt(1/2)), then
 * log r from a rational approximation around sqrt(sqrt(1/2)); accumulated in Q6.25.
 */
function logOfSum(x: i32): i32 {
  const log2: i32 = 1488522236;
  const sqrtSqrtHalf: i32 = 1805811301;
  const sqrtHalf: i32 = 1518500250;
  const alphaN: i32 = 117049297;
  const alphaD: i32 = 127690142;
  const alphaI: i32 = 1057819769;
  const alphaF: i32 = 638450708;
  const quarter: i32 = 1 << (31 - 2 - LOG_ACCUMULATION_INTEGER_BITS); // 1/4 in Q6.25
  const powerShift = 31 - LOG_ACCUMULATION_INTEGER_BITS;

  const aHeadroomPlusOne = <i32>clz<u32>(<u32>x);
  const rA = saturatingShiftLeft(mul(saturatingShiftLeft(x, aHeadroomPlusOne - 1), sqrtHalf), 1);
  const aPower = saturatingAdd(saturatingShiftLeft(ACCUMULATION_INTEGER_BITS - aHeadroomPlusOne, powerShift), quarter);
  const bHeadroom = <i32>clz<u32>(<u32>mul(x, sqrtHalf)) - 1;
  const rB = saturatingShiftLeft(x, bHeadroom);
  const bPower = saturatingAdd(saturatingShiftLeft(ACCUMULATION_INTEGER_BITS - bHeadroom, powerShift), -quarter);
  const r = min(rA, rB);
  const power = max(aPower, bPower);

  const p = roundingHalfSum(r, sqrtSqrtHalf);
  const q = (r - sqrtSqrtHalf) << 1;
  const qSquared = mul(q, q);
  const numerator = mul(q, r) + mul(mul(q, qSquared), alphaN);
  const denominatorMinusOne = mul(p, alphaI + q + mul(alphaD, qSquared)) + mul(alphaF, q);
  const numeratorScaled = roundingDivideByPOT(numerator, LOG_ACCUMULATION_INTEGER_BITS);
  return saturatingShiftLeft(mul(power, log2) + mul(numeratorScaled, oneOverOnePlusX(denominatorMinusOne)), 1);
}

export function log_softmax(paramsPtr: usize): void {
  const p = changetype<LogSoftmaxQuantizedParams>(paramsPtr);
  const depth = p.depth;
  const terms = <usize>p.table + 1024; // Q12.19 exps by k = max - x (softmax_exp_table)
  for (let r = 0; r < p.rows; r++) {
    const row = <usize>p.input + <usize>(r * depth);
    const outRow = <usize>p.output + <usize>(r * depth);
    let maxInRow: i32 = -128;
    for (let c = 0; c < depth; c++) maxInRow = max(maxInRow, <i32>load<i8>(row + <usize>c));
    const k0 = <usize>maxInRow; // k = k0 - x, in wrapping usize arithmetic with x read as int8

    let sumOfExps: i32 = 0;
    for (let c = 0; c < depth; c++) sumOfExps += load<i32>(terms + ((k0 - <usize>load<i8>(row + <usize>c)) << 2));
    const logSum = logOfSum(sumOfExps);

    // Differences whose scaled value minus logSum would fall below the Q5.26 range give -128.
    const smallestDiff = roundingDivideByPOT(mul(logSum + i32.MIN_VALUE, p.reverseScalingDivisor), p.reverseScalingRightShift);
    const adjustedDiffMin = max(p.diffMin - 1, smallestDiff);
    for (let c = 0; c < depth; c++) {
      const diff = <i32>load<i8>(row + <usize>c) - maxInRow;
      let value: i32 = -128;
      if (diff > adjustedDiffMin) {
        const scaledDiff = mul(diff << p.inputLeftShift, p.inputMultiplier);
        const unsaturated = roundingDivideByPOT(scaledDiff - logSum, 31 - SCALED_DIFF_INTEGER_BITS - OUTPUT_INTEGER_BITS) + OUTPUT_ZERO_POINT;
        value = min(max(unsaturated, -128), 127);
      }
      store<i8>(outRow + <usize>c, <i8>value);
    }
  }
}
