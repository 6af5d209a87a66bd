// The binary elementwise ops' shared framework: TFLite's broadcasting of two inputs onto the
// output as at most 4 dimensions with per-input element strides (the layout every elementwise
// kernel takes), operands that may be constants, the int32 and float32 kernels (binary_i32,
// binary_f32 in assembly/kernels/binary.ts) and constant folding of int32 arithmetic.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { FusedActivation } from "../tflite/types.js";
import { type PrepareContext, type Step, fail, floatBits, kernelName, kernelStep, storeParams } from "./context.js";
import { floatActivationRange } from "./quantization.js";

/** The layout fields that start every elementwise kernel's parameter block (AddParams' first fields). */
export const LAYOUT_FIELDS = [
  "input1", "input2", "output", "dim0", "dim1", "dim2", "dim3",
  "input1Stride0", "input1Stride1", "input1Stride2", "input1Stride3",
  "input2Stride0", "input2Stride1", "input2Stride2", "input2Stride3",
] as const;

/** Operation codes of assembly/kernels/binary.ts. */
export const BinaryOp = {
  Add: 0, Sub: 1, Mul: 2, Div: 3, SquaredDifference: 4, Maximum: 5, Minimum: 6, FloorDiv: 7, FloorMod: 8, Prelu: 9,
} as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];

/** Field order of BinaryParams (binary_i32, binary_f32) in assembly/kernels/binary.ts. */
export const BINARY_FIELDS = [...LAYOUT_FIELDS, "op", "activationMin", "activationMax"] as const;

export type Layout = Record<(typeof LAYOUT_FIELDS)[number], number>;

/** The output shape TFLite's broadcasting gives two input shapes (null when they do not broadcast). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[i - rank + a.length] ?? 1;
    const db = b[i - rank + b.length] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * Dimensions and element strides of both inputs over the output, TFLite's broadcasting: output
 * dimensions of size 1 are left out and neighbours where each input is either whole in both or
 * broadcast in both are merged, so that any rank works when at most 4 such runs remain.
 */
export function broadcastLayout(op: GraphOp, a: GraphTensor, b: GraphTensor, y: GraphTensor): Omit<Layout, "input1" | "input2" | "output"> {
  const out = broadcastShape(a.shape, b.shape);
  if (out === null) fail(op, `inputs [${a.shape}] and [${b.shape}] do not broadcast`);
  if (y.shape.length !== out.length || y.shape.some((d, i) => d !== out[i])) fail(op, `output has shape [${y.shape}]; inputs [${a.shape}] and [${b.shape}] give [${out}]`);
  const rank = out.length;
  const runs: { size: number; wholeA: boolean; wholeB: boolean }[] = [];
  for (let i = 0; i < rank; i++) {
    if (out[i] === 1) continue;
    const wholeA = (a.shape[i - rank + a.shape.length] ?? 1) !== 1;
    const wholeB = (b.shape[i - rank + b.shape.length] ?? 1) !== 1;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.wholeA === wholeA && last.wholeB === wholeB) last.size *= out[i];
    else runs.push({ size: out[i], wholeA, wholeB });
  }
  if (runs.length > 4) fail(op, `broadcasting [${a.shape}] with [${b.shape}] needs ${runs.length} dimensions; at most 4 are supported`);
  while (runs.length < 4) runs.unshift({ size: 1, wholeA: false, wholeB: false });
  const dims = runs.map((r) => r.size);
  const sa = [0, 0, 0, 0], sb = [0, 0, 0, 0];
  let strideA = 1, strideB = 1;
  for (let d = 3; d >= 0; d--) {
    if (runs[d].wholeA) { sa[d] = strideA; strideA *= dims[d]; }
    if (runs[d].wholeB) { sb[d] = strideB; strideB *= dims[d]; }
  }
  return {
    dim0: dims[0], dim1: dims[1], dim2: dims[2], dim3: dims[3],
    input1Stride0: sa[0], input1Stride1: sa[1], input1Stride2: sa[2], input1Stride3: sa[3],
    input2Stride0: sb[0], input2Stride1: sb[1], input2Stride2: sb[2], input2Stride3: sb[3],
  };
}

