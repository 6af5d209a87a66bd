// The data-movement ops as N-d strided copies: an op describes each output as moves (a box of
// elements read from one input with some strides, written to one output with others), which run
// as strided_copy kernel calls (assembly/kernels/strided_copy.ts) at inference, or in JavaScript
// when constant folding (js/graph/fold.ts) computes the outputs at load.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { WasmMemory } from "../runtime/memory.js";
import { constantInputs } from "../graph/fold.js";
import { fillPattern } from "./byte-kernels.js";
import { type KernelCall, type OpDefinition, type PrepareContext, fail, kernelName, kernelSteps, storeParams } from "./context.js";
import { storageShift } from "./quantization.js";

const MAX_RANK = 8;
const STRIDED_COPY_FIELDS = [
  "input", "output", "elementBytes", "rank",
  ...Array.from({ length: MAX_RANK }, (_, i) => `dim${i}`),
  ...Array.from({ length: MAX_RANK }, (_, i) => `inStride${i}`),
  ...Array.from({ length: MAX_RANK }, (_, i) => `outStride${i}`),
];

/** Every index i < dims: output[outOffset + Σ i·outStrides] = input[inOffset + Σ i·inStrides] (in elements). */
export interface Move {
  /** Which op input and output. */
  input: number;
  output: number;
  inOffset: number;
  outOffset: number;
  dims: number[];
  inStrides: number[];
  outStrides: number[];
}

export interface MovePlan {
  moves: Move[];
  /** Fill every output with the zero point (0 unless quantized) before the moves (padding). */
  fillZeroPoint?: boolean;
}

const ELEMENT_BYTES: Partial<Record<string, number>> = { int8: 1, uint8: 1, bool: 1, int16: 2, float32: 4, int32: 4, int64: 8 };

/** Row-major element strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
  return strides;
}

/** A whole contiguous tensor of `count` elements from input k to output j at outOffset. */
export function wholeMove(input: number, output: number, count: number, outOffset = 0): Move {
  return { input, output, inOffset: 0, outOffset, dims: [count], inStrides: [1], outStrides: [1] };
}

/** The move without size-1 dimensions and with dimensions merged where both sides are contiguous; null when empty. */
function simplify(move: Move): { dims: number[]; inStrides: number[]; outStrides: number[] } | null {
  if (move.dims.some((d) => d === 0)) return null;
  const dims: number[] = [], inStrides: number[] = [], outStrides: number[] = [];
  for (let i = move.dims.length - 1; i >= 0; i--) {
    const d = move.dims[i];
    if (d === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && move.inStrides[i] === dims[k] * inStrides[k] && move.outStrides[i] === dims[k] * outStrides[k]) {
      dims[k] *= d;
      continue;
    }
    dims.push(d); inStrides.push(move.inStrides[i]); outStrides.push(move.outStrides[i]);
  }
  if (dims.length === 0) return { dims: [1], inStrides: [1], outStrides: [1] };
  return { dims: dims.reverse(), inStrides: inStrides.reverse(), outStrides: outStrides.reverse() };
}

/** The element size of the op's data; every moved input and output must share dtype and quantization. */
function checkData(op: GraphOp, plan: MovePlan): number {
  const y = op.outputs[0];
  const bytes = ELEMENT_BYTES[y.dtype];
  if (bytes === undefined) fail(op, `${y.dtype} tensors are not supported`);
  const tensors = [...new Set(plan.moves.map((m) => op.inputs[m.input]!)), ...op.outputs];
  for (const t of tensors) {
    if (t.dtype !== y.dtype) fail(op, `"${t.name}" is ${t.dtype} but "${y.name}" is ${y.dtype}`);
    if (t.scale.length > 1 || t.scale[0] !== y.scale[0] || t.zeroPoint[0] !== y.zeroPoint[0]) fail(op, "inputs and outputs must be quantized alike");
  }
  return bytes;
}

/** Address of an input: its arena slot, or a copy of a constant in storage form (uint8 as int8). */
export function dataAddress(ctx: PrepareContext, t: GraphTensor): number {
  if (t.data === null) return ctx.address(t);
  const stored = t.data.slice();
  if (storageShift(t) !== 0) for (let i = 0; i < stored.length; i++) stored[i] ^= 0x80;
  return ctx.memory.store(stored);
}

function zeroPointByte(t: GraphTensor, stored: boolean): number {
  if (t.dtype !== "int8" && t.dtype !== "uint8") return 0;
  return ((t.zeroPoint[0] ?? 0) - (stored ? storageShift(t) : 0)) & 0xff;
}

/**
 * The strided_copy parameter block of a move from the tensor at `input` to the one at `output`
 * (addresses), or null when it moves nothing.
 */
