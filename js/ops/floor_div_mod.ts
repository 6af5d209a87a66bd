// FLOOR_DIV, FLOOR_MOD: of two float32 or int32 tensors, broadcastable (js/ops/elementwise.ts)
// → output, rounding the quotient toward -∞ (the remainder takes the divisor's sign).
import { type OpDefinition, type PrepareContext, expectCounts, input, output } from "./context.js";
import { BinaryOp, expectSameTypes, int32Folder, plainBinaryStep } from "./elementwise.js";

function prepare(ctx: PrepareContext, code: BinaryOp) {
  const { op } = ctx;
  expectCounts(op, 2);
  const a = input(op, 0);
  const b = input(op, 1);
  const y = output(op, 0);
  expectSameTypes(op, a, b, y, ["float32", "int32"]);
  return plainBinaryStep(ctx, code, a, b, y, null);
}

export const floorDiv: OpDefinition = { maxVersion: 3, prepare: (ctx) => prepare(ctx, BinaryOp.FloorDiv), fold: int32Folder(BinaryOp.FloorDiv) };
export const floorMod: OpDefinition = { maxVersion: 2, prepare: (ctx) => prepare(ctx, BinaryOp.FloorMod), fold: int32Folder(BinaryOp.FloorMod) };
