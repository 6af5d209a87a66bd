// Plain TypeScript reference of TensorFlow Lite's quantized operators (int8 per-channel as
// tflite-micro runs them, uint8 per-tensor as tensorflow/lite/kernels/internal/reference/*.h
// runs them). Every function takes the quantization parameters as stored in the model and
// derives multipliers itself, as the kernels' Prepare does. Layout is NHWC throughout.
//
// Sources read: reference/integer_ops/{conv,depthwise_conv,fully_connected,add,pooling}.h,
// reference/{conv,depthwiseconv_uint8,fully_connected,add,pooling,softmax,reduce,quantize,
// requantize,dequantize,pad,concatenation}.h, micro/kernels/{reduce_common,quantize_common,
// softmax_common,fully_connected_common,add_common}.cc, kernels/kernel_util.cc, padding.h.

import {
  expOnNegativeValues,
  getReciprocal,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierGreaterThanOne,
  multiplyByQuantizedMultiplierSmallerThanOneExp,
  quantizeMultiplier,
  roundHalfAwayFromZero,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from "./fixedpoint.js";
import {
  activationRange,
  addParams,
  computePaddingHeightWidth,
  convolutionRealMultiplierFloatProduct,
  dtypeRange,
  meanMultiplier,
  perChannelMultipliers,
  requantizeMultiplier,
  softmaxParams,
  type FusedActivation,
  type PaddingType,
  type QDtype,
  type QParams,
} from "./params.js";

export type QArray = Int8Array | Uint8Array;

export interface QTensor {
  data: QArray;
  shape: number[];
}

export interface FloatTensor {
  data: Float32Array;
  shape: number[];
}

/** Quantization of a weight tensor: one scale/zero point per channel, or one for the tensor. */
export interface FilterQuant {
  scales: readonly number[];
  zeroPoints: readonly number[];
}

export function dtypeOf(a: QArray): QDtype {
  return a instanceof Int8Array ? "int8" : "uint8";
}

export function allocQ(dtype: QDtype, n: number): QArray {
  return dtype === "int8" ? new Int8Array(n) : new Uint8Array(n);
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** values + offset as int32 (an input or filter with its zero point folded in). */
function offsetCopy(values: QArray, offset: number): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] + offset;
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

// ----------------------------------------------------------------------------------------
// CONV_2D

export interface ConvOptions {
  padding: PaddingType;
  strideH: number;
  strideW: number;
  dilationH?: number;
  dilationW?: number;
  activation?: FusedActivation;
}

interface OutputStage {
  multipliers: Int32Array;
  shifts: Int32Array;
  weightsOffset: number;
}

/** int8: per-channel multipliers from the double product, filter zero point ignored
 *  (ConvPerChannel). uint8: one multiplier from the float product, weights_offset = -zp. */
function convOutputStage(dtype: QDtype, inQ: QParams, filterQ: FilterQuant, outQ: QParams, channels: number): OutputStage {
  if (dtype === "int8") {
    const { multipliers, shifts } = perChannelMultipliers(inQ.scale, filterQ.scales, outQ.scale, channels);
    return { multipliers, shifts, weightsOffset: 0 };
  }
  if (filterQ.scales.length !== 1) throw new Error("uint8 weights must be quantized per tensor");
  const [m, s] = quantizeMultiplier(convolutionRealMultiplierFloatProduct(inQ.scale, filterQ.scales[0], outQ.scale));
  return {
    multipliers: new Int32Array(channels).fill(m),
    shifts: new Int32Array(channels).fill(s),
    weightsOffset: -filterQ.zeroPoints[0],
  };
}

/** CONV_2D. input [N,H,W,Cin], filter [Cout,KH,KW,Cin/groups], bias [Cout] int32 or null. */
export function conv2d(
  input: QArray,
  inputShape: readonly number[],
  inQ: QParams,
  filter: QArray,
  filterShape: readonly number[],
  filterQ: FilterQuant,
  bias: Int32Array | null,
  outQ: QParams,
  opts: ConvOptions,
): QTensor {
  const dtype = dtypeOf(input);
  const [batches, inH, inW, inC] = inputShape;
  const [outC, kH, kW, filterInC] = filterShape;
  const dilH = opts.dilationH ?? 1;
  const dilW = opts.dilationW ?? 1;
  const pad = computePaddingHeightWidth(opts.strideH, opts.strideW, dilH, dilW, inH, inW, kH, kW, opts.padding);
  const outH = pad.outHeight;
  const outW = pad.outWidth;
  const groups = inC / filterInC;
  if (!Number.isInteger(groups)) throw new Error("conv2d: input depth not a multiple of filter depth");
  const filtersPerGroup = outC / groups;
  const stage = convOutputStage(dtype, inQ, filterQ, outQ, outC);
  const [actMin, actMax] = activationRange(opts.activation ?? "NONE", dtype, outQ);
  const inputOffset = -inQ.zeroPoint;
  const outputOffset = outQ.zeroPoint;
  // Offsets folded in once (monomorphic Int32Array loads in the hot loop).
  const x = offsetCopy(input, inputOffset);
  const f = offsetCopy(filter, stage.weightsOffset);
  const out = allocQ(dtype, batches * outH * outW * outC);
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * opts.strideH - pad.padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * opts.strideW - pad.padLeft;
        for (let oc = 0; oc < outC; oc++) {
          const group = Math.trunc(oc / filtersPerGroup);
          let acc = 0;
          for (let ky = 0; ky < kH; ky++) {
            const iy = iy0 + dilH * ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ix0 + dilW * kx;
              if (ix < 0 || ix >= inW) continue;
              const inBase = ((b * inH + iy) * inW + ix) * inC + group * filterInC;
              const fBase = ((oc * kH + ky) * kW + kx) * filterInC;
              for (let ic = 0; ic < filterInC; ic++) acc += f[fBase + ic] * x[inBase + ic];
            }
          }
          if (bias) acc += bias[oc];
          acc = multiplyByQuantizedMultiplier(acc | 0, stage.multipliers[oc], stage.shifts[oc]);
          out[o++] = clamp(acc + outputOffset, actMin, actMax);
        }
      }
    }
  }
  return { data: out, shape: [batches, outH, outW, outC] };
}

