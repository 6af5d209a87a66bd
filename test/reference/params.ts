// Prepare-time parameter computations of TensorFlow Lite, re-derived from the sources:
// kernel_util.cc (PopulateConvolutionQuantizationParams, GetQuantizedConvolutionMultipler,
// CalculateActivationRangeQuantized), quantization_util.cc (PreprocessSoftmaxScaling,
// CalculateInputRadius), padding.h (ComputePaddingHeightWidth), add_common.cc, reduce.h.
//
// Scales are float32 values (as stored in the flatbuffer); `Math.fround` reproduces every
// float32 operation the C++ code performs (a float op done in double and rounded once to
// float is correctly rounded for + - * /).

import {
  floorLog2,
  quantizeMultiplier,
  quantizeMultiplierGreaterThanOne,
  quantizeMultiplierSmallerThanOneExp,
  roundHalfAwayFromZero,
} from "./fixedpoint.js";

export type QDtype = "int8" | "uint8";
export type FusedActivation = "NONE" | "RELU" | "RELU_N1_TO_1" | "RELU6";
export type PaddingType = "SAME" | "VALID";

/** Per-tensor quantization of an activation tensor, as TFLite stores it. */
export interface QParams {
  scale: number;
  zeroPoint: number;
}

export function dtypeRange(dtype: QDtype): [number, number] {
  return dtype === "int8" ? [-128, 127] : [0, 255];
}

const f32 = Math.fround;

/** kernel_util.cc Quantize(): zero_point + (int)round(f / scale), float division, std::round. */
function quantizeForActivation(scale: number, zeroPoint: number, f: number): number {
  const tmp = roundHalfAwayFromZero(f32(f / f32(scale)));
  return zeroPoint + tmp;
}

/** CalculateActivationRangeQuantized for an int8/uint8 output. */
export function activationRange(activation: FusedActivation, dtype: QDtype, out: QParams): [number, number] {
  const [qmin, qmax] = dtypeRange(dtype);
  switch (activation) {
    case "RELU":
      return [Math.max(qmin, quantizeForActivation(out.scale, out.zeroPoint, 0)), qmax];
    case "RELU6":
      return [
        Math.max(qmin, quantizeForActivation(out.scale, out.zeroPoint, 0)),
        Math.min(qmax, quantizeForActivation(out.scale, out.zeroPoint, 6)),
      ];
    case "RELU_N1_TO_1":
      return [
        Math.max(qmin, quantizeForActivation(out.scale, out.zeroPoint, -1)),
        Math.min(qmax, quantizeForActivation(out.scale, out.zeroPoint, 1)),
      ];
    default:
      return [qmin, qmax];
  }
}

/** PopulateConvolutionQuantizationParams, per channel (the int8 path; also used by TFLM for
 *  per-tensor int8 weights, broadcast): double(s_in) * double(s_w[c]) / double(s_out). */
export function perChannelMultipliers(
  inputScale: number,
  filterScales: readonly number[],
  outputScale: number,
  numChannels: number,
): { multipliers: Int32Array; shifts: Int32Array; realMultipliers: number[] } {
  const multipliers = new Int32Array(numChannels);
  const shifts = new Int32Array(numChannels);
  const realMultipliers: number[] = [];
  for (let c = 0; c < numChannels; c++) {
    const filterScale = filterScales.length > 1 ? filterScales[c] : filterScales[0];
    const real = (f32(inputScale) * f32(filterScale)) / f32(outputScale);
    const [m, s] = quantizeMultiplier(real);
    multipliers[c] = m;
    shifts[c] = s;
    realMultipliers.push(real);
  }
  return { multipliers, shifts, realMultipliers };
}

/** GetQuantizedConvolutionMultipler: double(float(s_in * s_w)) / double(s_out). Used for uint8
 *  conv/depthwise and per-tensor FULLY_CONNECTED (int8 and uint8). */
export function convolutionRealMultiplierFloatProduct(inputScale: number, filterScale: number, outputScale: number): number {
  return f32(f32(inputScale) * f32(filterScale)) / f32(outputScale);
}

export interface PaddingResult {
  outHeight: number;
  outWidth: number;
  padTop: number;
  padLeft: number;
  padHeightOffset: number;
  padWidthOffset: number;
}

/** padding.h ComputeOutSize. */
export function computeOutSize(padding: PaddingType, imageSize: number, filterSize: number, stride: number, dilation = 1): number {
  const effectiveFilterSize = (filterSize - 1) * dilation + 1;
  if (padding === "SAME") return Math.trunc((imageSize + stride - 1) / stride);
  return Math.trunc((imageSize + stride - effectiveFilterSize) / stride);
}

function paddingWithOffset(stride: number, dilation: number, inSize: number, filterSize: number, outSize: number): [number, number] {
  const effectiveFilterSize = (filterSize - 1) * dilation + 1;
  let total = (outSize - 1) * stride + effectiveFilterSize - inSize;
  total = total > 0 ? total : 0;
  return [Math.trunc(total / 2), total % 2];
}

