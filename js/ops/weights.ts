// Once-per-model preparation shared by the ops with weights (CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED): packed weights, int32 bias, per-channel fixed-point multipliers.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { KernelExports } from "../runtime/kernels.js";
import type { WasmMemory } from "../runtime/memory.js";
import type { FusedActivation } from "../tflite/types.js";
import { expectQuantizedActivation, fail } from "./context.js";
import { activationRange, storedZeroPoint } from "./quantization.js";

/** A quantized filter's own 8-bit weights (a view into the model) and their zero points, one or one per channel. */
export interface FilterWeights {
  data: Uint8Array;
  /** int8 weights; false for uint8. */
  signed: boolean;
  zeroPoints: readonly number[];
}

/** The op's filter as FilterWeights: a constant, quantized int8 or uint8 tensor. */
export function filterWeights(op: GraphOp, filter: GraphTensor): FilterWeights {
  if (filter.data === null) fail(op, `filter "${filter.name}" must be a constant tensor`);
  if (filter.dtype !== "int8" && filter.dtype !== "uint8") fail(op, `filter "${filter.name}" is ${filter.dtype}; expected int8 or uint8`);
  if (filter.scale.length === 0) fail(op, `filter "${filter.name}" is not quantized`);
  return { data: filter.data, signed: filter.dtype === "int8", zeroPoints: filter.zeroPoint };
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
 * the float32 product (GetQuantizedConvolutionMultipler). Computed in wasm
 * (assembly/kernels/multipliers.ts).
 */
export function channelMultipliers(
  prep: WeightPrep, op: GraphOp, input: GraphTensor, filter: GraphTensor, output: GraphTensor, channels: number,
  floatProduct: boolean,
): { multipliers: Int32Array; shifts: Int32Array } {
  if (filter.scale.length !== 1 && filter.scale.length !== channels) {
    fail(op, `filter "${filter.name}" has ${filter.scale.length} scales for ${channels} output channels`);
  }
  const scales = Float32Array.from(filter.scale);
  const at = prep.memory.temporary(scales.byteLength + 8 * channels);
  prep.memory.bytes.set(new Uint8Array(scales.buffer), at);
  const results = at + scales.byteLength;
  prep.kernels.channel_multipliers(input.scale[0], at, scales.length === 1 ? 0 : 1, output.scale[0], floatProduct ? 1 : 0, results, results + 4 * channels, channels);
  const values = new Int32Array(prep.memory.memory.buffer, results, 2 * channels);
  return { multipliers: values.slice(0, channels), shifts: values.slice(channels) };
}

/**
 * Scratch bytes of the v128 DEPTHWISE_CONV_2D kernel. Its general path: tap offsets and tap
 * addresses (4 bytes per tap, pairs), then ceil(C/16)·16 bytes of the input zero point. Its 3×3
 * path: ceil(C/16)·16 bytes and a row (W·C + 16 bytes) of the zero point, one output row's
 * accumulators, OW × ceil(C/16)·16 int32, and the weights re-paired for the row loops, 10 int16x8
 * per 8 channels (ceil(C/16)·16 · 20 bytes), and 16 zero bytes.
 */
export function depthwiseScratchBytes(g: {
  inputChannels: number; inputWidth: number; outputWidth: number; filterHeight: number; filterWidth: number;
}): number {
  const padded = Math.ceil(g.inputChannels / 16) * 16;
  const general = Math.ceil((g.filterHeight * g.filterWidth) / 2) * 16 + padded;
  const threeByThree = padded + Math.ceil((g.inputWidth * g.inputChannels + 16) / 16) * 16 + g.outputWidth * padded * 4 + padded * 20 + 16;
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
 * The largest |accumulator| each channel of an op's kernel can reach: |bias[c]| + maxInput · Σ|w|,
 * from the channels' Σ|w| (weightSums), where maxInput bounds |x + inputOffset|.
 */
export function accumulatorBounds(bias: Int32Array, absSums: Int32Array, maxInput: number): Float64Array {
  const bounds = new Float64Array(bias.length);
  for (let c = 0; c < bias.length; c++) bounds[c] = Math.abs(bias[c]) + maxInput * absSums[c];
  return bounds;
}

/**
 * Load-time weight work runs in wasm (assembly/kernels/pack.ts): JavaScript loops over millions
 * of weights would mostly run before the JIT has optimized them. The model's 8-bit weights go
 * through the arena, unused until the first inference (WasmMemory.temporary), in chunks of whole
 * channels, after a table of (zeroPoint, factor) per channel.
 */
export interface WeightPrep {
  kernels: KernelExports;
  memory: WasmMemory;
}

/**
 * Per channel (zeroPoint, factor) int32 pairs for assembly/kernels/pack.ts: factor `scale` (2 for
 * doubled accumulators, kernelRequant), 0 for `constantChannels` (kernelRequant), whose kernels
 * then see zero weights.
 */
function channelTable(weights: FilterWeights, channels: number, scale: number, constantChannels: readonly number[]): Int32Array {
  const table = new Int32Array(2 * channels);
  const { zeroPoints } = weights;
  for (let c = 0; c < channels; c++) {
    table[2 * c] = zeroPoints[zeroPoints.length === 1 ? 0 : c];
    table[2 * c + 1] = scale;
  }
  for (const c of constantChannels) table[2 * c + 1] = 0;
  return table;
}

/**
 * Copies the channel table, then bytes [from, from + length) of the weights, into temporary wasm
 * memory with `extra` bytes after them: the addresses of the table, the weights and the extra bytes.
 */
function stage(prep: WeightPrep, table: Int32Array, weights: FilterWeights, from: number, length: number, extra: number) {
  const tableAt = prep.memory.temporary(table.byteLength + length + extra);
  const bytes = prep.memory.bytes;
  bytes.set(new Uint8Array(table.buffer, table.byteOffset, table.byteLength), tableAt);
  const weightsAt = tableAt + table.byteLength;
  bytes.set(weights.data.subarray(from, from + length), weightsAt);
  return { tableAt, weightsAt, extraAt: weightsAt + ((length + 3) & ~3) };
}

/** Channels per chunk of a (channels, rowLength) filter: a multiple of 8 that fits the arena after the table (at least 8). */
function chunkChannels(prep: WeightPrep, rowLength: number, channels: number): number {
  const fit = Math.floor((prep.memory.arenaSize - 8 * channels - 16) / (rowLength + 8) / 8) * 8;
  return Math.max(8, Math.min(Math.ceil(channels / 8) * 8, fit));
}

/**
 * Σ(w - zeroPoint) and Σ|w - zeroPoint| per channel: of a CONV_2D or FULLY_CONNECTED filter
 * (channels, count) when `interleaved` is false, of a DEPTHWISE_CONV_2D filter (count taps,
 * channels) when true.
 */
export function weightSums(
  prep: WeightPrep, weights: FilterWeights, channels: number, count: number, interleaved: boolean,
): { sums: Int32Array; absSums: Int32Array } {
  const sums = new Int32Array(channels);
  const absSums = new Int32Array(channels);
  const table = channelTable(weights, channels, 1, []);
  // Channels [first, first + n) from `from`, strides in bytes.
  const sum = (first: number, n: number, from: number, length: number, channelStride: number, weightStride: number) => {
    const { tableAt, weightsAt, extraAt } = stage(prep, table, weights, from, length, 8 * n);
    prep.kernels.weight_sums(weightsAt, weights.signed ? 1 : 0, tableAt, first, extraAt, extraAt + 4 * n, n, count, channelStride, weightStride);
    const results = new Int32Array(prep.memory.memory.buffer, extraAt, 2 * n);
    sums.set(results.subarray(0, n), first);
    absSums.set(results.subarray(n), first);
  };
  if (interleaved) {
    sum(0, channels, 0, count * channels, 1, channels);
  } else {
    const chunk = chunkChannels(prep, count, channels);
    for (let first = 0; first < channels; first += chunk) {
      const n = Math.min(chunk, channels - first);
      sum(first, n, first * count, n * count, count, 1);
    }
  }
  return { sums, absSums };
}

/**
 * CONV_2D's filter (Cout, K), K = KH·KW·Cin, packed for the dot16x2 kernels in wasm memory: tiles
 * of 8 output channels, the patch index k = (ky·KW + kx)·Cin + ic in pairs, zero padded,
 * (ceil(Cout/8), ceil(K/2), 8, 2) int16 of (w - zeroPoint)·scale (0 for `constantChannels`).
 * Its address. See assembly/kernels/conv2d.ts.
 */
export function storeConvFilter(
  prep: WeightPrep, weights: FilterWeights, outChannels: number, depth: number, scale: number, constantChannels: readonly number[],
): number {
  const dst = prep.memory.allocate(Math.ceil(outChannels / 8) * Math.ceil(depth / 2) * 32);
  const table = channelTable(weights, outChannels, scale, constantChannels);
  const chunk = chunkChannels(prep, depth, outChannels);
  for (let first = 0; first < outChannels; first += chunk) {
    const n = Math.min(chunk, outChannels - first);
    const { tableAt, weightsAt } = stage(prep, table, weights, first * depth, n * depth, 0);
    prep.kernels.pack_conv_filter(weightsAt, weights.signed ? 1 : 0, tableAt, dst, first, n, depth);
  }
  return dst;
}

/**
 * DEPTHWISE_CONV_2D's filter (KH·KW, C) in wasm memory, in blocks of 8 channels with the taps
 * t = ky·KW + kx in pairs, zero padded: (ceil(C/16)·2, ceil(KH·KW/2), 8, 2) int16 of
 * (w - zeroPoint)·scale (0 for `constantChannels`). Its address. See assembly/kernels/depthwise_conv2d.ts.
 */
export function storeDepthwiseFilter(
  prep: WeightPrep, weights: FilterWeights, taps: number, channels: number, scale: number, constantChannels: readonly number[],
): number {
  const dst = prep.memory.allocate(Math.ceil(channels / 16) * 2 * Math.ceil(taps / 2) * 32);
  const { tableAt, weightsAt } = stage(prep, channelTable(weights, channels, scale, constantChannels), weights, 0, taps * channels, 0);
  prep.kernels.pack_depthwise_filter(weightsAt, weights.signed ? 1 : 0, tableAt, dst, taps, channels);
  return dst;
}

/**
 * FULLY_CONNECTED's filter (Cout, K) (or a CONV_2D filter applied to its whole input) packed for
 * assembly/kernels/fully_connected.ts in wasm memory: tiles of 8 output channels, k in pairs, zero
 * padded, (ceil(Cout/8), ceil(K/2), 8, 2) int8 of w - base (base 0 for int8 weights, 128 for uint8),
 * and per channel base - zeroPoint, int32, ceil(Cout/8)·8 of them; both 0 for `constantChannels`
 * (kernelRequant). Their addresses.
 */
export function storeFullyConnectedFilter(
  prep: WeightPrep, weights: FilterWeights, outChannels: number, depth: number, constantChannels: readonly number[],
): { filter: number; filterOffsets: number } {
  const tiles = Math.ceil(outChannels / 8);
  const filter = prep.memory.allocate(tiles * Math.ceil(depth / 2) * 16);
  const filterOffsets = prep.memory.allocate(tiles * 32);
  const table = channelTable(weights, outChannels, 1, constantChannels);
  const chunk = chunkChannels(prep, depth, outChannels);
  for (let first = 0; first < outChannels; first += chunk) {
    const n = Math.min(chunk, outChannels - first);
    const { tableAt, weightsAt } = stage(prep, table, weights, first * depth, n * depth, 0);
    prep.kernels.pack_fully_connected_filter(weightsAt, weights.signed ? 1 : 0, tableAt, filter, filterOffsets, first, n, depth);
  }
  return { filter, filterOffsets };
}

/** The largest |x + inputOffset| over int8 x. */
export function maxInputMagnitude(inputOffset: number): number {
  return Math.max(Math.abs(-128 + inputOffset), Math.abs(127 + inputOffset));
}

/** Bytes of the doubled-accumulator requantization table: header, and per block of 8 channels (assembly/requant.ts). */
export const REQUANT_HEADER_BYTES = 32;
export const DOUBLED_BLOCK_BYTES = 176;

/**
 * How a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED kernel requantizes (assembly/requant.ts),
 * given `bounds[c]`, the largest |accumulator| of channel c (bias included). Mode 1, doubled
 * accumulators (the weights times `scale` 2, or in the fully connected kernel the activations),
 * when every shift is negative and every bound below 2^30: a header, then per block of 8 channels
 * the f64 step where every channel's f64 arithmetic is exact and tie-free, or its output constant
 * over its accumulator range (`constantChannels`, whose weights the caller must zero:
 * storeConvFilter, storeDepthwiseFilter, storeFullyConnectedFilter), and `allowF64`; else the integer one. Otherwise mode 0,
 * the general table (vectorRequantTable). `channels` is rounded up to whole blocks of 8.
 */
export function kernelRequant(
  prep: WeightPrep, bias: Int32Array, multipliers: Int32Array, shifts: Int32Array, channels: number, bounds: Float64Array,
  outputOffset: number, allowF64 = true, [activationMin, activationMax]: readonly [number, number] = [-128, 127],
): { mode: 0 | 1; scale: 1 | 2; table: Int32Array; constantChannels: number[] } {
  // The choice and the table come from assembly/kernels/requant_table.ts, in temporary memory:
  // bounds (f64), bias, multipliers, shifts, the constant flags, then the table.
  const count = shifts.length;
  const tableBytes = REQUANT_HEADER_BYTES + Math.ceil(channels / 8) * DOUBLED_BLOCK_BYTES;
  const at = prep.memory.temporary(24 * count + tableBytes + 16);
  const bytes = prep.memory.bytes;
  const put = (data: Int32Array | Float64Array, offset: number) => bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at + offset);
  put(bounds.subarray(0, count), 0);
  put(bias.subarray(0, count), 8 * count);
  put(multipliers.subarray(0, count), 12 * count);
  put(shifts, 16 * count);
  const flags = at + 20 * count;
  const table = (flags + 4 * count + 15) & ~15;
  const doubled = prep.kernels.requant_table(at + 8 * count, at + 12 * count, at + 16 * count, at, count, channels,
    outputOffset, allowF64 ? 1 : 0, activationMin, activationMax, table, flags);
  if (!doubled) return { mode: 0, scale: 1, table: vectorRequantTable(bias, multipliers, shifts, channels), constantChannels: [] };
  const constant = new Int32Array(prep.memory.memory.buffer, flags, count);
  const constantChannels: number[] = [];
  for (let c = 0; c < count; c++) if (constant[c] === 1) constantChannels.push(c);
  return { mode: 1, scale: 2, table: new Int32Array(prep.memory.memory.buffer.slice(table, table + tableBytes)), constantChannels };
}

/**
 * The requantization of a CONV_2D or FULLY_CONNECTED over rows of `depth` input values and a
 * (channels, depth) filter: per-channel multipliers (channelMultipliers, `floatProduct` as there),
 * the clamp of `activation`, the bias, the input offset, the filter's weights and kernelRequant's
 * choice from the accumulators' bounds; `fields`, the parameter block's requantization fields
 * (requantFields).
 */
export function weightedRequant(
  prep: WeightPrep, op: GraphOp, x: GraphTensor, filter: GraphTensor, y: GraphTensor, channels: number, depth: number,
  activation: FusedActivation, floatProduct: boolean,
) {
  const { multipliers, shifts } = channelMultipliers(prep, op, x, filter, y, channels, floatProduct);
  const range = activationRange(op, y, activation);
  const bias = biasValues(op, op.inputs[2], channels);
  const inputOffset = -storedZeroPoint(x);
  const weights = filterWeights(op, filter);
  const { absSums } = weightSums(prep, weights, channels, depth, false);
  const requant = kernelRequant(prep, bias, multipliers, shifts, channels, accumulatorBounds(bias, absSums, maxInputMagnitude(inputOffset)),
    storedZeroPoint(y), true, range);
  return { inputOffset, weights, requant, fields: requantFields(prep.memory, bias, multipliers, shifts, storedZeroPoint(y), range, requant) };
}

/**
 * The requantization fields of a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED parameter block, stored: the bias
 * and per-channel multipliers and shifts (the scalar kernels' arithmetic), the output offset and
 * clamp, and kernelRequant's table and mode (the v128 kernels').
 */
export function requantFields(
  memory: WasmMemory, bias: Int32Array, multipliers: Int32Array, shifts: Int32Array, outputOffset: number,
  [activationMin, activationMax]: readonly [number, number], requant: { mode: 0 | 1 | 2; table: Int32Array },
) {
  return {
    bias: memory.store(bias), multipliers: memory.store(multipliers), shifts: memory.store(shifts),
    outputOffset, activationMin, activationMax, requant: memory.store(requant.table), requantMode: requant.mode,
  };
}

/**
 * DEPTHWISE_CONV_2D's bias with the input offset folded in, bias[c] + inputOffset·Σ_t w[t][c]
 * (int32 wrap-around; sums from weightSums), for kernels that read the input zero point in place
 * of off-image taps.
 */
export function foldInputOffset(bias: Int32Array, sums: Int32Array, inputOffset: number): Int32Array {
  const folded = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) folded[c] = bias[c] + Math.imul(inputOffset, sums[c]);
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

/**
 * The checks every 8-bit op with weights makes: per-tensor 8-bit activations of one dtype, a
 * filter of that dtype, and per-channel scales (if any) along `channelDimension`.
 */
export function expectQuantizedWeightedOp(op: GraphOp, x: GraphTensor, filter: GraphTensor, y: GraphTensor, channelDimension: number): void {
  expectQuantizedActivation(op, x, "input");
  expectQuantizedActivation(op, y, "output");
  if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
  if (filter.dtype !== x.dtype) fail(op, `filter is ${filter.dtype} for ${x.dtype} activations`);
  if (filter.scale.length > 1 && filter.quantizedDimension !== channelDimension) {
    fail(op, `filter is quantized along dimension ${filter.quantizedDimension}; expected ${channelDimension}`);
  }
}
