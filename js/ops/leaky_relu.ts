// LEAKY_RELU: int8/uint8 as TFLite's QuantizeLeakyRelu (x ≥ 0 requantized by s_in / s_out,
// x < 0 by s_in·alpha / s_out, both in float32), through a table; float32: x > 0 ? x : alpha·x.
import { type OpDefinition, options } from "./context.js";
import { byteTable, multiplyByQuantizedMultiplier } from "./quantization.js";
import { UNARY_F32, floatStep, signedQuantizeMultiplier, tableStep, unaryTensors } from "./unary.js";

export const leakyRelu: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { alpha } = options(ctx.op, "LeakyReluOptions");
    const { x, y, float } = unaryTensors(ctx.op, ["float32", "int8", "uint8"]);
    if (float) return floatStep(ctx, x, y, UNARY_F32.LEAKY_RELU, alpha);
    const [alphaMultiplier, alphaShift] = signedQuantizeMultiplier(Math.fround(Math.fround(x.scale[0] * alpha) / y.scale[0]));
    const [identityMultiplier, identityShift] = signedQuantizeMultiplier(Math.fround(x.scale[0] / y.scale[0]));
    return tableStep(ctx, x, y, byteTable(x, y, (q) => {
      const value = q - x.zeroPoint[0];
      return y.zeroPoint[0] + (value >= 0
        ? multiplyByQuantizedMultiplier(value, identityMultiplier, identityShift)
        : multiplyByQuantizedMultiplier(value, alphaMultiplier, alphaShift));
    }));
  },
};