// ----------------------------------------------------------------------------------------
// DEPTHWISE_CONV_2D

export interface DepthwiseOptions extends ConvOptions {
  /** Output channels / input channels; derived from the shapes when omitted. */
  depthMultiplier?: number;
}

/** DEPTHWISE_CONV_2D. input [N,H,W,Cin], filter [1,KH,KW,Cout] with Cout = Cin * multiplier. */
export function depthwiseConv2d(
  input: QArray,
  inputShape: readonly number[],
  inQ: QParams,
  filter: QArray,
  filterShape: readonly number[],
  filterQ: FilterQuant,
  bias: Int32Array | null,
  outQ: QParams,
  opts: DepthwiseOptions,
): QTensor {
  const dtype = dtypeOf(input);
  const [batches, inH, inW, inC] = inputShape;
  const [, kH, kW, outC] = filterShape;
  const depthMultiplier = opts.depthMultiplier ?? outC / inC;
  if (outC !== inC * depthMultiplier) throw new Error("depthwise: output depth != input depth * multiplier");
  const dilH = opts.dilationH ?? 1;
  const dilW = opts.dilationW ?? 1;
  const pad = computePaddingHeightWidth(opts.strideH, opts.strideW, dilH, dilW, inH, inW, kH, kW, opts.padding);
  const outH = pad.outHeight;
  const outW = pad.outWidth;
  const stage = convOutputStage(dtype, inQ, filterQ, outQ, outC);
  const [actMin, actMax] = activationRange(opts.activation ?? "NONE", dtype, outQ);
  const inputOffset = -inQ.zeroPoint;
  const outputOffset = outQ.zeroPoint;
  const x = offsetCopy(input, inputOffset);
  const f = offsetCopy(filter, stage.weightsOffset);
  const out = allocQ(dtype, batches * outH * outW * outC);
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * opts.strideH - pad.padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * opts.strideW - pad.padLeft;
        const outBase = ((b * outH + oy) * outW + ox) * outC;
        for (let ic = 0; ic < inC; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const oc = m + ic * depthMultiplier;
            let acc = 0;
            for (let ky = 0; ky < kH; ky++) {
              const iy = iy0 + dilH * ky;
              if (iy < 0 || iy >= inH) continue;
              for (let kx = 0; kx < kW; kx++) {
                const ix = ix0 + dilW * kx;
                if (ix < 0 || ix >= inW) continue;
                acc += f[(ky * kW + kx) * outC + oc] * x[((b * inH + iy) * inW + ix) * inC + ic];
              }
            }
            if (bias) acc += bias[oc];
            acc = multiplyByQuantizedMultiplier(acc | 0, stage.multipliers[oc], stage.shifts[oc]);
            out[outBase + oc] = clamp(acc + outputOffset, actMin, actMax);
          }
        }
      }
    }
  }
  return { data: out, shape: [batches, outH, outW, outC] };
}

