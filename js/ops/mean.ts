// MEAN over axes {1, 2} of (N,H,W,C) → (N,1,1,C) with keep_dims, (N,C) without (the global
// average pool of classifiers; other axes and ranks: reduce.ts).
// 8-bit: reference_ops::QuantizedMeanOrSum with 1/count folded into the multiplier, as TFLite does.
// float32: the sum (in float64) / count.
import {
  type OpDefinition, expectCounts, expectFloatActivation, expectQuantizedActivation, expectShape, fail, input,
  kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { quantizeMultiplier, storedZeroPoint } from "./quantization.js";
import { meanMultiplier, prepareReduction, reducedAxes } from "./reduce.js";

/** Field order of MeanParams in assembly/kernels/mean.ts. */
export const FIELDS = [
  "input", "batches", "height", "width", "channels", "output",
  "sumOffset", "multiplier", "shift", "outputOffset",
] as const;

/** Field order of MeanF32Params in assembly/kernels/mean_f32.ts. */
export const FIELDS_F32 = ["input", "batches", "height", "width", "channels", "output"] as const;

export const mean: OpDefinition = {
  maxVersion: 3,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 2);
    const opts = options(op, "ReducerOptions");
    const x = input(op, 0);
    const spatial = x.shape.length === 4 && reducedAxes(op, x).sort().join() === "1,2";
    if (!spatial) return prepareReduction(ctx, "mean");
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
    const [batches, height, width, channels] = x.shape;
    expectShape(op, y, opts.keepDims ? [batches, 1, 1, channels] : [batches, channels], "output");
    const count = height * width;
    if (count === 0) fail(op, "reduces an empty tensor");
    const shape = { input: ctx.address(x), batches, height, width, channels, output: ctx.address(y) };
    if (float) {
      const params = storeParams(memory, FIELDS_F32, shape);
      return kernelStep(ctx, kernelName(ctx, "mean_f32"), params);
    }

    // reference_ops::QuantizedMeanOrSum, as TFLite runs it whether or not the two quantizations
    // are equal (TFLite Micro instead divides the sum when they are: README, "TFLite Micro").
    const [multiplier, shift] = meanMultiplier(...quantizeMultiplier(x.scale[0] / y.scale[0]), count);
    const fields = { sumOffset: -storedZeroPoint(x) * count, multiplier, shift, outputOffset: storedZeroPoint(y) };
    const params = storeParams(memory, FIELDS, { ...shape, ...fields });
    return kernelStep(ctx, kernelName(ctx, "mean"), params);
  },
};
