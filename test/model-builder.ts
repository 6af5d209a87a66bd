// Builds .tflite models for the tests: buildModel assembles a graph of operators over a tensor
// list; the one-operator builders make activations subgraph inputs and weights / bias / axis /
// paddings / shape constant buffers. writeModel encodes the result.

import { BuiltinOp } from "../js/tflite/builtin-ops.js";
import { OPTIONS_LAYOUTS } from "../js/tflite/read.js";
import { writeModel } from "../js/tflite/write.js";
import type {
  AddOptions,
  BuiltinOptions,
  ConcatenationOptions,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  FullyConnectedOptions,
  FusedActivation,
  ModelDef,
  Padding,
  Pool2DOptions,
  QuantizationDef,
  TensorDef,
  TensorType,
} from "../js/tflite/types.js";

export type TensorValues = Int8Array | Uint8Array | Int32Array | Float32Array;

/** One tensor of a single-operator model. With `data` it is a constant (weights, bias, axis…);
 *  without, an activation: a subgraph input when it feeds the operator, else an output. */
export interface TensorSpec {
  name?: string;
  type: TensorType;
  shape: number[];
  /** Scale(s): a number for per-tensor quantization, an array for per-channel. */
  scale?: number | readonly number[];
  zeroPoint?: number | readonly number[];
  quantizedDimension?: number;
  data?: TensorValues;
}

export interface SingleOpSpec {
  builtinCode: number;
  /** Operator inputs in order; null is an omitted optional input (-1). */
  inputs: (TensorSpec | null)[];
  outputs: TensorSpec[];
  options: BuiltinOptions | null;
  version?: number;
  description?: string;
  /** A custom operator (builtinCode 32, CUSTOM): its name and custom_options bytes. */
  customCode?: string;
  customOptions?: Uint8Array;
}

function quantizationOf(spec: TensorSpec): QuantizationDef | null {
  if (spec.scale === undefined) return null;
  const scale = typeof spec.scale === "number" ? [spec.scale] : [...spec.scale];
  const zp = spec.zeroPoint === undefined ? scale.map(() => 0) : typeof spec.zeroPoint === "number" ? [spec.zeroPoint] : [...spec.zeroPoint];
  return { scale: scale.map(Math.fround), zeroPoint: zp, min: [], max: [], quantizedDimension: spec.quantizedDimension ?? 0 };
}

