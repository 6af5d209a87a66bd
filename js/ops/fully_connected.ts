// FULLY_CONNECTED: input (…, K) flattened to (N, K), filter (Cout, K) constant, optional bias
// (Cout) → (N, Cout) (or (…, Cout) with keep_num_dims). int8/uint8 activations with int8/uint8
// weights, or float32 throughout.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { FullyConnectedOptions, FusedActivation } from "../tflite/types.js";
import {
  type OpDefinition, type PrepareContext, type Step, expectCounts, expectFloatActivation, expectRank, fail, input,
  kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { floatActivationRange } from "./quantization.js";
import {
  expectQuantizedWeightedOp, floatBias, floatConstant, packTilesF32, storeFullyConnectedFilter, weightedRequant,
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
    if (x.dtype === "float32") return prepareFloat(ctx, x, filter, y, opts);
    expectQuantizedWeightedOp(op, x, filter, y, 0);
    const g = geometry(op, x, filter, y, opts);
    const perTensor = filter.scale.length === 1;
    return rowsStep(ctx, x, filter, y, g, opts.fusedActivation, perTensor || x.dtype === "uint8");
  },
};

/** Bytes of the int8 v128 kernel's scratch for rows of `depth` values (assembly/kernels/fully_connected.ts). */
export function fullyConnectedScratchBytes(depth: number): number {
  return Math.ceil(depth / 2) * 4;
}

/**
 * The int8 kernel's step for `batches` rows of `depth` input values and a (outputChannels, depth)
 * filter: FULLY_CONNECTED, and CONV_2D with one output pixel whose patch is its whole input
 * (js/ops/conv2d.ts). `floatProduct`: channelMultipliers'.
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
