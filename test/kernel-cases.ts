// Kernel-level cases for test/kernels.test.ts and bench/kernels.ts: a fresh wasm instance, and
// parameter blocks for CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, MEAN and SOFTMAX laid out by the
// host's own code (js/ops: field lists, weight packing, requantization tables), so the kernels
// are exercised with exactly what a prepared model gives them.
import * as add from "../js/ops/add.js";
import * as conv from "../js/ops/conv2d.js";
import { storeParams } from "../js/ops/context.js";
import * as depthwise from "../js/ops/depthwise_conv2d.js";
import * as fc from "../js/ops/fully_connected.js";
import * as mean from "../js/ops/mean.js";
import { softmaxParams } from "../js/ops/softmax.js";
import {
  type FilterWeights, accumulatorBounds, depthwiseScratchBytes, foldInputOffset, kernelRequant, maxInputMagnitude,
  storeConvFilter, storeDepthwiseFilter, storeFullyConnectedFilter, weightSums,
} from "../js/ops/weights.js";
import { embeddedRelaxedWasmBytes, embeddedWasmBytes } from "../js/runtime/embedded-module.js";
import { type KernelExports, type SimdKernelName, instantiateKernels } from "../js/runtime/kernels.js";
import { WasmMemory } from "../js/runtime/memory.js";

const compiled: { plain?: Promise<WebAssembly.Module>; relaxed?: Promise<WebAssembly.Module> } = {};

/** One instance of quantlite.wasm (or of its relaxed-SIMD build) with a bump allocator over its memory. */
export class Lab {
  private constructor(readonly kernels: KernelExports, readonly memory: WasmMemory) {}

  static async create(build: "plain" | "relaxed" = "plain"): Promise<Lab> {
    compiled[build] ??= build === "plain" ? WebAssembly.compile(embeddedWasmBytes()) : embeddedRelaxedWasmBytes().then((b) => WebAssembly.compile(b));
    const kernels = await instantiateKernels(await compiled[build]!);
    const base = Math.ceil(kernels.heap_base() / 16) * 16;
    return new Lab(kernels, new WasmMemory(kernels.memory, base, 0, 1 << 30));
  }

  store(data: ArrayBufferView): number {
    return this.memory.store(data);
  }

  /** An output buffer of n bytes followed by `guard` bytes, all set to `fill`. */
  output(n: number, guard = 32, fill = 0x5a): number {
    const ptr = this.memory.allocate(n + guard);
    this.memory.bytes.fill(fill, ptr, ptr + n + guard);
    return ptr;
  }

  read(ptr: number, n: number): Uint8Array {
    return this.memory.bytes.slice(ptr, ptr + n);
  }
}

/** A kernel case: its parameter block for a given output address, and the output size. */
export interface Case {
  op: SimdKernelName;
  outputBytes: number;
  params(output: number): number;
  /** Multiply-accumulates (0 for elementwise ops). */
  macs: number;
}

export interface Requant {
  multipliers: Int32Array;
  shifts: Int32Array;
  outputOffset: number;
  activationMin: number;
  activationMax: number;
  /** kernelRequant's allowF64 (default true): false gives every block of 8 channels an integer step. */
  allowF64?: boolean;
}

export interface ConvSpec extends Requant {
  batches: number; inputHeight: number; inputWidth: number; inputChannels: number; inputOffset: number;
  filterHeight: number; filterWidth: number; outputChannels: number;
  strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number;
  padTop: number; padLeft: number; outputHeight: number; outputWidth: number;
  input: Int8Array;
  /** Weights (Cout, KH, KW, Cin). */
  weights: FilterWeights;
  bias: Int32Array;
}

