// LOGISTIC: int8/uint8 → the same dtype with scale 1/256, through TFLite's float lookup table
// (1 / (1 + exp(-x)) in float32); or float32.
import type { OpDefinition } from "./context.js";
import { UNARY_F32, expectOutputQuantization, floatStep, lutTable, tableStep, unaryTensors } from "./unary.js";

const sigmoid = (v: number) => Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(-v))));

export const logistic: OpDefinition = {
  maxVersion: 3,
  prepare(ctx) {
    const { x, y, float } = unaryTensors(ctx.op, ["float32", "int8", "uint8"]);
    if (float) return floatStep(ctx, x, y, UNARY_F32.LOGISTIC);
    expectOutputQuantization(ctx.op, y, 1 / 256);
    return tableStep(ctx, x, y, lutTable(x, y, sigmoid));
  },
};
