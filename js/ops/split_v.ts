// SPLIT_V: parts of the given sizes (one may be -1: the rest) along the (constant) axis.
import type { SplitOptions } from "../tflite/types.js";
import { expectCounts, fail, input, options } from "./context.js";
import { splitPlan } from "./split.js";
import { constantInts, movingOp, normalizeAxis } from "./strided-copy.js";

export const splitV = movingOp(2, (op) => {
  const n = (options(op, "SplitVOptions") as SplitOptions).numSplits;
  expectCounts(op, 3, n);
  const x = input(op, 0);
  const sizes = constantInts(op, op.inputs[1], "size_splits");
  const [axis] = constantInts(op, op.inputs[2], "axis");
  if (sizes.length !== n) fail(op, `has ${sizes.length} sizes for ${n} splits`);
  const rest = sizes.indexOf(-1);
  if (rest >= 0) {
    const dim = x.shape[normalizeAxis(op, axis, x.shape.length)];
    sizes[rest] = dim - sizes.reduce((a, b, i) => (i === rest ? a : a + b), 0);
  }
  return splitPlan(op, 0, axis, sizes);
});
