// L2_NORMALIZATION over the last axis, TFLite's reference kernels:
// in: (rows, depth)   out: (rows, depth), the same dtype (kind INT8, UINT8 or FLOAT32)
// 8-bit: d = q - zp, s = Σ d² (int32), 1/sqrt(s) as GetInvSqrtQuantizedMultiplierExp gives it
// (multiplier m, right shift r); int8: out = clamp(MultiplyByQuantizedMultiplier(d, m, 7 - r));
// uint8: out = 128 + clamp(RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(128·d, m), r))
// (stored as int8: the clamp to [-128, 127] without the 128). Output scale 1/128.
// float32: x / max(sqrt(Σ x² in float32, in order), 1e-6).
import { multiplyByQuantizedMultiplier, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from "../requant";

@unmanaged
export class L2NormalizationParams {
  input: i32; output: i32; rows: i32; depth: i32; kind: i32; zeroPoint: i32;
}

const INT8 = 0;
const FLOAT32 = 2;

/** gemmlowp SaturatingRoundingMultiplyByPOT<exponent> on int32, exponent > 0. */
// @ts-ignore: decorator
@inline
function saturatingShiftLeft(x: i32, exponent: i32): i32 {
  const threshold = (1 << (31 - exponent)) - 1;
  return x > threshold ? i32.MAX_VALUE : x < -threshold ? i32.MIN_VALUE : x << exponent;
}

/** The right shift of GetInvSqrtQuantizedMultiplierExp(input) (before the caller's reverse); its multiplier is in invSqrtMultiplier. */
let invSqrtMultiplier: i32 = 0;

/**
 * GetInvSqrtQuantizedMultiplierExp: 1 / sqrt(input) by five Newton–Raphson steps in Q3.28;
 * sets invSqrtMultiplier, returns the shift (right shift, as before reverse_shift = -1).
 */
function invSqrt(input: i32): i32 {
  if (input <= 1) {
    invSqrtMultiplier = i32.MAX_VALUE;
    return 0;
  }
  let shift = 11;
  while (input >= 1 << 29) {
    input /= 4;
    shift++;
  }
  const pairs = ((clz(input) - 1) >> 1) - 1;
  shift -= pairs;
  input <<= 2 * pairs;
  const halfInput = roundingDivideByPOT(input >> 1, 1);
  const halfThree = (1 << 28) + (1 << 27);
  let x = 1 << 28;
  for (let i = 0; i < 5; i++) {
    const x3 = saturatingShiftLeft(saturatingRoundingDoublingHighMul(saturatingRoundingDoublingHighMul(x, x), x), 6);
    x = saturatingShiftLeft(saturatingRoundingDoublingHighMul(halfThree, x) - saturatingRoundingDoublingHighMul(halfInput, x3), 3);
  }
  let multiplier = saturatingRoundingDoublingHighMul(x, 1518500250);
  if (shift < 0) {
    multiplier <<= -shift;
    shift = 0;
  }
  invSqrtMultiplier = multiplier;
  return shift;
}

export function l2_normalization(paramsPtr: usize): void {
  const p = changetype<L2NormalizationParams>(paramsPtr);
  const depth = p.depth;
  for (let r = 0; r < p.rows; r++) {
    if (p.kind == FLOAT32) {
      const row = <usize>p.input + (<usize>(r * depth) << 2);
      const outRow = <usize>p.output + (<usize>(r * depth) << 2);
      let squares: f32 = 0;
      for (let c = 0; c < depth; c++) {
        const v = load<f32>(row + (<usize>c << 2));
        squares += v * v;
      }
      const norm = max<f32>(sqrt<f32>(squares), 1e-6);
      for (let c = 0; c < depth; c++) store<f32>(outRow + (<usize>c << 2), load<f32>(row + (<usize>c << 2)) / norm);
      continue;
    }
    const row = <usize>p.input + <usize>(r * depth);
    const outRow = <usize>p.output + <usize>(r * depth);
    let squares = 0;
    for (let c = 0; c < depth; c++) {
      const d = <i32>load<i8>(row + <usize>c) - p.zeroPoint;
      squares += d * d;
    }
    const shift = invSqrt(squares);
    const multiplier = invSqrtMultiplier;
    for (let c = 0; c < depth; c++) {
      const d = <i32>load<i8>(row + <usize>c) - p.zeroPoint;
      const value = p.kind == INT8
        ? multiplyByQuantizedMultiplier(d, multiplier, 7 - shift)
        : roundingDivideByPOT(saturatingRoundingDoublingHighMul(128 * d, multiplier), shift);
      store<i8>(outRow + <usize>c, <i8>min(max(value, -128), 127));
    }
  }
}