// ----------------------------------------------------------------------------------------
// FULLY_CONNECTED

export interface FullyConnectedOptions {
  activation?: FusedActivation;
  keepNumDims?: boolean;
}

/** FULLY_CONNECTED as TFLite 2.21's reference kernels compute it. filter [N, K]; the input is
 *  flattened to [size / K, K]. Requantization in double: round(acc · (s_in · s_filter[n] / s_out)),
 *  ties away from zero. int8 per-channel weights (scales.length > 1): no weight offset; int8
 *  per-tensor and uint8: weights_offset. */
export function fullyConnected(
  input: QArray,
  inputShape: readonly number[],
  inQ: QParams,
  filter: QArray,
  filterShape: readonly number[],
  filterQ: FilterQuant,
  bias: Int32Array | null,
  outQ: QParams,
  opts: FullyConnectedOptions = {},
): QTensor {
  const dtype = dtypeOf(input);
  const [units, depth] = filterShape;
  const batches = product(inputShape) / depth;
  if (!Number.isInteger(batches)) throw new Error("fullyConnected: input size not a multiple of the filter depth");
  const perChannel = filterQ.scales.length > 1;
  if (perChannel && dtype !== "int8") throw new Error("per-channel FULLY_CONNECTED needs int8");
  const wOff = perChannel ? 0 : -filterQ.zeroPoints[0];
  const scales = Array.from({ length: units }, (_, n) => inQ.scale * filterQ.scales[perChannel ? n : 0] / outQ.scale);
  const [actMin, actMax] = activationRange(opts.activation ?? "NONE", dtype, outQ);
  const inputOffset = -inQ.zeroPoint;
  const out = allocQ(dtype, batches * units);
  for (let b = 0; b < batches; b++) {
    for (let n = 0; n < units; n++) {
      let acc = 0;
      const fBase = n * depth;
      const iBase = b * depth;
      for (let d = 0; d < depth; d++) acc += (filter[fBase + d] + wOff) * (input[iBase + d] + inputOffset);
      if (bias) acc += bias[n];
      acc = roundHalfAwayFromZero((acc | 0) * scales[n]);
      out[b * units + n] = clamp(acc + outQ.zeroPoint, actMin, actMax);
    }
  }
  const shape = opts.keepNumDims ? [...inputShape.slice(0, -1), units] : [batches, units];
  return { data: out, shape };
}

