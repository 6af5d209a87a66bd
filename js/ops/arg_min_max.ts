// ARG_MAX / ARG_MIN along the constant axis of input 1: int8, uint8, float32 or int32 values →
// int32 or int64 indices, the first of equal values (reference_ops::ArgMinMax;
// assembly/kernels/arg_min_max.ts). uint8 is stored as int8 = uint8 - 128, which keeps the order.
import type { GraphOp } from "../graph/graph.js";
import { type OpDefinition, type PrepareContext, expectCounts, expectShape, fail, input, kernelSteps, output, storeParams } from "./context.js";
import { indexValues } from "./gather.js";

/** Field order of ArgMinMaxParams. */
const FIELDS = ["input", "output", "outer", "axisSize", "inner", "type", "isMax", "outputBytes"] as const;

const VALUE_TYPES = { int8: 0, uint8: 0, float32: 1, int32: 2 } as const;

function axisOf(op: GraphOp, rank: number): number {
  const t = input(op, 1, ["int32", "int64"]);
  if (t.data === null) fail(op, `axis "${t.name}" must be a constant tensor`);
  if (t.elementCount !== 1) fail(op, `axis "${t.name}" must hold one value`);
  const a = indexValues(t, t.data)[0];
  const axis = a < 0 ? a + rank : a;
  if (!(axis >= 0 && axis < rank)) fail(op, `axis ${a} is out of range for rank ${rank}`);
  return axis;
}

function prepareArg(ctx: PrepareContext, isMax: boolean) {
  const { op, memory } = ctx;
  expectCounts(op, 2);
  const x = input(op, 0, ["int8", "uint8", "float32", "int32"]);
  const y = output(op, 0, ["int32", "int64"]);
  if (x.data !== null) fail(op, `input "${x.name}" is a constant, which is not supported here`);
  const axis = axisOf(op, x.shape.length);
  expectShape(op, y, x.shape.filter((_, a) => a !== axis), "output");
  if (x.shape[axis] === 0) fail(op, "reduces an empty axis");
  const values = {
    input: ctx.address(x), output: ctx.address(y),
    outer: x.shape.slice(0, axis).reduce((a, b) => a * b, 1),
    axisSize: x.shape[axis],
    inner: x.shape.slice(axis + 1).reduce((a, b) => a * b, 1),
    type: VALUE_TYPES[x.dtype as keyof typeof VALUE_TYPES], isMax: isMax ? 1 : 0, outputBytes: y.dtype === "int64" ? 8 : 4,
  };
  return kernelSteps(ctx, [{ kernel: "arg_min_max", params: storeParams(memory, FIELDS, values) }]);
}

export const argMax: OpDefinition = { maxVersion: 3, prepare: (ctx) => prepareArg(ctx, true) };
export const argMin: OpDefinition = { maxVersion: 3, prepare: (ctx) => prepareArg(ctx, false) };
