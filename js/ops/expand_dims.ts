// EXPAND_DIMS: the same bytes with a size-1 dimension inserted at the (constant) axis.
import { expectCounts, fail, input } from "./context.js";
import { constantInts, expectOutputShape, movingOp, wholeMove } from "./strided-copy.js";

export const expandDims = movingOp(1, (op) => {
  expectCounts(op, 2);
  const x = input(op, 0);
  const axes = constantInts(op, op.inputs[1], "axis");
  if (axes.length !== 1) fail(op, "needs one axis");
  const rank = x.shape.length + 1;
  const axis = axes[0] < 0 ? axes[0] + rank : axes[0];
  if (axis < 0 || axis >= rank) fail(op, `axis ${axes[0]} is outside rank ${rank}`);
  expectOutputShape(op, 0, [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)]);
  return { moves: [wholeMove(0, 0, x.elementCount)] };
});
