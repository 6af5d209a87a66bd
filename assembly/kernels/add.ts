// ADD, int8 activations, TFLite's integer arithmetic: both inputs shifted left by leftShift (20),
// each scaled to a common scale, summed, then scaled to the output.
// in1, in2: int8, broadcast to out: (D0, D1, D2, D3) int8 through per-input element strides
// (a stride of 0 repeats the input along that dimension).
import { multiplyByQuantizedMultiplier } from "../requant";

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