/** The address of an operand: its arena memory, or a constant's bytes copied to memory (uint8 stored as int8). */
export function operandAddress(ctx: PrepareContext, t: GraphTensor): number {
  if (t.data === null) return ctx.address(t);
  const bytes = t.data.slice(0, t.byteSize);
  if (t.dtype === "uint8") for (let i = 0; i < bytes.length; i++) bytes[i] ^= 0x80;
  return ctx.memory.store(bytes);
}

/** The layout fields of `op` (inputs 0 and 1 onto output 0), constant inputs included. */
export function elementwiseLayout(ctx: PrepareContext, a: GraphTensor, b: GraphTensor, y: GraphTensor): Layout {
  if (y.data !== null) fail(ctx.op, `output "${y.name}" is a constant`);
  return { ...broadcastLayout(ctx.op, a, b, y), input1: operandAddress(ctx, a), input2: operandAddress(ctx, b), output: ctx.address(y) };
}

/** Checks that both inputs and the output share the dtype. */
export function expectSameTypes(op: GraphOp, a: GraphTensor, b: GraphTensor, y: GraphTensor, allowed: readonly string[]): void {
  if (!allowed.includes(y.dtype)) fail(op, `output is ${y.dtype}; expected ${allowed.join(" or ")}`);
  if (a.dtype !== y.dtype || b.dtype !== y.dtype) fail(op, `inputs are ${a.dtype} and ${b.dtype} but the output is ${y.dtype}`);
}

/** A quantized operand: per-tensor quantization. */
export function expectPerTensor(op: GraphOp, t: GraphTensor, what: string): void {
  if (t.scale.length !== 1) fail(op, `${what} "${t.name}" must be quantized with one scale and zero point (has ${t.scale.length})`);
}

const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

/** CalculateActivationRange for int32 outputs, by fused activation. */
const INT32_RANGES: Partial<Record<FusedActivation, [number, number]>> = { NONE: [INT32_MIN, INT32_MAX], RELU: [0, INT32_MAX], RELU6: [0, 6], RELU_N1_TO_1: [-1, 1] };

function int32ActivationRange(op: GraphOp, activation: FusedActivation): [number, number] {
  const range = INT32_RANGES[activation];
  if (range === undefined) fail(op, `fused activation ${activation} is not supported`);
  return range;
}

/**
 * The step of an int32 or float32 op on the generic kernels (binary_i32 / binary_f32); ops
 * without a fused activation pass null (float results unclamped, as TFLite leaves them).
 */
export function plainBinaryStep(ctx: PrepareContext, code: BinaryOp, a: GraphTensor, b: GraphTensor, y: GraphTensor, activation: FusedActivation | null): Step {
  const float = y.dtype === "float32";
  let range: { activationMin: number; activationMax: number };
  if (float) {
    range = activation === null ? { activationMin: floatBits(-Infinity), activationMax: floatBits(Infinity) } : floatActivationRange(ctx.op, activation);
  } else {
    const [activationMin, activationMax] = int32ActivationRange(ctx.op, activation ?? "NONE");
    range = { activationMin, activationMax };
  }
  const values = { ...elementwiseLayout(ctx, a, b, y), op: code, ...range };
  const kernel = float ? kernelName(ctx, "binary_f32") : "binary_i32";
  const params = storeParams(ctx.memory, BINARY_FIELDS, values);
  return kernelStep(ctx, kernel, params, { kind: "elementwise", kernel, fields: BINARY_FIELDS, values, elementBytes: 4, scratchBytes: 0 });
}

// ---- constant folding ------------------------------------------------------------------------

