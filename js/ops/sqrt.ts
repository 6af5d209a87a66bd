// SQRT and RSQRT. int8 (TFLite has no uint8 kernel), through a table: SQRT dequantizes and
// truncates sqrt / s_out in float32; RSQRT is integer (GetInvSqrtQuantizedMultiplierExp of
// q - zp, then 1 / (sqrt(s_in)·s_out)), the largest value at q = zp. TFLite stops with an
// error on inputs below the zero point; here they give the table's value for them.
// float32: sqrt(x), 1 / sqrt(x).
import type { OpDefinition } from "./context.js";
import { invSqrtMultiplier } from "./fixed-point.js";
import { byteTable, multiplyByQuantizedMultiplier, quantizeMultiplier } from "./quantization.js";
import { UNARY_F32, floatStep, floatToInt32, tableStep, unaryTensors } from "./unary.js";

export const sqrt: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { x, y, float } = unaryTensors(ctx.op, ["float32", "int8"]);
    if (float) return floatStep(ctx, x, y, UNARY_F32.SQRT);
    return tableStep(ctx, x, y, byteTable(x, y, (q) => {
      const root = Math.fround(Math.sqrt(Math.fround(x.scale[0] * (q - x.zeroPoint[0]))));
      return floatToInt32(Math.fround(root / y.scale[0])) + y.zeroPoint[0];
    }));
  },
};

const SHIFT = 20;

export const rsqrt: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { x, y, float } = unaryTensors(ctx.op, ["float32", "int8"]);
    if (float) return floatStep(ctx, x, y, UNARY_F32.RSQRT);
    const [multiplier, shift] = quantizeMultiplier(1 / Math.fround(Math.fround(Math.sqrt(x.scale[0])) * y.scale[0]));
    return tableStep(ctx, x, y, byteTable(x, y, (q) => {
      const value = q - x.zeroPoint[0];
      if (value === 0) return 127;
      const [invSqrt, invShift] = invSqrtMultiplier(value, -1);
      const data = multiplyByQuantizedMultiplier(1, invSqrt, invShift + SHIFT);
      return multiplyByQuantizedMultiplier(data, multiplier, shift - SHIFT) + y.zeroPoint[0];
    }));
  },
};
