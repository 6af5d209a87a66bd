// L2_NORMALIZATION over the last axis: int8/uint8 with output scale 1/128 (zero point 0 / 128),
// TFLite's integer reference kernels; or float32. No fused activation (TFLite has none).
import { type OpDefinition, fail, kernelStep, storeParams } from "./context.js";
import { storedZeroPoint } from "./quantization.js";
import { expectOutputQuantization, unaryTensors } from "./unary.js";

/** Field order of L2NormalizationParams in assembly/kernels/l2_normalization.ts. */
const FIELDS = ["input", "output", "rows", "depth", "kind", "zeroPoint"] as const;
const KINDS = { int8: 0, uint8: 1, float32: 2 } as Record<string, number>;

export const l2Normalization: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { op } = ctx;
    const { x, y, float } = unaryTensors(op, ["float32", "int8", "uint8"]);
    const activation = op.options?.kind === "L2NormOptions" ? op.options.fusedActivation : "NONE";
    if (activation !== "NONE") fail(op, `fused activation ${activation} is not supported`);
    if (x.shape.length < 1 || x.shape.length > 4) fail(op, `input has ${x.shape.length} dimensions; expected 1 to 4`);
    if (!float) expectOutputQuantization(op, y, 1 / 128, { int8: 0, uint8: 128 });
    const depth = x.shape[x.shape.length - 1];
    const params = storeParams(ctx.memory, FIELDS, {
      input: ctx.address(x), output: ctx.address(y), rows: depth === 0 ? 0 : x.elementCount / depth, depth,
      kind: KINDS[x.dtype], zeroPoint: float ? 0 : storedZeroPoint(x),
    });
    return kernelStep(ctx, "l2_normalization", params);
  },
};
