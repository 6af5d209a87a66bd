// What an op's prepare step gets from the session builder, and the helpers every op uses to
// check its tensors and lay out its kernel parameters. prepare runs once per model and returns
// the step that runs the kernel on every inference.
import { ModelError } from "../errors.js";
import type { Folder, Shaper } from "../graph/fold.js";
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { KernelExports, KernelSet, SimdKernelName } from "../runtime/kernels.js";
import type { WasmMemory } from "../runtime/memory.js";
import type { TensorType } from "../tflite/types.js";

/** One kernel call: the export's name (a kernel taking a parameter block) and the block's address. */
export interface KernelCall {
  kernel: string;
  params: number;
}

/**
 * The per-inference work of one operator: its kernel calls in order (what run_program runs for
 * it), and as a function that calls them from JavaScript (threads run steps that way); `split`,
 * when set, says how to share it between threads.
 */
export interface Step {
  (): void;
  calls: readonly KernelCall[];
  split?: SplitSpec;
}

/**
 * How an operator's kernel can be run as several slices of its output (js/graph/split.ts), for
 * LoadOptions.threads. "conv": a CONV_2D / DEPTHWISE_CONV_2D parameter block (geometry fields
 * input, batches, inputHeight, inputWidth, inputChannels, output, outputHeight, outputWidth,
 * outputChannels, filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft; with
 * depthMultiplier for depthwise), split by output rows (by pixels for a 1×1 stride-1 convolution),
 * each slice with its own scratch. "elementwise": an ADD parameter block (input1, input2, output,
 * dim0…dim3 and both inputs' element strides), split along its outermost dimension larger than 1.
 */
export interface SplitSpec {
  kind: "conv" | "elementwise";
  /** Export name of the kernel (`conv2d`, `conv2d_ref`, …). */
  kernel: string;
  fields: readonly string[];
  values: Record<string, number>;
  /** Bytes of one element of the activations (1, or 4 for float32). */
  elementBytes: number;
  /** Bytes of the `scratch` buffer the kernel writes (0: none); every slice gets its own. */
  scratchBytes: number;
}

export interface PrepareContext {
  op: GraphOp;
  kernels: KernelExports;
  /** LoadOptions.kernels: run the v128 kernels or their scalar references. */
  kernelSet: KernelSet;
  memory: WasmMemory;
  /** Address of an activation tensor in the arena. */
  address(tensor: GraphTensor): number;
}

export interface OpDefinition {
  /** Highest operator version accepted. */
  maxVersion: number;
  prepare(ctx: PrepareContext): Step;
  /** Computes the outputs at load when they follow from constants and shapes (js/graph/fold.ts). */
  fold?: Folder;
  /**
   * Infers the output shapes at load where the model's may be stale or undeclared, as TFLite
   * resizes them in Prepare (js/graph/fold.ts).
   */
  outputShapes?: Shaper;
}

/** The export name of the op's kernel of the chosen set: the v128 `<op>` or the scalar `<op>_ref` (same parameters). */
export function kernelName(ctx: PrepareContext, name: SimdKernelName): SimdKernelName | `${SimdKernelName}_ref` {
  return ctx.kernelSet === "scalar" ? `${name}_ref` : name;
}

/** The step that calls `kernel` on the parameter block at `params`; `split` makes it splittable between threads. */
export function kernelStep(ctx: PrepareContext, kernel: string, params: number, split?: SplitSpec): Step {
  return kernelSteps(ctx, [{ kernel, params }], split);
}

/** The step that makes these kernel calls in order. */
export function kernelSteps(ctx: PrepareContext, calls: KernelCall[], split?: SplitSpec): Step {
  const fns = calls.map(({ kernel }) => {
    const fn = ctx.kernels.programIndex.has(kernel) ? (ctx.kernels as unknown as Record<string, (params: number) => void>)[kernel] : undefined;
    if (fn === undefined) throw new ModelError(`the wasm module has no kernel ${kernel} (an older quantlite.wasm?)`);
    return fn;
  });
  const step = fns.length === 1 ? () => fns[0](calls[0].params) : () => { for (let i = 0; i < fns.length; i++) fns[i](calls[i].params); };
  return Object.assign(step, { calls, split });
}

export function fail(op: GraphOp, message: string): never {
  throw new ModelError(message, { opIndex: op.index, opType: op.type });
}

