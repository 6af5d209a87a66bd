// Binary elementwise ops on int32, float32 and 8-bit tensors, TFLite's reference arithmetic, one
// kernel per element type with the operation as a parameter (js/ops/elementwise.ts BinaryOp):
// in1, in2 broadcast to out: (D0, D1, D2, D3) through per-input element strides, as ADD's
// (assembly/kernels/add.ts; the innermost strides are 0 or 1).
import { multiplyByQuantizedMultiplier } from "../requant";

export const OP_ADD = 0;
export const OP_SUB = 1;
export const OP_MUL = 2;
export const OP_DIV = 3;
export const OP_SQUARED_DIFFERENCE = 4;
export const OP_MAXIMUM = 5;
export const OP_MINIMUM = 6;
export const OP_FLOOR_DIV = 7;
export const OP_FLOOR_MOD = 8;
export const OP_PRELU = 9;

@unmanaged
export class BinaryI32Params {
  input1: i32; input2: i32; output: i32;
  dim0: i32; dim1: i32; dim2: i32; dim3: i32;
  input1Stride0: i32; input1Stride1: i32; input1Stride2: i32; input1Stride3: i32;
  input2Stride0: i32; input2Stride1: i32; input2Stride2: i32; input2Stride3: i32;
  op: i32; activationMin: i32; activationMax: i32;
}

@unmanaged
export class BinaryF32Params {
  input1: i32; input2: i32; output: i32;
  dim0: i32; dim1: i32; dim2: i32; dim3: i32;
  input1Stride0: i32; input1Stride1: i32; input1Stride2: i32; input1Stride3: i32;
  input2Stride0: i32; input2Stride1: i32; input2Stride2: i32; input2Stride3: i32;
  op: i32; activationMin: f32; activationMax: f32;
}

/** Offset in elements of row (i0, i1, i2) of an input with strides s0…s2. */
// @ts-ignore: decorator
@inline
function rowOffset(s0: i32, s1: i32, s2: i32, i0: i32, i1: i32, i2: i32): usize {
  return <usize>(i0 * s0 + i1 * s1 + i2 * s2);
}

/** int32 division truncating toward zero; 0 for a zero divisor and wrapping -2^31 / -1 (wasm would trap on both; TFLite refuses zero divisors). */
// @ts-ignore: decorator
@inline
function divideI32(x: i32, y: i32): i32 {
  if (y == 0) return 0;
  return y == -1 ? -x : x / y;
}

// @ts-ignore: decorator
@inline
function binaryI32(op: i32, x: i32, y: i32): i32 {
  switch (op) {
    case OP_ADD: return x + y;
    case OP_SUB: return x - y;
    case OP_MUL: return x * y;
    case OP_DIV: return divideI32(x, y);
    case OP_SQUARED_DIFFERENCE: return (x - y) * (x - y);
    case OP_MAXIMUM: return max(x, y);
    case OP_MINIMUM: return min(x, y);
    case OP_FLOOR_DIV: {
      const q = divideI32(x, y);
      return q * y != x && (x < 0) != (y < 0) ? q - 1 : q;
    }
    case OP_FLOOR_MOD: {
      if (y == 0) return 0;
      const r = x % y;
      return r != 0 && (y < 0) != (r < 0) ? r + y : r;
    }
    default: return 0;
  }
}

export function binary_i32(paramsPtr: usize): void {
  const p = changetype<BinaryI32Params>(paramsPtr);
  const op = p.op;
  const s1 = <usize>p.input1Stride3 << 2;
  const s2 = <usize>p.input2Stride3 << 2;
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = <usize>p.input1 + (rowOffset(p.input1Stride0, p.input1Stride1, p.input1Stride2, i0, i1, i2) << 2);
        let b = <usize>p.input2 + (rowOffset(p.input2Stride0, p.input2Stride1, p.input2Stride2, i0, i1, i2) << 2);
        for (let i3 = 0; i3 < p.dim3; i3++) {
          store<i32>(out, min(max(binaryI32(op, load<i32>(a), load<i32>(b)), p.activationMin), p.activationMax));
          out += 4;
          a += s1;
          b += s2;
        }
      }
    }
  }
}

/** TFLite's std::fmod-based floor modulo. */
// @ts-ignore: decorator
@inline
function floorModF32(x: f32, y: f32): f32 {
  const r = x % y;
  return r != 0 && (y < 0) != (r < 0) ? r + y : r;
}

