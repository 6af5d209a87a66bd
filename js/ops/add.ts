// ADD: two int8/uint8 (or two float32) tensors of the same shape, or broadcastable up to 4
// dimensions → output.
import { type GraphOp, type GraphTensor } from "../graph/graph.js";
import {
  type OpDefinition, expectCounts, expectFloatActivation, expectQuantizedActivation, fail, input, kernelName, kernelStep, options, output,
  storeParams,
} from "./context.js";
import { activationRange, floatActivationRange, quantizeMultiplier, storedZeroPoint } from "./quantization.js";

/** Field order of AddParams in assembly/kernels/add.ts. */
export const FIELDS = [
  "input1", "input2", "output", "dim0", "dim1", "dim2", "dim3",
  "input1Stride0", "input1Stride1", "input1Stride2", "input1Stride3",
  "input2Stride0", "input2Stride1", "input2Stride2", "input2Stride3",
  "input1Offset", "input1Multiplier", "input1Shift",
  "input2Offset", "input2Multiplier", "input2Shift",
  "leftShift", "outputMultiplier", "outputShift", "outputOffset", "activationMin", "activationMax",
] as const;

/** Field order of AddF32Params in assembly/kernels/add_f32.ts. */
export const FIELDS_F32 = [
  "input1", "input2", "output", "dim0", "dim1", "dim2", "dim3",
  "input1Stride0", "input1Stride1", "input1Stride2", "input1Stride3",
  "input2Stride0", "input2Stride1", "input2Stride2", "input2Stride3",
  "activationMin", "activationMax",
] as const;

const LEFT_SHIFT = 20;

/** Element strides of `t` over the 4-D broadcast output shape (0 where t is broadcast). */
function broadcastStrides(op: GraphOp, t: GraphTensor, out: number[]): number[] {
  const shape = [...Array(4 - t.shape.length).fill(1), ...t.shape];
  const strides = [0, 0, 0, 0];
  let stride = 1;
  for (let d = 3; d >= 0; d--) {
    if (shape[d] === out[d]) strides[d] = shape[d] === 1 ? 0 : stride;
    else if (shape[d] !== 1) fail(op, `input "${t.name}" of shape [${t.shape}] does not broadcast to [${out}]`);
    stride *= shape[d];
  }
  return strides;
}

/** The checks both dtypes share: 4-D broadcast layout of the two inputs onto the output. */
function layout(op: GraphOp, a: GraphTensor, b: GraphTensor, y: GraphTensor) {
  const rank = Math.max(a.shape.length, b.shape.length);
  const padded = (s: number[]) => [...Array(4 - s.length).fill(1), ...s];
  const pa = padded(a.shape);
  const pb = padded(b.shape);
  let out = pa.map((d, i) => (d === 1 ? pb[i] : d));
  const expected = out.slice(4 - rank);
  if (y.shape.length !== rank || y.shape.some((d, i) => d !== expected[i])) {
    fail(op, `output has shape [${y.shape}]; inputs [${a.shape}] and [${b.shape}] give [${expected}]`);
  }
  let sa = broadcastStrides(op, a, out);
  let sb = broadcastStrides(op, b, out);
  if (pa.every((d, i) => d === out[i]) && pb.every((d, i) => d === out[i])) {
    // No broadcasting: one contiguous run, so the kernel's innermost loop covers everything.
    const count = out.reduce((n, d) => n * d, 1);
    [out, sa, sb] = [[1, 1, 1, count], [0, 0, 0, 1], [0, 0, 0, 1]];
  }
  return {
    dim0: out[0], dim1: out[1], dim2: out[2], dim3: out[3],
    input1Stride0: sa[0], input1Stride1: sa[1], input1Stride2: sa[2], input1Stride3: sa[3],
    input2Stride0: sb[0], input2Stride1: sb[1], input2Stride2: sb[2], input2Stride3: sb[3],
  };
}

export const add: OpDefinition = {
  maxVersion: 5,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 2);
    const opts = options(op, "AddOptions");
    const a = input(op, 0);
    const b = input(op, 1);
    const y = output(op, 0);
    const float = y.dtype === "float32";
    for (const [t, what] of [[a, "input 0"], [b, "input 1"], [y, "output"]] as const) {
      if (float) expectFloatActivation(op, t, what);
      else expectQuantizedActivation(op, t, what);
      if (t.dtype !== y.dtype) fail(op, `${what} is ${t.dtype} but the output is ${y.dtype}`);
      if (t.shape.length > 4) fail(op, `${what} has ${t.shape.length} dimensions; at most 4 are supported`);
    }
    const shapes = layout(op, a, b, y);
    if (float) {
      const values = {
        ...shapes, input1: ctx.address(a), input2: ctx.address(b), output: ctx.address(y),
        ...floatActivationRange(op, opts.fusedActivation),
      };
      const params = storeParams(memory, FIELDS_F32, values);
      const kernel = kernelName(ctx, "add_f32");
      return kernelStep(ctx, kernel, params, { kind: "elementwise", kernel, fields: FIELDS_F32, values, elementBytes: 4, scratchBytes: 0 });
    }

    // add.cc Prepare: both inputs scaled to twice the larger input scale, then to the output.
    const twiceMaxInputScale = 2 * Math.max(a.scale[0], b.scale[0]);
    const [input1Multiplier, input1Shift] = quantizeMultiplier(a.scale[0] / twiceMaxInputScale);
    const [input2Multiplier, input2Shift] = quantizeMultiplier(b.scale[0] / twiceMaxInputScale);
    const [outputMultiplier, outputShift] = quantizeMultiplier(twiceMaxInputScale / (2 ** LEFT_SHIFT * y.scale[0]));
    const [activationMin, activationMax] = activationRange(op, y, opts.fusedActivation);
    const values = {
      ...shapes, input1: ctx.address(a), input2: ctx.address(b), output: ctx.address(y),
      input1Offset: -storedZeroPoint(a), input1Multiplier, input1Shift,
      input2Offset: -storedZeroPoint(b), input2Multiplier, input2Shift,
      leftShift: LEFT_SHIFT, outputMultiplier, outputShift, outputOffset: storedZeroPoint(y),
      activationMin, activationMax,
    };
    const params = storeParams(memory, FIELDS, values);
    const kernel = kernelName(ctx, "add");
    return kernelStep(ctx, kernel, params, { kind: "elementwise", kernel, fields: FIELDS, values, elementBytes: 1, scratchBytes: 0 });
  },
};
