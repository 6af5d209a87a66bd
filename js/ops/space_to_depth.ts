// SPACE_TO_DEPTH (NHWC, block b): output[n, h, w, (i·b + j)·C + c] = input[n, h·b + i, w·b + j, c],
// one 6-dimensional strided copy.
import type { BlockSizeOptions } from "../tflite/types.js";
import { expectCounts, fail, input, options } from "./context.js";
import { expectOutputShape, movingOp } from "./strided-copy.js";

export const spaceToDepth = movingOp(2, (op) => {
  expectCounts(op, 1);
  const b = (options(op, "SpaceToDepthOptions") as BlockSizeOptions).blockSize;
  const x = input(op, 0);
  if (x.shape.length !== 4) fail(op, "needs a 4-dimensional input");
  const [n, h, w, c] = x.shape;
  if (b < 1 || h % b !== 0 || w % b !== 0) fail(op, `${h}×${w} is not a multiple of ${b}×${b}`);
  const [oh, ow, d] = [h / b, w / b, c * b * b];
  expectOutputShape(op, 0, [n, oh, ow, d]);
  // Output order (n, oh, ow, i, j, c).
  const dims = [n, oh, ow, b, b, c];
  const inStrides = [h * w * c, b * w * c, b * c, w * c, c, 1];
  return { moves: [{ input: 0, output: 0, inOffset: 0, outOffset: 0, dims, inStrides, outStrides: [oh * ow * d, ow * d, d, b * c, c, 1] }] };
});