// ----------------------------------------------------------------------------------------
// ADD

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Strides of `shape` seen through `outShape` (0 along broadcast dimensions). */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = rank - 1; i >= 0; i--) {
    const j = shape.length - rank + i;
    const d = j >= 0 ? shape[j] : 1;
    strides[i] = d === 1 ? 0 : stride;
    stride *= d;
  }
  return strides;
}

/** Visits every output index of `outShape` in row-major order with the matching offsets of
 *  two broadcast inputs. */
function forEachBroadcast(
  outShape: readonly number[],
  s1: readonly number[],
  s2: readonly number[],
  fn: (o: number, i1: number, i2: number) => void,
): void {
  const rank = outShape.length;
  const total = product(outShape);
  const idx = new Array<number>(rank).fill(0);
  let i1 = 0;
  let i2 = 0;
  for (let o = 0; o < total; o++) {
    fn(o, i1, i2);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      i1 += s1[d];
      i2 += s2[d];
      if (idx[d] < outShape[d]) break;
      i1 -= s1[d] * outShape[d];
      i2 -= s2[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** ADD (int8 and uint8; numpy broadcasting as BroadcastAdd6DSlow). */
export function add(
  a: QArray,
  aShape: readonly number[],
  aQ: QParams,
  b: QArray,
  bShape: readonly number[],
  bQ: QParams,
  outQ: QParams,
  activation: FusedActivation = "NONE",
): QTensor {
  const dtype = dtypeOf(a);
  const p = addParams(dtype, aQ, bQ, outQ, activation);
  const outShape = broadcastShape(aShape, bShape);
  const out = allocQ(dtype, product(outShape));
  const sA = broadcastStrides(aShape, outShape);
  const sB = broadcastStrides(bShape, outShape);
  const scale = (v: number, m: number, s: number) => multiplyByQuantizedMultiplierSmallerThanOneExp(v, m, s);
  forEachBroadcast(outShape, sA, sB, (o, i1, i2) => {
    const x1 = (p.input1Offset + a[i1]) * (1 << p.leftShift);
    const x2 = (p.input2Offset + b[i2]) * (1 << p.leftShift);
    const s1 = scale(x1, p.input1Multiplier, p.input1Shift);
    const s2 = scale(x2, p.input2Multiplier, p.input2Shift);
    const raw = scale((s1 + s2) | 0, p.outputMultiplier, p.outputShift) + p.outputOffset;
    out[o] = clamp(raw, p.activationMin, p.activationMax);
  });
  return { data: out, shape: outShape };
}

// ----------------------------------------------------------------------------------------
// MEAN

export interface MeanOptions {
  axes: readonly number[];
  keepDims: boolean;
}

/** MEAN as TensorFlow Lite 2.21's reference kernel (reduce.cc, kReference) runs it for int8 and
 *  uint8: QuantizedMeanOrSum with the multiplier re-adapted to 1/n, also when input and output
 *  share scale and zero point (tflite-micro's EvalIntegerMean divides the raw sum by n there,
 *  with C truncation, instead). */
export function mean(input: QArray, inputShape: readonly number[], inQ: QParams, outQ: QParams, opts: MeanOptions): QTensor {
  const dtype = dtypeOf(input);
  const rank = inputShape.length;
  const axes = [...new Set(opts.axes.map((a) => (a < 0 ? a + rank : a)))];
  const reduced = inputShape.map((_, i) => axes.includes(i));
  const outDims = inputShape.map((d, i) => (reduced[i] ? 1 : d));
  const numOut = product(outDims);
  const n = product(axes.map((a) => inputShape[a]));
  const sums = new Float64Array(numOut); // int32 sums; exact as doubles for any realistic size
  const outStrides = broadcastStrides(outDims, inputShape);
  const inStrides = broadcastStrides(inputShape, inputShape);
  forEachBroadcast(inputShape, inStrides, outStrides, (_o, i, j) => {
    sums[j] += input[i];
  });
  const out = allocQ(dtype, numOut);
  const [qmin, qmax] = dtypeRange(dtype);
  const { multiplier, shift } = meanMultiplier(inQ.scale, outQ.scale, n);
  for (let j = 0; j < numOut; j++) {
    const shifted = ((sums[j] | 0) - inQ.zeroPoint * n) | 0;
    const v = multiplyByQuantizedMultiplier(shifted, multiplier, shift) + outQ.zeroPoint;
    out[j] = clamp(v, qmin, qmax);
  }
  const shape = opts.keepDims ? outDims : inputShape.filter((_, i) => !reduced[i]);
  return { data: out, shape };
}

// ----------------------------------------------------------------------------------------
// AVERAGE_POOL_2D / MAX_POOL_2D

export interface PoolOptions {
  padding: PaddingType;
  strideH: number;
  strideW: number;
  filterH: number;
  filterW: number;
  activation?: FusedActivation;
}

function pool(kind: "avg" | "max", input: QArray, inputShape: readonly number[], outQ: QParams, opts: PoolOptions): QTensor {
  const dtype = dtypeOf(input);
  const [batches, inH, inW, depth] = inputShape;
  const pad = computePaddingHeightWidth(opts.strideH, opts.strideW, 1, 1, inH, inW, opts.filterH, opts.filterW, opts.padding);
  const outH = pad.outHeight;
  const outW = pad.outWidth;
  const [actMin, actMax] = activationRange(opts.activation ?? "NONE", dtype, outQ);
  const out = allocQ(dtype, batches * outH * outW * depth);
  const lowest = dtype === "int8" ? -128 : 0;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const iy0 = oy * opts.strideH - pad.padTop;
        const ix0 = ox * opts.strideW - pad.padLeft;
        const fy0 = Math.max(0, -iy0);
        const fy1 = Math.min(opts.filterH, inH - iy0);
        const fx0 = Math.max(0, -ix0);
        const fx1 = Math.min(opts.filterW, inW - ix0);
        for (let c = 0; c < depth; c++) {
          let acc = 0;
          let count = 0;
          let max = lowest;
          for (let fy = fy0; fy < fy1; fy++) {
            for (let fx = fx0; fx < fx1; fx++) {
              const v = input[((b * inH + iy0 + fy) * inW + ix0 + fx) * depth + c];
              acc += v;
              count++;
              if (v > max) max = v;
            }
          }
          let r: number;
          if (kind === "max") {
            r = max;
          } else {
            if (count === 0) throw new Error("average pool: empty window");
            const half = Math.trunc(count / 2);
            if (dtype === "uint8") r = Math.trunc((acc + half) / count);
            else r = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
          }
          out[o++] = clamp(r, actMin, actMax);
        }
      }
    }
  }
  return { data: out, shape: [batches, outH, outW, depth] };
}