export function convCase(lab: Lab, s: ConvSpec): Case {
  const depth = s.filterHeight * s.filterWidth * s.inputChannels;
  const prep = { kernels: lab.kernels, memory: lab.memory };
  const { absSums } = weightSums(prep, s.weights, s.outputChannels, depth, false);
  const requant = kernelRequant(prep, s.bias, s.multipliers, s.shifts, s.outputChannels,
    accumulatorBounds(s.bias, absSums, maxInputMagnitude(s.inputOffset)), s.outputOffset, s.allowF64 ?? true, [s.activationMin, s.activationMax]);
  const fixed = {
    input: lab.store(s.input), batches: s.batches, inputHeight: s.inputHeight, inputWidth: s.inputWidth,
    inputChannels: s.inputChannels, inputOffset: s.inputOffset,
    filter: storeConvFilter(prep, s.weights, s.outputChannels, depth, requant.scale, requant.constantChannels), filterHeight: s.filterHeight, filterWidth: s.filterWidth,
    bias: lab.store(s.bias),
    outputHeight: s.outputHeight, outputWidth: s.outputWidth, outputChannels: s.outputChannels,
    strideHeight: s.strideHeight, strideWidth: s.strideWidth, dilationHeight: s.dilationHeight, dilationWidth: s.dilationWidth,
    padTop: s.padTop, padLeft: s.padLeft,
    multipliers: lab.store(s.multipliers), shifts: lab.store(s.shifts),
    outputOffset: s.outputOffset, activationMin: s.activationMin, activationMax: s.activationMax,
    requant: lab.store(requant.table), requantMode: requant.mode,
    scratch: lab.memory.allocate(conv.convScratchBytes(depth)),
  };
  const pixels = s.batches * s.outputHeight * s.outputWidth;
  return {
    op: "conv2d",
    outputBytes: pixels * s.outputChannels,
    params: (output) => storeParams(lab.memory, conv.FIELDS, { ...fixed, output }),
    macs: pixels * s.outputChannels * depth,
  };
}

export interface DepthwiseSpec extends Requant {
  batches: number; inputHeight: number; inputWidth: number; inputChannels: number;
  /** In [-127, 128]: the negated zero point of an int8 (or shifted uint8) tensor. */
  inputOffset: number;
  filterHeight: number; filterWidth: number; depthMultiplier: number;
  strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number;
  padTop: number; padLeft: number; outputHeight: number; outputWidth: number;
  input: Int8Array;
  /** Weights (KH, KW, Cin·M). */
  weights: FilterWeights;
  bias: Int32Array;
}

export function depthwiseCase(lab: Lab, s: DepthwiseSpec): Case {
  const taps = s.filterHeight * s.filterWidth;
  const outC = s.inputChannels * s.depthMultiplier;
  const prep = { kernels: lab.kernels, memory: lab.memory };
  const { sums, absSums } = weightSums(prep, s.weights, outC, taps, true);
  const folded = foldInputOffset(s.bias, sums, s.inputOffset);
  const requant = kernelRequant(prep, folded, s.multipliers, s.shifts, Math.ceil(outC / 16) * 16,
    accumulatorBounds(folded, absSums, 128), s.outputOffset, s.allowF64 ?? true, [s.activationMin, s.activationMax]);
  const fixed = {
    input: lab.store(s.input), batches: s.batches, inputHeight: s.inputHeight, inputWidth: s.inputWidth,
    inputChannels: s.inputChannels, inputOffset: s.inputOffset,
    filter: storeDepthwiseFilter(prep, s.weights, taps, outC, requant.scale, requant.constantChannels), filterHeight: s.filterHeight, filterWidth: s.filterWidth,
    depthMultiplier: s.depthMultiplier, bias: lab.store(s.bias),
    outputHeight: s.outputHeight, outputWidth: s.outputWidth, outputChannels: outC,
    strideHeight: s.strideHeight, strideWidth: s.strideWidth, dilationHeight: s.dilationHeight, dilationWidth: s.dilationWidth,
    padTop: s.padTop, padLeft: s.padLeft,
    multipliers: lab.store(s.multipliers), shifts: lab.store(s.shifts),
    outputOffset: s.outputOffset, activationMin: s.activationMin, activationMax: s.activationMax,
    requant: lab.store(requant.table), requantMode: requant.mode,
    scratch: lab.memory.allocate(depthwiseScratchBytes(s)),
  };
  const outputs = s.batches * s.outputHeight * s.outputWidth * outC;
  return {
    op: "depthwise_conv2d",
    outputBytes: outputs,
    params: (output) => storeParams(lab.memory, depthwise.FIELDS, { ...fixed, output }),
    macs: outputs * taps,
  };
}

export interface FullyConnectedSpec extends Requant {
  batches: number; depth: number; outputChannels: number; inputOffset: number;
  input: Int8Array;
  /** Weights (Cout, K). */
  weights: FilterWeights;
  bias: Int32Array;
}