// @ts-ignore: decorator
@inline
function binaryF32(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case OP_SUB: return x - y;
    case OP_MUL: return x * y;
    case OP_DIV: return x / y;
    case OP_SQUARED_DIFFERENCE: return (x - y) * (x - y);
    case OP_MAXIMUM: return x > y ? x : y;
    case OP_MINIMUM: return x < y ? x : y;
    case OP_FLOOR_DIV: return <f32>Math.floor(<f64>x / <f64>y);
    case OP_FLOOR_MOD: return floorModF32(x, y);
    case OP_PRELU: return x >= 0 ? x : x * y;
    default: return x + y;
  }
}

/** Clamp as TFLite's ActivationFunctionWithMinMax: min(max(x, lo), hi) with std::min/max (a NaN stays). */
// @ts-ignore: decorator
@inline
function clampStd(x: f32, lo: f32, hi: f32): f32 {
  const low = x < lo ? lo : x;
  return hi < low ? hi : low;
}

export function binary_f32_ref(paramsPtr: usize): void {
  const p = changetype<BinaryF32Params>(paramsPtr);
  const op = p.op;
  const s1 = <usize>p.input1Stride3 << 2;
  const s2 = <usize>p.input2Stride3 << 2;
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = <usize>p.input1 + (rowOffset(p.input1Stride0, p.input1Stride1, p.input1Stride2, i0, i1, i2) << 2);
        let b = <usize>p.input2 + (rowOffset(p.input2Stride0, p.input2Stride1, p.input2Stride2, i0, i1, i2) << 2);
        for (let i3 = 0; i3 < p.dim3; i3++) {
          store<f32>(out, clampStd(binaryF32(op, load<f32>(a), load<f32>(b)), p.activationMin, p.activationMax));
          out += 4;
          a += s1;
          b += s2;
        }
      }
    }
  }
}

// ---- float32, v128 ---------------------------------------------------------------------------
// The innermost dimension 4 elements at a time (an input with stride 0 there is splatted) with the
// same IEEE operations lane by lane, so the bits equal binary_f32_ref's; FLOOR_DIV and FLOOR_MOD
// (f64 division, fmod) stay scalar.

// @ts-ignore: decorator
@inline
function binaryF32x4(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case OP_SUB: return f32x4.sub(x, y);
    case OP_MUL: return f32x4.mul(x, y);
    case OP_DIV: return f32x4.div(x, y);
    case OP_SQUARED_DIFFERENCE: { const d = f32x4.sub(x, y); return f32x4.mul(d, d); }
    case OP_MAXIMUM: return v128.bitselect(x, y, f32x4.gt(x, y));
    case OP_MINIMUM: return v128.bitselect(x, y, f32x4.lt(x, y));
    case OP_PRELU: return v128.bitselect(x, f32x4.mul(x, y), f32x4.ge(x, f32x4.splat(0)));
    default: return f32x4.add(x, y);
  }
}

export function binary_f32(paramsPtr: usize): void {
  const p = changetype<BinaryF32Params>(paramsPtr);
  const op = p.op;
  const n = p.dim3;
  const vectorN = op == OP_FLOOR_DIV || op == OP_FLOOR_MOD ? 0 : n & ~3;
  const s1 = <usize>p.input1Stride3 << 2;
  const s2 = <usize>p.input2Stride3 << 2;
  const lo = f32x4.splat(p.activationMin);
  const hi = f32x4.splat(p.activationMax);
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = <usize>p.input1 + (rowOffset(p.input1Stride0, p.input1Stride1, p.input1Stride2, i0, i1, i2) << 2);
        let b = <usize>p.input2 + (rowOffset(p.input2Stride0, p.input2Stride1, p.input2Stride2, i0, i1, i2) << 2);
        const splatA = v128.load32_splat(a);
        const splatB = v128.load32_splat(b);
        for (let i = 0; i < vectorN; i += 4) {
          const value = binaryF32x4(op, s1 ? v128.load(a) : splatA, s2 ? v128.load(b) : splatB);
          // clampStd on four lanes: a NaN stays.
          const low = v128.bitselect(lo, value, f32x4.lt(value, lo));
          v128.store(out, v128.bitselect(hi, low, f32x4.lt(hi, low)));
          out += 16;
          a += s1 << 2;
          b += s2 << 2;
        }
        for (let i = vectorN; i < n; i++) {
          store<f32>(out, clampStd(binaryF32(op, load<f32>(a), load<f32>(b)), p.activationMin, p.activationMax));
          out += 4;
          a += s1;
          b += s2;
        }
      }
    }
  }
}

