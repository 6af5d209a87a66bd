// SOFTMAX over the last axis, 8-bit in → 8-bit out with scale 1/256 (int8 zp -128, uint8 zp 0),
// TFLite's fixed-point path: PreprocessSoftmaxScaling and CalculateInputRadius with 5 integer bits;
// or float32 in → float32 out.
import {
  type OpDefinition, type PrepareContext, expectCounts, expectFloatActivation, expectQuantizedActivation, expectShape, fail, floatBits, input, kernelName,
  kernelStep, options, output, storeParams,
} from "./context.js";
import { quantizeMultiplier, storageShift } from "./quantization.js";

/** Field order of SoftmaxParams in assembly/kernels/softmax.ts. */
export const FIELDS = ["input", "output", "rows", "depth", "inputMultiplier", "inputLeftShift", "diffMin", "table"] as const;

/** Bytes of the v128 kernel's table (its layout: assembly/kernels/softmax.ts). */
export const TABLE_BYTES = 256 * 4 + 256 * 4 + 256;

/** Field order of SoftmaxF32Params in assembly/kernels/softmax_f32.ts. */
const FIELDS_F32 = ["input", "output", "rows", "depth", "beta"] as const;

export const SCALED_DIFF_INTEGER_BITS = 5;

export const softmax: OpDefinition = {
  maxVersion: 3,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 1);
    const { beta } = options(op, "SoftmaxOptions");
    const x = input(op, 0);
    const y = output(op, 0);
    const float = x.dtype === "float32";
    if (float) {
      expectFloatActivation(op, x, "input");
      expectFloatActivation(op, y, "output");
    } else {
      expectQuantizedActivation(op, x, "input");
      expectQuantizedActivation(op, y, "output");
      if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
    }
    if (x.shape.length < 1) fail(op, "input must have at least one dimension");
    expectShape(op, y, x.shape, "output");
    if (!float && (y.scale[0] !== 1 / 256 || y.zeroPoint[0] - storageShift(y) !== -128)) {
      fail(op, `output must have scale 1/256 and zero point ${y.dtype === "uint8" ? 0 : -128}`);
    }
    if (!(beta > 0) || !Number.isFinite(beta)) fail(op, `beta ${beta} must be a finite positive number`);
    const depth = x.shape[x.shape.length - 1];
    const rows = depth === 0 ? 0 : x.elementCount / depth;
    if (float) {
      const params = storeParams(memory, FIELDS_F32, { input: ctx.address(x), output: ctx.address(y), rows, depth, beta: floatBits(beta) });
      return kernelStep(ctx, kernelName(ctx, "softmax_f32"), params);
    }
    const realMultiplier = Math.min(beta * x.scale[0] * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
    const [inputMultiplier, inputLeftShift] = quantizeMultiplier(realMultiplier);
    if (inputLeftShift < 0) fail(op, `input scale ${x.scale[0]} is too small for the fixed-point softmax`);
    const maxInputRescaled = ((2 ** SCALED_DIFF_INTEGER_BITS - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** inputLeftShift;
    const kernel = kernelName(ctx, "softmax");
    const values = { input: ctx.address(x), output: ctx.address(y), rows, depth, inputMultiplier, inputLeftShift, diffMin: -Math.floor(maxInputRescaled) };
    return kernelStep(ctx, kernel, softmaxParams(ctx, values, kernel === "softmax"));
  },
};

/**
 * Stores a SOFTMAX parameter block; with `table`, allocates the v128 kernel's table and has wasm
 * fill it (the exps of the 256 possible differences from the row max, for this op's scaling).
 */
export function softmaxParams(
  prep: Pick<PrepareContext, "kernels" | "memory">, values: Record<Exclude<(typeof FIELDS)[number], "table">, number>, table: boolean,
): number {
  const params = storeParams(prep.memory, FIELDS, { ...values, table: table ? prep.memory.allocate(TABLE_BYTES) : 0 });
  if (table) prep.kernels.softmax_exp_table(params);
  return params;
}
