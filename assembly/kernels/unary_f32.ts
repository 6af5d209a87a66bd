// The float32 one-input activations, element by element (TFLite's float kernels):
// in: (count) f32   out: (count) f32
// kind CLAMP: min(max(x, a), b) (RELU, RELU6, RELU_N1_TO_1); LEAKY_RELU: x > 0 ? x : x·a;
// HARD_SWISH: x·min(6, max(0, x + 3)) / 6; LOGISTIC: 1 / (1 + exp(-x)); TANH: sign(x)·(1 - e) / (1 + e)
// with e = exp(-2|x|); SQRT: sqrt(x); RSQRT: 1 / sqrt(x). exp is assembly/f32.ts expf (relative
// error ≈ 1e-7); the v128 kernel does the same operations lane for lane, so both give the same bits.
import { expf, expf4 } from "../f32";

@unmanaged
export class UnaryF32Params {
  input: i32; output: i32; count: i32; kind: i32; a: f32; b: f32;
}

// Kinds (js/ops/unary.ts UNARY_F32).
const CLAMP = 0;
const LEAKY_RELU = 1;
const HARD_SWISH = 2;
const LOGISTIC = 3;
const TANH = 4;
const SQRT = 5;
const RSQRT = 6;

// @ts-ignore: decorator
@inline
function unaryOne(kind: i32, x: f32, a: f32, b: f32): f32 {
  if (kind == CLAMP) return min<f32>(max<f32>(x, a), b);
  if (kind == LEAKY_RELU) return x > 0 ? x : x * a;
  if (kind == HARD_SWISH) return x * min<f32>(max<f32>(x + 3, 0), 6) / 6;
  if (kind == LOGISTIC || kind == TANH) {
    const tanh = kind == TANH;
    const e = expf(tanh ? -2 * abs<f32>(x) : -x);
    const y: f32 = (tanh ? <f32>1 - e : <f32>1) / (<f32>1 + e);
    return tanh ? copysign<f32>(y, x) : y;
  }
  if (kind == SQRT) return sqrt<f32>(x);
  return 1 / sqrt<f32>(x);
}

export function unary_f32_ref(paramsPtr: usize): void {
  const p = changetype<UnaryF32Params>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output;
  for (let i = 0; i < p.count; i++) {
    store<f32>(output + (<usize>i << 2), unaryOne(p.kind, load<f32>(input + (<usize>i << 2)), p.a, p.b));
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// Four values at a time, the last count % 4 by the scalar code.

// @ts-ignore: decorator
@inline
function unaryFour(kind: i32, x: v128, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == CLAMP) return f32x4.min(f32x4.max(x, a), b);
  if (kind == LEAKY_RELU) return v128.bitselect(x, f32x4.mul(x, a), f32x4.gt(x, f32x4.splat(0)));
  if (kind == HARD_SWISH) {
    const relu6 = f32x4.min(f32x4.max(f32x4.add(x, f32x4.splat(3)), f32x4.splat(0)), f32x4.splat(6));
    return f32x4.div(f32x4.mul(x, relu6), f32x4.splat(6));
  }
  if (kind == LOGISTIC || kind == TANH) {
    const tanh = kind == TANH;
    const e = expf4(tanh ? f32x4.mul(f32x4.splat(-2), f32x4.abs(x)) : f32x4.neg(x));
    const y = f32x4.div(tanh ? f32x4.sub(one, e) : one, f32x4.add(one, e));
    return tanh ? v128.or(y, v128.and(x, i32x4.splat(0x80000000))) : y;
  }
  if (kind == SQRT) return f32x4.sqrt(x);
  return f32x4.div(one, f32x4.sqrt(x));
}

export function unary_f32(paramsPtr: usize): void {
  const p = changetype<UnaryF32Params>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output, kind = p.kind;
  const a = f32x4.splat(p.a), b = f32x4.splat(p.b);
  const vectorN = p.count & ~3;
  for (let i = 0; i < vectorN; i += 4) {
    const at = <usize>i << 2;
    v128.store(output + at, unaryFour(kind, v128.load(input + at), a, b));
  }
  for (let i = vectorN; i < p.count; i++) {
    store<f32>(output + (<usize>i << 2), unaryOne(kind, load<f32>(input + (<usize>i << 2)), p.a, p.b));
  }
}
