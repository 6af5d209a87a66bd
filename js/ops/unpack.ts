// UNPACK: output k is index k of the input along `axis` (which the outputs lack).
import { expectCounts, fail, input, options } from "./context.js";
import { expectOutputShape, movingOp, normalizeAxis } from "./strided-copy.js";

export const unpack = movingOp(4, (op) => {
  const o = options(op, "UnpackOptions");
  expectCounts(op, 1, o.num);
  const x = input(op, 0);
  const axis = normalizeAxis(op, o.axis, x.shape.length);
  const n = x.shape[axis];
  if (n !== o.num) fail(op, `axis ${axis} has ${n} values but num is ${o.num}`);
  const shape = [...x.shape.slice(0, axis), ...x.shape.slice(axis + 1)];
  for (let k = 0; k < n; k++) expectOutputShape(op, k, shape);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return {
    moves: Array.from({ length: n }, (_, k) => ({
      input: 0, output: k, inOffset: k * inner, outOffset: 0, dims: [outer, inner], inStrides: [n * inner, 1], outStrides: [inner, 1],
    })),
  };
});
