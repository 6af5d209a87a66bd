// AVERAGE_POOL_2D and MAX_POOL_2D: (N,H,W,C) → (N,OH,OW,C), input and output quantized alike
// (int8/uint8), or float32.
import {
  type OpDefinition, expectCounts, expectFloatActivation, expectQuantizedActivation, expectRank, expectShape, fail, input, kernelName,
  kernelStep, options, output, storeParams,
} from "./context.js";
import { activationRange, convOutputAndPadding, floatActivationRange } from "./quantization.js";

/** Field order of PoolParams in assembly/kernels/pool.ts. */
const FIELDS = [
  "input", "batches", "inputHeight", "inputWidth", "channels", "output", "outputHeight", "outputWidth",
  "filterHeight", "filterWidth", "strideHeight", "strideWidth", "padTop", "padLeft",
  "activationMin", "activationMax", "unsignedRounding",
] as const;

/** Field order of PoolF32Params in assembly/kernels/pool_f32.ts. */
const FIELDS_F32 = [
  "input", "batches", "inputHeight", "inputWidth", "channels", "output", "outputHeight", "outputWidth",
  "filterHeight", "filterWidth", "strideHeight", "strideWidth", "padTop", "padLeft",
  "activationMin", "activationMax",
] as const;

function pool(kind: "average" | "max"): OpDefinition {
  const int8Kernel = kind === "average" ? "average_pool2d_ref" : "max_pool2d_ref";
  return {
    maxVersion: 3,
    prepare(ctx) {
      const { op, memory } = ctx;
      expectCounts(op, 1);
      const opts = options(op, "Pool2DOptions");
      const x = input(op, 0);
      const y = output(op, 0);
      const float = x.dtype === "float32";
      if (float) {
        expectFloatActivation(op, x, "input");
        expectFloatActivation(op, y, "output");
      } else {
        expectQuantizedActivation(op, x, "input");
        expectQuantizedActivation(op, y, "output");
        if (x.dtype !== y.dtype || x.scale[0] !== y.scale[0] || x.zeroPoint[0] !== y.zeroPoint[0]) {
          fail(op, `input and output must have the same type, scale and zero point`);
        }
      }
      expectRank(op, x, 4, "input");
      if (opts.strideH < 1 || opts.strideW < 1 || opts.filterHeight < 1 || opts.filterWidth < 1) {
        fail(op, `filter (${opts.filterHeight}×${opts.filterWidth}) and strides (${opts.strideH}, ${opts.strideW}) must be at least 1`);
      }
      const [batches, inH, inW, channels] = x.shape;
      const rows = convOutputAndPadding(opts.padding, inH, opts.filterHeight, opts.strideH, 1);
      const cols = convOutputAndPadding(opts.padding, inW, opts.filterWidth, opts.strideW, 1);
      if (rows.outSize < 1 || cols.outSize < 1) fail(op, `the ${opts.filterHeight}×${opts.filterWidth} window does not fit the input (${inH}×${inW})`);
      expectShape(op, y, [batches, rows.outSize, cols.outSize, channels], "output");
      const shape = {
        input: ctx.address(x), batches, inputHeight: inH, inputWidth: inW, channels,
        output: ctx.address(y), outputHeight: rows.outSize, outputWidth: cols.outSize,
        filterHeight: opts.filterHeight, filterWidth: opts.filterWidth,
        strideHeight: opts.strideH, strideWidth: opts.strideW, padTop: rows.padBefore, padLeft: cols.padBefore,
      };
      if (float) {
        const params = storeParams(memory, FIELDS_F32, { ...shape, ...floatActivationRange(op, opts.fusedActivation) });
        return kernelStep(ctx, kernelName(ctx, kind === "average" ? "average_pool2d_f32" : "max_pool2d_f32"), params);
      }
      const [activationMin, activationMax] = activationRange(op, y, opts.fusedActivation);
      const params = storeParams(memory, FIELDS, { ...shape, activationMin, activationMax, unsignedRounding: x.dtype === "uint8" ? 1 : 0 });
      return kernelStep(ctx, int8Kernel, params);
    },
  };
}

export const averagePool2d = pool("average");
export const maxPool2d = pool("max");
