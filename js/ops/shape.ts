// SHAPE: the input's dimensions as int32 or int64. Shapes are static, so it always folds to a
// constant, except when it writes a graph output: then the constant is copied there.
import type { GraphOp } from "../graph/graph.js";
import { copyBlocks } from "./byte-kernels.js";
import { type OpDefinition, expectCounts, input, kernelSteps, output } from "./context.js";
import { expectOutputShape } from "./strided-copy.js";

function shapeBytes(op: GraphOp): Uint8Array {
  expectCounts(op, 1);
  const x = input(op, 0);
  const y = output(op, 0, ["int32", "int64"]);
  expectOutputShape(op, 0, [x.shape.length]);
  if (y.dtype === "int32") return new Uint8Array(Int32Array.from(x.shape).buffer);
  const out = new DataView(new ArrayBuffer(8 * x.shape.length));
  x.shape.forEach((d, i) => out.setBigInt64(8 * i, BigInt(d), true));
  return new Uint8Array(out.buffer);
}

export const shape: OpDefinition = {
  maxVersion: 1,
  prepare(ctx) {
    const bytes = shapeBytes(ctx.op);
    const y = ctx.op.outputs[0];
    if (bytes.length === 0) return kernelSteps(ctx, []);
    return kernelSteps(ctx, [copyBlocks(ctx.memory, { input: ctx.memory.store(bytes), output: ctx.address(y), blocks: 1, blockBytes: bytes.length, outStride: bytes.length, table: 0 })]);
  },
  fold: (op) => [shapeBytes(op)],
};
