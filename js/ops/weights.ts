// Once-per-model preparation shared by the ops with weights (CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED): centred int16 weights, int32 bias, per-channel fixed-point multipliers.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import { fail } from "./context.js";
import { quantizeMultiplier } from "./quantization.js";

/** weight - zeroPoint(channel) as int16, in the filter's own layout. */
export function centredWeights(op: GraphOp, filter: GraphTensor): Int16Array {
  if (filter.data === null) fail(op, `filter "${filter.name}" must be a constant tensor`);
  if (filter.dtype !== "int8" && filter.dtype !== "uint8") fail(op, `filter "${filter.name}" is ${filter.dtype}; expected int8 or uint8`);
  if (filter.scale.length === 0) fail(op, `filter "${filter.name}" is not quantized`);
  const raw = filter.dtype === "int8" ? new Int8Array(filter.data.buffer, filter.data.byteOffset, filter.elementCount) : filter.data;
  const out = new Int16Array(filter.elementCount);
  if (filter.zeroPoint.length === 1) {
    const zp = filter.zeroPoint[0];
    for (let i = 0; i < out.length; i++) out[i] = raw[i] - zp;
    return out;
  }
  const dim = filter.quantizedDimension;
  const inner = filter.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const channels = filter.shape[dim];
  for (let i = 0; i < out.length; i++) out[i] = raw[i] - filter.zeroPoint[Math.floor(i / inner) % channels];
  return out;
}

/** The bias as int32 (zeros when the op has none), checked against the output channel count. */
export function biasValues(op: GraphOp, bias: GraphTensor | null | undefined, channels: number): Int32Array {
  if (bias === null || bias === undefined) return new Int32Array(channels);
  if (bias.data === null) fail(op, `bias "${bias.name}" must be a constant tensor`);
  if (bias.dtype !== "int32") fail(op, `bias "${bias.name}" is ${bias.dtype}; expected int32`);
  if (bias.elementCount !== channels) fail(op, `bias "${bias.name}" has ${bias.elementCount} values for ${channels} output channels`);
  return new Int32Array(bias.data.slice().buffer, 0, channels);
}

/**
 * Per-output-channel multipliers and shifts for input·filter → output, as TFLite's Prepare
 * computes them: int8 activations use double(s_in) · double(s_filter[c]) / s_out
 * (PopulateConvolutionQuantizationParams); uint8 activations and per-tensor FULLY_CONNECTED use
 * the float32 product (GetQuantizedConvolutionMultipler). `channelOf` maps an output channel to
 * the filter's quantization channel.
 */
export function channelMultipliers(
  op: GraphOp, input: GraphTensor, filter: GraphTensor, output: GraphTensor, channels: number,
  floatProduct: boolean,
): { multipliers: Int32Array; shifts: Int32Array } {
  if (filter.scale.length !== 1 && filter.scale.length !== channels) {
    fail(op, `filter "${filter.name}" has ${filter.scale.length} scales for ${channels} output channels`);
  }
  const multipliers = new Int32Array(channels);
  const shifts = new Int32Array(channels);
  const sIn = input.scale[0];
  const sOut = output.scale[0];
  for (let c = 0; c < channels; c++) {
    const sFilter = filter.scale.length === 1 ? filter.scale[0] : filter.scale[c];
    const real = floatProduct ? Math.fround(sIn * sFilter) / sOut : (sIn * sFilter) / sOut;
    [multipliers[c], shifts[c]] = quantizeMultiplier(real);
  }
  return { multipliers, shifts };
}
