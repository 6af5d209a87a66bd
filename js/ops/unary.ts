// What the one-input, one-output activations share (LOGISTIC, TANH, RELU…, LEAKY_RELU,
// HARD_SWISH, SQRT, RSQRT): their tensor checks; for 8-bit tensors a 256-entry table through the
// lookup kernel, filled at prepare with TFLite's arithmetic (its float LUT construction,
// PopulateLookupTable / LUTPopulate, is lutTable); for float32 the unary_f32 kernel.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import { lookupInt8 } from "./byte-kernels.js";
import {
  type PrepareContext, type Step, expectCounts, expectFloatActivation, expectQuantizedActivation, expectShape, fail, floatBits, input, kernelName,
  kernelStep, kernelSteps, output, storeParams,
} from "./context.js";
import { byteTable, quantizeMultiplier } from "./quantization.js";

/** Field order of UnaryF32Params in assembly/kernels/unary_f32.ts. */
export const FIELDS_F32 = ["input", "output", "count", "kind", "a", "b"] as const;

/** The kernel's `kind` values. */
export const UNARY_F32 = { CLAMP: 0, LEAKY_RELU: 1, HARD_SWISH: 2, LOGISTIC: 3, TANH: 4, SQRT: 5, RSQRT: 6 } as const;

/** The op's input and output: one each, the same dtype (one of `dtypes`) and shape, activations. */
export function unaryTensors(op: GraphOp, dtypes: GraphTensor["dtype"][]): { x: GraphTensor; y: GraphTensor; float: boolean } {
  expectCounts(op, 1);
  const x = input(op, 0, dtypes);
  const y = output(op, 0, [x.dtype]);
  expectShape(op, y, x.shape, "output");
  const float = x.dtype === "float32";
  if (float) {
    expectFloatActivation(op, x, "input");
    expectFloatActivation(op, y, "output");
  } else {
    expectQuantizedActivation(op, x, "input");
    expectQuantizedActivation(op, y, "output");
  }
  return { x, y, float };
}

/** The step that maps every byte of x through `table` (indexed by stored byte) into y. */
export function tableStep(ctx: PrepareContext, x: GraphTensor, y: GraphTensor, table: Uint8Array): Step {
  return kernelSteps(ctx, [lookupInt8(ctx.memory, { input: ctx.address(x), output: ctx.address(y), count: x.elementCount, table: ctx.memory.store(table) })]);
}

/** The step of the float32 kernel of this kind; a and b are its float parameters. */
export function floatStep(ctx: PrepareContext, x: GraphTensor, y: GraphTensor, kind: number, a = 0, b = 0): Step {
  const params = storeParams(ctx.memory, FIELDS_F32, {
    input: ctx.address(x), output: ctx.address(y), count: x.elementCount, kind, a: floatBits(a), b: floatBits(b),
  });
  return kernelStep(ctx, kernelName(ctx, "unary_f32"), params);
}

/** static_cast<int32_t> of a float as x86 does it: truncation, and INT32_MIN for NaN and out-of-range values. */
export function floatToInt32(v: number): number {
  return v > -2147483649 && v < 2147483648 ? Math.trunc(v) : -2147483648;
}

/** std::round of a float: half away from zero. */
export const roundFloat = (v: number) => Math.sign(v) * Math.floor(Math.abs(v) + 0.5);

/**
 * TFLite's float lookup table of an 8-bit activation (PopulateLookupTable): in float32,
 * dequantized = s_in·(q - zp_in), rescaled = round(f(dequantized) · (1 / s_out)), out = int(rescaled + zp_out)
 * clamped to the dtype. `transform` must return float32 values (Math.fround).
 */
export function lutTable(x: GraphTensor, y: GraphTensor, transform: (v: number) => number): Uint8Array {
  const inverseScale = Math.fround(1 / Math.fround(y.scale[0]));
  return byteTable(x, y, (q) => {
    const dequantized = Math.fround(Math.fround(x.scale[0]) * (q - x.zeroPoint[0]));
    const rescaled = roundFloat(Math.fround(transform(dequantized) * inverseScale));
    return floatToInt32(Math.fround(rescaled + y.zeroPoint[0]));
  });
}

/** Fails unless y has the fixed quantization TFLite requires of this op's output. */
export function expectOutputQuantization(op: GraphOp, y: GraphTensor, scale: number, zeroPoints?: { int8: number; uint8: number }): void {
  const zeroPoint = zeroPoints?.[y.dtype as "int8" | "uint8"];
  if (y.scale[0] !== scale || (zeroPoint !== undefined && y.zeroPoint[0] !== zeroPoint)) {
    fail(op, `output must have scale ${scale}${zeroPoint === undefined ? "" : ` and zero point ${zeroPoint}`}`);
  }
}

/** QuantizeMultiplier of a real that may be negative (frexp keeps the sign in the fraction). */
export function signedQuantizeMultiplier(real: number): [multiplier: number, shift: number] {
  if (real >= 0) return quantizeMultiplier(real);
  const [multiplier, shift] = quantizeMultiplier(-real);
  // A fraction that rounds to 2^31 is halved for positive reals; TFLite keeps -2^31 for negative ones.
  return multiplier === 2 ** 30 && -real / 2 ** shift !== 0.5 ? [-(2 ** 31), shift - 1] : [-multiplier, shift];
}

/** The dtype's range of quantized values. */
export function quantizedRange(t: GraphTensor): [min: number, max: number] {
  return t.dtype === "uint8" ? [0, 255] : [-128, 127];
}
