// REDUCE_MAX, REDUCE_MIN and SUM over any constant axes, and MEAN over the axes that mean.ts's
// spatial kernel does not take (assembly/kernels/reduce.ts).
// int8 / uint8 MAX and MIN: the input's values (TFLite requires one quantization on both sides).
// int8 / uint8 SUM and MEAN: reference_ops::QuantizedMeanOrSum, int32 sums requantized with
// input scale / output scale (MEAN: divided by the count inside the multiplier, as TFLite does).
// TFLite 2.21's reference SUM of int8 tensors passes their bytes to QuantizedMeanOrSum as uint8
// (reduce.cc): values and results are read and clamped as uint8 there, with the int8 zero points;
// quantlite does the same, so that it matches TFLite (its optimized kernel reads int8 as int8).
// float32: MAX / MIN / SUM in float32; MEAN = the float32 sum / count.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import {
  type KernelCall, type OpDefinition, type PrepareContext, type Step, constantInt32, expectCounts, expectFloatActivation, expectQuantizedActivation,
  expectShape, fail, floatBits, input, kernelName, kernelSteps, options, output, storeParams,
} from "./context.js";
import { quantizeMultiplier, storedZeroPoint } from "./quantization.js";

/** Field order of ReduceParams in assembly/kernels/reduce.ts. */
const FIELDS = [
  "input", "output", "op", "type", "outputCount", "rank",
  "d0", "d1", "d2", "d3", "d4", "d5", "s0", "s1", "s2", "s3", "s4", "s5",
] as const;

/** Field order of ReduceFinishParams. */
const FINISH_FIELDS = [
  "input", "output", "count", "type", "sumOffset", "multiplier", "shift", "outputOffset", "outputMin", "outputMax", "divisor",
] as const;

const MAX_RANK = 6;

export type Reduction = "max" | "min" | "sum" | "mean";

const OP_CODES = { max: 0, min: 1, sum: 2, mean: 2 } as const;

/** The reduced axes, resolved (negative ones counted from the end) and without repeats. */
export function reducedAxes(op: GraphOp, x: GraphTensor): number[] {
  const rank = x.shape.length;
  const axes: number[] = [];
  for (const a of constantInt32(op, input(op, 1), "axis")) {
    const axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank) fail(op, `axis ${a} is out of range for rank ${rank}`);
    if (!axes.includes(axis)) axes.push(axis);
  }
  return axes;
}

/**
 * The input as at most MAX_RANK merged axes (neighbours both reduced or both kept become one;
 * axes of size 1 go) with each axis's output stride, 0 when reduced; and how many values each
 * output value reduces.
 */
function mergedAxes(op: GraphOp, shape: number[], reduced: Set<number>): { dims: number[]; strides: number[]; count: number } {
  const dims: number[] = [];
  const kept: boolean[] = [];
  let count = 1;
  shape.forEach((d, axis) => {
    if (reduced.has(axis)) count *= d;
    if (d === 1) return;
    const isKept = !reduced.has(axis);
    if (dims.length > 0 && kept[kept.length - 1] === isKept) dims[dims.length - 1] *= d;
    else { dims.push(d); kept.push(isKept); }
  });
  if (dims.length === 0) { dims.push(1); kept.push(true); }
  if (dims.length > MAX_RANK) fail(op, `reduces an input of shape [${shape}] over too many separate axes`);
  const strides = dims.map(() => 0);
  let stride = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    if (!kept[k]) continue;
    strides[k] = stride;
    stride *= dims[k];
  }
  return { dims, strides, count };
}

/** MEAN's multiplier and shift: QuantizeMultiplier(scale ratio) with 1/count folded in, as QuantizedMeanOrSum does. */
export function meanMultiplier(multiplier: number, shift: number, count: number): [multiplier: number, shift: number] {
  const extra = Math.min(31 - Math.clz32(count), 32, 31 + shift); // floor(log2(count)), clamped
  return [Number((BigInt(multiplier) << BigInt(extra)) / BigInt(count)), shift - extra];
}

/** The step of a reduction of input 0 over the axes of input 1 into output 0. */
export function prepareReduction(ctx: PrepareContext, reduction: Reduction): Step {
  const { op, memory } = ctx;
  expectCounts(op, 2);
  const keepDims = options(op, "ReducerOptions").keepDims;
  const x = input(op, 0);
  const y = output(op, 0);
  const float = x.dtype === "float32";
  if (float) {
    expectFloatActivation(op, x, "input");
    expectFloatActivation(op, y, "output");
  } else {
    expectQuantizedActivation(op, x, "input");
    expectQuantizedActivation(op, y, "output");
    if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
    if ((reduction === "max" || reduction === "min") && (x.scale[0] !== y.scale[0] || x.zeroPoint[0] !== y.zeroPoint[0])) {
      fail(op, "input and output must be quantized alike");
    }
  }
  if (x.elementCount === 0) fail(op, "reduces an empty tensor");
  const axes = reducedAxes(op, x);
  const reduced = new Set(axes);
  const outShape = keepDims ? x.shape.map((d, a) => (reduced.has(a) ? 1 : d)) : x.shape.filter((_, a) => !reduced.has(a));
  expectShape(op, y, outShape, "output");
  const { dims, strides, count } = mergedAxes(op, x.shape, reduced);

  const sums8 = !float && (reduction === "sum" || reduction === "mean");
  const bytesAsUint8 = x.dtype === "int8" && reduction === "sum";
  const accumulator = sums8 ? memory.allocate(4 * y.elementCount) : ctx.address(y);
  const values: Record<string, number> = {
    input: ctx.address(x), output: accumulator, op: OP_CODES[reduction], type: float ? 1 : bytesAsUint8 ? 2 : 0, outputCount: y.elementCount, rank: dims.length,
  };
  for (let k = 0; k < MAX_RANK; k++) {
    values[`d${k}`] = dims[k] ?? 1;
    values[`s${k}`] = strides[k] ?? 0;
  }
  const calls: KernelCall[] = [{ kernel: kernelName(ctx, "reduce"), params: storeParams(memory, FIELDS, values) }];
  const finish = (fields: Record<string, number>) =>
    calls.push({ kernel: "reduce_finish", params: storeParams(memory, FINISH_FIELDS, { input: accumulator, output: ctx.address(y), count: y.elementCount, ...fields }) });
  if (sums8) {
    const [m, s] = quantizeMultiplier(x.scale[0] / y.scale[0]);
    const [multiplier, shift] = reduction === "mean" ? meanMultiplier(m, s, count) : [m, s];
    const [outputMin, outputMax] = bytesAsUint8 ? [0, 255] : [-128, 127];
    finish({ type: 0, sumOffset: -storedZeroPoint(x) * count, multiplier, shift, outputOffset: storedZeroPoint(y), outputMin, outputMax, divisor: 0 });
  } else if (float && reduction === "mean") {
    finish({ type: 1, sumOffset: 0, multiplier: 0, shift: 0, outputOffset: 0, outputMin: 0, outputMax: 0, divisor: floatBits(count) });
  }
  return kernelSteps(ctx, calls);
}

export const reduceMax: OpDefinition = { maxVersion: 3, prepare: (ctx) => prepareReduction(ctx, "max") };
export const reduceMin: OpDefinition = { maxVersion: 3, prepare: (ctx) => prepareReduction(ctx, "min") };
export const sum: OpDefinition = { maxVersion: 2, prepare: (ctx) => prepareReduction(ctx, "sum") };