export function stridedCopyParams(memory: WasmMemory, input: number, output: number, elementBytes: number, move: Move): number | null | "too many dimensions" {
  const m = simplify(move);
  if (m === null) return null;
  if (m.dims.length > MAX_RANK) return "too many dimensions";
  const values: Record<string, number> = {
    input: input + move.inOffset * elementBytes,
    output: output + move.outOffset * elementBytes,
    elementBytes,
    rank: m.dims.length,
  };
  for (let i = 0; i < MAX_RANK; i++) {
    values[`dim${i}`] = m.dims[i] ?? 0;
    values[`inStride${i}`] = (m.inStrides[i] ?? 0) * elementBytes;
    values[`outStride${i}`] = (m.outStrides[i] ?? 0) * elementBytes;
  }
  return storeParams(memory, STRIDED_COPY_FIELDS, values);
}

/** The kernel calls of a plan. */
export function planSteps(ctx: PrepareContext, plan: MovePlan) {
  const { op, memory } = ctx;
  const elementBytes = checkData(op, plan);
  const calls: KernelCall[] = [];
  if (plan.fillZeroPoint) {
    for (const y of op.outputs) {
      const zp = zeroPointByte(y, true);
      calls.push(fillPattern(memory, elementBytes === 1
        ? { output: ctx.address(y), count: y.byteSize, pattern: zp, patternBytes: 1 }
        : { output: ctx.address(y), count: y.byteSize, pattern: 0, patternBytes: 4 }));
    }
  }
  const inputs = new Map<number, number>();
  const kernel = kernelName(ctx, "strided_copy");
  for (const move of plan.moves) {
    if (!inputs.has(move.input)) inputs.set(move.input, dataAddress(ctx, op.inputs[move.input]!));
    const params = stridedCopyParams(memory, inputs.get(move.input)!, ctx.address(op.outputs[move.output]), elementBytes, move);
    if (params === null) continue;
    if (params === "too many dimensions") fail(op, `needs a copy of more than ${MAX_RANK} dimensions`);
    calls.push({ kernel, params });
  }
  return kernelSteps(ctx, calls);
}

/** A move between byte arrays, in JavaScript (what strided_copy does in wasm). */
export function copyMove(from: Uint8Array, to: Uint8Array, elementBytes: number, move: Move): void {
  const m = simplify(move);
  if (m === null) return;
  const rank = m.dims.length;
  const index = new Array<number>(rank).fill(0);
  let src = move.inOffset, dst = move.outOffset;
  for (;;) {
    to.set(from.subarray(src * elementBytes, (src + 1) * elementBytes), dst * elementBytes);
    let d = rank - 1;
    for (; d >= 0; d--) {
      src += m.inStrides[d]; dst += m.outStrides[d];
      if (++index[d] < m.dims[d]) break;
      src -= m.dims[d] * m.inStrides[d]; dst -= m.dims[d] * m.outStrides[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/** The outputs' bytes of a plan over constant inputs (model form: uint8 as uint8). */
export function planOutputs(op: GraphOp, plan: MovePlan): Uint8Array[] {
  const elementBytes = checkData(op, plan);
  const outputs = op.outputs.map((y) => new Uint8Array(y.byteSize).fill(plan.fillZeroPoint ? zeroPointByte(y, false) : 0));
  for (const move of plan.moves) copyMove(op.inputs[move.input]!.data!, outputs[move.output], elementBytes, move);
  return outputs;
}

/** An op whose outputs are the plan's moves; it folds when all its inputs are constants. */
export function movingOp(maxVersion: number, plan: (op: GraphOp) => MovePlan): OpDefinition {
  return {
    maxVersion,
    prepare: (ctx) => planSteps(ctx, plan(ctx.op)),
    fold: (op) => (constantInputs(op) ? planOutputs(op, plan(op)) : null),
  };
}

/** A constant int32 or int64 tensor's values (shape, axis, permutation, sizes…). */
export function constantInts(op: GraphOp, t: GraphTensor | null | undefined, what: string): number[] {
  if (t === null || t === undefined) fail(op, `${what} is missing`);
  if (t.data === null) fail(op, `${what} "${t.name}" must be a constant tensor`);
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (t.dtype === "int32") return Array.from({ length: t.elementCount }, (_, i) => view.getInt32(4 * i, true));
  if (t.dtype === "int64") return Array.from({ length: t.elementCount }, (_, i) => Number(view.getBigInt64(8 * i, true)));
  fail(op, `${what} "${t.name}" is ${t.dtype}; expected int32 or int64`);
}

/** The op's output k has this shape, else a ModelError. */
export function expectOutputShape(op: GraphOp, k: number, shape: number[]): void {
  const y = op.outputs[k];
  if (y === undefined) fail(op, `output ${k} is missing`);
  if (y.shape.length !== shape.length || y.shape.some((d, i) => d !== shape[i])) fail(op, `output "${y.name}" has shape [${y.shape}]; expected [${shape}]`);
}

/** An axis in [-rank, rank) as [0, rank). */
export function normalizeAxis(op: GraphOp, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) fail(op, `axis ${axis} is outside rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}
