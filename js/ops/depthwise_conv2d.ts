// DEPTHWISE_CONV_2D: input (N,H,W,C), filter (1,KH,KW,C·M) constant, optional bias (C·M)
// → (N,OH,OW,C·M); output channel c reads input channel c / M. int8/uint8 activations with
// int8/uint8 weights, float32 throughout, or float32 activations with int8 weights (js/ops/hybrid.ts).
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { DepthwiseConv2DOptions } from "../tflite/types.js";
import { hybridStep, isHybrid } from "./hybrid.js";
import {
  type OpDefinition, type PrepareContext, expectCounts, expectFloatActivation, expectRank,
  fail, input, kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { activationRange, convolutionWindow, floatActivationRange, storedZeroPoint } from "./quantization.js";
import { accumulatorBounds, biasValues, channelMultipliers, depthwiseScratchBytes, expectQuantizedWeightedOp, filterWeights, floatBias, floatConstant, foldInputOffset, kernelRequant, padChannelsF32, requantFields, storeDepthwiseFilter, weightSums } from "./weights.js";

/** Field order of DepthwiseConv2DParams in assembly/kernels/depthwise_conv2d.ts. */
export const FIELDS = [
  "input", "batches", "inputHeight", "inputWidth", "inputChannels", "inputOffset",
  "filter", "filterHeight", "filterWidth", "depthMultiplier", "bias",
  "output", "outputHeight", "outputWidth", "outputChannels",
  "strideHeight", "strideWidth", "dilationHeight", "dilationWidth", "padTop", "padLeft",
  "multipliers", "shifts", "outputOffset", "activationMin", "activationMax", "requant", "scratch", "requantMode",
] as const;

/** Field order of DepthwiseConv2DF32Params in assembly/kernels/depthwise_conv2d_f32.ts. */
export const FIELDS_F32 = [
  "input", "batches", "inputHeight", "inputWidth", "inputChannels",
  "filter", "filterHeight", "filterWidth", "depthMultiplier", "bias",
  "output", "outputHeight", "outputWidth", "outputChannels",
  "strideHeight", "strideWidth", "dilationHeight", "dilationWidth", "padTop", "padLeft",
  "activationMin", "activationMax", "padding", "scratch",
] as const;

/** The shape checks both dtypes share; the geometry fields of either parameter block. */
function geometry(op: GraphOp, x: GraphTensor, filter: GraphTensor, y: GraphTensor, opts: DepthwiseConv2DOptions) {
  expectRank(op, x, 4, "input");
  expectRank(op, filter, 4, "filter");
  const [batches, , , inC] = x.shape;
  const [one, kH, kW, outC] = filter.shape;
  if (one !== 1) fail(op, `filter shape [${filter.shape}] must start with 1`);
  if (inC === 0 || outC % inC !== 0) fail(op, `filter has ${outC} channels, not a multiple of the input's ${inC}`);
  const depthMultiplier = outC / inC;
  if (opts.depthMultiplier !== 0 && opts.depthMultiplier !== depthMultiplier) {
    fail(op, `depth_multiplier is ${opts.depthMultiplier} but the filter implies ${depthMultiplier}`);
  }
  return {
    batches, inputChannels: inC, depthMultiplier,
    ...convolutionWindow(op, opts, x, y, kH, kW, outC),
  };
}

export const depthwiseConv2d: OpDefinition = {
  maxVersion: 7,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, [2, 3]);
    const opts = options(op, "DepthwiseConv2DOptions");
    const x = input(op, 0);
    const filter = input(op, 1);
    const y = output(op, 0);
    if (isHybrid(x, filter)) {
      const g = geometry(op, x, filter, y, opts);
      if (filter.scale.length !== g.outputChannels) fail(op, `filter "${filter.name}" needs one scale per output channel`);
      return hybridStep(ctx, x, filter, y, {
        ...g, depth: 1, channelStride: 1, tapStride: g.outputChannels,
      }, g.batches, true, opts.fusedActivation, true);
    }
    if (x.dtype === "float32") return prepareFloat(ctx, x, filter, y, opts);
    expectQuantizedWeightedOp(op, x, filter, y, 3);
    const g = geometry(op, x, filter, y, opts);

    const outC = g.outputChannels;
    const prep = { kernels: ctx.kernels, memory };
    const { multipliers, shifts } = channelMultipliers(prep, op, x, filter, y, outC, x.dtype === "uint8");
    const range = activationRange(op, y, opts.fusedActivation);
    const taps = g.filterHeight * g.filterWidth;
    const weights = filterWeights(op, filter);
    const bias = biasValues(op, op.inputs[2], outC);
    const inputOffset = -storedZeroPoint(x);
    // The v128 kernel multiplies raw inputs (|x| ≤ 128) and folds the input offset into the bias.
    const { sums, absSums } = weightSums(prep, weights, outC, taps, true);
    const folded = foldInputOffset(bias, sums, inputOffset);
    const requant = kernelRequant(prep, folded, multipliers, shifts, Math.ceil(outC / 16) * 16,
      accumulatorBounds(folded, absSums, 128), storedZeroPoint(y), true, range);
    const scratchBytes = depthwiseScratchBytes(g);
    const values = {
      ...g, input: ctx.address(x), inputOffset, output: ctx.address(y),
      filter: storeDepthwiseFilter(prep, weights, taps, outC, requant.scale, requant.constantChannels),
      ...requantFields(memory, bias, multipliers, shifts, storedZeroPoint(y), range, requant),
      scratch: memory.allocate(scratchBytes),
    };
    const params = storeParams(memory, FIELDS, values);
    const kernel = kernelName(ctx, "depthwise_conv2d");
    return kernelStep(ctx, kernel, params, { kind: "conv", kernel, fields: FIELDS, values, elementBytes: 1, scratchBytes });
  },
};

function prepareFloat(ctx: PrepareContext, x: GraphTensor, filter: GraphTensor, y: GraphTensor, opts: DepthwiseConv2DOptions) {
  const { op, memory } = ctx;
  expectFloatActivation(op, x, "input");
  expectFloatActivation(op, y, "output");
  const weights = floatConstant(op, filter, "filter");
  const g = geometry(op, x, filter, y, opts);
  const outC = g.outputChannels;
  const taps = g.filterHeight * g.filterWidth;
  const padded = Math.ceil(outC / 16) * 16;
  const scratchBytes = taps * 8;
  const values = {
    ...g, input: ctx.address(x), output: ctx.address(y),
    filter: memory.store(padChannelsF32(weights, taps, outC)),
    bias: memory.store(floatBias(op, op.inputs[2], outC, padded)),
    ...floatActivationRange(op, opts.fusedActivation),
    padding: memory.store(new Float32Array(padded)),
    scratch: memory.allocate(scratchBytes),
  };
  const params = storeParams(memory, FIELDS_F32, values);
  const kernel = kernelName(ctx, "depthwise_conv2d_f32");
  return kernelStep(ctx, kernel, params, { kind: "conv", kernel, fields: FIELDS_F32, values, elementBytes: 4, scratchBytes });
}
