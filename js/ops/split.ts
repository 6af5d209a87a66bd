// SPLIT: numSplits equal parts of the input along the (constant) axis, input 0.
import type { GraphOp } from "../graph/graph.js";
import type { SplitOptions } from "../tflite/types.js";
import { expectCounts, fail, input, options } from "./context.js";
import { type MovePlan, constantInts, expectOutputShape, movingOp, normalizeAxis } from "./strided-copy.js";

/** The moves of input `data` cut along `axis` into parts of `sizes` (SPLIT and SPLIT_V). */
export function splitPlan(op: GraphOp, data: number, axisValue: number, sizes: number[]): MovePlan {
  const x = input(op, data);
  const axis = normalizeAxis(op, axisValue, x.shape.length);
  if (sizes.reduce((a, b) => a + b, 0) !== x.shape[axis] || sizes.some((s) => s < 0)) fail(op, `cannot split ${x.shape[axis]} into [${sizes}]`);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  let at = 0;
  const moves = sizes.map((size, k) => {
    expectOutputShape(op, k, x.shape.map((d, i) => (i === axis ? size : d)));
    const move = { input: data, output: k, inOffset: at * inner, outOffset: 0, dims: [outer, size * inner], inStrides: [x.shape[axis] * inner, 1], outStrides: [size * inner, 1] };
    at += size;
    return move;
  });
  return { moves };
}

export const split = movingOp(4, (op) => {
  const n = (options(op, "SplitOptions") as SplitOptions).numSplits;
  expectCounts(op, 2, n);
  const [axis] = constantInts(op, op.inputs[0], "axis");
  const x = input(op, 1);
  const dim = x.shape[normalizeAxis(op, axis, x.shape.length)];
  if (n < 1 || dim % n !== 0) fail(op, `cannot split ${dim} into ${n} equal parts`);
  return splitPlan(op, 1, axis, new Array<number>(n).fill(dim / n));
});
