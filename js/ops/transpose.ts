// TRANSPOSE: output dimension i is input dimension perm[i] (rank ≤ 6); one strided copy.
import { constantInt32, expectCounts, fail, input } from "./context.js";
import { expectOutputShape, movingOp, stridesOf } from "./strided-copy.js";

export const transpose = movingOp(6, (op) => {
  expectCounts(op, 2);
  const x = input(op, 0);
  const rank = x.shape.length;
  // int32 only: TFLite reads an int64 permutation as int32 values.
  const perm = constantInt32(op, input(op, 1), "permutation");
  if (perm.length !== rank || new Set(perm).size !== rank || [...perm].some((p) => p < 0 || p >= rank)) fail(op, `permutation [${perm}] does not fit rank ${rank}`);
  const shape = [...perm].map((p) => x.shape[p]);
  expectOutputShape(op, 0, shape);
  const xs = stridesOf(x.shape);
  return { moves: [{ input: 0, output: 0, inOffset: 0, outOffset: 0, dims: shape, inStrides: [...perm].map((p) => xs[p]), outStrides: stridesOf(shape) }] };
});
