// PRELU: x ≥ 0 ? x : x·alpha, alpha broadcast to x (js/ops/elementwise.ts), int8/uint8 or float32.
// 8-bit: activations.cc's two multipliers (kernel binary_q8).
import { type OpDefinition, expectCounts, fail, input, output } from "./context.js";
import { BinaryOp, elementwiseLayout, expectPerTensor, expectSameTypes, plainBinaryStep, q8Step, UNUSED_Q8 } from "./elementwise.js";
import { quantizeMultiplier, storedZeroPoint } from "./quantization.js";

export const prelu: OpDefinition = {
  maxVersion: 1,
  prepare(ctx) {
    const { op } = ctx;
    expectCounts(op, 2);
    const x = input(op, 0);
    const alpha = input(op, 1);
    const y = output(op, 0);
    expectSameTypes(op, x, alpha, y, ["int8", "uint8", "float32"]);
    if (x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) fail(op, `output has shape [${y.shape}]; expected the input's [${x.shape}]`);
    if (y.dtype === "float32") return plainBinaryStep(ctx, BinaryOp.Prelu, x, alpha, y, null);
    for (const [t, what] of [[x, "input"], [alpha, "alpha"], [y, "output"]] as const) expectPerTensor(op, t, what);
    // PreluPrepare: the scale quotients in float32.
    const [input1Multiplier, input1Shift] = quantizeMultiplier(Math.fround(x.scale[0] / y.scale[0]));
    const [outputMultiplier, outputShift] = quantizeMultiplier(Math.fround(Math.fround(x.scale[0] * alpha.scale[0]) / y.scale[0]));
    return q8Step(ctx, "binary_q8", {
      ...elementwiseLayout(ctx, x, alpha, y), op: BinaryOp.Prelu, ...UNUSED_Q8,
      input1Offset: -storedZeroPoint(x), input1Multiplier, input1Shift, input2Offset: -storedZeroPoint(alpha),
      outputMultiplier, outputShift, outputOffset: storedZeroPoint(y), activationMin: -128, activationMax: 127,
    });
  },
};
