// SLICE: the box begin .. begin + size of the input (size -1: to the end of that dimension).
import { expectCounts, fail, input } from "./context.js";
import { constantInts, expectOutputShape, movingOp, stridesOf } from "./strided-copy.js";

export const slice = movingOp(6, (op) => {
  expectCounts(op, 3);
  const x = input(op, 0);
  const rank = x.shape.length;
  const begin = constantInts(op, op.inputs[1], "begin");
  const size = constantInts(op, op.inputs[2], "size");
  if (begin.length !== rank || size.length !== rank) fail(op, `begin and size must have ${rank} values`);
  const shape = size.map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  if (shape.some((s, i) => begin[i] < 0 || s < 0 || begin[i] + s > x.shape[i])) fail(op, `slice [${begin}] + [${size}] is outside [${x.shape}]`);
  expectOutputShape(op, 0, shape);
  const xs = stridesOf(x.shape);
  const inOffset = begin.reduce((sum, b, i) => sum + b * xs[i], 0);
  return { moves: [{ input: 0, output: 0, inOffset, outOffset: 0, dims: shape, inStrides: xs, outStrides: stridesOf(shape) }] };
});
