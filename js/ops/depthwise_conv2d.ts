// DEPTHWISE_CONV_2D: input (N,H,W,C), filter (1,KH,KW,C·M) constant, optional bias (C·M)
// → (N,OH,OW,C·M); output channel c reads input channel c / M.
import {
  type OpDefinition, expectCounts, expectQuantizedActivation, expectRank, expectShape, fail, input, kernelFor, options, output, storeParams,
} from "./context.js";
import { activationRange, convOutputAndPadding, storedZeroPoint } from "./quantization.js";
import {
  biasValues, centredWeights, channelMultipliers, foldInputOffset, packDepthwiseFilter, vectorRequantTable,
} from "./weights.js";

/** Field order of DepthwiseConv2DParams in assembly/kernels/depthwise_conv2d.ts. */
export const FIELDS = [
  "input", "batches", "inputHeight", "inputWidth", "inputChannels", "inputOffset",
  "filter", "filterHeight", "filterWidth", "depthMultiplier", "bias",
  "output", "outputHeight", "outputWidth", "outputChannels",
  "strideHeight", "strideWidth", "dilationHeight", "dilationWidth", "padTop", "padLeft",
  "multipliers", "shifts", "outputOffset", "activationMin", "activationMax", "requant", "padding", "scratch",
] as const;

export const depthwiseConv2d: OpDefinition = {
  maxVersion: 7,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, [2, 3]);
    const opts = options(op, "DepthwiseConv2DOptions");
    const x = input(op, 0);
    const filter = input(op, 1);
    const y = output(op, 0);
    expectQuantizedActivation(op, x, "input");
    expectQuantizedActivation(op, y, "output");
    if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
    if (filter.dtype !== x.dtype) fail(op, `filter is ${filter.dtype} for ${x.dtype} activations`);
    expectRank(op, x, 4, "input");
    expectRank(op, filter, 4, "filter");
    const [batches, inH, inW, inC] = x.shape;
    const [one, kH, kW, outC] = filter.shape;
    if (one !== 1) fail(op, `filter shape [${filter.shape}] must start with 1`);
    if (inC === 0 || outC % inC !== 0) fail(op, `filter has ${outC} channels, not a multiple of the input's ${inC}`);
    const depthMultiplier = outC / inC;
    if (opts.depthMultiplier !== 0 && opts.depthMultiplier !== depthMultiplier) {
      fail(op, `depth_multiplier is ${opts.depthMultiplier} but the filter implies ${depthMultiplier}`);
    }
    if (opts.strideH < 1 || opts.strideW < 1 || opts.dilationHFactor < 1 || opts.dilationWFactor < 1) {
      fail(op, `strides (${opts.strideH}, ${opts.strideW}) and dilations (${opts.dilationHFactor}, ${opts.dilationWFactor}) must be at least 1`);
    }
    const rows = convOutputAndPadding(opts.padding, inH, kH, opts.strideH, opts.dilationHFactor);
    const cols = convOutputAndPadding(opts.padding, inW, kW, opts.strideW, opts.dilationWFactor);
    if (rows.outSize < 1 || cols.outSize < 1) fail(op, `the filter does not fit the input (${inH}×${inW})`);
    expectShape(op, y, [batches, rows.outSize, cols.outSize, outC], "output");
    if (filter.scale.length > 1 && filter.quantizedDimension !== 3) fail(op, `filter is quantized along dimension ${filter.quantizedDimension}; expected 3`);

    const { multipliers, shifts } = channelMultipliers(op, x, filter, y, outC, x.dtype === "uint8");
    const [activationMin, activationMax] = activationRange(y, opts.fusedActivation);
    const taps = kH * kW;
    const centred = centredWeights(op, filter);
    const bias = biasValues(op, op.inputs[2], outC);
    const inputOffset = -storedZeroPoint(x);
    const blockChannels = Math.ceil(outC / 16) * 16;
    const params = storeParams(memory, FIELDS, {
      input: ctx.address(x), batches, inputHeight: inH, inputWidth: inW, inputChannels: inC, inputOffset,
      filter: memory.store(packDepthwiseFilter(centred, taps, outC)), filterHeight: kH, filterWidth: kW, depthMultiplier,
      bias: memory.store(bias),
      output: ctx.address(y), outputHeight: rows.outSize, outputWidth: cols.outSize, outputChannels: outC,
      strideHeight: opts.strideH, strideWidth: opts.strideW,
      dilationHeight: opts.dilationHFactor, dilationWidth: opts.dilationWFactor,
      padTop: rows.padBefore, padLeft: cols.padBefore,
      multipliers: memory.store(multipliers), shifts: memory.store(shifts),
      outputOffset: storedZeroPoint(y), activationMin, activationMax,
      requant: memory.store(vectorRequantTable(foldInputOffset(bias, centred, taps, inputOffset), multipliers, shifts, blockChannels)),
      padding: memory.store(new Int8Array(Math.ceil(inC / 16) * 16).fill(storedZeroPoint(x))),
      scratch: memory.allocate(Math.ceil(taps / 2) * 16),
    });
    const kernel = kernelFor(ctx, "depthwise_conv2d");
    return () => kernel(params);
  },
};