// ---- 8-bit ------------------------------------------------------------------------------------
// int8 storage (uint8 tensors shifted by -128 with every offset shifted alike). MUL:
// MBQM((x1 + o1)(x2 + o2), Mo, so) + zo; SQUARED_DIFFERENCE: both inputs (x + o)·2^leftShift
// scaled by their multipliers, the difference squared and scaled to the output; PRELU: x + o ≥ 0
// gives MBQM(x + o, M1, s1), else MBQM((x + o)(alpha + o2), Mo, so), plus zo; MAXIMUM / MINIMUM
// compare the stored bytes (TFLite compares raw values whatever the quantization); DIV looks the
// output up in a table of every pair of inputs, which the host computes (js/ops/div.ts).

@unmanaged
export class BinaryQ8Params {
  input1: i32; input2: i32; output: i32;
  dim0: i32; dim1: i32; dim2: i32; dim3: i32;
  input1Stride0: i32; input1Stride1: i32; input1Stride2: i32; input1Stride3: i32;
  input2Stride0: i32; input2Stride1: i32; input2Stride2: i32; input2Stride3: i32;
  op: i32;
  input1Offset: i32; input1Multiplier: i32; input1Shift: i32;
  input2Offset: i32; input2Multiplier: i32; input2Shift: i32;
  leftShift: i32; outputMultiplier: i32; outputShift: i32; outputOffset: i32;
  activationMin: i32; activationMax: i32;
  /** DIV: the 256×256 table of outputs by (x1 & 255, x2 & 255). */
  table: i32;
}

/** One MUL output before clamping. */
// @ts-ignore: decorator
@inline
export function mulValue(p: BinaryQ8Params, x: i32, y: i32): i32 {
  return multiplyByQuantizedMultiplier((x + p.input1Offset) * (y + p.input2Offset), p.outputMultiplier, p.outputShift) + p.outputOffset;
}

// @ts-ignore: decorator
@inline
function binaryQ8(p: BinaryQ8Params, op: i32, x: i32, y: i32): i32 {
  switch (op) {
    case OP_MUL: return mulValue(p, x, y);
    case OP_SQUARED_DIFFERENCE: {
      const scaled1 = multiplyByQuantizedMultiplier((x + p.input1Offset) << p.leftShift, p.input1Multiplier, p.input1Shift);
      const scaled2 = multiplyByQuantizedMultiplier((y + p.input2Offset) << p.leftShift, p.input2Multiplier, p.input2Shift);
      const difference = scaled1 - scaled2;
      return multiplyByQuantizedMultiplier(difference * difference, p.outputMultiplier, p.outputShift) + p.outputOffset;
    }
    case OP_PRELU: {
      const value = x + p.input1Offset;
      return (value >= 0
        ? multiplyByQuantizedMultiplier(value, p.input1Multiplier, p.input1Shift)
        : multiplyByQuantizedMultiplier(value * (y + p.input2Offset), p.outputMultiplier, p.outputShift)) + p.outputOffset;
    }
    case OP_DIV: return <i32>load<i8>(<usize>p.table + <usize>(((x & 255) << 8) | (y & 255)));
    case OP_MAXIMUM: return max(x, y);
    default: return min(x, y);
  }
}

/** The rows of an 8-bit op, one element at a time (MUL's scalar reference is this with op = MUL). */
// @ts-ignore: decorator
@inline
export function binaryQ8Rows(p: BinaryQ8Params, op: i32): void {
  const s1 = <usize>p.input1Stride3;
  const s2 = <usize>p.input2Stride3;
  let out = <usize>p.output;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        let a = <usize>p.input1 + rowOffset(p.input1Stride0, p.input1Stride1, p.input1Stride2, i0, i1, i2);
        let b = <usize>p.input2 + rowOffset(p.input2Stride0, p.input2Stride1, p.input2Stride2, i0, i1, i2);
        for (let i3 = 0; i3 < p.dim3; i3++) {
          store<i8>(out, <i8>min(max(binaryQ8(p, op, <i32>load<i8>(a), <i32>load<i8>(b)), p.activationMin), p.activationMax));
          out++;
          a += s1;
          b += s2;
        }
      }
    }
  }
}

export function binary_q8(paramsPtr: usize): void {
  const p = changetype<BinaryQ8Params>(paramsPtr);
  binaryQ8Rows(p, p.op);
}
