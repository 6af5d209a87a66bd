// MUL, int8 activations, TFLite's integer arithmetic: out = MBQM((x1 + o1)(x2 + o2), Mo, so) + zo,
// clamped to the activation range.
// in1, in2: int8, broadcast to out: (D0, D1, D2, D3) int8 through per-input element strides, the
// parameter block of binary_q8 (assembly/kernels/binary.ts) with op = MUL.
import { keepMaskOf, leftMulOf, multiplyByQuantizedMultiplierV, packInt8, rightMulOf } from "../requant";
import { BinaryQ8Params, OP_MUL, binaryQ8Rows, mulValue } from "./binary";

export function mul_ref(paramsPtr: usize): void {
  binaryQ8Rows(changetype<BinaryQ8Params>(paramsPtr), OP_MUL);
}

// ---- v128 ----------------------------------------------------------------------------------
// The innermost dimension 16 elements at a time (an input with stride 0 there is splatted): both
// inputs plus their offsets as int16 (|x + o| ≤ 255), their products as int32 (i32x4.extmul),
// each MultiplyByQuantizedMultiplier on i32x4 with the per-tensor multiplier; the last D3 % 16
// elements run the scalar code.

export function mul(paramsPtr: usize): void {
  const p = changetype<BinaryQ8Params>(paramsPtr);
  const n = p.dim3;
  const vectorN = n & ~15;
  const s1 = <usize>p.input1Stride3;
  const s2 = <usize>p.input2Stride3;
  const offset1 = i16x8.splat(<i16>p.input1Offset);
  const offset2 = i16x8.splat(<i16>p.input2Offset);
  const leftMul = leftMulOf(p.outputShift);
  const multiplier = i32x4.splat(p.outputMultiplier);
  const rightMul = rightMulOf(p.outputShift);
  const keepMask = keepMaskOf(p.outputShift);
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
            multiplyByQuantizedMultiplierV(i32x4.extmul_low_i16x8_s(aLow, bLow), leftMul, multiplier, rightMul, keepMask),
            multiplyByQuantizedMultiplierV(i32x4.extmul_high_i16x8_s(aLow, bLow), leftMul, multiplier, rightMul, keepMask),
            multiplyByQuantizedMultiplierV(i32x4.extmul_low_i16x8_s(aHigh, bHigh), leftMul, multiplier, rightMul, keepMask),
            multiplyByQuantizedMultiplierV(i32x4.extmul_high_i16x8_s(aHigh, bHigh), leftMul, multiplier, rightMul, keepMask),
            outputOffset, lo, hi));
          out += 16;
          a += s1 << 4;
          b += s2 << 4;
        }
        for (let i = vectorN; i < n; i++) {
          store<i8>(out, <i8>min(max(mulValue(p, <i32>load<i8>(a), <i32>load<i8>(b)), p.activationMin), p.activationMax));
          out++;
          a += s1;
          b += s2;
        }
      }
    }
  }
}
