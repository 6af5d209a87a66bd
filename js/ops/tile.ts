// TILE: the input repeated multiples[i] times along each dimension i: one strided copy whose
// dimensions are (repeat, index) pairs, the repeat reading the input with stride 0.
import { expectCounts, fail, input } from "./context.js";
import { constantInts, expectOutputShape, movingOp, stridesOf } from "./strided-copy.js";

export const tile = movingOp(3, (op) => {
  expectCounts(op, 2);
  const x = input(op, 0);
  const multiples = constantInts(op, op.inputs[1], "multiples");
  if (multiples.length !== x.shape.length || multiples.some((m) => m < 0)) fail(op, `multiples [${multiples}] do not fit [${x.shape}]`);
  const shape = x.shape.map((d, i) => d * multiples[i]);
  expectOutputShape(op, 0, shape);
  const xs = stridesOf(x.shape), ys = stridesOf(shape);
  return {
    moves: [{
      input: 0, output: 0, inOffset: 0, outOffset: 0,
      dims: x.shape.flatMap((d, i) => [multiples[i], d]),
      inStrides: xs.flatMap((s) => [0, s]),
      outStrides: ys.flatMap((s, i) => [x.shape[i] * s, s]),
    }],
  };
});
