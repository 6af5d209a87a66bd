// ADD, int8 activations, TFLite's integer arithmetic: both inputs shifted left by leftShift (20),
// each scaled to a common scale, summed, then scaled to the output.
// in1, in2: int8, broadcast to out: (D0, D1, D2, D3) int8 through per-input element strides
// (a stride of 0 repeats the input along that dimension; the innermost strides are 0 or 1).
import {
  keepMaskOf, leftMulOf, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierV, packInt8, rightMulOf,
} from "../requant";

@unmanaged
export class AddParams {
  input1: i32; input2: i32; output: i32;
  dim0: i32; dim1: i32; dim2: i32; dim3: i32;
  input1Stride0: i32; input1Stride1: i32; input1Stride2: i32; input1Stride3: i32;
  input2Stride0: i32; input2Stride1: i32; input2Stride2: i32; input2Stride3: i32;
  input1Offset: i32; input1Multiplier: i32; input1Shift: i32;
  input2Offset: i32; input2Multiplier: i32; input2Shift: i32;
  leftShift: i32; outputMultiplier: i32; outputShift: i32; outputOffset: i32;
  activationMin: i32; activationMax: i32;
}

// @ts-ignore: decorator
@inline
function addOne(p: AddParams, a: i32, b: i32): i8 {
  const scaled1 = multiplyByQuantizedMultiplier((a + p.input1Offset) << p.leftShift, p.input1Multiplier, p.input1Shift);
  const scaled2 = multiplyByQuantizedMultiplier((b + p.input2Offset) << p.leftShift, p.input2Multiplier, p.input2Shift);
  const sum = multiplyByQuantizedMultiplier(scaled1 + scaled2, p.outputMultiplier, p.outputShift) + p.outputOffset;
  return <i8>min(max(sum, p.activationMin), p.activationMax);
}

export function add_ref(paramsPtr: usize): void {
  const p = changetype<AddParams>(paramsPtr);
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = <usize>p.input1 + <usize>(i0 * p.input1Stride0 + i1 * p.input1Stride1 + i2 * p.input1Stride2);
        let b = <usize>p.input2 + <usize>(i0 * p.input2Stride0 + i1 * p.input2Stride1 + i2 * p.input2Stride2);
        for (let i3 = 0; i3 < p.dim3; i3++) {
          store<i8>(out, addOne(p, <i32>load<i8>(a), <i32>load<i8>(b)));
          out++;
          a += <usize>p.input1Stride3;
          b += <usize>p.input2Stride3;
        }
      }
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// The innermost dimension 16 elements at a time (an input with stride 0 there is splatted),
// every MultiplyByQuantizedMultiplier on i32x4 with per-tensor constants; the last D3 % 16
// elements run the scalar code. An input's shift left by leftShift and then by its multiplier's
// left shift is one multiplication by 2^(sum) (mod 2^32, as the two int32 shifts).

/** 2^(leftShift + max(shift, 0)) mod 2^32, splatted. */
// @ts-ignore: decorator
@inline
function inputLeftMul(leftShift: i32, shift: i32): v128 {
  const total = leftShift + (shift > 0 ? shift : 0);
  return i32x4.splat(total < 32 ? 1 << total : 0);
}

/** MultiplyByQuantizedMultiplier on four lanes with one multiplier and shift (leftMul given). */
// @ts-ignore: decorator
@inline
function scale(x: v128, leftMul: v128, multiplier: i32, shift: i32): v128 {
  return multiplyByQuantizedMultiplierV(x, leftMul, i32x4.splat(multiplier), rightMulOf(shift), keepMaskOf(shift));
}

/** Four sums from four lanes of each input, given as int16 (x + offset): before the output offset. */
// @ts-ignore: decorator
@inline
function sumQuarter(p: AddParams, a: v128, b: v128, left1: v128, left2: v128, leftOut: v128): v128 {
  const scaled1 = scale(a, left1, p.input1Multiplier, p.input1Shift);
  const scaled2 = scale(b, left2, p.input2Multiplier, p.input2Shift);
  return scale(i32x4.add(scaled1, scaled2), leftOut, p.outputMultiplier, p.outputShift);
}

