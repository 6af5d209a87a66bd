// ADD, float32: out = clamp(in1 + in2), in1 and in2 broadcast to out: (D0, D1, D2, D3) through
// per-input element strides (0 repeats the input along that dimension; the innermost strides
// are 0 or 1), as in assembly/kernels/add.ts.
import { clampF32, clampF32x4 } from "../f32";

@unmanaged
export class AddF32Params {
  input1: i32; input2: i32; output: i32;
  dim0: i32; dim1: i32; dim2: i32; dim3: i32;
  input1Stride0: i32; input1Stride1: i32; input1Stride2: i32; input1Stride3: i32;
  input2Stride0: i32; input2Stride1: i32; input2Stride2: i32; input2Stride3: i32;
  activationMin: f32; activationMax: f32;
}

/** Address of the first element of row (i0, i1, i2) of an input with strides s0…s2. */
// @ts-ignore: decorator
@inline
function rowStart(base: i32, s0: i32, s1: i32, s2: i32, i0: i32, i1: i32, i2: i32): usize {
  return <usize>base + (<usize>(i0 * s0 + i1 * s1 + i2 * s2) << 2);
}

export function add_f32_ref(paramsPtr: usize): void {
  const p = changetype<AddF32Params>(paramsPtr);
  const s1 = <usize>p.input1Stride3 << 2;
  const s2 = <usize>p.input2Stride3 << 2;
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = rowStart(p.input1, p.input1Stride0, p.input1Stride1, p.input1Stride2, i0, i1, i2);
        let b = rowStart(p.input2, p.input2Stride0, p.input2Stride1, p.input2Stride2, i0, i1, i2);
        for (let i3 = 0; i3 < p.dim3; i3++) {
          store<f32>(out, clampF32(load<f32>(a) + load<f32>(b), p.activationMin, p.activationMax));
          out += 4;
          a += s1;
          b += s2;
        }
      }
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// The innermost dimension 4 elements at a time (an input with stride 0 there is splatted); the
// last D3 % 4 elements run the scalar code.

export function add_f32(paramsPtr: usize): void {
  const p = changetype<AddF32Params>(paramsPtr);
  const n = p.dim3;
  const vectorN = n & ~3;
  const s1 = <usize>p.input1Stride3 << 2;
  const s2 = <usize>p.input2Stride3 << 2;
  const lo = f32x4.splat(p.activationMin);
  const hi = f32x4.splat(p.activationMax);
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = rowStart(p.input1, p.input1Stride0, p.input1Stride1, p.input1Stride2, i0, i1, i2);
        let b = rowStart(p.input2, p.input2Stride0, p.input2Stride1, p.input2Stride2, i0, i1, i2);
        const splatA = v128.load32_splat(a);
        const splatB = v128.load32_splat(b);
        for (let i = 0; i < vectorN; i += 4) {
          const va = s1 ? v128.load(a) : splatA;
          const vb = s2 ? v128.load(b) : splatB;
          v128.store(out, clampF32x4(f32x4.add(va, vb), lo, hi));
          out += 16;
          a += s1 << 2;
          b += s2 << 2;
        }
        for (let i = vectorN; i < n; i++) {
          store<f32>(out, clampF32(load<f32>(a) + load<f32>(b), p.activationMin, p.activationMax));
          out += 4;
          a += s1;
          b += s2;
        }
      }
    }
  }
}
