// SUB: two int8/uint8, float32 or int32 tensors, broadcastable (js/ops/elementwise.ts) → output,
// with a fused activation. 8-bit: TFLite runs ADD's arithmetic with input 2's multiplier negated,
// and so does quantlite, on ADD's kernels (assembly/kernels/add.ts).
import { type OpDefinition, expectCounts, input, kernelName, kernelStep, output, storeParams } from "./context.js";
import { FIELDS as ADD_FIELDS, LEFT_SHIFT } from "./add.js";
import { BinaryOp, elementwiseLayout, expectPerTensor, expectSameTypes, fusedActivationOf, int32Folder, plainBinaryStep } from "./elementwise.js";
import { activationRange, quantizeMultiplier, storedZeroPoint } from "./quantization.js";

export const sub: OpDefinition = {
  maxVersion: 5,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 2);
    const a = input(op, 0);
    const b = input(op, 1);
    const y = output(op, 0);
    expectSameTypes(op, a, b, y, ["int8", "uint8", "float32", "int32"]);
    const activation = fusedActivationOf(op);
    if (y.dtype === "float32" || y.dtype === "int32") return plainBinaryStep(ctx, BinaryOp.Sub, a, b, y, activation);
    for (const [t, what] of [[a, "input 0"], [b, "input 1"], [y, "output"]] as const) expectPerTensor(op, t, what);
    // sub.cc PrepareGeneralSubOp: add.cc's multipliers, input 2's negated.
    const twiceMaxInputScale = 2 * Math.max(a.scale[0], b.scale[0]);
    const [input1Multiplier, input1Shift] = quantizeMultiplier(a.scale[0] / twiceMaxInputScale);
    const [input2Multiplier, input2Shift] = quantizeMultiplier(b.scale[0] / twiceMaxInputScale);
    const [outputMultiplier, outputShift] = quantizeMultiplier(twiceMaxInputScale / (2 ** LEFT_SHIFT * y.scale[0]));
    const [activationMin, activationMax] = activationRange(op, y, activation);
    const values = {
      ...elementwiseLayout(ctx, a, b, y),
      input1Offset: -storedZeroPoint(a), input1Multiplier, input1Shift,
      input2Offset: -storedZeroPoint(b), input2Multiplier: -input2Multiplier, input2Shift,
      leftShift: LEFT_SHIFT, outputMultiplier, outputShift, outputOffset: storedZeroPoint(y),
      activationMin, activationMax,
    };
    const params = storeParams(memory, ADD_FIELDS, values);
    const kernel = kernelName(ctx, "add");
    return kernelStep(ctx, kernel, params, { kind: "elementwise", kernel, fields: ADD_FIELDS, values, elementBytes: 1, scratchBytes: 0 });
  },
  fold: int32Folder(BinaryOp.Sub),
};
