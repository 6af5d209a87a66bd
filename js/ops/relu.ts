// RELU, RELU6, RELU_N1_TO_1: int8/uint8 as TFLite's ReluX (requantize by s_in / s_out in float32,
// then clamp to the quantized bounds), through a table; float32 by a clamp.
import type { OpDefinition } from "./context.js";
import { byteTable, multiplyByQuantizedMultiplier, quantizeMultiplier } from "./quantization.js";
import { UNARY_F32, floatStep, floatToInt32, quantizedRange, roundFloat, tableStep, unaryTensors } from "./unary.js";

function reluX(lower: number, upper: number, maxVersion: number): OpDefinition {
  return {
    maxVersion,
    prepare(ctx) {
      const { x, y, float } = unaryTensors(ctx.op, ["float32", "int8", "uint8"]);
      if (float) return floatStep(ctx, x, y, UNARY_F32.CLAMP, lower, upper);
      const [multiplier, shift] = quantizeMultiplier(Math.fround(x.scale[0] / y.scale[0]));
      const [typeMin, typeMax] = quantizedRange(y);
      const bound = (v: number) => y.zeroPoint[0] + floatToInt32(roundFloat(Math.fround(v / y.scale[0])));
      const qmin = Math.max(typeMin, bound(lower));
      const qmax = upper === Infinity ? typeMax : Math.min(typeMax, bound(upper));
      const table = byteTable(x, y, (q) => {
        const value = y.zeroPoint[0] + multiplyByQuantizedMultiplier(q - x.zeroPoint[0], multiplier, shift);
        return Math.min(Math.max(value, qmin), qmax);
      });
      return tableStep(ctx, x, y, table);
    },
  };
}

export const relu = reluX(0, Infinity, 3);
export const relu6 = reluX(0, 6, 2);
export const reluN1To1 = reluX(-1, 1, 1);
