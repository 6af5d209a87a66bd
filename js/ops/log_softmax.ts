// LOG_SOFTMAX over the last axis: float32 only (TFLite's int8 / uint8 fixed-point kernels are
// not implemented here).
import { type OpDefinition, fail, kernelStep, storeParams } from "./context.js";
import { unaryTensors } from "./unary.js";

/** Field order of LogSoftmaxParams in assembly/kernels/log_softmax.ts. */
const FIELDS = ["input", "output", "rows", "depth"] as const;

export const logSoftmax: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { op } = ctx;
    const { x, y } = unaryTensors(op, ["float32"]);
    if (x.shape.length < 1) fail(op, "input must have at least one dimension");
    const depth = x.shape[x.shape.length - 1];
    const params = storeParams(ctx.memory, FIELDS, {
      input: ctx.address(x), output: ctx.address(y), rows: depth === 0 ? 0 : x.elementCount / depth, depth,
    });
    return kernelStep(ctx, "log_softmax_f32", params);
  },
};
