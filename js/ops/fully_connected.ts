// FULLY_CONNECTED: input (…, K) flattened to (N, K), filter (Cout, K) constant, optional bias
// (Cout) → (N, Cout) (or (…, Cout) with keep_num_dims). int8/uint8 activations with int8/uint8
// weights, or float32 throughout.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { FullyConnectedOptions } from "../tflite/types.js";
import {
  type OpDefinition, type PrepareContext, expectCounts, expectFloatActivation, expectRank, fail, input,
  kernelName, kernelStep, options, output, storeParams,
} from "./context.js";
import { activationRange, floatActivationRange, storedZeroPoint } from "./quantization.js";
import { biasValues, channelMultipliers, expectQuantizedWeightedOp, filterWeights, floatBias, floatConstant, packTilesF32, storeCentredFilter, vectorRequantTable } from "./weights.js";

/** Field order of FullyConnectedParams in assembly/kernels/fully_connected.ts. */
export const FIELDS = [
  "input", "batches", "depth", "inputOffset", "filter", "bias",
  "output", "outputChannels", "multipliers", "shifts", "outputOffset", "activationMin", "activationMax", "requant",
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
    const { op, memory } = ctx;
    expectCounts(op, [2, 3]);
    const opts = options(op, "FullyConnectedOptions");
    const x = input(op, 0);
    const filter = input(op, 1);
    const y = output(op, 0);
    if (x.dtype === "float32") return prepareFloat(ctx, x, filter, y, opts);
    expectQuantizedWeightedOp(op, x, filter, y, 0);
    const g = geometry(op, x, filter, y, opts);

    const outC = g.outputChannels;
    const perTensor = filter.scale.length === 1;
    const prep = { kernels: ctx.kernels, memory };
    const { multipliers, shifts } = channelMultipliers(prep, op, x, filter, y, outC, perTensor || x.dtype === "uint8");
    const [activationMin, activationMax] = activationRange(op, y, opts.fusedActivation);
    const bias = biasValues(op, op.inputs[2], outC);
    const params = storeParams(memory, FIELDS, {
      ...g, input: ctx.address(x), inputOffset: -storedZeroPoint(x),
      filter: storeCentredFilter(prep, filterWeights(op, filter), outC, g.depth),
      bias: memory.store(bias), output: ctx.address(y),
      multipliers: memory.store(multipliers), shifts: memory.store(shifts),
      outputOffset: storedZeroPoint(y), activationMin, activationMax,
      requant: memory.store(vectorRequantTable(bias, multipliers, shifts, outC)),
    });
    return kernelStep(ctx, kernelName(ctx, "fully_connected"), params);
  },
};

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