// ---- v128, split multipliers -----------------------------------------------------------------
// The common case takes a cheaper exact path: leftShift 20, each input's e = -shift in [0, 10],
// the output's eo = -outputShift in [1, 22], multipliers ≥ 0 and |offset| ≤ 255 (TFLite's ADD
// always has the first; MobileNetV2's have one input with M = 2^30, e = 0, the other e = 1, and
// eo = 18 or 19), and one input's L below = 0 (TFLite's always has one: the input of the larger
// scale gets 1/2, M = 2^30 and e = 0). The kernel checks these and takes the general path above
// otherwise.
// An input: with b = x + offset (|b| ≤ 383 < 2^9, so b·2^20 is the reference's int32), n = 11 + e,
//   s = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(b·2^20, M), e)
//     = floor((b·M + c(b)) / 2^n),   c(b) = 2^10 + [e ≥ 1]·(2^(10+e) - 2^11·[b < 0]):
// the high-mul is q = floor((b·2^20·M + 2^30) / 2^31) = floor((b·M + 2^10) / 2^11) (the floor form
// of assembly/requant.ts); RoundingDivideByPOT(q, e ≥ 1) = floor((q - [q < 0] + 2^(e-1)) / 2^e),
// where [b < 0] may stand for [q < 0]: they differ only where b < 0 and q = 0, and there
// floor((2^(e-1) - 1) / 2^e) = floor(2^(e-1) / 2^e) = 0. Nested floors of quotients by powers of
// two join into one. Split M = H·2^n + L with 0 ≤ L < 2^n:
//   s = b·H + floor((b·L + c(b)) / 2^n),
// where |b·H| < 2^9·2^20 and |b·L + c(b)| ≤ 384·2^n: int32 products. Where L = 0 the
// second term is 0 for every b (0 ≤ c(b) < 2^n) and the input costs one multiplication. The
// kernel divides by the constant 2^21 (LOW_SHIFT) instead, with the low term's constants scaled by
// 2^(21-n) (every partial sum stays within 384·2^21 < 2^31), and folds the offset into constants:
// b·H = x·H + offset·H, and b·L + c(b) = x·L + (offset·L + c(0)) - [e ≥ 1]·2^11·[x < -offset].
// The output: with S = s1 + s2 = S' + D (D = offset1·H1 + offset2·H2; S' is what the kernel sums
// from x1 and x2, |S'| < 2·2^7·2^20 + 2^10 so that 2S' is an int32), |S| ≤ 2·383·2^20 < 2^30,
// qo = SaturatingRoundingDoublingHighMul(S, Mo) = floor((2S·Mo + 2^31) / 2^32), |qo| < 2^30:
//   r + zo = RoundingDivideByPOT(qo, eo) + zo = (hi(2S'·Mo + K) - [S < 0]) >> eo,
//   K = 2^31 + 2^(31+eo) + zo·2^(32+eo) + 2D·Mo,
// hi the high word of the 64-bit lane (i64x2.extmul of 2S' and Mo, plus K): the value is
// 2S·Mo + 2^31 + 2^(31+eo) + zo·2^(32+eo), below 2^62 + 2^53 + 2^31 + 2^61 < 2^63 in magnitude for
// eo ≤ 22, so the wrapping i64 sum is exact; its high word is qo + 2^(eo-1) + zo·2^eo, below
// 2^30 + 2^21 + 2^29 in magnitude. [S < 0] = [S' < -D] stands for [qo < 0] as [b < 0] for [q < 0]
// above (S < 0 gives qo ≤ 0). The int32 results narrow with saturation and clamp as in packInt8.

/**
 * One input's part of S' on four lanes of x: x·H + floor((x·L' + lowBias + [x < negativeBelow]·negativeStep) / 2^21),
 * the second term only with hasLow (L', lowBias and negativeStep: L, offset·L + c(0) and -2^11, times 2^(21-n)).
 */
// @ts-ignore: decorator
@inline
function scaledPart(x: v128, high: v128, low: v128, lowBias: v128, negativeBelow: v128, negativeStep: v128, hasLow: bool): v128 {
  const product = i32x4.mul(x, high);
  if (!hasLow) return product;
  const negative = v128.and(i32x4.lt_s(x, negativeBelow), negativeStep);
  return i32x4.add(product, i32x4.shr_s(i32x4.add(i32x4.add(i32x4.mul(x, low), lowBias), negative), LOW_SHIFT));
}

/** r + zo on four lanes from S' (the sum of both inputs' scaledPart), given Mo, K as i64x2 and -D. */
// @ts-ignore: decorator
@inline
function outputQuarter(sum: v128, multiplier: v128, constant: v128, minusD: v128, eo: i32): v128 {
  const doubled = i32x4.add(sum, sum);
  const lo = i64x2.add(i64x2.extmul_low_i32x4_s(doubled, multiplier), constant);
  const hi = i64x2.add(i64x2.extmul_high_i32x4_s(doubled, multiplier), constant);
  return i32x4.shr_s(i32x4.add(i32x4.shuffle(lo, hi, 1, 3, 5, 7), i32x4.lt_s(sum, minusD)), eo);
}

