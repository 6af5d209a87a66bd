// TRANSPOSE_CONV: output_shape int32 [4] constant, filter (O,KH,KW,I) constant, input (N,H,W,I),
// optional bias (O) → (N,OH,OW,O). int8 with int8 weights (per channel), uint8 with uint8 weights
// (per tensor), float32. TFLite's reference kernels (reference_integer_ops / reference_ops
// TransposeConv): padding from the output size, a scatter into int32 accumulators (allocated
// here), bias, requantization, fused activation.
import type { GraphTensor } from "../graph/graph.js";
import {
  type OpDefinition, type PrepareContext, constantInt32, expectCounts, expectFloatActivation, expectRank, expectShape, fail, input,
  kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { activationRange, convOutputAndPadding, floatActivationRange, storedZeroPoint } from "./quantization.js";
import { biasValues, channelMultipliers, expectQuantizedWeightedOp, filterWeights, floatBias, floatConstant } from "./weights.js";

/** Field order of TransposeConvParams in assembly/kernels/transpose_conv.ts. */
export const FIELDS = [
  "input", "batches", "inputHeight", "inputWidth", "inputChannels", "paddedChannels", "inputOffset",
  "filter", "filterHeight", "filterWidth",
  "output", "outputHeight", "outputWidth", "outputChannels",
  "strideHeight", "strideWidth", "padTop", "padLeft",
  "bias", "multipliers", "shifts", "outputOffset", "activationMin", "activationMax", "scratch",
] as const;

/** Field order of TransposeConvF32Params. */
export const FIELDS_F32 = [
  "input", "batches", "inputHeight", "inputWidth", "inputChannels", "paddedChannels",
  "filter", "filterHeight", "filterWidth",
  "output", "outputHeight", "outputWidth", "outputChannels",
  "strideHeight", "strideWidth", "padTop", "padLeft",
  "bias", "activationMin", "activationMax", "scratch",
] as const;

/** The filter (O,KH,KW,I) as (KH,KW,O,padded): the taps of one filter position together. */
function packFilter<T extends Int16Array | Float32Array>(values: ArrayLike<number>, out: T, o: number, kH: number, kW: number, inC: number, padded: number): T {
  for (let oc = 0; oc < o; oc++) {
    for (let t = 0; t < kH * kW; t++) {
      for (let i = 0; i < inC; i++) out[(t * o + oc) * padded + i] = values[(oc * kH * kW + t) * inC + i];
    }
  }
  return out;
}

export const transposeConv: OpDefinition = {
  maxVersion: 5,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, [3, 4]);
    const opts = options(op, "TransposeConvOptions");
    const filter = input(op, 1);
    const x = input(op, 2);
    const y = output(op, 0);
    expectRank(op, x, 4, "input");
    expectRank(op, filter, 4, "filter");
    const shape = [...constantInt32(op, input(op, 0), "output_shape")];
    expectShape(op, y, shape, "output");
    const [batches, inH, inW, inC] = x.shape;
    const [outC, kH, kW, filterC] = filter.shape;
    if (filterC !== inC) fail(op, `filter has ${filterC} input channels but the input has ${inC}`);
    if (shape.length !== 4 || shape[0] !== batches || shape[3] !== outC) fail(op, `output shape [${shape}] does not fit the input and filter`);
    if (opts.strideH < 1 || opts.strideW < 1) fail(op, `strides (${opts.strideH}, ${opts.strideW}) must be at least 1`);
    if (y.elementCount === 0 || x.elementCount === 0) fail(op, "has an empty tensor");
    const [, outH, outW] = shape;
    const geometry = {
      input: ctx.address(x), batches, inputHeight: inH, inputWidth: inW, inputChannels: inC,
      filterHeight: kH, filterWidth: kW,
      output: ctx.address(y), outputHeight: outH, outputWidth: outW, outputChannels: outC,
      strideHeight: opts.strideH, strideWidth: opts.strideW,
      padTop: convOutputAndPadding(opts.padding, outH, kH, opts.strideH, 1).padBefore,
      padLeft: convOutputAndPadding(opts.padding, outW, kW, opts.strideW, 1).padBefore,
    };
    if (x.dtype === "float32") return prepareFloat(ctx, x, filter, y, geometry, opts.fusedActivation);

    expectQuantizedWeightedOp(op, x, filter, y, 0);
    const weights = filterWeights(op, filter);
    const paddedChannels = Math.ceil(inC / 8) * 8;
    const signedValues = weights.signed ? new Int8Array(weights.data.buffer, weights.data.byteOffset, weights.data.length) : weights.data;
    // int8 filters are symmetric (TFLite ignores their zero points); uint8 ones subtract theirs.
    const zeroPoint = weights.signed ? 0 : weights.zeroPoints[0];
    const centred = Int16Array.from(signedValues, (w) => w - zeroPoint);
    const { multipliers, shifts } = channelMultipliers({ kernels: ctx.kernels, memory }, op, x, filter, y, outC, x.dtype === "uint8");
    const [activationMin, activationMax] = activationRange(op, y, opts.fusedActivation);
    const count = batches * outH * outW * outC;
    const values = {
      ...geometry, paddedChannels, inputOffset: -storedZeroPoint(x),
      filter: memory.store(packFilter(centred, new Int16Array(kH * kW * outC * paddedChannels), outC, kH, kW, inC, paddedChannels)),
      bias: memory.store(biasValues(op, op.inputs[3], outC)),
      multipliers: memory.store(multipliers), shifts: memory.store(shifts),
      outputOffset: storedZeroPoint(y), activationMin, activationMax,
      scratch: memory.allocate(4 * count + 2 * paddedChannels),
    };
    return kernelStep(ctx, kernelName(ctx, "transpose_conv"), storeParams(memory, FIELDS, values));
  },
};

function prepareFloat(ctx: PrepareContext, x: GraphTensor, filter: GraphTensor, y: GraphTensor, geometry: Record<string, number>, activation: string) {
  const { op, memory } = ctx;
  expectFloatActivation(op, x, "input");
  expectFloatActivation(op, y, "output");
  const { filterHeight: kH, filterWidth: kW, outputChannels: outC, inputChannels: inC } = geometry;
  const paddedChannels = Math.ceil(inC / 4) * 4;
  const values = {
    ...geometry, paddedChannels,
    filter: memory.store(packFilter(floatConstant(op, filter, "filter"), new Float32Array(kH * kW * outC * paddedChannels), outC, kH, kW, inC, paddedChannels)),
    bias: memory.store(floatBias(op, op.inputs[3], outC, outC)),
    ...floatActivationRange(op, activation),
    scratch: memory.allocate(4 * paddedChannels),
  };
  return kernelStep(ctx, kernelName(ctx, "transpose_conv_f32"), storeParams(memory, FIELDS_F32, values));
}
