// GATHER_ND: params (p0, …, p{r-1}) and int32 / int64 indices (…, depth) → (…, p{depth}, …):
// each index row picks the slice params[i0, …, i{depth-1}] (reference_ops::GatherNd;
// assembly/kernels/gather_nd.ts).
import { type OpDefinition, expectCounts, expectShape, fail, input, kernelSteps, output, storeParams } from "./context.js";
import { INDEX_TYPES, elementBytes, indexValues, valuesAddress } from "./gather.js";

/** Field order of GatherNdParams. */
const FIELDS = ["input", "indices", "output", "count", "depth", "sliceBytes", "indexBytes", "table"] as const;

export const gatherNd: OpDefinition = {
  maxVersion: 6,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 2);
    const params = input(op, 0);
    const indices = input(op, 1, [...INDEX_TYPES]);
    const y = output(op, 0, [params.dtype]);
    const depth = indices.shape.length === 0 ? 0 : indices.shape[indices.shape.length - 1];
    if (depth === 0 || depth > params.shape.length) fail(op, `indices of shape [${indices.shape}] do not fit params of shape [${params.shape}]`);
    expectShape(op, y, [...indices.shape.slice(0, -1), ...params.shape.slice(depth)], "output");
    const sliceBytes = params.shape.slice(depth).reduce((a, b) => a * b, 1) * elementBytes(params);
    const table = new Int32Array(2 * depth);
    let stride = sliceBytes;
    for (let d = depth - 1; d >= 0; d--) {
      table[2 * d] = params.shape[d];
      table[2 * d + 1] = stride;
      stride *= params.shape[d];
    }
    if (indices.data !== null) {
      const index = indexValues(indices, indices.data);
      if (index.some((i, k) => !(i >= 0 && i < params.shape[k % depth]))) fail(op, "an index is out of range");
    }
    const values = {
      input: valuesAddress(ctx, params), indices: valuesAddress(ctx, indices), output: ctx.address(y),
      count: indices.elementCount / depth, depth, sliceBytes, indexBytes: elementBytes(indices), table: memory.store(table),
    };
    return kernelSteps(ctx, [{ kernel: "gather_nd", params: storeParams(memory, FIELDS, values) }]);
  },
};
