// RESHAPE: the same bytes under another shape (a copy into the output's arena slot). The shape
// input is not read (the output's shape is the model's); a constant input folds.
import { copyBlocks } from "./byte-kernels.js";
import type { GraphOp } from "../graph/graph.js";
import { type OpDefinition, expectCounts, fail, input, kernelSteps, output } from "./context.js";

function checkReshape(op: GraphOp) {
  expectCounts(op, [1, 2]);
  const x = input(op, 0);
  const y = output(op, 0);
  if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
  if (x.elementCount !== y.elementCount) fail(op, `cannot reshape [${x.shape}] (${x.elementCount} values) into [${y.shape}]`);
  if (x.scale[0] !== y.scale[0] || x.zeroPoint[0] !== y.zeroPoint[0]) fail(op, "input and output must be quantized alike");
  return { x, y };
}

export const reshape: OpDefinition = {
  maxVersion: 1,
  prepare(ctx) {
    const { op, memory } = ctx;
    const { x, y } = checkReshape(op);
    if (x.data !== null) fail(op, `input "${x.name}" is a constant, which is not supported here`);
    const bytes = x.byteSize;
    return kernelSteps(ctx, [copyBlocks(memory, { input: ctx.address(x), output: ctx.address(y), blocks: 1, blockBytes: bytes, outStride: bytes, table: 0 })]);
  },
  fold(op) {
    const x = op.inputs[0];
    return x !== null && x !== undefined && x.data !== null ? [checkReshape(op).x.data!.slice()] : null;
  },
};
