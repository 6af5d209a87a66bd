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

// The common case takes a cheaper exact path: leftShift 20, input shifts ≤ 0 and output shift
// ≤ -1 (TFLite's ADD always has the first, and its input multipliers are below one), so that
// with a = x + offset (|a| < 2^9) and M = Mh·2^11 + Ml (Ml < 2^11):
//   SaturatingRoundingDoublingHighMul(a·2^20, M) = floor((a·M + 2^10) / 2^11)
//     = a·Mh + ((a·Ml + 2^10) >> 11),
// two 32-bit products; RoundingDivideByPOT by the tensor's one exponent e is then
// (q - [q < 0, e > 0] + 2^(e-1)) >> e. The sum (|sum| < 2^29) goes through the doubled high-word
// step of assembly/requant.ts.

/** RoundingDivideByPOT(q, e) on four lanes with one exponent: towardZero = -1 splat where e > 0, half = 2^(e-1) or 0. */
// @ts-ignore: decorator
@inline
function divideByPOT(q: v128, e: i32, towardZero: v128, half: v128): v128 {
  return i32x4.shr_s(i32x4.add(i32x4.add(q, v128.and(i32x4.shr_s(q, 31), towardZero)), half), e);
}

/** One input's scaled values (before the output multiplier), four lanes of a = x + offset. */
// @ts-ignore: decorator
@inline
function scaleInput(a: v128, high: v128, low: v128, e: i32, towardZero: v128, half: v128): v128 {
  const q = i32x4.add(i32x4.mul(a, high), i32x4.shr_s(i32x4.add(i32x4.mul(a, low), i32x4.splat(1 << 10)), 11));
  return divideByPOT(q, e, towardZero, half);
}

// @ts-ignore: decorator
@inline
function fastQuarter(a1: v128, a2: v128, h1: v128, l1: v128, e1: i32, z1: v128, r1: v128,
  h2: v128, l2: v128, e2: i32, z2: v128, r2: v128, mo: v128, eo: i32, ro: v128, offset: v128): v128 {
  const sum = i32x4.add(scaleInput(a1, h1, l1, e1, z1, r1), scaleInput(a2, h2, l2, e2, z2, r2));
  const doubled = i32x4.add(sum, sum);
  const nudge = i64x2.splat(<i64>0x80000000);
  const lo = i64x2.add(i64x2.extmul_low_i32x4_s(doubled, mo), nudge);
  const hi = i64x2.add(i64x2.extmul_high_i32x4_s(doubled, mo), nudge);
  const q = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
  return i32x4.add(divideByPOT(q, eo, i32x4.splat(-1), ro), offset);
}

function addFast(p: AddParams): void {
  const n = p.dim3;
  const vectorN = n & ~15;
  const s1 = <usize>p.input1Stride3;
  const s2 = <usize>p.input2Stride3;
  const offset1 = i16x8.splat(<i16>p.input1Offset);
  const offset2 = i16x8.splat(<i16>p.input2Offset);
  const e1 = -p.input1Shift, e2 = -p.input2Shift, eo = -p.outputShift;
  const h1 = i32x4.splat(p.input1Multiplier >> 11), l1 = i32x4.splat(p.input1Multiplier & 2047);
  const h2 = i32x4.splat(p.input2Multiplier >> 11), l2 = i32x4.splat(p.input2Multiplier & 2047);
  const z1 = i32x4.splat(e1 > 0 ? -1 : 0), r1 = i32x4.splat(e1 > 0 ? 1 << (e1 - 1) : 0);
  const z2 = i32x4.splat(e2 > 0 ? -1 : 0), r2 = i32x4.splat(e2 > 0 ? 1 << (e2 - 1) : 0);
  const mo = i32x4.splat(p.outputMultiplier), ro = i32x4.splat(1 << (eo - 1));
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
          const q0 = fastQuarter(i32x4.extend_low_i16x8_s(aLow), i32x4.extend_low_i16x8_s(bLow), h1, l1, e1, z1, r1, h2, l2, e2, z2, r2, mo, eo, ro, outputOffset);
          const q1 = fastQuarter(i32x4.extend_high_i16x8_s(aLow), i32x4.extend_high_i16x8_s(bLow), h1, l1, e1, z1, r1, h2, l2, e2, z2, r2, mo, eo, ro, outputOffset);
          const q2 = fastQuarter(i32x4.extend_low_i16x8_s(aHigh), i32x4.extend_low_i16x8_s(bHigh), h1, l1, e1, z1, r1, h2, l2, e2, z2, r2, mo, eo, ro, outputOffset);
          const q3 = fastQuarter(i32x4.extend_high_i16x8_s(aHigh), i32x4.extend_high_i16x8_s(bHigh), h1, l1, e1, z1, r1, h2, l2, e2, z2, r2, mo, eo, ro, outputOffset);
          v128.store(out, i8x16.min_s(i8x16.max_s(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)), lo), hi));
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

export function add(paramsPtr: usize): void {
  const p = changetype<AddParams>(paramsPtr);
  if (p.leftShift == 20 && p.input1Shift <= 0 && p.input2Shift <= 0 && p.outputShift <= -1
    && p.input1Multiplier >= 0 && p.input2Multiplier >= 0 && p.outputMultiplier >= 0
    && abs(p.input1Offset) <= 255 && abs(p.input2Offset) <= 255) {
    addFast(p);
    return;
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
