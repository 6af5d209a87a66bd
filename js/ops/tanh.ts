// TANH: int8/uint8 through TFLite's float lookup table (tanh in float32), any output
// quantization (models use 1/128); or float32.
import type { OpDefinition } from "./context.js";
import { UNARY_F32, floatStep, lutTable, tableStep, unaryTensors } from "./unary.js";

export const tanh: OpDefinition = {
  maxVersion: 3,
  prepare(ctx) {
    const { x, y, float } = unaryTensors(ctx.op, ["float32", "int8", "uint8"]);
    if (float) return floatStep(ctx, x, y, UNARY_F32.TANH);
    return tableStep(ctx, x, y, lutTable(x, y, (v) => Math.fround(Math.tanh(v))));
  },
};
