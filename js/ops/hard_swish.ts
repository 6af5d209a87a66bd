// HARD_SWISH: int8/uint8 as TFLite's reference HardSwish (int16 fixed point: the input on a
// 2^-7 finer scale, a "relu-ish" factor in [0, 1], SaturatingDoublingHighMul, a rounding shift),
// through a table; float32: x·min(6, max(0, x + 3)) / 6.
import { type OpDefinition, fail } from "./context.js";
import { roundingDivideByPOT, roundingDoublingHighMul } from "./fixed-point.js";
import { byteTable, quantizeMultiplier } from "./quantization.js";
import { UNARY_F32, floatStep, tableStep, unaryTensors } from "./unary.js";

/** DownScaleInt32ToInt16Multiplier. */
const int16Multiplier = (m: number) => (m >= 2147483647 - 32768 ? 32767 : (m + 32768) >> 16);

const int16 = (v: number) => (v << 16) >> 16;
const saturate16 = (v: number) => Math.min(Math.max(v, -32768), 32767);

export const hardSwish: OpDefinition = {
  maxVersion: 1,
  prepare(ctx) {
    const { op } = ctx;
    const { x, y, float } = unaryTensors(op, ["float32", "int8", "uint8"]);
    if (float) return floatStep(ctx, x, y, UNARY_F32.HARD_SWISH);
    const hiresInputScale = Math.fround(Math.fround(1 / 128) * x.scale[0]);
    const reluishScale = Math.fround(3 / 32768);
    const [outputMultiplier32, outputExponent] = quantizeMultiplier(Math.fround(hiresInputScale / y.scale[0]));
    if (outputExponent > 0) fail(op, `input scale ${x.scale[0]} is too large for output scale ${y.scale[0]}`);
    const [reluishMultiplier32, reluishExponent] = quantizeMultiplier(Math.fround(hiresInputScale / reluishScale));
    const outputMultiplier = int16Multiplier(outputMultiplier32);
    const reluishMultiplier = int16Multiplier(reluishMultiplier32);
    const mul16 = (a: number, b: number) => roundingDoublingHighMul(a, b, 16);
    return tableStep(ctx, x, y, byteTable(x, y, (q) => {
      const hires = int16((q - x.zeroPoint[0]) * 128);
      const preshiftOutput = mul16(hires, outputMultiplier);
      let reluish = hires;
      if (reluishExponent > 0) reluish = saturate16(reluish * 2 ** (reluishExponent - 1));
      reluish = mul16(reluish, reluishMultiplier);
      if (reluishExponent > 0) reluish = saturate16(reluish * 2);
      if (reluishExponent < 0) reluish = roundingDivideByPOT(reluish, -reluishExponent);
      reluish = (reluish + 32768) >> 1;
      const preshiftValue = reluish === -32768 && preshiftOutput === -32768 ? 32767 : Math.trunc((reluish * preshiftOutput) / 32768);
      return int16(roundingDivideByPOT(preshiftValue, -outputExponent) + y.zeroPoint[0]);
    }));
  },
};