function bytesOf(data: TensorValues): Uint8Array {
  // Typed arrays are little-endian on every platform we run on; copy to own the bytes.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/** One operator of a multi-operator model; inputs and outputs are indices into its tensors. */
export interface OpSpec {
  builtinCode: number;
  /** -1 is an omitted optional input. */
  inputs: number[];
  outputs: number[];
  options: BuiltinOptions | null;
  version?: number;
  /** A custom operator (builtinCode 32, CUSTOM): its name and custom_options bytes. */
  customCode?: string;
  customOptions?: Uint8Array;
}

/** A model of several operators: tensors with `data` are constants, the others activations. */
export interface GraphModelSpec {
  tensors: TensorSpec[];
  ops: OpSpec[];
  inputs: number[];
  outputs: number[];
  description?: string;
}

/** The ModelDef of a graph; one operator code per (builtin code, custom code, version). */
export function buildModel(spec: GraphModelSpec): ModelDef {
  const buffers: Uint8Array[] = [new Uint8Array(0)];
  const tensors: TensorDef[] = spec.tensors.map((t, i) => {
    let buffer = 0;
    if (t.data !== undefined) {
      buffer = buffers.length;
      buffers.push(bytesOf(t.data));
    }
    return {
      name: t.name ?? `tensor_${i}`,
      type: t.type,
      shape: [...t.shape],
      buffer,
      quantization: quantizationOf(t),
      isVariable: false,
      shapeSignature: null,
    };
  });
  const operatorCodes: ModelDef["operatorCodes"] = [];
  const opcodeIndex = (builtinCode: number, customCode: string | null, version: number): number => {
    const found = operatorCodes.findIndex((c) => c.builtinCode === builtinCode && c.customCode === customCode && c.version === version);
    if (found >= 0) return found;
    operatorCodes.push({ builtinCode, deprecatedBuiltinCode: Math.min(builtinCode, 127), customCode, version });
    return operatorCodes.length - 1;
  };
  const operators = spec.ops.map((op) => ({
    opcodeIndex: opcodeIndex(op.builtinCode, op.customCode ?? null, op.version ?? 1),
    inputs: [...op.inputs],
    outputs: [...op.outputs],
    options: op.options,
    optionsType: op.options ? OPTIONS_LAYOUTS[op.options.kind].typeId : 0,
    customOptions: op.customOptions ?? null,
  }));
  return {
    version: 3,
    description: spec.description ?? "quantlite test model",
    operatorCodes,
    subgraphs: [{ name: "main", tensors, inputs: [...spec.inputs], outputs: [...spec.outputs], operators }],
    buffers,
    metadata: [],
    signatureDefsCount: 0,
    associatedFiles: new Map(),
  };
}

/** The ModelDef of one operator. Non-constant inputs are the subgraph inputs, in order. */
export function buildSingleOpModel(spec: SingleOpSpec): ModelDef {
  const tensors: TensorSpec[] = [];
  const subgraphInputs: number[] = [];
  const opInputs = spec.inputs.map((t, i) => {
    if (t === null) return -1;
    tensors.push({ ...t, name: t.name ?? (t.data ? `const_${i}` : `input_${i}`) });
    if (t.data === undefined) subgraphInputs.push(tensors.length - 1);
    return tensors.length - 1;
  });
  const opOutputs = spec.outputs.map((t, i) => tensors.push({ ...t, name: t.name ?? `output_${i}` }) - 1);
  return buildModel({
    tensors,
    ops: [{
      builtinCode: spec.builtinCode, inputs: opInputs, outputs: opOutputs, options: spec.options, version: spec.version,
      customCode: spec.customCode, customOptions: spec.customOptions,
    }],
    inputs: subgraphInputs,
    outputs: opOutputs,
    description: spec.description ?? "quantlite single-op test model",
  });
}

export function singleOpModel(spec: SingleOpSpec): Uint8Array {
  return writeModel(buildSingleOpModel(spec));
}

// ---------------------------------------------------------------------------------------
// Convenience builders, one per operator. `Q` is per-tensor activation quantization.

export type QType = "int8" | "uint8";

export interface Q {
  scale: number;
  zeroPoint: number;
}

export interface ActivationSpec {
  type: QType;
  shape: number[];
  q: Q;
}

export interface WeightSpec {
  type: QType;
  shape: number[];
  data: Int8Array | Uint8Array;
  scales: readonly number[];
  zeroPoints: readonly number[];
  /** 0 for conv/FC filters [Cout,KH,KW,Cin] / [N,K]; 3 for depthwise [1,KH,KW,Cout]. */
  quantizedDimension: number;
}

export function act(a: ActivationSpec, name?: string): TensorSpec {
  return { name, type: a.type, shape: a.shape, scale: a.q.scale, zeroPoint: a.q.zeroPoint };
}

export function weight(w: WeightSpec): TensorSpec {
  return {
    name: "weights",
    type: w.type,
    shape: w.shape,
    scale: w.scales,
    zeroPoint: w.zeroPoints,
    quantizedDimension: w.quantizedDimension,
    data: w.data,
  };
}

/** int32 bias with scale in_scale * w_scale[c] and zero point 0 (per channel when the weights are). */
export function biasTensor(bias: Int32Array, inputScale: number, w: WeightSpec): TensorSpec {
  const scales = w.scales.map((s) => Math.fround(Math.fround(inputScale) * Math.fround(s)));
  return {
    name: "bias",
    type: "int32",
    shape: [bias.length],
    scale: scales,
    zeroPoint: scales.map(() => 0),
    quantizedDimension: 0,
    data: bias,
  };
}

export function opVersion(type: QType, int8Version: number): number {
  return type === "int8" ? int8Version : 1;
}

export interface ConvModelSpec {
  input: ActivationSpec;
  weights: WeightSpec;
  bias: Int32Array | null;
  output: ActivationSpec;
  padding: Padding;
  strideH: number;
  strideW: number;
  dilationH?: number;
  dilationW?: number;
  activation?: FusedActivation;
}

export function convModel(s: ConvModelSpec): Uint8Array {
  const options: Conv2DOptions = {
    kind: "Conv2DOptions",
    padding: s.padding,
    strideW: s.strideW,
    strideH: s.strideH,
    dilationWFactor: s.dilationW ?? 1,
    dilationHFactor: s.dilationH ?? 1,
    fusedActivation: s.activation ?? "NONE",
  };
  return singleOpModel({
    builtinCode: BuiltinOp.CONV_2D,
    inputs: [act(s.input, "input"), weight(s.weights), s.bias ? biasTensor(s.bias, s.input.q.scale, s.weights) : null],
    outputs: [act(s.output, "output")],
    options,
    version: opVersion(s.input.type, 3),
  });
}

export interface DepthwiseModelSpec extends ConvModelSpec {
  depthMultiplier: number;
}

export function depthwiseModel(s: DepthwiseModelSpec): Uint8Array {
  const options: DepthwiseConv2DOptions = {
    kind: "DepthwiseConv2DOptions",
    padding: s.padding,
    strideW: s.strideW,
    strideH: s.strideH,
    depthMultiplier: s.depthMultiplier,
    dilationWFactor: s.dilationW ?? 1,
    dilationHFactor: s.dilationH ?? 1,
    fusedActivation: s.activation ?? "NONE",
  };
  return singleOpModel({
    builtinCode: BuiltinOp.DEPTHWISE_CONV_2D,
    inputs: [act(s.input, "input"), weight(s.weights), s.bias ? biasTensor(s.bias, s.input.q.scale, s.weights) : null],
    outputs: [act(s.output, "output")],
    options,
    version: opVersion(s.input.type, 3),
  });
}

export interface FullyConnectedModelSpec {
  input: ActivationSpec;
  weights: WeightSpec;
  bias: Int32Array | null;
  output: ActivationSpec;
  activation?: FusedActivation;
  keepNumDims?: boolean;
}

export function fullyConnectedModel(s: FullyConnectedModelSpec): Uint8Array {
  const options: FullyConnectedOptions = {
    kind: "FullyConnectedOptions",
    fusedActivation: s.activation ?? "NONE",
    weightsFormat: 0,
    keepNumDims: s.keepNumDims ?? false,
    asymmetricQuantizeInputs: false,
  };
  return singleOpModel({
    builtinCode: BuiltinOp.FULLY_CONNECTED,
    inputs: [act(s.input, "input"), weight(s.weights), s.bias ? biasTensor(s.bias, s.input.q.scale, s.weights) : null],
    outputs: [act(s.output, "output")],
    options,
    version: opVersion(s.input.type, 4),
  });
}

export function addModel(a: ActivationSpec, b: ActivationSpec, output: ActivationSpec, activation: FusedActivation = "NONE"): Uint8Array {
  const options: AddOptions = { kind: "AddOptions", fusedActivation: activation, potScaleInt16: true };
  return singleOpModel({
    builtinCode: BuiltinOp.ADD,
    inputs: [act(a, "a"), act(b, "b")],
    outputs: [act(output, "output")],
    options,
    version: opVersion(a.type, 2),
  });
}

export interface PoolModelSpec {
  kind: "avg" | "max";
  input: ActivationSpec;
  output: ActivationSpec;
  padding: Padding;
  strideH: number;
  strideW: number;
  filterH: number;
  filterW: number;
  activation?: FusedActivation;
}

export function poolModel(s: PoolModelSpec): Uint8Array {
  const options: Pool2DOptions = {
    kind: "Pool2DOptions",
    padding: s.padding,
    strideW: s.strideW,
    strideH: s.strideH,
    filterWidth: s.filterW,
    filterHeight: s.filterH,
    fusedActivation: s.activation ?? "NONE",
  };
  return singleOpModel({
    builtinCode: s.kind === "avg" ? BuiltinOp.AVERAGE_POOL_2D : BuiltinOp.MAX_POOL_2D,
    inputs: [act(s.input, "input")],
    outputs: [act(s.output, "output")],
    options,
    version: opVersion(s.input.type, 2),
  });
}

export function meanModel(input: ActivationSpec, output: ActivationSpec, axes: number[], keepDims: boolean): Uint8Array {
  return singleOpModel({
    builtinCode: BuiltinOp.MEAN,
    inputs: [act(input, "input"), { name: "axis", type: "int32", shape: [axes.length], data: new Int32Array(axes) }],
    outputs: [act(output, "output")],
    options: { kind: "ReducerOptions", keepDims },
    version: opVersion(input.type, 2),
  });
}

export function softmaxModel(input: ActivationSpec, output: ActivationSpec, beta: number): Uint8Array {
  return singleOpModel({
    builtinCode: BuiltinOp.SOFTMAX,
    inputs: [act(input, "input")],
    outputs: [act(output, "output")],
    options: { kind: "SoftmaxOptions", beta },
    version: opVersion(input.type, 2),
  });
}

/** QUANTIZE from float32 (input.q ignored) or between integer types. */
export function quantizeModel(input: { type: QType | "float32"; shape: number[]; q?: Q }, output: ActivationSpec): Uint8Array {
  const inTensor: TensorSpec =
    input.type === "float32"
      ? { name: "input", type: "float32", shape: input.shape }
      : { name: "input", type: input.type, shape: input.shape, scale: input.q!.scale, zeroPoint: input.q!.zeroPoint };
  return singleOpModel({
    builtinCode: BuiltinOp.QUANTIZE,
    inputs: [inTensor],
    outputs: [act(output, "output")],
    options: { kind: "QuantizeOptions" },
    version: input.type === "float32" && output.type === "uint8" ? 1 : 2,
  });
}

export function dequantizeModel(input: ActivationSpec): Uint8Array {
  return singleOpModel({
    builtinCode: BuiltinOp.DEQUANTIZE,
    inputs: [act(input, "input")],
    outputs: [{ name: "output", type: "float32", shape: input.shape }],
    options: { kind: "DequantizeOptions" },
    version: opVersion(input.type, 2),
  });
}

/** PAD with an int32 paddings constant [rank, 2]; the output shares the input quantization. */
export function padModel(input: ActivationSpec, paddings: readonly (readonly [number, number])[]): Uint8Array {
  const outShape = input.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  return singleOpModel({
    builtinCode: BuiltinOp.PAD,
    inputs: [act(input, "input"), { name: "paddings", type: "int32", shape: [paddings.length, 2], data: new Int32Array(paddings.flat()) }],
    outputs: [act({ ...input, shape: outShape }, "output")],
    options: { kind: "PadOptions" },
    version: opVersion(input.type, 2),
  });
}

export function concatenationModel(inputs: ActivationSpec[], output: ActivationSpec, axis: number): Uint8Array {
  const options: ConcatenationOptions = { kind: "ConcatenationOptions", axis, fusedActivation: "NONE" };
  return singleOpModel({
    builtinCode: BuiltinOp.CONCATENATION,
    inputs: inputs.map((a, i) => act(a, `input_${i}`)),
    outputs: [act(output, "output")],
    options,
    version: opVersion(output.type, 2),
  });
}

/** RESHAPE with the new shape both as the int32 shape input and in ReshapeOptions. */
export function reshapeModel(input: ActivationSpec, newShape: number[]): Uint8Array {
  return singleOpModel({
    builtinCode: BuiltinOp.RESHAPE,
    inputs: [act(input, "input"), { name: "shape", type: "int32", shape: [newShape.length], data: new Int32Array(newShape) }],
    outputs: [act({ ...input, shape: newShape }, "output")],
    options: { kind: "ReshapeOptions", newShape },
    version: 1,
  });
}
