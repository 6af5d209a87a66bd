// Prepare-time quantization arithmetic, as TFLite computes it once per model
// (tensorflow/lite/kernels/internal/quantization_util.cc, kernels/kernel_util.cc).
// Kernels keep every 8-bit activation as int8: a uint8 tensor is stored shifted by -128
// (byte XOR 0x80), which leaves TFLite's integer arithmetic unchanged when every zero point,
// offset and clamp is shifted the same way. `storageShift` gives that shift.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import { expectShape, fail, floatBits } from "./context.js";

/** QuantizeMultiplier: real = multiplier * 2^(shift - 31), multiplier in [2^30, 2^31). */
export function quantizeMultiplier(real: number): [multiplier: number, shift: number] {
  if (real === 0) return [0, 0];
  let shift = Math.floor(Math.log2(real)) + 1;
  let fraction = real / 2 ** shift;
  // Guard against log2 rounding: keep fraction in [0.5, 1) like frexp.
  if (fraction >= 1) { fraction /= 2; shift += 1; }
  if (fraction < 0.5) { fraction *= 2; shift -= 1; }
  let fixed = Math.round(fraction * 2 ** 31); // positive: Math.round is half away from zero
  if (fixed === 2 ** 31) { fixed /= 2; shift += 1; }
  if (shift < -31) return [0, 0];
  if (shift > 30) { return [2 ** 31 - 1, 30]; }
  return [fixed, shift];
}

/** 128 for uint8 tensors (stored as int8 = uint8 - 128), 0 otherwise. */
export function storageShift(tensor: GraphTensor): number {
  return tensor.dtype === "uint8" ? 128 : 0;
}

/** The tensor's (single) zero point in storage units. */
export function storedZeroPoint(tensor: GraphTensor): number {
  return tensor.zeroPoint[0] - storageShift(tensor);
}

export function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** TFLite's Quantize(f) of CalculateActivationRangeQuantized: zp + round(f / scale), float32 division. */
function quantizeValue(tensor: GraphTensor, real: number): number {
  return tensor.zeroPoint[0] + roundHalfAwayFromZero(Math.fround(real / Math.fround(tensor.scale[0])));
}

/** CalculateActivationRangeQuantized, returned in storage units. */
export function activationRange(op: GraphOp, tensor: GraphTensor, activation: string): [min: number, max: number] {
  if (!["NONE", "RELU", "RELU6", "RELU_N1_TO_1"].includes(activation)) fail(op, `fused activation ${activation} is not supported`);
  let qmin = tensor.dtype === "uint8" ? 0 : -128;
  let qmax = tensor.dtype === "uint8" ? 255 : 127;
  if (activation === "RELU") {
    qmin = Math.max(qmin, quantizeValue(tensor, 0));
  } else if (activation === "RELU6") {
    qmin = Math.max(qmin, quantizeValue(tensor, 0));
    qmax = Math.min(qmax, quantizeValue(tensor, 6));
  } else if (activation === "RELU_N1_TO_1") {
    qmin = Math.max(qmin, quantizeValue(tensor, -1));
    qmax = Math.min(qmax, quantizeValue(tensor, 1));
  }
  const shift = storageShift(tensor);
  return [qmin - shift, qmax - shift];
}

const FLT_MAX = 3.4028234663852886e38;

/** CalculateActivationRange for float32 outputs, as f32 param fields (floatBits). */
export function floatActivationRange(op: GraphOp, activation: string): { activationMin: number; activationMax: number } {
  const range = ({ NONE: [-FLT_MAX, FLT_MAX], RELU: [0, FLT_MAX], RELU6: [0, 6], RELU_N1_TO_1: [-1, 1] } as Record<string, number[]>)[activation];
  if (range === undefined) fail(op, `fused activation ${activation} is not supported`);
  return { activationMin: floatBits(range[0]), activationMax: floatBits(range[1]) };
}

/** TFLite's ComputePaddingHeightWidth for one axis: output size and the leading padding. */
export function convOutputAndPadding(
  padding: "SAME" | "VALID", inSize: number, filterSize: number, stride: number, dilation: number,
): { outSize: number; padBefore: number } {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  const outSize = padding === "SAME"
    ? Math.floor((inSize + stride - 1) / stride)
    : Math.floor((inSize - effectiveFilter + stride) / stride);
  const total = Math.max((outSize - 1) * stride + effectiveFilter - inSize, 0);
  return { outSize, padBefore: Math.floor(total / 2) };
}

