// MEAN over axes {1, 2} of (N,H,W,C) → (N,1,1,C) with keep_dims, (N,C) without.
// 8-bit paths as tflite-micro's reduce: equal input/output quantization → trunc(sum / count);
// otherwise reference_ops::QuantizedMeanOrSum with 1/count folded into the multiplier.
// float32: the sum (in float64) / count.
import {
  type OpDefinition, constantInt32, expectCounts, expectFloatActivation, expectQuantizedActivation, expectRank, expectShape, fail, input,
  kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { quantizeMultiplier, storageShift, storedZeroPoint } from "./quantization.js";

/** Field order of MeanParams in assembly/kernels/mean.ts. */
export const FIELDS = [
  "input", "batches", "height", "width", "channels", "output",
  "sumOffset", "divide", "multiplier", "shift", "outputOffset",
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
    expectRank(op, x, 4, "input");
    const axes = [...constantInt32(op, input(op, 1), "axis")].map((a) => (a < 0 ? a + 4 : a)).sort();
    if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) fail(op, `reduces axes [${axes}]; only the spatial axes [1, 2] are supported`);
    const [batches, height, width, channels] = x.shape;
    expectShape(op, y, opts.keepDims ? [batches, 1, 1, channels] : [batches, channels], "output");
    const count = height * width;
    if (count === 0) fail(op, "reduces an empty tensor");
    const shape = { input: ctx.address(x), batches, height, width, channels, output: ctx.address(y) };
    if (float) {
      const params = storeParams(memory, FIELDS_F32, shape);
      return kernelStep(ctx, kernelName(ctx, "mean_f32"), params);
    }

    let fields: Record<string, number>;
    if (x.scale[0] === y.scale[0] && x.zeroPoint[0] === y.zeroPoint[0]) {
      // Division of the stored sum; uint8 divides the unshifted (non-negative) sum.
      const shift = storageShift(x);
      fields = { sumOffset: shift * count, divide: 1, multiplier: 0, shift: 0, outputOffset: -shift };
    } else {
      const [m, s] = quantizeMultiplier(x.scale[0] / y.scale[0]);
      const extra = Math.min(31 - Math.clz32(count), 32, 31 + s); // floor(log2(count)), clamped
      const multiplier = Number((BigInt(m) << BigInt(extra)) / BigInt(count));
      fields = {
        sumOffset: -storedZeroPoint(x) * count, divide: 0, multiplier, shift: s - extra, outputOffset: storedZeroPoint(y),
      };
    }
    const params = storeParams(memory, FIELDS, { ...shape, ...fields });
    return kernelStep(ctx, kernelName(ctx, "mean"), params);
  },
};
