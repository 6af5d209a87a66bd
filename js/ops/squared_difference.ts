// SQUARED_DIFFERENCE: (in1 - in2)² of two int8, float32 or int32 tensors, broadcastable
// (js/ops/elementwise.ts) → output. int8: squared_difference.cc's arithmetic (kernel binary_q8).
import { type OpDefinition, expectCounts, input, output } from "./context.js";
import { BinaryOp, elementwiseLayout, expectPerTensor, expectSameTypes, int32Folder, plainBinaryStep, q8Step } from "./elementwise.js";
import { quantizeMultiplier, storedZeroPoint } from "./quantization.js";

const LEFT_SHIFT = 7;

export const squaredDifference: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { op } = ctx;
    expectCounts(op, 2);
    const a = input(op, 0);
    const b = input(op, 1);
    const y = output(op, 0);
    expectSameTypes(op, a, b, y, ["int8", "float32", "int32"]);
    if (y.dtype !== "int8") return plainBinaryStep(ctx, BinaryOp.SquaredDifference, a, b, y, null);
    for (const [t, what] of [[a, "input 0"], [b, "input 1"], [y, "output"]] as const) expectPerTensor(op, t, what);
    // squared_difference.cc Prepare: both inputs to twice the larger scale, shifted left by 7.
    const twiceMaxInputScale = 2 * Math.max(a.scale[0], b.scale[0]);
    const [input1Multiplier, input1Shift] = quantizeMultiplier(a.scale[0] / twiceMaxInputScale);
    const [input2Multiplier, input2Shift] = quantizeMultiplier(b.scale[0] / twiceMaxInputScale);
    const [outputMultiplier, outputShift] = quantizeMultiplier(
      (twiceMaxInputScale * twiceMaxInputScale) / Math.fround(2 ** (2 * LEFT_SHIFT) * y.scale[0]));
    return q8Step(ctx, "binary_q8", {
      ...elementwiseLayout(ctx, a, b, y), op: BinaryOp.SquaredDifference,
      input1Offset: -storedZeroPoint(a), input1Multiplier, input1Shift,
      input2Offset: -storedZeroPoint(b), input2Multiplier, input2Shift,
      leftShift: LEFT_SHIFT, outputMultiplier, outputShift, outputOffset: storedZeroPoint(y), activationMin: -128, activationMax: 127, table: 0,
    });
  },
  fold: int32Folder(BinaryOp.SquaredDifference),
};
