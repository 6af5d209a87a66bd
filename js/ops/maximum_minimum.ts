// MAXIMUM, MINIMUM: of two int8/uint8, float32 or int32 tensors, broadcastable
// (js/ops/elementwise.ts) → output. 8-bit values are compared as stored, whatever their
// quantization, as TFLite does (kernel binary_q8).
import { type GraphOp } from "../graph/graph.js";
import { type OpDefinition, type PrepareContext, expectCounts, input, output } from "./context.js";
import { BinaryOp, elementwiseLayout, expectSameTypes, int32Folder, plainBinaryStep, q8Step, UNUSED_Q8 } from "./elementwise.js";

function prepare(ctx: PrepareContext, code: BinaryOp) {
  const op: GraphOp = ctx.op;
  expectCounts(op, 2);
  const a = input(op, 0);
  const b = input(op, 1);
  const y = output(op, 0);
  expectSameTypes(op, a, b, y, ["int8", "uint8", "float32", "int32"]);
  if (y.dtype === "float32" || y.dtype === "int32") return plainBinaryStep(ctx, code, a, b, y, null);
  return q8Step(ctx, "binary_q8", { ...elementwiseLayout(ctx, a, b, y), op: code, ...UNUSED_Q8, activationMin: -128, activationMax: 127 });
}

export const maximum: OpDefinition = { maxVersion: 4, prepare: (ctx) => prepare(ctx, BinaryOp.Maximum), fold: int32Folder(BinaryOp.Maximum) };
export const minimum: OpDefinition = { maxVersion: 4, prepare: (ctx) => prepare(ctx, BinaryOp.Minimum), fold: int32Folder(BinaryOp.Minimum) };