/** padding.h ComputePaddingHeightWidth. */
export function computePaddingHeightWidth(
  strideH: number,
  strideW: number,
  dilationH: number,
  dilationW: number,
  inHeight: number,
  inWidth: number,
  filterHeight: number,
  filterWidth: number,
  padding: PaddingType,
): PaddingResult {
  const outWidth = computeOutSize(padding, inWidth, filterWidth, strideW, dilationW);
  const outHeight = computeOutSize(padding, inHeight, filterHeight, strideH, dilationH);
  const [padTop, padHeightOffset] = paddingWithOffset(strideH, dilationH, inHeight, filterHeight, outHeight);
  const [padLeft, padWidthOffset] = paddingWithOffset(strideW, dilationW, inWidth, filterWidth, outWidth);
  return { outHeight, outWidth, padTop, padLeft, padHeightOffset, padWidthOffset };
}

export interface AddParams {
  leftShift: number;
  input1Offset: number;
  input2Offset: number;
  outputOffset: number;
  input1Multiplier: number;
  input1Shift: number;
  input2Multiplier: number;
  input2Shift: number;
  outputMultiplier: number;
  outputShift: number;
  realInput1Multiplier: number;
  realInput2Multiplier: number;
  realOutputMultiplier: number;
  activationMin: number;
  activationMax: number;
}

/** add.cc / add_common.cc Prepare for int8 and uint8 (left_shift 20). */
export function addParams(dtype: QDtype, in1: QParams, in2: QParams, out: QParams, activation: FusedActivation): AddParams {
  const leftShift = 20;
  const twiceMaxInputScale = 2 * Math.max(f32(in1.scale), f32(in2.scale));
  const realInput1Multiplier = f32(in1.scale) / twiceMaxInputScale;
  const realInput2Multiplier = f32(in2.scale) / twiceMaxInputScale;
  const realOutputMultiplier = twiceMaxInputScale / (2 ** leftShift * f32(out.scale));
  const [input1Multiplier, input1Shift] = quantizeMultiplierSmallerThanOneExp(realInput1Multiplier);
  const [input2Multiplier, input2Shift] = quantizeMultiplierSmallerThanOneExp(realInput2Multiplier);
  const [outputMultiplier, outputShift] = quantizeMultiplierSmallerThanOneExp(realOutputMultiplier);
  const [activationMin, activationMax] = activationRange(activation, dtype, out);
  return {
    leftShift,
    input1Offset: -in1.zeroPoint,
    input2Offset: -in2.zeroPoint,
    outputOffset: out.zeroPoint,
    input1Multiplier,
    input1Shift,
    input2Multiplier,
    input2Shift,
    outputMultiplier,
    outputShift,
    realInput1Multiplier,
    realInput2Multiplier,
    realOutputMultiplier,
    activationMin,
    activationMax,
  };
}

export const SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5;

/** quantization_util.cc CalculateInputRadius (floating-point build). */
export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
  const maxInputRescaled =
    (1.0 * (2 ** inputIntegerBits - 1) * 2 ** (totalSignedBits - inputIntegerBits)) / 2 ** inputLeftShift;
  return Math.floor(maxInputRescaled);
}

export interface SoftmaxParams {
  inputMultiplier: number;
  inputLeftShift: number;
  diffMin: number;
}

/** SoftmaxPrepare (activations.cc / softmax_common.cc) for int8/uint8 input:
 *  PreprocessSoftmaxScaling(beta, s_in, 5) and diff_min = -CalculateInputRadius(5, left_shift). */
export function softmaxParams(beta: number, inputScale: number): SoftmaxParams {
  const maxRealMultiplier = 2 ** 31 - 1.0;
  const real = Math.min(
    f32(beta) * f32(inputScale) * 2 ** (31 - SOFTMAX_SCALED_DIFF_INTEGER_BITS),
    maxRealMultiplier,
  );
  const [inputMultiplier, inputLeftShift] = quantizeMultiplierGreaterThanOne(real);
  const diffMin = -calculateInputRadius(SOFTMAX_SCALED_DIFF_INTEGER_BITS, inputLeftShift);
  return { inputMultiplier, inputLeftShift, diffMin };
}

/** reduce.h QuantizedMeanOrSum: the Prepare multiplier (s_in / s_out, double) re-adapted to
 *  include 1/n: shift = min(63 - clz64(n), 32, 31 + output_shift),
 *  multiplier = (int64(multiplier) << shift) / n, output_shift -= shift. */
export function meanMultiplier(inputScale: number, outputScale: number, numElements: number): {
  multiplier: number;
  shift: number;
  baseMultiplier: number;
  baseShift: number;
} {
  const [baseMultiplier, baseShift] = quantizeMultiplier(f32(inputScale) / f32(outputScale));
  let shift = floorLog2(numElements);
  shift = Math.min(shift, 32);
  shift = Math.min(shift, 31 + baseShift);
  if (shift < 0) throw new Error("meanMultiplier: negative shift (multiplier flushed to zero)");
  const multiplier = Number((BigInt(baseMultiplier) << BigInt(shift)) / BigInt(numElements));
  return { multiplier, shift: baseShift - shift, baseMultiplier, baseShift };
}

/** Requantize (QUANTIZE op between integer types): QuantizeMultiplier(s_in / s_out). */
export function requantizeMultiplier(inputScale: number, outputScale: number): [number, number] {
  return quantizeMultiplier(f32(inputScale) / f32(outputScale));
}
