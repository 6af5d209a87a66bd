// GATHER: slices of input 0 along `axis` picked by the int32 / int64 indices of input 1, with
// `batch_dims` leading axes shared by both (reference_ops::Gather; assembly/kernels/gather.ts).
// Values are copied as bytes, so any dtype works; constant inputs are placed in wasm memory
// (uint8 ones shifted to their int8 storage). fold computes the output of constant inputs.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import { constantInputs } from "../graph/fold.js";
import { type OpDefinition, type PrepareContext, expectCounts, expectShape, fail, input, kernelSteps, options, output, storeParams } from "./context.js";

/** Field order of GatherParams. */
const FIELDS = ["input", "indices", "output", "batches", "outer", "axisSize", "coords", "innerBytes", "indexBytes"] as const;

export const INDEX_TYPES = ["int32", "int64"] as const;

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** Bytes of one value of the tensor. */
export function elementBytes(t: GraphTensor): number {
  return t.elementCount === 0 ? 1 : t.byteSize / t.elementCount;
}

/** The address of a tensor's values: an activation's slot, or a copy of a constant in wasm memory. */
export function valuesAddress(ctx: PrepareContext, t: GraphTensor): number {
  if (t.data === null) return ctx.address(t);
  const data = t.dtype === "uint8" ? t.data.map((b) => b ^ 0x80) : t.data;
  return ctx.memory.store(data.length > 0 ? data : new Uint8Array(1));
}

/** The indices of a tensor of INDEX_TYPES as numbers (int64 ones out of int32 range as NaN). */
export function indexValues(t: GraphTensor, data: Uint8Array): number[] {
  const bytes = data.slice();
  if (t.dtype === "int32") return [...new Int32Array(bytes.buffer, 0, t.elementCount)];
  return [...new BigInt64Array(bytes.buffer, 0, t.elementCount)].map((v) => (v === BigInt.asIntN(32, v) ? Number(v) : NaN));
}

function geometry(op: GraphOp) {
  expectCounts(op, 2);
  const { axis: axisOption, batchDims: batchOption } = options(op, "GatherOptions");
  const params = input(op, 0);
  const indices = input(op, 1, [...INDEX_TYPES]);
  const y = output(op, 0, [params.dtype]);
  const rank = params.shape.length;
  const axis = axisOption < 0 ? axisOption + rank : axisOption;
  const batchDims = batchOption < 0 ? batchOption + indices.shape.length : batchOption;
  if (axis < 0 || axis >= rank) fail(op, `axis ${axisOption} is out of range for rank ${rank}`);
  if (batchDims < 0 || batchDims > axis || batchDims > indices.shape.length) fail(op, `batch_dims ${batchOption} is out of range`);
  for (let i = 0; i < batchDims; i++) {
    if (params.shape[i] !== indices.shape[i]) fail(op, "input and indices differ in their batch dimensions");
  }
  expectShape(op, y, [...params.shape.slice(0, axis), ...indices.shape.slice(batchDims), ...params.shape.slice(axis + 1)], "output");
  return {
    params, indices, y,
    batches: product(params.shape.slice(0, batchDims)),
    outer: product(params.shape.slice(batchDims, axis)),
    axisSize: params.shape[axis],
    coords: product(indices.shape.slice(batchDims)),
    innerBytes: product(params.shape.slice(axis + 1)) * elementBytes(params),
  };
}

export const gather: OpDefinition = {
  maxVersion: 8,
  prepare(ctx) {
    const { op, memory } = ctx;
    const { params, indices, y, ...sizes } = geometry(op);
    if (indices.data !== null && indexValues(indices, indices.data).some((i) => !(i >= 0 && i < sizes.axisSize))) fail(op, "an index is out of range");
    const values = { input: valuesAddress(ctx, params), indices: valuesAddress(ctx, indices), output: ctx.address(y), ...sizes, indexBytes: elementBytes(indices) };
    return kernelSteps(ctx, [{ kernel: "gather", params: storeParams(memory, FIELDS, values) }]);
  },
  fold(op) {
    if (!constantInputs(op)) return null;
    const { params, indices, y, batches, outer, axisSize, coords, innerBytes } = geometry(op);
    const index = indexValues(indices, indices.data!);
    if (index.some((i) => !(i >= 0 && i < axisSize))) fail(op, "an index is out of range");
    const out = new Uint8Array(y.byteSize);
    let to = 0;
    for (let b = 0; b < batches; b++) {
      for (let o = 0; o < outer; o++) {
        const block = (b * outer + o) * axisSize * innerBytes;
        for (let i = 0; i < coords; i++) {
          const from = block + index[b * coords + i] * innerBytes;
          out.set(params.data!.subarray(from, from + innerBytes), to);
          to += innerBytes;
        }
      }
    }
    return [out];
  },
};