export function fullyConnectedCase(lab: Lab, s: FullyConnectedSpec): Case & { requantMode: number; constantChannels: number } {
  const prep = { kernels: lab.kernels, memory: lab.memory };
  const { absSums } = weightSums(prep, s.weights, s.outputChannels, s.depth, false);
  const requant = kernelRequant(prep, s.bias, s.multipliers, s.shifts, s.outputChannels,
    accumulatorBounds(s.bias, absSums, maxInputMagnitude(s.inputOffset)), s.outputOffset, s.allowF64 ?? true, [s.activationMin, s.activationMax]);
  const fixed = {
    input: lab.store(s.input), batches: s.batches, depth: s.depth, inputOffset: s.inputOffset,
    ...storeFullyConnectedFilter(prep, s.weights, s.outputChannels, s.depth, requant.constantChannels),
    bias: lab.store(s.bias), outputChannels: s.outputChannels,
    multipliers: lab.store(s.multipliers), shifts: lab.store(s.shifts),
    outputOffset: s.outputOffset, activationMin: s.activationMin, activationMax: s.activationMax,
    requant: lab.store(requant.table), requantMode: requant.mode,
    scratch: lab.memory.allocate(fc.fullyConnectedScratchBytes(s.depth)),
  };
  return {
    op: "fully_connected",
    outputBytes: s.batches * s.outputChannels,
    params: (output) => storeParams(lab.memory, fc.FIELDS, { ...fixed, output }),
    macs: s.batches * s.outputChannels * s.depth,
    requantMode: requant.mode,
    constantChannels: requant.constantChannels.length,
  };
}

export interface AddSpec {
  /** Output dimensions and each input's element strides over them (0 = broadcast). */
  dims: number[]; strides1: number[]; strides2: number[];
  input1: Int8Array; input2: Int8Array;
  input1Offset: number; input1Multiplier: number; input1Shift: number;
  input2Offset: number; input2Multiplier: number; input2Shift: number;
  leftShift: number; outputMultiplier: number; outputShift: number; outputOffset: number;
  activationMin: number; activationMax: number;
}

export function addCase(lab: Lab, s: AddSpec): Case {
  const fixed = {
    input1: lab.store(s.input1), input2: lab.store(s.input2),
    dim0: s.dims[0], dim1: s.dims[1], dim2: s.dims[2], dim3: s.dims[3],
    input1Stride0: s.strides1[0], input1Stride1: s.strides1[1], input1Stride2: s.strides1[2], input1Stride3: s.strides1[3],
    input2Stride0: s.strides2[0], input2Stride1: s.strides2[1], input2Stride2: s.strides2[2], input2Stride3: s.strides2[3],
    input1Offset: s.input1Offset, input1Multiplier: s.input1Multiplier, input1Shift: s.input1Shift,
    input2Offset: s.input2Offset, input2Multiplier: s.input2Multiplier, input2Shift: s.input2Shift,
    leftShift: s.leftShift, outputMultiplier: s.outputMultiplier, outputShift: s.outputShift, outputOffset: s.outputOffset,
    activationMin: s.activationMin, activationMax: s.activationMax,
  };
  return {
    op: "add",
    outputBytes: s.dims.reduce((a, b) => a * b, 1),
    params: (output) => storeParams(lab.memory, add.FIELDS, { ...fixed, output }),
    macs: 0,
  };
}

export interface MeanSpec {
  batches: number; height: number; width: number; channels: number;
  input: Int8Array;
  sumOffset: number; multiplier: number; shift: number; outputOffset: number;
}

export function meanCase(lab: Lab, s: MeanSpec): Case {
  const fixed = {
    input: lab.store(s.input), batches: s.batches, height: s.height, width: s.width, channels: s.channels,
    sumOffset: s.sumOffset, multiplier: s.multiplier, shift: s.shift, outputOffset: s.outputOffset,
  };
  return {
    op: "mean",
    outputBytes: s.batches * s.channels,
    params: (output) => storeParams(lab.memory, mean.FIELDS, { ...fixed, output }),
    macs: 0,
  };
}

export interface SoftmaxSpec {
  rows: number; depth: number; input: Int8Array; inputMultiplier: number; inputLeftShift: number; diffMin: number;
}

/** A SOFTMAX case: each parameter block gets its own table, filled by wasm as at load. */
export function softmaxCase(lab: Lab, s: SoftmaxSpec): Case {
  const input = lab.store(s.input);
  return {
    op: "softmax",
    outputBytes: s.rows * s.depth,
    params: (output) => softmaxParams(lab, {
      input, output, rows: s.rows, depth: s.depth, inputMultiplier: s.inputMultiplier, inputLeftShift: s.inputLeftShift, diffMin: s.diffMin,
    }, true),
    macs: 0,
  };
}

/** The v128 kernel or its scalar reference, by name. */
export function kernel(lab: Lab, op: SimdKernelName, simd: boolean): (params: number) => void {
  return simd ? lab.kernels[op] : lab.kernels[`${op}_ref`];
}