/** AVERAGE_POOL_2D: uint8 rounds (acc + count/2) / count; int8 rounds half away from zero.
 *  Input and output share quantization (TFLite requires it); outQ only sets the clamp. */
export function averagePool2d(input: QArray, inputShape: readonly number[], outQ: QParams, opts: PoolOptions): QTensor {
  return pool("avg", input, inputShape, outQ, opts);
}

export function maxPool2d(input: QArray, inputShape: readonly number[], outQ: QParams, opts: PoolOptions): QTensor {
  return pool("max", input, inputShape, outQ, opts);
}

// ----------------------------------------------------------------------------------------
// SOFTMAX

/** SOFTMAX over the last dimension, reference_ops::Softmax<InputT, OutputT> with
 *  int8 -> int8 (output scale 1/256, zero point -128) or uint8 -> uint8 (1/256, 0). */
export function softmax(input: QArray, inputShape: readonly number[], inQ: QParams, beta: number): QTensor {
  const dtype = dtypeOf(input);
  const { inputMultiplier, inputLeftShift, diffMin } = softmaxParams(beta, inQ.scale);
  const depth = inputShape[inputShape.length - 1];
  const outer = input.length / depth;
  const [outMin, outMax] = dtypeRange(dtype);
  const out = allocQ(dtype, input.length);
  const kScaledDiffIntegerBits = 5;
  const kAccumulationIntegerBits = 12;
  const exps = new Int32Array(depth);
  for (let i = 0; i < outer; i++) {
    const base = i * depth;
    let maxInRow = outMin;
    for (let c = 0; c < depth; c++) if (input[base + c] > maxInRow) maxInRow = input[base + c];
    let sumOfExps = 0;
    for (let c = 0; c < depth; c++) {
      const diff = input[base + c] - maxInRow;
      if (diff >= diffMin) {
        const rescaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, inputMultiplier, inputLeftShift);
        const e = expOnNegativeValues(rescaled, kScaledDiffIntegerBits);
        exps[c] = e;
        sumOfExps = (sumOfExps + roundingDivideByPOT(e, kAccumulationIntegerBits)) | 0;
      }
    }
    const [shiftedScale, numBitsOverUnit] = getReciprocal(sumOfExps, kAccumulationIntegerBits);
    const exponent = numBitsOverUnit + 31 - 8;
    if (exponent < 0 || exponent > 31) {
      // TFLITE_CHECK(0 <= exponent && exponent <= 31) aborts TFLite here: it happens when the
      // row's sum of exps reaches 2^(32 - output bits) = 512 (8-bit output), e.g. a flat row
      // of more than 511 classes.
      throw new SoftmaxRangeError(`softmax row ${i}: sum of exps ${sumOfExps / 2 ** 19} >= 512 (TFLite aborts: exponent ${exponent} > 31)`);
    }
    for (let c = 0; c < depth; c++) {
      const diff = input[base + c] - maxInRow;
      if (diff >= diffMin) {
        const unsat = roundingDivideByPOT(saturatingRoundingDoublingHighMul(shiftedScale, exps[c]), exponent);
        out[base + c] = clamp(unsat + outMin, outMin, outMax);
      } else {
        out[base + c] = outMin;
      }
    }
  }
  return { data: out, shape: [...inputShape] };
}

