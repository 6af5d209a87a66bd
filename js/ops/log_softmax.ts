// LOG_SOFTMAX over the last axis: float32; int8 / uint8 with output scale 16/256 and zero point
// 127 / 255, TFLite's fixed-point reference (PreprocessLogSoftmaxScalingExp, CalculateInputRadius
// with 5 integer bits, beta 1). The 8-bit kernel reads the SOFTMAX kernel's exp table.
import { type OpDefinition, fail, kernelStep, storeParams } from "./context.js";
import { quantizeMultiplier, storageShift } from "./quantization.js";
import { FIELDS as SOFTMAX_FIELDS, SCALED_DIFF_INTEGER_BITS, TABLE_BYTES } from "./softmax.js";
import { unaryTensors } from "./unary.js";

/** Field order of LogSoftmaxParams in assembly/kernels/log_softmax.ts. */
const FIELDS = ["input", "output", "rows", "depth"] as const;

/** Field order of LogSoftmaxQuantizedParams: a SoftmaxParams block, then the reverse scaling. */
const QUANTIZED_FIELDS = [...SOFTMAX_FIELDS, "reverseScalingDivisor", "reverseScalingRightShift"] as const;

export const logSoftmax: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { op, memory } = ctx;
    const { x, y, float } = unaryTensors(op, ["float32", "int8", "uint8"]);
    if (x.shape.length < 1) fail(op, "input must have at least one dimension");
    const depth = x.shape[x.shape.length - 1];
    const rows = depth === 0 ? 0 : x.elementCount / depth;
    if (float) {
      const params = storeParams(memory, FIELDS, { input: ctx.address(x), output: ctx.address(y), rows, depth });
      return kernelStep(ctx, "log_softmax_f32", params);
    }
    if (y.scale[0] !== 16 / 256 || y.zeroPoint[0] - storageShift(y) !== 127) {
      fail(op, `output must have scale 16/256 and zero point ${y.dtype === "uint8" ? 255 : 127}`);
    }
    const realMultiplier = Math.min(x.scale[0] * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
    const [inputMultiplier, inputLeftShift] = quantizeMultiplier(realMultiplier);
    const reverseScaling = 2 ** (31 - inputLeftShift) / inputMultiplier;
    if (inputLeftShift < 1 || !(reverseScaling < 1)) fail(op, `input scale ${x.scale[0]} is out of the fixed-point range`);
    const [reverseScalingDivisor, reverseShift] = quantizeMultiplier(reverseScaling);
    const maxInputRescaled = ((2 ** SCALED_DIFF_INTEGER_BITS - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** inputLeftShift;
    const params = storeParams(memory, QUANTIZED_FIELDS, {
      input: ctx.address(x), output: ctx.address(y), rows, depth, inputMultiplier, inputLeftShift,
      diffMin: -Math.floor(maxInputRescaled), table: memory.allocate(TABLE_BYTES),
      reverseScalingDivisor, reverseScalingRightShift: -reverseShift,
    });
    ctx.kernels.softmax_exp_table(params);
    return kernelStep(ctx, "log_softmax", params);
  },
};
