// Dynamic-range (hybrid) CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: float32 activations with
// constant int8 weights, as TFLite's hybrid kernels compute them (assembly/kernels/hybrid.ts):
// each row of the input (a FULLY_CONNECTED row, a convolution's image) is quantized to int8 with
// its own scale, symmetric or asymmetric; int32 accumulation; scaled back to float with the
// row's scale times the filter's (per-channel) scale; float bias and clamp.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { FusedActivation } from "../tflite/types.js";
import { type PrepareContext, type Step, expectFloatActivation, fail, kernelName, kernelSteps, storeParams } from "./context.js";
import { floatActivationRange } from "./quantization.js";
import { floatBias } from "./weights.js";

/** Field order of HybridQuantizeParams in assembly/kernels/hybrid.ts. */
export const QUANTIZE_FIELDS = ["input", "rows", "size", "output", "scales", "offsets", "asymmetric"] as const;

/** Field order of HybridConvParams in assembly/kernels/hybrid.ts. */
export const CONV_FIELDS = [
  "input", "scales", "offsets", "batches", "inputHeight", "inputWidth", "inputChannels",
  "filter", "outputHeight", "outputWidth", "outputChannels", "filterHeight", "filterWidth",
  "strideHeight", "strideWidth", "dilationHeight", "dilationWidth", "padTop", "padLeft",
  "depth", "depthMultiplier", "channelStride", "tapStride",
  "channelScales", "bias", "activationMin", "activationMax", "output",
] as const;

/** Whether the op is a hybrid one: float32 input, int8 or uint8 filter. */
export function isHybrid(x: GraphTensor, filter: GraphTensor): boolean {
  return x.dtype === "float32" && (filter.dtype === "int8" || filter.dtype === "uint8");
}

/** The geometry of hybrid_conv (CONV_FIELDS without the addresses and the clamp). */
export interface HybridGeometry {
  batches: number; inputHeight: number; inputWidth: number; inputChannels: number;
  outputHeight: number; outputWidth: number; outputChannels: number; filterHeight: number; filterWidth: number;
  strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number; padTop: number; padLeft: number;
  depth: number; depthMultiplier: number; channelStride: number; tapStride: number;
}

/**
 * The two kernel calls of a hybrid op: quantize the input in `rows` rows (asymmetric or
 * symmetric), then hybrid_conv over `g`, with the filter's scale per output channel (one scale:
 * every channel). TFLite's hybrid CONV_2D and DEPTHWISE_CONV_2D refuse a missing bias (`biasRequired`).
 */
export function hybridStep(
  ctx: PrepareContext, x: GraphTensor, filter: GraphTensor, y: GraphTensor, g: HybridGeometry, rows: number,
  asymmetric: boolean, activation: FusedActivation, biasRequired: boolean,
): Step {
  const { op, memory } = ctx;
  if (biasRequired && (op.inputs[2] === null || op.inputs[2] === undefined)) fail(op, "a hybrid convolution needs its bias");
  expectFloatActivation(op, x, "input");
  expectFloatActivation(op, y, "output");
  const outC = g.outputChannels;
  if (filter.data === null) fail(op, `filter "${filter.name}" must be a constant tensor`);
  if (filter.dtype !== "int8") fail(op, `filter "${filter.name}" is ${filter.dtype}; hybrid ops need int8 weights`);
  if (filter.scale.length !== 1 && filter.scale.length !== outC) {
    fail(op, `filter "${filter.name}" has ${filter.scale.length} scales for ${outC} output channels`);
  }
  const channelScales = Float32Array.from({ length: outC }, (_, c) => filter.scale[filter.scale.length === 1 ? 0 : c]);
  const quantized = memory.allocate(x.elementCount);
  const scales = memory.allocate(4 * rows);
  const offsets = memory.allocate(4 * rows);
  const quantize = storeParams(memory, QUANTIZE_FIELDS, {
    input: ctx.address(x), rows, size: x.elementCount / rows, output: quantized, scales, offsets, asymmetric: asymmetric ? 1 : 0,
  });
  const conv = storeParams(memory, CONV_FIELDS, {
    ...g, input: quantized, scales, offsets, output: ctx.address(y),
    filter: memory.store(filter.data), channelScales: memory.store(channelScales),
    bias: memory.store(floatBias(op, op.inputs[2], outC, outC)),
    ...floatActivationRange(op, activation),
  });
  return kernelSteps(ctx, [{ kernel: "hybrid_quantize", params: quantize }, { kernel: kernelName(ctx, "hybrid_conv"), params: conv }]);
}

/** Whether a filter's per-channel scales differ (conv.cc's is_hybrid_per_channel). */
export function scalesDiffer(op: GraphOp, filter: GraphTensor): boolean {
  if (filter.scale.length === 0) fail(op, `filter "${filter.name}" is not quantized`);
  return filter.scale.some((s) => s !== filter.scale[0]);
}
