// DIV: two float32, int32 or uint8 (int8 where TFLite has it) tensors, broadcastable
// (js/ops/elementwise.ts) → output, with a fused activation. int32 quotients truncate toward
// zero. 8-bit: reference_ops::DivElementwise's integer arithmetic (a reciprocal by gemmlowp's
// Newton-Raphson, then two requantizations), computed here for every pair of input bytes into a
// 256×256 table that the kernel (binary_q8) looks the output up in.
import { type OpDefinition, expectCounts, input, output } from "./context.js";
import { BinaryOp, elementwiseLayout, expectPerTensor, expectSameTypes, fusedActivationOf, int32Folder, plainBinaryStep, q8Step, UNUSED_Q8 } from "./elementwise.js";
import { activationRange, quantizeMultiplier, storedZeroPoint } from "./quantization.js";

const TWO_31 = 2 ** 31;
const INT32_MAX = TWO_31 - 1;

/** gemmlowp SaturatingRoundingDoublingHighMul, exact in doubles (as quantization.ts multiplyByQuantizedMultiplier). */
function highMul(a: number, b: number): number {
  if (a === -TWO_31 && b === -TWO_31) return INT32_MAX;
  const ah = a * (b >> 16);
  const h1 = Math.floor(ah / 32768);
  return h1 + Math.floor(((ah - h1 * 32768) * 65536 + a * (b & 0xffff) + 2 ** 30) / TWO_31);
}

/**
 * gemmlowp RoundingDivideByPOT as TFLite runs it, also for exponents of 32 and more (dividends
 * of 0 and ±1, whose headroom is 31, shift by up to ~40): the mask (1ll << exponent) - 1 then has
 * all 32 bits set and x86 shifts by exponent mod 32 (the fixtures show both).
 */
function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent <= 0) return x;
  const mask = exponent >= 32 ? -1 : exponent === 31 ? 0x7fffffff : (1 << exponent) - 1;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + ((x & mask) > threshold ? 1 : 0);
}

function saturatingShiftLeft(x: number, shift: number): number {
  return Math.min(Math.max(x * 2 ** shift, -TWO_31), INT32_MAX);
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1: Q0.31 in and out, Newton-Raphson in Q2.29. */
function oneOverOnePlusX(a: number): number {
  const sum = a + INT32_MAX;
  const halfDenominator = Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
  let x = (1515870810 + highMul(halfDenominator, -1010580540)) | 0;
  for (let i = 0; i < 3; i++) {
    const oneMinus = ((1 << 29) - highMul(halfDenominator, x)) | 0;
    x = (x + saturatingShiftLeft(highMul(x, oneMinus), 2)) | 0;
  }
  return saturatingShiftLeft(x, 1);
}

/** CountLeadingSignBits of an int32. */
function leadingSignBits(x: number): number {
  return Math.clz32(x >= 0 ? x : ~x) - 1;
}

/** Every output byte (storage units) by ((x1 & 255) << 8) | (x2 & 255) of the stored input bytes. */
function divisionTable(offset1: number, offset2: number, multiplier: number, shift: number, outputOffset: number, lo: number, hi: number): Int8Array {
  const table = new Int8Array(65536);
  for (let x2 = -128; x2< 128; x2++) {
    let v2 = x2 + offset2;
    const sign = v2 < 0 ? -1 : 1;
    v2 *= sign;
    // GetReciprocal(v2, 31): 1 / v2 as a Q0.31 multiplier and a shift.
    const headroomPlusOne = Math.clz32(v2);
    const reciprocalShift = 31 - headroomPlusOne;
    const inverse = v2 === 0 ? 0 : oneOverOnePlusX((v2 << headroomPlusOne >>> 0) - TWO_31);
    for (let x1 = -128; x1 < 128; x1++) {
      const v1 = (x1 + offset1) * sign;
      const headroom = leadingSignBits(v1);
      // v1·2^headroom wraps like C's int32 product (-1 · 2^31 = -2^31).
      const unscaled = highMul(Math.imul(v1, 1 << headroom), inverse);
      const totalShift = shift - reciprocalShift - headroom;
      const value = roundingDivideByPOT(highMul(unscaled, multiplier), -totalShift) + outputOffset;
      // A zero divisor (which TFLite leaves undefined) gives the output offset.
      table[((x1 & 255) << 8) | (x2 & 255)] = Math.min(Math.max(v2 === 0 ? outputOffset : value, lo), hi);
    }
  }
  return table;
}

export const div: OpDefinition = {
  maxVersion: 2,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 2);
    const a = input(op, 0);
    const b = input(op, 1);
    const y = output(op, 0);
    expectSameTypes(op, a, b, y, ["float32", "int32", "uint8", "int8"]);
    const activation = fusedActivationOf(op);
    if (y.dtype === "float32" || y.dtype === "int32") return plainBinaryStep(ctx, BinaryOp.Div, a, b, y, activation);
    for (const [t, what] of [[a, "input 0"], [b, "input 1"], [y, "output"]] as const) expectPerTensor(op, t, what);
    // div.cc Prepare: the scales' quotient in float32, then QuantizeMultiplier.
    const [multiplier, shift] = quantizeMultiplier(Math.fround(a.scale[0] / Math.fround(b.scale[0] * y.scale[0])));
    const [lo, hi] = activationRange(op, y, activation);
    const table = divisionTable(-storedZeroPoint(a), -storedZeroPoint(b), multiplier, shift, storedZeroPoint(y), lo, hi);
    return q8Step(ctx, "binary_q8", {
      ...elementwiseLayout(ctx, a, b, y), op: BinaryOp.Div, ...UNUSED_Q8, activationMin: -128, activationMax: 127, table: memory.store(table),
    });
  },
  fold: int32Folder(BinaryOp.Div),
};
