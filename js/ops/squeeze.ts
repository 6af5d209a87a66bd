// SQUEEZE: the same bytes without the listed (or all) size-1 dimensions.
import { expectCounts, fail, input, options } from "./context.js";
import { expectOutputShape, movingOp, normalizeAxis, wholeMove } from "./strided-copy.js";

export const squeeze = movingOp(2, (op) => {
  expectCounts(op, 1);
  const x = input(op, 0);
  const dims = options(op, "SqueezeOptions").squeezeDims.map((d) => normalizeAxis(op, d, x.shape.length));
  if (dims.some((d) => x.shape[d] !== 1)) fail(op, `cannot squeeze dimensions [${dims}] of [${x.shape}]`);
  expectOutputShape(op, 0, x.shape.filter((d, i) => (dims.length === 0 ? d !== 1 : !dims.includes(i))));
  return { moves: [wholeMove(0, 0, x.elementCount)] };
});