/** Thrown where TFLite's reference softmax fails its TFLITE_CHECK (the input is out of its domain). */
export class SoftmaxRangeError extends RangeError {}

/** The output quantization TFLite requires of a quantized SOFTMAX. */
export function softmaxOutputQuant(dtype: QDtype): QParams {
  return { scale: 1 / 256, zeroPoint: dtype === "int8" ? -128 : 0 };
}

// ----------------------------------------------------------------------------------------
// QUANTIZE / DEQUANTIZE

/** QUANTIZE float32 -> int8/uint8 (AffineQuantize): round(x / scale) with float32 division and
 *  round-half-away, plus zero point, clamped. */
export function quantizeFloat(input: Float32Array, outDtype: QDtype, outQ: QParams): QArray {
  const [qmin, qmax] = dtypeRange(outDtype);
  const out = allocQ(outDtype, input.length);
  const scale = Math.fround(outQ.scale);
  for (let i = 0; i < input.length; i++) {
    const v = roundHalfAwayFromZero(Math.fround(input[i] / scale)) + outQ.zeroPoint;
    out[i] = clamp(v, qmin, qmax);
  }
  return out;
}

/** QUANTIZE between integer types (Requantize): MBQM(q - zp_in, QuantizeMultiplier(s_in/s_out))
 *  + zp_out, clamped. (The int8<->uint8 "xor 0x80" fast path gives the same bytes.) */
export function requantize(input: QArray, inQ: QParams, outDtype: QDtype, outQ: QParams): QArray {
  const [m, s] = requantizeMultiplier(inQ.scale, outQ.scale);
  const [qmin, qmax] = dtypeRange(outDtype);
  const out = allocQ(outDtype, input.length);
  for (let i = 0; i < input.length; i++) {
    const v = multiplyByQuantizedMultiplier(input[i] - inQ.zeroPoint, m, s) + outQ.zeroPoint;
    out[i] = clamp(v, qmin, qmax);
  }
  return out;
}

