// FULLY_CONNECTED: input (…, K) flattened to (N, K), filter (Cout, K) constant, optional bias
// (Cout) → (N, Cout) (or (…, Cout) with keep_num_dims).
import {
  type OpDefinition, expectCounts, expectQuantizedActivation, expectRank, fail, input, kernelFor, options, output, storeParams,
} from "./context.js";
import { activationRange, storedZeroPoint } from "./quantization.js";
import { biasValues, centredWeights, channelMultipliers, vectorRequantTable } from "./weights.js";

/** Field order of FullyConnectedParams in assembly/kernels/fully_connected.ts. */
export const FIELDS = [
  "input", "batches", "depth", "inputOffset", "filter", "bias",
  "output", "outputChannels", "multipliers", "shifts", "outputOffset", "activationMin", "activationMax", "requant",
] as const;

export const fullyConnected: OpDefinition = {
  maxVersion: 12,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, [2, 3]);
    const opts = options(op, "FullyConnectedOptions");
    const x = input(op, 0);
    const filter = input(op, 1);
    const y = output(op, 0);
    expectQuantizedActivation(op, x, "input");
    expectQuantizedActivation(op, y, "output");
    if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
    if (filter.dtype !== x.dtype) fail(op, `filter is ${filter.dtype} for ${x.dtype} activations`);
    if (opts.weightsFormat !== 0) fail(op, `shuffled weights format ${opts.weightsFormat} is not supported`);
    expectRank(op, filter, 2, "filter");
    const [outC, depth] = filter.shape;
    if (depth === 0 || x.elementCount % depth !== 0) fail(op, `input of ${x.elementCount} values is not a whole number of rows of ${depth}`);
    const batches = x.elementCount / depth;
    if (y.elementCount !== batches * outC || y.shape[y.shape.length - 1] !== outC) {
      fail(op, `output "${y.name}" has shape [${y.shape}]; expected ${batches} rows of ${outC}`);
    }
    if (filter.scale.length > 1 && filter.quantizedDimension !== 0) fail(op, `filter is quantized along dimension ${filter.quantizedDimension}; expected 0`);

    const perTensor = filter.scale.length === 1;
    const { multipliers, shifts } = channelMultipliers(op, x, filter, y, outC, perTensor || x.dtype === "uint8");
    const [activationMin, activationMax] = activationRange(y, opts.fusedActivation);
    const bias = biasValues(op, op.inputs[2], outC);
    const params = storeParams(memory, FIELDS, {
      input: ctx.address(x), batches, depth, inputOffset: -storedZeroPoint(x),
      filter: memory.store(centredWeights(op, filter)),
      bias: memory.store(bias),
      output: ctx.address(y), outputChannels: outC,
      multipliers: memory.store(multipliers), shifts: memory.store(shifts),
      outputOffset: storedZeroPoint(y), activationMin, activationMax,
      requant: memory.store(vectorRequantTable(bias, multipliers, shifts, outC)),
    });
    const kernel = kernelFor(ctx, "fully_connected");
    return () => kernel(params);
  },
};