/** The low terms' common denominator 2^21 for every n ≤ 21 (a shift by a constant is cheaper than by n). */
const LOW_SHIFT = 21;

/** The split path; lowIn1 / lowIn2 (constants, one of them false): whether that input's L is used (false only where it is 0). */
// @ts-ignore: decorator
@inline
function addSplit(p: AddParams, lowIn1: bool, lowIn2: bool): void {
  const n = p.dim3;
  const vectorN = n & ~15;
  const s1 = <usize>p.input1Stride3;
  const s2 = <usize>p.input2Stride3;
  const e1 = -p.input1Shift, e2 = -p.input2Shift, eo = -p.outputShift;
  const n1 = 11 + e1, n2 = 11 + e2;
  const h1 = p.input1Multiplier >> n1, l1 = p.input1Multiplier & ((1 << n1) - 1);
  const h2 = p.input2Multiplier >> n2, l2 = p.input2Multiplier & ((1 << n2) - 1);
  const high1 = i32x4.splat(h1), low1 = i32x4.splat(l1 << (LOW_SHIFT - n1));
  const high2 = i32x4.splat(h2), low2 = i32x4.splat(l2 << (LOW_SHIFT - n2));
  const lowBias1 = i32x4.splat((p.input1Offset * l1 + (1 << 10) + (e1 > 0 ? 1 << (10 + e1) : 0)) << (LOW_SHIFT - n1));
  const lowBias2 = i32x4.splat((p.input2Offset * l2 + (1 << 10) + (e2 > 0 ? 1 << (10 + e2) : 0)) << (LOW_SHIFT - n2));
  const negativeBelow1 = i32x4.splat(-p.input1Offset), negativeStep1 = i32x4.splat(e1 > 0 ? -1 << (11 + LOW_SHIFT - n1) : 0);
  const negativeBelow2 = i32x4.splat(-p.input2Offset), negativeStep2 = i32x4.splat(e2 > 0 ? -1 << (11 + LOW_SHIFT - n2) : 0);
  const d = p.input1Offset * h1 + p.input2Offset * h2;
  const constant = i64x2.splat((<i64>1 << 31) + (<i64>1 << (31 + eo)) + (<i64>p.outputOffset << (32 + eo)) + <i64>(2 * d) * <i64>p.outputMultiplier);
  const multiplier = i32x4.splat(p.outputMultiplier);
  const minusD = i32x4.splat(-d);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = <usize>p.input1 + <usize>(i0 * p.input1Stride0 + i1 * p.input1Stride1 + i2 * p.input1Stride2);
        let b = <usize>p.input2 + <usize>(i0 * p.input2Stride0 + i1 * p.input2Stride1 + i2 * p.input2Stride2);
        const splatA = i8x16.splat(load<i8>(a));
        const splatB = i8x16.splat(load<i8>(b));
        for (let i = 0; i < vectorN; i += 16) {
          const va = s1 ? v128.load(a) : splatA;
          const vb = s2 ? v128.load(b) : splatB;
          const aLow = i16x8.extend_low_i8x16_s(va), aHigh = i16x8.extend_high_i8x16_s(va);
          const bLow = i16x8.extend_low_i8x16_s(vb), bHigh = i16x8.extend_high_i8x16_s(vb);
          const r0 = outputQuarter(i32x4.add(
            scaledPart(i32x4.extend_low_i16x8_s(aLow), high1, low1, lowBias1, negativeBelow1, negativeStep1, lowIn1),
            scaledPart(i32x4.extend_low_i16x8_s(bLow), high2, low2, lowBias2, negativeBelow2, negativeStep2, lowIn2)), multiplier, constant, minusD, eo);
          const r1 = outputQuarter(i32x4.add(
            scaledPart(i32x4.extend_high_i16x8_s(aLow), high1, low1, lowBias1, negativeBelow1, negativeStep1, lowIn1),
            scaledPart(i32x4.extend_high_i16x8_s(bLow), high2, low2, lowBias2, negativeBelow2, negativeStep2, lowIn2)), multiplier, constant, minusD, eo);
          const r2 = outputQuarter(i32x4.add(
            scaledPart(i32x4.extend_low_i16x8_s(aHigh), high1, low1, lowBias1, negativeBelow1, negativeStep1, lowIn1),
            scaledPart(i32x4.extend_low_i16x8_s(bHigh), high2, low2, lowBias2, negativeBelow2, negativeStep2, lowIn2)), multiplier, constant, minusD, eo);
          const r3 = outputQuarter(i32x4.add(
            scaledPart(i32x4.extend_high_i16x8_s(aHigh), high1, low1, lowBias1, negativeBelow1, negativeStep1, lowIn1),
            scaledPart(i32x4.extend_high_i16x8_s(bHigh), high2, low2, lowBias2, negativeBelow2, negativeStep2, lowIn2)), multiplier, constant, minusD, eo);
          v128.store(out, i8x16.min_s(i8x16.max_s(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(r0, r1), i16x8.narrow_i32x4_s(r2, r3)), lo), hi));
          out += 16;
          a += s1 << 4;
          b += s2 << 4;
        }
        for (let i = vectorN; i < n; i++) {
          store<i8>(out, addOne(p, <i32>load<i8>(a), <i32>load<i8>(b)));
          out++;
          a += s1;
          b += s2;
        }
      }
    }
  }
}

