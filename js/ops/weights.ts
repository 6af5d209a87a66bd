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
 * (ceil(Cout/8), ceil(K/2), 8, 2) with K = KH·KW·Cin, every weight times `scale` (2 for the
 * doubled-accumulator requantization, kernelRequant). See assembly/kernels/conv2d.ts.
 */
export function packConvFilter(centred: Int16Array, outChannels: number, depth: number, scale = 1): Int16Array {
  const pairs = Math.ceil(depth / 2);
  const packed = new Int16Array(Math.ceil(outChannels / 8) * pairs * 16);
  for (let oc = 0; oc < outChannels; oc++) {
    const tile = (oc >> 3) * pairs * 16 + (oc & 7) * 2;
    const row = oc * depth;
    for (let k = 0; k < depth; k++) packed[tile + (k >> 1) * 16 + (k & 1)] = centred[row + k] * scale;
  }
  return packed;
}

/**
 * DEPTHWISE_CONV_2D's filter (1, KH, KW, Cout) centred int16, packed in blocks of 8 channels with
 * the taps t = ky·KW + kx in pairs, zero padded: (ceil(Cout/16)·2, ceil(KH·KW/2), 8, 2), every weight
 * times `scale` (2 for doubled accumulators, kernelRequant). See assembly/kernels/depthwise_conv2d.ts.
 */
export function packDepthwiseFilter(centred: Int16Array, taps: number, channels: number, scale = 1): Int16Array {
  const tapPairs = Math.ceil(taps / 2);
  const packed = new Int16Array(Math.ceil(channels / 16) * 2 * tapPairs * 16);
  for (let t = 0; t < taps; t++) {
    for (let c = 0; c < channels; c++) {
      packed[((c >> 3) * tapPairs + (t >> 1)) * 16 + (c & 7) * 2 + (t & 1)] = centred[t * channels + c] * scale;
    }
  }
  return packed;
}

/**
 * Scratch bytes of the v128 DEPTHWISE_CONV_2D kernel. Its general path: tap offsets and tap
 * addresses (4 bytes per tap, pairs), then ceil(C/16)·16 bytes of the input zero point. Its 3×3
 * path: 48 bytes of tap addresses, ceil(C/16)·16 bytes and a row (W·C + 16 bytes) of the zero
 * point, and one output row's accumulators, OW × ceil(C/16)·16 int32.
 */
export function depthwiseScratchBytes(g: {
  inputChannels: number; inputWidth: number; outputWidth: number; filterHeight: number; filterWidth: number;
}): number {
  const padded = Math.ceil(g.inputChannels / 16) * 16;
  const general = Math.ceil((g.filterHeight * g.filterWidth) / 2) * 16 + padded;
  const threeByThree = 48 + padded + Math.ceil((g.inputWidth * g.inputChannels + 16) / 16) * 16 + g.outputWidth * padded * 4;
  return Math.max(general, threeByThree);
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
 * The largest |accumulator| each channel of an op's kernel can reach: |bias[c]| + maxInput · Σ|w|
 * over the channel's weights centred[c·channelStride + i·weightStride], i < count, where maxInput
 * bounds |x + inputOffset|.
 */
export function accumulatorBounds(
  bias: Int32Array, centred: Int16Array, count: number, channelStride: number, weightStride: number, maxInput: number,
): Float64Array {
  const bounds = new Float64Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    let sum = 0;
    for (let i = 0, at = c * channelStride; i < count; i++, at += weightStride) sum += Math.abs(centred[at]);
    bounds[c] = Math.abs(bias[c]) + maxInput * sum;
  }
  return bounds;
}

/** The largest |x + inputOffset| over int8 x. */
export function maxInputMagnitude(inputOffset: number): number {
  return Math.max(Math.abs(-128 + inputOffset), Math.abs(127 + inputOffset));
}

/** 2-adic valuation of a positive integer below 2^31. */
function trailingZeros(m: number): number {
  return 31 - Math.clz32(m & -m);
}

/** Bytes of the doubled-accumulator requantization table: header, and per block of 8 channels (assembly/requant.ts). */
export const REQUANT_HEADER_BYTES = 32;
export const DOUBLED_BLOCK_BYTES = 176;

/**
 * How a CONV_2D or DEPTHWISE_CONV_2D kernel requantizes (assembly/requant.ts), given `bounds[c]`,
 * the largest |accumulator| of channel c (bias included). Mode 1, doubled accumulators (the
 * weights times `scale` 2), when every shift is negative and every bound below 2^30: a header,
 * then per block of 8 channels the f64 step where every channel's f64 arithmetic is exact and
 * tie-free (and `allowF64`), else the integer one. Otherwise mode 0, the general table
 * (vectorRequantTable). `channels` is rounded up to whole blocks of 8.
 */
export function kernelRequant(
  bias: Int32Array, multipliers: Int32Array, shifts: Int32Array, channels: number, bounds: Float64Array, outputOffset: number,
  allowF64 = true,
): { mode: 0 | 1; scale: 1 | 2; table: Int32Array } {
  if (!shifts.every((s) => s < 0) || !bounds.every((b) => b < 2 ** 30)) {
    return { mode: 0, scale: 1, table: vectorRequantTable(bias, multipliers, shifts, channels) };
  }
  const blocks = Math.ceil(channels / 8);
  const table = new Int32Array((REQUANT_HEADER_BYTES + blocks * DOUBLED_BLOCK_BYTES) / 4);
  const real = new Float64Array(table.buffer);
  const half = new Int16Array(table.buffer);
  real.set([-0, -0, 1.5 * 2 ** 52 + outputOffset, 1.5 * 2 ** 52 + outputOffset]);
  for (let block = 0; block < blocks; block++) {
    const base = (REQUANT_HEADER_BYTES + block * DOUBLED_BLOCK_BYTES) / 4; // in int32
    const count = Math.max(0, Math.min(8, shifts.length - block * 8)); // 0: a block of padding channels
    const channel = (j: number) => block * 8 + j;
    for (let j = 0; j < count; j++) table[base + j] = 2 * (channel(j) < bias.length ? bias[channel(j)] : 0);
    const f64 = count === 0 || allowF64 && Array.from({ length: count }, (_, j) => j).every((j) => {
      const m = multipliers[channel(j)];
      const b = bounds[channel(j)];
      return 2 * b * m + 2 ** 31 < 2 ** 53 && (m === 0 || 2 ** (30 - trailingZeros(m)) > b);
    });
    if (f64) {
      for (let j = 0; j < 8; j++) {
        const shift = j < count ? shifts[channel(j)] : -1;
        real[base / 2 + 4 + j] = j < count ? multipliers[channel(j)] * 2 ** (shift - 32) : 0;
        real[base / 2 + 12 + j] = 2 ** (shift - 1);
      }
      table[base + 40] = -2;
      continue;
    }
    const e = Array.from({ length: count }, (_, j) => -shifts[channel(j)]);
    for (let j = 0; j < 8; j++) {
      table[base + 8 + j] = j < count ? multipliers[channel(j)] : 0;
      table[base + 16 + j] = 2 ** (31 - (j < count ? e[j] : 1));
    }
    const k = Math.min(...e) - 1;
    const usable = Math.max(...e) - k <= 7;
    table[base + 40] = usable ? k : -1;
    for (let j = 0; j < 8; j++) half[(base + 24) * 2 + j] = usable && j < count ? 2 ** (15 - (e[j] - k)) : 0;
  }
  return { mode: 1, scale: 2, table };
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
