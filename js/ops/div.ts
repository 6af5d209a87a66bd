// DIV: two float32 or int32 tensors, broadcastable (js/ops/elementwise.ts) → output, with a fused
// activation. int32 quotients truncate toward zero.
import { type OpDefinition, expectCounts, input, output } from "./context.js";
import { BinaryOp, expectSameTypes, fusedActivationOf, int32Folder, plainBinaryStep } from "./elementwise.js";

export const div: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { op } = ctx;
    expectCounts(op, 2);
    const a = input(op, 0);
    const b = input(op, 1);
    const y = output(op, 0);
    expectSameTypes(op, a, b, y, ["float32", "int32"]);
    return plainBinaryStep(ctx, BinaryOp.Div, a, b, y, fusedActivationOf(op));
  },
  fold: int32Folder(BinaryOp.Div),
};
