// ADD: two int8/uint8, float32 or int32 tensors of the same shape, or broadcastable
// (js/ops/elementwise.ts) → output.
import { type OpDefinition, expectCounts, input, kernelName, kernelStep, output, storeParams } from "./context.js";
import { BinaryOp, LAYOUT_FIELDS, elementwiseLayout, expectPerTensor, expectSameTypes, fusedActivationOf, int32Folder, plainBinaryStep } from "./elementwise.js";
import { activationRange, floatActivationRange, quantizeMultiplier, storedZeroPoint } from "./quantization.js";

/** Field order of AddParams in assembly/kernels/add.ts. */
export const FIELDS = [
  ...LAYOUT_FIELDS,
  "input1Offset", "input1Multiplier", "input1Shift",
  "input2Offset", "input2Multiplier", "input2Shift",
  "leftShift", "outputMultiplier", "outputShift", "outputOffset", "activationMin", "activationMax",
] as const;

/** Field order of AddF32Params in assembly/kernels/add_f32.ts. */
export const FIELDS_F32 = [...LAYOUT_FIELDS, "activationMin", "activationMax"] as const;

/** add.cc's left shift of both 8-bit inputs before scaling (SUB uses it too). */
export const LEFT_SHIFT = 20;

export const add: OpDefinition = {
  maxVersion: 5,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 2);
    const a = input(op, 0);
    const b = input(op, 1);
    const y = output(op, 0);
    expectSameTypes(op, a, b, y, ["int8", "uint8", "float32", "int32"]);
    const activation = fusedActivationOf(op);
    if (y.dtype === "int32") return plainBinaryStep(ctx, BinaryOp.Add, a, b, y, activation);
    const shapes = elementwiseLayout(ctx, a, b, y);
    if (y.dtype === "float32") {
      const values = { ...shapes, ...floatActivationRange(op, activation) };
      const params = storeParams(memory, FIELDS_F32, values);
      const kernel = kernelName(ctx, "add_f32");
      return kernelStep(ctx, kernel, params, { kind: "elementwise", kernel, fields: FIELDS_F32, values, elementBytes: 4, scratchBytes: 0 });
    }
    for (const [t, what] of [[a, "input 0"], [b, "input 1"], [y, "output"]] as const) expectPerTensor(op, t, what);

    // add.cc Prepare: both inputs scaled to twice the larger input scale, then to the output.
    const twiceMaxInputScale = 2 * Math.max(a.scale[0], b.scale[0]);
    const [input1Multiplier, input1Shift] = quantizeMultiplier(a.scale[0] / twiceMaxInputScale);
    const [input2Multiplier, input2Shift] = quantizeMultiplier(b.scale[0] / twiceMaxInputScale);
    const [outputMultiplier, outputShift] = quantizeMultiplier(twiceMaxInputScale / (2 ** LEFT_SHIFT * y.scale[0]));
    const [activationMin, activationMax] = activationRange(op, y, activation);
    const values = {
      ...shapes,
      input1Offset: -storedZeroPoint(a), input1Multiplier, input1Shift,
      input2Offset: -storedZeroPoint(b), input2Multiplier, input2Shift,
      leftShift: LEFT_SHIFT, outputMultiplier, outputShift, outputOffset: storedZeroPoint(y),
      activationMin, activationMax,
    };
    const params = storeParams(memory, FIELDS, values);
    const kernel = kernelName(ctx, "add");
    return kernelStep(ctx, kernel, params, { kind: "elementwise", kernel, fields: FIELDS, values, elementBytes: 1, scratchBytes: 0 });
  },
  fold: int32Folder(BinaryOp.Add),
};