/** DEQUANTIZE int8/uint8 -> float32: float(scale * (q - zp)). (Computing the product in double
 *  then rounding, or in float, gives the same float: the exact product fits in 33 bits.) */
export function dequantize(input: QArray, inQ: QParams): Float32Array {
  const out = new Float32Array(input.length);
  const scale = Math.fround(inQ.scale);
  for (let i = 0; i < input.length; i++) out[i] = Math.fround(scale * (input[i] - inQ.zeroPoint));
  return out;
}

// ----------------------------------------------------------------------------------------
// PAD / CONCATENATION / RESHAPE

/** PAD with constant value = the output zero point (input and output share quantization).
 *  paddings[i] = [before, after] for dimension i. */
export function pad(input: QArray, inputShape: readonly number[], paddings: readonly (readonly [number, number])[], padValue: number): QTensor {
  const dtype = dtypeOf(input);
  const rank = inputShape.length;
  const outShape = inputShape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = allocQ(dtype, product(outShape));
  out.fill(padValue);
  const outStrides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    outStrides[i] = s;
    s *= outShape[i];
  }
  let base = 0;
  for (let i = 0; i < rank; i++) base += paddings[i][0] * outStrides[i];
  // Walk the input; map each element to its output position.
  const idx = new Array<number>(rank).fill(0);
  const total = product(inputShape);
  let oi = base;
  for (let i = 0; i < total; i++) {
    out[oi] = input[i];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      oi += outStrides[d];
      if (idx[d] < inputShape[d]) break;
      oi -= outStrides[d] * inputShape[d];
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

export interface ConcatInput {
  data: QArray;
  shape: readonly number[];
  q: QParams;
}

/** CONCATENATION along `axis` (negative counts from the end). int8 requires every input to
 *  share the output's quantization (plain copy). uint8 inputs whose quantization differs
 *  from the output go through ConcatenationWithScaling (float32 arithmetic). */
export function concatenation(inputs: readonly ConcatInput[], axisIn: number, outQ: QParams): QTensor {
  const dtype = dtypeOf(inputs[0].data);
  const rank = inputs[0].shape.length;
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  const outShape = [...inputs[0].shape];
  outShape[axis] = inputs.reduce((acc, t) => acc + t.shape[axis], 0);
  const outer = product(outShape.slice(0, axis));
  const inner = product(outShape.slice(axis + 1));
  const out = allocQ(dtype, product(outShape));
  const f32 = Math.fround;
  const inverseOutputScale = f32(1 / f32(outQ.scale));
  let o = 0;
  for (let k = 0; k < outer; k++) {
    for (const t of inputs) {
      const copy = t.shape[axis] * inner;
      const src = k * copy;
      const same = f32(t.q.scale) === f32(outQ.scale) && t.q.zeroPoint === outQ.zeroPoint;
      if (same) {
        for (let j = 0; j < copy; j++) out[o + j] = t.data[src + j];
      } else {
        if (dtype === "int8") throw new Error("int8 CONCATENATION needs equal input/output quantization");
        const scale = f32(f32(t.q.scale) * inverseOutputScale);
        const bias = f32(-t.q.zeroPoint * scale);
        for (let j = 0; j < copy; j++) {
          const v = roundHalfAwayFromZero(f32(f32(t.data[src + j] * scale) + bias)) + outQ.zeroPoint;
          out[o + j] = clamp(v, 0, 255);
        }
      }
      o += copy;
    }
  }
  return { data: out, shape: outShape };
}

/** RESHAPE: the bytes are unchanged. */
export function reshape(input: QArray, newShape: readonly number[]): QTensor {
  const data = allocQ(dtypeOf(input), input.length);
  data.set(input);
  return { data, shape: [...newShape] };
}