const TWO_31 = 2 ** 31;

/**
 * MultiplyByQuantizedMultiplier (double rounding), with C's int32 wrap-around on the left shift,
 * in exact double arithmetic. SaturatingRoundingDoublingHighMul(a, b) = floor((a·b + 2^30) / 2^31)
 * for either sign of a·b (gemmlowp's nudge and truncating division agree with this floor; only
 * a = b = -2^31 saturates). With b = bh·2^16 + bl and a·bh = h1·2^15 + h0, 0 ≤ h0 < 2^15:
 * a·b + 2^30 = h1·2^31 + r, r = h0·2^16 + a·bl + 2^30, every term below 2^53.
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const a = shift > 0 ? Math.imul(x, 2 ** shift) : x | 0;
  const b = multiplier | 0;
  let high: number;
  if (a === -TWO_31 && b === -TWO_31) {
    high = TWO_31 - 1;
  } else {
    const ah = a * (b >> 16);
    const h1 = Math.floor(ah / 32768);
    high = h1 + Math.floor(((ah - h1 * 32768) * 65536 + a * (b & 0xffff) + 2 ** 30) / TWO_31);
  }
  const exponent = shift > 0 ? 0 : -shift;
  if (exponent === 0) return high;
  const mask = exponent === 31 ? 0x7fffffff : (1 << exponent) - 1;
  const remainder = high & mask;
  const threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> exponent) + (remainder > threshold ? 1 : 0);
}

/**
 * The 256-entry table (indexed by stored byte) that requantizes an 8-bit tensor into another
 * 8-bit quantization, as TFLite's Requantize does: MBQM(q - zpIn, s_in / s_out) + zpOut.
 */
export function requantizeTable(from: GraphTensor, to: GraphTensor): Uint8Array {
  const [m, s] = quantizeMultiplier(from.scale[0] / to.scale[0]);
  return byteTable(from, to, (q) => multiplyByQuantizedMultiplier(q - from.zeroPoint[0], m, s) + to.zeroPoint[0]);
}

/**
 * A table from each stored byte of `from` to the stored byte of `to`; `map` works on real
 * (unshifted) quantized values and its result is clamped to `to`'s range.
 */
export function byteTable(from: GraphTensor, to: GraphTensor, map: (q: number) => number): Uint8Array {
  const table = new Uint8Array(256);
  const [lo, hi] = to.dtype === "uint8" ? [0, 255] : [-128, 127];
  for (let stored = -128; stored < 128; stored++) {
    const q = stored + storageShift(from);
    const value = Math.min(Math.max(map(q), lo), hi) - storageShift(to);
    table[stored & 0xff] = value & 0xff;
  }
  return table;
}

/**
 * The spatial part of a convolution (CONV_2D, DEPTHWISE_CONV_2D): strides and dilations checked,
 * output size and padding as TFLite computes them, the output shape checked, and the kernel
 * parameter fields that describe the window.
 */
export function convolutionWindow(
  op: GraphOp,
  opts: { padding: "SAME" | "VALID"; strideH: number; strideW: number; dilationHFactor: number; dilationWFactor: number },
  x: GraphTensor, y: GraphTensor, kH: number, kW: number, outC: number,
) {
  const [batches, inH, inW] = x.shape;
  if (opts.strideH < 1 || opts.strideW < 1 || opts.dilationHFactor < 1 || opts.dilationWFactor < 1) {
    fail(op, `strides (${opts.strideH}, ${opts.strideW}) and dilations (${opts.dilationHFactor}, ${opts.dilationWFactor}) must be at least 1`);
  }
  const rows = convOutputAndPadding(opts.padding, inH, kH, opts.strideH, opts.dilationHFactor);
  const cols = convOutputAndPadding(opts.padding, inW, kW, opts.strideW, opts.dilationWFactor);
  if (rows.outSize < 1 || cols.outSize < 1) fail(op, `the filter does not fit the input (${inH}×${inW})`);
  expectShape(op, y, [batches, rows.outSize, cols.outSize, outC], "output");
  return {
    inputHeight: inH, inputWidth: inW, filterHeight: kH, filterWidth: kW,
    outputHeight: rows.outSize, outputWidth: cols.outSize, outputChannels: outC,
    strideHeight: opts.strideH, strideWidth: opts.strideW, dilationHeight: opts.dilationHFactor, dilationWidth: opts.dilationWFactor,
    padTop: rows.padBefore, padLeft: cols.padBefore,
  };
}
