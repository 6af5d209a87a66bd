// CONV_2D: input (N,H,W,Cin), filter (Cout,KH,KW,Cin) constant, optional bias (Cout) → (N,OH,OW,Cout);
// int8/uint8 activations with int8/uint8 weights, float32 throughout, or float32 activations with
// int8 weights (js/ops/hybrid.ts).
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { Conv2DOptions } from "../tflite/types.js";
import {
  type OpDefinition, type PrepareContext, expectCounts, expectFloatActivation, expectRank,
  fail, input, kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { convOutputAndPadding, convolutionWindow, floatActivationRange } from "./quantization.js";
import { rowsStep } from "./fully_connected.js";
import { hybridStep, isHybrid, scalesDiffer } from "./hybrid.js";
import { expectQuantizedWeightedOp, floatBias, floatConstant, packTilesF32, storeConvFilter, weightedRequant } from "./weights.js";

/** Field order of Conv2DParams in assembly/kernels/conv2d.ts. */
export const FIELDS = [
  "input", "batches", "inputHeight", "inputWidth", "inputChannels", "inputOffset",
  "filter", "filterHeight", "filterWidth", "bias",
  "output", "outputHeight", "outputWidth", "outputChannels",
  "strideHeight", "strideWidth", "dilationHeight", "dilationWidth", "padTop", "padLeft",
  "multipliers", "shifts", "outputOffset", "activationMin", "activationMax", "requant", "scratch", "requantMode",
] as const;

/** Field order of Conv2DF32Params in assembly/kernels/conv2d_f32.ts. */
export const FIELDS_F32 = [
  "input", "batches", "inputHeight", "inputWidth", "inputChannels",
  "filter", "filterHeight", "filterWidth", "bias",
  "output", "outputHeight", "outputWidth", "outputChannels",
  "strideHeight", "strideWidth", "dilationHeight", "dilationWidth", "padTop", "padLeft",
  "activationMin", "activationMax", "scratch",
] as const;

/** The shape checks both dtypes share; the geometry fields of either parameter block. */
function geometry(op: GraphOp, x: GraphTensor, filter: GraphTensor, y: GraphTensor, opts: Conv2DOptions) {
  expectRank(op, x, 4, "input");
  expectRank(op, filter, 4, "filter");
  const [batches, , , inC] = x.shape;
  const [outC, kH, kW, filterC] = filter.shape;
  if (filterC !== inC) fail(op, `filter has ${filterC} input channels but the input has ${inC} (grouped convolution is not supported)`);
  return {
    batches, inputChannels: inC,
    ...convolutionWindow(op, opts, x, y, kH, kW, outC),
  };
}

/**
 * Whether the convolution has one output pixel whose patch is the whole input, in the input's own
 * order (the logits layer of MobileNet): then it is a FULLY_CONNECTED of one row, whose kernel
 * streams the weights as int8.
 */
function patchIsInput(g: ReturnType<typeof geometry>): boolean {
  return g.batches === 1 && g.outputHeight === 1 && g.outputWidth === 1 && g.padTop === 0 && g.padLeft === 0 &&
    g.filterHeight === g.inputHeight && g.filterWidth === g.inputWidth &&
    (g.filterHeight === 1 || g.dilationHeight === 1) && (g.filterWidth === 1 || g.dilationWidth === 1);
}

/** Bytes of the int8 v128 kernel's scratch for patches of `depth` values (assembly/kernels/conv2d.ts). */
export function convScratchBytes(depth: number): number {
  return Math.ceil(depth / 8) * 128 + 672;
}

export const conv2d: OpDefinition = {
  maxVersion: 8,
  /** NHWC output of the input's and filter's shapes (a dilated convolution's input is resized at load). */
  outputShapes(op) {
    const [x, filter] = op.inputs;
    const o = op.options;
    if (!x || !filter || o?.kind !== "Conv2DOptions" || x.shape.length !== 4 || filter.shape.length !== 4) return null;
    const size = (k: 1 | 2, stride: number, dilation: number) => convOutputAndPadding(o.padding, x.shape[k], filter.shape[k], stride, dilation).outSize;
    return [[x.shape[0], size(1, o.strideH, o.dilationHFactor), size(2, o.strideW, o.dilationWFactor), filter.shape[0]]];
  },
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, [2, 3]);
    const opts = options(op, "Conv2DOptions");
    const x = input(op, 0);
    const filter = input(op, 1);
    const y = output(op, 0);
    if (isHybrid(x, filter)) {
      const g = geometry(op, x, filter, y, opts);
      const depth = g.inputChannels;
      return hybridStep(ctx, x, filter, y, {
        ...g, depth, depthMultiplier: 0, channelStride: g.filterHeight * g.filterWidth * depth, tapStride: depth,
      }, g.batches, scalesDiffer(op, filter), opts.fusedActivation, true);
    }
    if (x.dtype === "float32") return prepareFloat(ctx, x, filter, y, opts);
    expectQuantizedWeightedOp(op, x, filter, y, 0);
    const g = geometry(op, x, filter, y, opts);
    const outC = g.outputChannels;
    const depth = g.filterHeight * g.filterWidth * g.inputChannels;
    if (patchIsInput(g)) return rowsStep(ctx, x, filter, y, { batches: 1, depth, outputChannels: outC }, opts.fusedActivation, x.dtype === "uint8");

    const prep = { kernels: ctx.kernels, memory };
    const { inputOffset, weights, requant, fields } = weightedRequant(prep, op, x, filter, y, outC, depth, opts.fusedActivation, x.dtype === "uint8");
    const scratchBytes = convScratchBytes(depth);
    const values = {
      ...g, input: ctx.address(x), inputOffset, output: ctx.address(y),
      filter: storeConvFilter(prep, weights, outC, depth, requant.scale, requant.constantChannels),
      ...fields,
      scratch: memory.allocate(scratchBytes),
    };
    const params = storeParams(memory, FIELDS, values);
    const kernel = kernelName(ctx, "conv2d");
    return kernelStep(ctx, kernel, params, { kind: "conv", kernel, fields: FIELDS, values, elementBytes: 1, scratchBytes });
  },
};

function prepareFloat(ctx: PrepareContext, x: GraphTensor, filter: GraphTensor, y: GraphTensor, opts: Conv2DOptions) {
  const { op, memory } = ctx;
  expectFloatActivation(op, x, "input");
  expectFloatActivation(op, y, "output");
  const weights = floatConstant(op, filter, "filter");
  const g = geometry(op, x, filter, y, opts);
  const outC = g.outputChannels;
  const depth = g.filterHeight * g.filterWidth * g.inputChannels;
  const scratchBytes = 4 * depth * 4;
  const values = {
    ...g, input: ctx.address(x), output: ctx.address(y),
    filter: memory.store(packTilesF32(weights, outC, depth)),
    bias: memory.store(floatBias(op, op.inputs[2], outC, Math.ceil(outC / 8) * 8)),
    ...floatActivationRange(op, opts.fusedActivation),
    scratch: memory.allocate(scratchBytes),
  };
  const params = storeParams(memory, FIELDS_F32, values);
  const kernel = kernelName(ctx, "conv2d_f32");
  return kernelStep(ctx, kernel, params, { kind: "conv", kernel, fields: FIELDS_F32, values, elementBytes: 4, scratchBytes });
}