/** TFLite's int32 arithmetic of one element (C's wrap-around; null where TFLite refuses, division by zero). */
function int32Value(code: BinaryOp, x: number, y: number): number | null {
  switch (code) {
    case BinaryOp.Add: return (x + y) | 0;
    case BinaryOp.Sub: return (x - y) | 0;
    case BinaryOp.Mul: return Math.imul(x, y);
    case BinaryOp.Div: return y === 0 ? null : Math.trunc(x / y) | 0;
    case BinaryOp.SquaredDifference: { const d = (x - y) | 0; return Math.imul(d, d); }
    case BinaryOp.Maximum: return Math.max(x, y);
    case BinaryOp.Minimum: return Math.min(x, y);
    case BinaryOp.FloorDiv: return y === 0 ? null : Math.floor(x / y) | 0;
    case BinaryOp.FloorMod: {
      if (y === 0) return null;
      const r = x % y;
      return r !== 0 && (y < 0) !== (r < 0) ? (r + y) | 0 : r | 0;
    }
    default: return null;
  }
}

/** The folder of an int32 binary op: its output from two constant int32 inputs (and the fused activation). */
export function int32Folder(code: BinaryOp): (op: GraphOp) => Uint8Array[] | null {
  return (op) => {
    const [a, b] = op.inputs;
    const y = op.outputs[0];
    if (op.inputs.length !== 2 || a === null || b === null || y === undefined || a.data === null || b.data === null) return null;
    if (a.dtype !== "int32" || b.dtype !== "int32" || y.dtype !== "int32") return null;
    const shape = broadcastShape(a.shape, b.shape);
    if (shape === null || shape.length !== y.shape.length || shape.some((d, i) => d !== y.shape[i])) return null;
    const range = INT32_RANGES[fusedActivationOf(op)];
    if (range === undefined) return null;
    const va = new Int32Array(a.data.slice(0, a.byteSize).buffer);
    const vb = new Int32Array(b.data.slice(0, b.byteSize).buffer);
    const count = shape.reduce((n, d) => n * d, 1);
    const out = new Int32Array(count);
    const rank = shape.length;
    const index = new Array<number>(rank).fill(0);
    const offsetOf = (s: readonly number[]) => {
      let at = 0;
      for (let i = 0; i < s.length; i++) at = at * s[i] + (s[i] === 1 ? 0 : index[i - s.length + rank]);
      return at;
    };
    for (let k = 0; k < count; k++) {
      const v = int32Value(code, va[offsetOf(a.shape)], vb[offsetOf(b.shape)]);
      if (v === null) return null;
      out[k] = Math.min(Math.max(v, range[0]), range[1]);
      for (let d = rank - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
    }
    return [new Uint8Array(out.buffer)];
  };
}

// ---- 8-bit -----------------------------------------------------------------------------------

/** Field order of BinaryQ8Params (binary_q8, mul, mul_ref) in assembly/kernels/binary.ts. */
export const BINARY_Q8_FIELDS = [
  ...LAYOUT_FIELDS, "op",
  "input1Offset", "input1Multiplier", "input1Shift",
  "input2Offset", "input2Multiplier", "input2Shift",
  "leftShift", "outputMultiplier", "outputShift", "outputOffset", "activationMin", "activationMax", "table",
] as const;

/** The BinaryQ8Params values an op does not use. */
export const UNUSED_Q8 = {
  input1Offset: 0, input1Multiplier: 0, input1Shift: 0, input2Offset: 0, input2Multiplier: 0, input2Shift: 0,
  leftShift: 0, outputMultiplier: 0, outputShift: 0, outputOffset: 0, table: 0,
} as const;

/** The step of an 8-bit op with a BinaryQ8Params block. */
export function q8Step(ctx: PrepareContext, kernel: string, values: Record<string, number>): Step {
  const params = storeParams(ctx.memory, BINARY_Q8_FIELDS, values);
  return kernelStep(ctx, kernel, params, { kind: "elementwise", kernel, fields: BINARY_Q8_FIELDS, values, elementBytes: 1, scratchBytes: 0 });
}

/** The op's fused activation (NONE when it has no options table). */
export function fusedActivationOf(op: GraphOp): FusedActivation {
  return op.options !== null && "fusedActivation" in op.options ? op.options.fusedActivation : "NONE";
}