function addSplitLowIn2(p: AddParams): void { addSplit(p, false, true); }
function addSplitLowIn1(p: AddParams): void { addSplit(p, true, false); }

export function add(paramsPtr: usize): void {
  const p = changetype<AddParams>(paramsPtr);
  if (p.leftShift == 20 && p.input1Shift <= 0 && p.input1Shift >= -10 && p.input2Shift <= 0 && p.input2Shift >= -10
    && p.outputShift <= -1 && p.outputShift >= -22
    && p.input1Multiplier >= 0 && p.input2Multiplier >= 0 && p.outputMultiplier >= 0
    && abs(p.input1Offset) <= 255 && abs(p.input2Offset) <= 255) {
    const lowIn1 = (p.input1Multiplier & ((1 << (11 - p.input1Shift)) - 1)) != 0;
    const lowIn2 = (p.input2Multiplier & ((1 << (11 - p.input2Shift)) - 1)) != 0;
    if (!lowIn1) { addSplitLowIn2(p); return; }
    if (!lowIn2) { addSplitLowIn1(p); return; }
  }
  const n = p.dim3;
  const vectorN = n & ~15;
  const s1 = <usize>p.input1Stride3;
  const s2 = <usize>p.input2Stride3;
  const offset1 = i16x8.splat(<i16>p.input1Offset);
  const offset2 = i16x8.splat(<i16>p.input2Offset);
  const left1 = inputLeftMul(p.leftShift, p.input1Shift);
  const left2 = inputLeftMul(p.leftShift, p.input2Shift);
  const leftOut = leftMulOf(p.outputShift);
  const outputOffset = i32x4.splat(p.outputOffset);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = <usize>p.input1 + <usize>(i0 * p.input1Stride0 + i1 * p.input1Stride1 + i2 * p.input1Stride2);
        let b = <usize>p.input2 + <usize>(i0 * p.input2Stride0 + i1 * p.input2Stride1 + i2 * p.input2Stride2);
        const splatA = i8x16.splat(load<i8>(a));
        const splatB = i8x16.splat(load<i8>(b));
        for (let i = 0; i < vectorN; i += 16) {
          const va = s1 ? v128.load(a) : splatA;
          const vb = s2 ? v128.load(b) : splatB;
          const aLow = i16x8.add(i16x8.extend_low_i8x16_s(va), offset1), aHigh = i16x8.add(i16x8.extend_high_i8x16_s(va), offset1);
          const bLow = i16x8.add(i16x8.extend_low_i8x16_s(vb), offset2), bHigh = i16x8.add(i16x8.extend_high_i8x16_s(vb), offset2);
          v128.store(out, packInt8(
            sumQuarter(p, i32x4.extend_low_i16x8_s(aLow), i32x4.extend_low_i16x8_s(bLow), left1, left2, leftOut),
            sumQuarter(p, i32x4.extend_high_i16x8_s(aLow), i32x4.extend_high_i16x8_s(bLow), left1, left2, leftOut),
            sumQuarter(p, i32x4.extend_low_i16x8_s(aHigh), i32x4.extend_low_i16x8_s(bHigh), left1, left2, leftOut),
            sumQuarter(p, i32x4.extend_high_i16x8_s(aHigh), i32x4.extend_high_i16x8_s(bHigh), left1, left2, leftOut),
            outputOffset, lo, hi));
          out += 16;
          a += s1 << 4;
          b += s2 << 4;
        }
        for (let i = vectorN; i < n; i++) {
          store<i8>(out, addOne(p, <i32>load<i8>(a), <i32>load<i8>(b)));
          out++;
          a += s1;
          b += s2;
        }
      }
    }
  }
}
