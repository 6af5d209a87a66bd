// MUL: two int8/uint8, float32 or int32 tensors, broadcastable (js/ops/elementwise.ts) → output,
// with a fused activation. 8-bit: the v128 kernel `mul` (assembly/kernels/mul.ts).
import { type OpDefinition, expectCounts, input, kernelName, output } from "./context.js";
import { BinaryOp, elementwiseLayout, expectPerTensor, expectSameTypes, fusedActivationOf, int32Folder, plainBinaryStep, q8Step, UNUSED_Q8 } from "./elementwise.js";
import { activationRange, quantizeMultiplier, storedZeroPoint } from "./quantization.js";

export const mul: OpDefinition = {
  maxVersion: 7,
  prepare(ctx) {
    const { op } = ctx;
    expectCounts(op, 2);
    const a = input(op, 0);
    const b = input(op, 1);
    const y = output(op, 0);
    expectSameTypes(op, a, b, y, ["int8", "uint8", "float32", "int32"]);
    const activation = fusedActivationOf(op);
    if (y.dtype === "float32" || y.dtype === "int32") return plainBinaryStep(ctx, BinaryOp.Mul, a, b, y, activation);
    for (const [t, what] of [[a, "input 0"], [b, "input 1"], [y, "output"]] as const) expectPerTensor(op, t, what);
    // mul.cc Prepare: the scales' product and quotient in float32, then QuantizeMultiplier.
    const [outputMultiplier, outputShift] = quantizeMultiplier(Math.fround(Math.fround(a.scale[0] * b.scale[0]) / y.scale[0]));
    const [activationMin, activationMax] = activationRange(op, y, activation);
    return q8Step(ctx, kernelName(ctx, "mul"), {
      ...elementwiseLayout(ctx, a, b, y), op: BinaryOp.Mul, ...UNUSED_Q8,
      input1Offset: -storedZeroPoint(a), input2Offset: -storedZeroPoint(b),
      outputMultiplier, outputShift, outputOffset: storedZeroPoint(y), activationMin, activationMax,
    });
  },
  fold: int32Folder(BinaryOp.Mul),
};