/** The op's k-th input; throws unless it exists (and, when given, has one of the dtypes). */
export function input(op: GraphOp, k: number, dtypes?: TensorType[]): GraphTensor {
  const t = op.inputs[k];
  if (t === undefined || t === null) fail(op, `input ${k} is missing`);
  if (dtypes && !dtypes.includes(t.dtype)) fail(op, `input ${k} ("${t.name}") is ${t.dtype}; expected ${dtypes.join(" or ")}`);
  return t;
}

export function output(op: GraphOp, k: number, dtypes?: TensorType[]): GraphTensor {
  const t = op.outputs[k];
  if (t === undefined) fail(op, `output ${k} is missing`);
  if (dtypes && !dtypes.includes(t.dtype)) fail(op, `output ${k} ("${t.name}") is ${t.dtype}; expected ${dtypes.join(" or ")}`);
  return t;
}

export function expectCounts(op: GraphOp, inputs: number | [number, number], outputs = 1): void {
  const [lo, hi] = typeof inputs === "number" ? [inputs, inputs] : inputs;
  if (op.inputs.length < lo || op.inputs.length > hi) fail(op, `has ${op.inputs.length} inputs; expected ${lo === hi ? lo : `${lo} to ${hi}`}`);
  if (op.outputs.length !== outputs) fail(op, `has ${op.outputs.length} outputs; expected ${outputs}`);
}

export function expectRank(op: GraphOp, t: GraphTensor, rank: number, what: string): void {
  if (t.shape.length !== rank) fail(op, `${what} "${t.name}" has shape [${t.shape}]; expected ${rank} dimensions`);
}

export function expectShape(op: GraphOp, t: GraphTensor, shape: number[], what: string): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    fail(op, `${what} "${t.name}" has shape [${t.shape}]; expected [${shape}]`);
  }
}

/** An activation (not constant) 8-bit tensor quantized per tensor. */
export function expectQuantizedActivation(op: GraphOp, t: GraphTensor, what: string): void {
  if (t.dtype !== "int8" && t.dtype !== "uint8") fail(op, `${what} "${t.name}" is ${t.dtype}; expected int8 or uint8`);
  if (t.scale.length !== 1) fail(op, `${what} "${t.name}" must be quantized with one scale and zero point (has ${t.scale.length})`);
  if (t.data !== null) fail(op, `${what} "${t.name}" is a constant, which is not supported here`);
}

/** An activation (not constant) float32 tensor. */
export function expectFloatActivation(op: GraphOp, t: GraphTensor, what: string): void {
  if (t.dtype !== "float32") fail(op, `${what} "${t.name}" is ${t.dtype}; expected float32`);
  if (t.data !== null) fail(op, `${what} "${t.name}" is a constant, which is not supported here`);
}

/** A constant tensor's values as numbers (int32 shape/axis/padding tensors). */
export function constantInt32(op: GraphOp, t: GraphTensor, what: string): Int32Array {
  if (t.data === null) fail(op, `${what} "${t.name}" must be a constant tensor`);
  if (t.dtype !== "int32") fail(op, `${what} "${t.name}" is ${t.dtype}; expected int32`);
  const copy = t.data.slice();
  return new Int32Array(copy.buffer, 0, t.elementCount);
}

/** The options of the op, checked to be of the expected kind. */
export function options<K extends string>(op: GraphOp, kind: K): Extract<NonNullable<GraphOp["options"]>, { kind: K }> {
  const o = op.options;
  if (o === null || o.kind !== kind) fail(op, `is missing its ${kind}`);
  return o as Extract<NonNullable<GraphOp["options"]>, { kind: K }>;
}

/** The bits of float32 `x` as an int32: the value to give storeParams for an f32 field. */
export function floatBits(x: number): number {
  return new Int32Array(new Float32Array([x]).buffer)[0];
}

/**
 * Writes a kernel parameter block: `fields` lists the i32 fields of the AssemblyScript
 * @unmanaged params class in declaration order; every field must have a value (f32 fields
 * take floatBits(value)).
 */
export function storeParams(memory: WasmMemory, fields: readonly string[], values: Record<string, number>): number {
  const block = new Int32Array(fields.length);
  fields.forEach((name, i) => {
    const v = values[name];
    if (v === undefined || !Number.isInteger(v)) throw new Error(`internal: kernel parameter ${name} = ${v}`);
    block[i] = v;
  });
  return memory.store(block);
}
