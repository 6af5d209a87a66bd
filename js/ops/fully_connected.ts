// FULLY_CONNECTED: input (…, K) flattened to (N, K), filter (Cout, K) constant, optional bias
// (Cout) → (N, Cout) (or (…, Cout) with keep_num_dims). int8/uint8 activations with int8/uint8
// weights, float32 throughout, or float32 activations with int8 weights (js/ops/hybrid.ts).
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { FullyConnectedOptions, FusedActivation } from "../tflite/types.js";
import {
  type OpDefinition, type PrepareContext, type Step, expectCounts, expectFloatActivation, expectRank, fail, input,
  kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { hybridStep, isHybrid } from "./hybrid.js";
import { activationRange, floatActivationRange, storedZeroPoint } from "./quantization.js";
import {
  biasValues, expectQuantizedWeightedOp, filterWeights, floatBias, floatConstant, packTilesF32, requantFields,
  storeFullyConnectedFilter, weightedRequant,
} from "./weights.js";

/** Field order of FullyConnectedParams in assembly/kernels/fully_connected.ts. */
export const FIELDS = [
  "input", "batches", "depth", "inputOffset", "filter", "filterOffsets", "bias",
  "output", "outputChannels", "multipliers", "shifts", "outputOffset", "activationMin", "activationMax",
  "requant", "scratch", "requantMode",
] as const;

/** Field order of FullyConnectedF32Params in assembly/kernels/fully_connected_f32.ts. */
export const FIELDS_F32 = [
  "input", "batches", "depth", "filter", "bias", "output", "outputChannels", "activationMin", "activationMax",
] as const;

/** The shape checks both dtypes share. */
function geometry(op: GraphOp, x: GraphTensor, filter: GraphTensor, y: GraphTensor, opts: FullyConnectedOptions) {
  if (opts.weightsFormat !== 0) fail(op, `shuffled weights format ${opts.weightsFormat} is not supported`);
  expectRank(op, filter, 2, "filter");
  const [outputChannels, depth] = filter.shape;
  if (depth === 0 || x.elementCount % depth !== 0) fail(op, `input of ${x.elementCount} values is not a whole number of rows of ${depth}`);
  const batches = x.elementCount / depth;
  if (y.elementCount !== batches * outputChannels || y.shape[y.shape.length - 1] !== outputChannels) {
    fail(op, `output "${y.name}" has shape [${y.shape}]; expected ${batches} rows of ${outputChannels}`);
  }
  return { batches, depth, outputChannels };
}

export const fullyConnected: OpDefinition = {
  maxVersion: 12,
  prepare(ctx) {
    const { op } = ctx;
    expectCounts(op, [2, 3]);
    const opts = options(op, "FullyConnectedOptions");
    const x = input(op, 0);
    const filter = input(op, 1);
    const y = output(op, 0);
    if (isHybrid(x, filter)) {
      const { batches, depth, outputChannels } = geometry(op, x, filter, y, opts);
      return hybridStep(ctx, x, filter, y, {
        batches, inputHeight: 1, inputWidth: 1, inputChannels: depth, outputHeight: 1, outputWidth: 1, outputChannels,
        filterHeight: 1, filterWidth: 1, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0,
        depth, depthMultiplier: 0, channelStride: depth, tapStride: depth,
      }, batches, opts.asymmetricQuantizeInputs, opts.fusedActivation, false);
    }
    if (x.dtype === "float32") return prepareFloat(ctx, x, filter, y, opts);
    expectQuantizedWeightedOp(op, x, filter, y, 0);
    return scaledRowsStep(ctx, x, filter, y, geometry(op, x, filter, y, opts), opts.fusedActivation);
  },
};

/**
 * The int8 kernel's step for FULLY_CONNECTED: TFLite 2.21's reference kernels requantize in double,
 * round(acc · s_in · s_filter[c] / s_out) (requantMode 2, assembly/requant.ts requantizeScaled),
 * and per-channel filters have their zero points taken as 0.
 */
function scaledRowsStep(
  ctx: PrepareContext, x: GraphTensor, filter: GraphTensor, y: GraphTensor,
  shape: { batches: number; depth: number; outputChannels: number }, activation: FusedActivation,
): Step {
  const { op, memory } = ctx;
  const { depth, outputChannels: outC } = shape;
  const prep = { kernels: ctx.kernels, memory };
  if (filter.scale.length !== 1 && filter.scale.length !== outC) {
    fail(op, `filter "${filter.name}" has ${filter.scale.length} scales for ${outC} output channels`);
  }
  const weights = filterWeights(op, filter);
  if (filter.scale.length > 1) {
    if (x.dtype !== "int8") fail(op, "per-channel weights need int8 activations");
    weights.zeroPoints = [0];
  }
  const bias = biasValues(op, op.inputs[2], outC);
  const table = new Int32Array(Math.ceil(outC / 8) * 24);
  const scales = new Float64Array(table.buffer);
  for (let c = 0; c < outC; c++) {
    table[(c >> 3) * 24 + (c & 7)] = bias[c];
    scales[(c >> 3) * 12 + 4 + (c & 7)] = x.scale[0] * filter.scale[filter.scale.length === 1 ? 0 : c] / y.scale[0];
  }
  const noMultipliers = new Int32Array(outC);
  const params = storeParams(memory, FIELDS, {
    ...shape, input: ctx.address(x), inputOffset: -storedZeroPoint(x), output: ctx.address(y),
    ...storeFullyConnectedFilter(prep, weights, outC, depth, []),
    ...requantFields(memory, bias, noMultipliers, noMultipliers, storedZeroPoint(y), activationRange(op, y, activation), { mode: 2, table }),
    scratch: memory.allocate(fullyConnectedScratchBytes(depth)),
  });
  return kernelStep(ctx, kernelName(ctx, "fully_connected"), params);
}

/** Bytes of the int8 v128 kernel's scratch for rows of `depth` values (assembly/kernels/fully_connected.ts). */
export function fullyConnectedScratchBytes(depth: number): number {
  return Math.ceil(depth / 2) * 4;
}

/**
 * The int8 kernel's step for `batches` rows of `depth` input values and a (outputChannels, depth)
 * filter with TFLite's fixed-point requantization: CONV_2D with one output pixel whose patch is its
 * whole input (js/ops/conv2d.ts). `floatProduct`: channelMultipliers'.
 */
export function rowsStep(
  ctx: PrepareContext, x: GraphTensor, filter: GraphTensor, y: GraphTensor,
  shape: { batches: number; depth: number; outputChannels: number }, activation: FusedActivation, floatProduct: boolean,
): Step {
  const { op, memory } = ctx;
  const { depth, outputChannels: outC } = shape;
  const prep = { kernels: ctx.kernels, memory };
  const { inputOffset, weights, requant, fields } = weightedRequant(prep, op, x, filter, y, outC, depth, activation, floatProduct);
  const params = storeParams(memory, FIELDS, {
    ...shape, input: ctx.address(x), inputOffset, output: ctx.address(y),
    ...storeFullyConnectedFilter(prep, weights, outC, depth, requant.constantChannels),
    ...fields,
    scratch: memory.allocate(fullyConnectedScratchBytes(depth)),
  });
  return kernelStep(ctx, kernelName(ctx, "fully_connected"), params);
}

function prepareFloat(ctx: PrepareContext, x: GraphTensor, filter: GraphTensor, y: GraphTensor, opts: FullyConnectedOptions) {
  const { op, memory } = ctx;
  expectFloatActivation(op, x, "input");
  expectFloatActivation(op, y, "output");
  const weights = floatConstant(op, filter, "filter");
  const g = geometry(op, x, filter, y, opts);
  const outC = g.outputChannels;
  const params = storeParams(memory, FIELDS_F32, {
    ...g, input: ctx.address(x), output: ctx.address(y),
    filter: memory.store(packTilesF32(weights, outC, g.depth)),
    bias: memory.store(floatBias(op, op.inputs[2], outC, Math.ceil(outC / 8) * 8)),
    ...floatActivationRange(op, opts.fusedActivation),
  });
  return kernelStep(ctx, kernelName(ctx, "fully_connected_f32"), params);
}
