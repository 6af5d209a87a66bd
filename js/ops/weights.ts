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

/**
 * CONV_2D's filter (Cout, KH, KW, Cin) centred int16, packed for the dot16x2 kernels: tiles of 8
 * output channels, the patch index k = (ky·KW + kx)·Cin + ic in pairs, zero padded:
 * (ceil(Cout/8), ceil(K/2), 8, 2) with K = KH·KW·Cin. See assembly/kernels/conv2d.ts.
 */
export function packConvFilter(centred: Int16Array, outChannels: number, depth: number): Int16Array {
  const pairs = Math.ceil(depth / 2);
  const packed = new Int16Array(Math.ceil(outChannels / 8) * pairs * 16);
  for (let oc = 0; oc < outChannels; oc++) {
    for (let k = 0; k < depth; k++) {
      packed[((oc >> 3) * pairs + (k >> 1)) * 16 + (oc & 7) * 2 + (k & 1)] = centred[oc * depth + k];
    }
  }
  return packed;
}

/**
 * DEPTHWISE_CONV_2D's filter (1, KH, KW, Cout) centred int16, packed in blocks of 16 channels with
 * the taps t = ky·KW + kx in pairs, zero padded: (ceil(Cout/16), ceil(KH·KW/2), 16, 2).
 * See assembly/kernels/depthwise_conv2d.ts.
 */
export function packDepthwiseFilter(centred: Int16Array, taps: number, channels: number): Int16Array {
  const tapPairs = Math.ceil(taps / 2);
  const packed = new Int16Array(Math.ceil(channels / 16) * tapPairs * 32);
  for (let t = 0; t < taps; t++) {
    for (let c = 0; c < channels; c++) {
      packed[((c >> 4) * tapPairs + (t >> 1)) * 32 + (c & 15) * 2 + (t & 1)] = centred[t * channels + c];
    }
  }
  return packed;
}

/**
 * The per-channel constants of the v128 requantization (assembly/requant.ts) in blocks of 8
 * channels, 48 int32 each: two quads of (bias, 2^leftShift, multiplier, 2^(31 + shift) for
 * shift < 0 else 0, -1 where shift ≥ 0), then for the int16 second step 2^(15 - (e - k)) per
 * channel as int16 (e = -shift) and k, the block's pre-shift, or -1 where the block's e are not
 * all within [k + 1, k + 7] for some k ≥ 0. `channels` is rounded up to whole blocks; the extra
 * channels requantize to 0 and do not affect k.
 */
export function vectorRequantTable(bias: Int32Array, multipliers: Int32Array, shifts: Int32Array, channels: number): Int32Array {
  const blocks = Math.ceil(channels / 8);
  const table = new Int32Array(blocks * 48);
  const fast = new Int16Array(table.buffer);
  for (let block = 0; block < blocks; block++) {
    const base = block * 48;
    const real = [];
    for (let j = 0; j < 8; j++) {
      const c = block * 8 + j;
      const at = base + (j >> 2) * 20 + (j & 3);
      const shift = c < shifts.length ? shifts[c] : 0;
      if (c < shifts.length) real.push(-shift);
      table[at] = c < bias.length ? bias[c] : 0;
      table[at + 4] = 2 ** Math.max(shift, 0);
      table[at + 8] = c < multipliers.length ? multipliers[c] : 0;
      table[at + 12] = shift < 0 ? 2 ** (31 + shift) : 0;
      table[at + 16] = shift < 0 ? 0 : -1;
    }
    const k = Math.min(...real) - 1;
    const usable = k >= 0 && Math.max(...real) - k <= 7;
    table[base + 44] = usable ? k : -1;
    for (let j = 0; j < 8; j++) {
      fast[(base + 40) * 2 + j] = usable && j < real.length ? 2 ** (15 - (real[j] - k)) : 0;
    }
  }
  return table;
}

/**
 * DEPTHWISE_CONV_2D's bias with the input offset folded in, bias[c] + inputOffset·Σ_t w[t][c]
 * (int32 wrap-around), for kernels that read the input zero point in place of off-image taps.
 */
export function foldInputOffset(bias: Int32Array, centred: Int16Array, taps: number, inputOffset: number): Int32Array {
  const channels = bias.length;
  const folded = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let t = 0; t < taps; t++) sum += centred[t * channels + c];
    folded[c] = (bias[c] + Math.imul(inputOffset, sum)) | 0;
  }
  return folded;
}

// ---- float32 -------------------------------------------------------------------------------

/** A constant float32 tensor's values (a copy). */
export function floatConstant(op: GraphOp, t: GraphTensor, what: string): Float32Array {
  if (t.data === null) fail(op, `${what} "${t.name}" must be a constant tensor`);
  if (t.dtype !== "float32") fail(op, `${what} "${t.name}" is ${t.dtype}; expected float32`);
  return new Float32Array(t.data.slice().buffer, 0, t.elementCount);
}

/** The float32 bias (zeros when the op has none), zero padded to `padded` values. */
export function floatBias(op: GraphOp, bias: GraphTensor | null | undefined, channels: number, padded: number): Float32Array {
  const out = new Float32Array(padded);
  if (bias === null || bias === undefined) return out;
  const values = floatConstant(op, bias, "bias");
  if (values.length !== channels) fail(op, `bias "${bias.name}" has ${values.length} values for ${channels} output channels`);
  out.set(values);
  return out;
}

/**
 * Float weights (Cout, K) for the 4×8 micro-kernel of assembly/f32.ts: tiles of 8 output
 * channels, (ceil(Cout/8), K, 8), zero padded.
 */
export function packTilesF32(weights: Float32Array, outChannels: number, depth: number): Float32Array {
  const packed = new Float32Array(Math.ceil(outChannels / 8) * depth * 8);
  for (let oc = 0; oc < outChannels; oc++) {
    for (let k = 0; k < depth; k++) packed[((oc >> 3) * depth + k) * 8 + (oc & 7)] = weights[oc * depth + k];
  }
  return packed;
}

/** Rows of `channels` values → rows of ceil(channels/16)·16, zero padded (depthwise filters). */
export function padChannelsF32(values: Float32Array, rows: number, channels: number): Float32Array {
  const padded = Math.ceil(channels / 16) * 16;
  const out = new Float32Array(rows * padded);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * channels, (r + 1) * channels), r * padded);
  return out;
}
