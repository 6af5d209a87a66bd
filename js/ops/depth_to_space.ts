// DEPTH_TO_SPACE (NHWC, block b): output[n, h·b + i, w·b + j, c] = input[n, h, w, (i·b + j)·C + c],
// one 6-dimensional strided copy.
import type { BlockSizeOptions } from "../tflite/types.js";
import { expectCounts, fail, input, options } from "./context.js";
import { expectOutputShape, movingOp } from "./strided-copy.js";

export const depthToSpace = movingOp(2, (op) => {
  expectCounts(op, 1);
  const b = (options(op, "DepthToSpaceOptions") as BlockSizeOptions).blockSize;
  const x = input(op, 0);
  if (x.shape.length !== 4) fail(op, "needs a 4-dimensional input");
  const [n, h, w, d] = x.shape;
  if (b < 1 || d % (b * b) !== 0) fail(op, `depth ${d} is not a multiple of ${b}×${b}`);
  const c = d / (b * b);
  expectOutputShape(op, 0, [n, h * b, w * b, c]);
  // Output order (n, h, i, w, j, c).
  const dims = [n, h, b, w, b, c];
  const inStrides = [h * w * d, w * d, b * c, d, c, 1];
  return { moves: [{ input: 0, output: 0, inOffset: 0, outOffset: 0, dims, inStrides, outStrides: [h * b * w * b * c, b * w * b * c, w * b * c, b * c, c, 1] }] };
});
