// Post-training full-integer quantization of a float32 TFLite model, following TFLite's
// quantization spec (https://www.tensorflow.org/lite/performance/quantization_spec):
// - weights of CONV_2D / FULLY_CONNECTED (quantized_dimension 0) and DEPTHWISE_CONV_2D
//   (quantized_dimension 3): int8, symmetric, per channel (or per tensor), in [−127, 127],
//   zero point 0;
// - biases: int32, scale input_scale × weight_scale[c] (float32 product), zero point 0;
// - activations: int8, asymmetric, per tensor: the range nudged to include 0,
//   scale = (max − min) / 255, zero point = round(−128 − min / scale) clamped to [−128, 127];
// - MAX_POOL_2D, AVERAGE_POOL_2D, RESHAPE, PAD and CONCATENATION share one set of parameters
//   between their (activation) inputs and output; SOFTMAX outputs scale 1/256, zero point −128;
//   fused RELU / RELU6 / RELU_N1_TO_1 clip the observed range of the op's output;
// - a QUANTIZE op turns the model input (float32 or uint8) into int8, and a DEQUANTIZE /
//   QUANTIZE op turns each int8 output into float32 / uint8 (uint8 = the int8 scale, zp + 128).
// quantizeModelDef does the rewriting from given ranges; quantize() calibrates first and writes
// the .tflite file.
import { type Bytes, toBytes } from "../bytes.js";
import { InputError, ModelError } from "../errors.js";
import { Model } from "../model.js";
import { roundHalfAwayFromZero } from "../ops/quantization.js";
import { BuiltinOp, builtinOpName } from "../tflite/builtin-ops.js";
import { OPTIONS_LAYOUTS, readModel } from "../tflite/read.js";
import type {
  BuiltinOptions, FusedActivation, ModelDef, OperatorDef, QuantizationDef, SubgraphDef, TensorDef,
} from "../tflite/types.js";
import { writeModel } from "../tflite/write.js";
import { appendZip } from "../tflite/zip-write.js";
import { VERSION } from "../version.js";
import { type CalibrationProgress, type CalibrationSample, calibrate } from "./calibrate.js";
import { DEFAULT_BINS, type MethodSpec, methodName, parseMethod } from "./observers.js";

export type { CalibrationSample, CalibrationProgress } from "./calibrate.js";

export type IoType = "uint8" | "int8" | "float32";

/** The float ops quantize() turns into int8 ops. */
export const QUANTIZABLE_OPS: readonly string[] = [
  "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED",
  "MAX_POOL_2D", "MEAN", "PAD", "RESHAPE", "SOFTMAX",
];

/** Ops whose activation inputs and output must share scale and zero point. */
const SAME_PARAMS_OPS = new Set(["AVERAGE_POOL_2D", "MAX_POOL_2D", "RESHAPE", "PAD", "CONCATENATION"]);

export const SOFTMAX_OUTPUT = { scale: 1 / 256, zeroPoint: -128 } as const;

export interface QuantParams {
  scale: number;
  zeroPoint: number;
}

export interface RewriteOptions {
  /** Weights per tensor instead of per channel. */
  perTensor?: boolean;
  /** Type of the model inputs (default uint8). */
  inputType?: IoType;
  /** Type of the model outputs (default uint8). */
  outputType?: IoType;
  /** Real range of the graph inputs, replacing the calibrated one (images: from mean / std). */
  inputRange?: [number, number];
  /** Description of the new model. */
  description?: string;
  /** Stored as JSON in a metadata entry named "quantlite_quantization". */
  metadata?: Record<string, unknown>;
}

export interface QuantizedTensor {
  /** Tensor index in the float model. */
  index: number;
  name: string;
  /** Range from calibration (after fused-activation clipping), and the range finally used. */
  observed: [number, number];
  scale: number;
  zeroPoint: number;
}

export const METADATA_NAME = "quantlite_quantization";

const IO_TYPES: readonly IoType[] = ["uint8", "int8", "float32"];

// ---------------------------------------------------------------------------------------
// Checks

function isConstant(def: ModelDef, t: TensorDef): boolean {
  return t.buffer !== 0 && (def.buffers[t.buffer]?.length ?? 0) > 0;
}

function opName(def: ModelDef, op: OperatorDef): string {
  const code = def.operatorCodes[op.opcodeIndex];
  if (code === undefined) return `opcode ${op.opcodeIndex}`;
  return code.customCode !== null && code.builtinCode === 32 ? `CUSTOM(${code.customCode})` : builtinOpName(code.builtinCode);
}

/**
 * Throws ModelError unless the model is a float32 model of ops quantize() supports. An already
 * quantized model (8- or 16-bit tensors, QUANTIZE / DEQUANTIZE ops) is refused as such; every
 * unsupported operator is listed in `problems`.
 */
export function checkFloatModel(def: ModelDef): void {
  if (def.subgraphs.length !== 1) throw new ModelError(`quantize supports models with one subgraph; this one has ${def.subgraphs.length}`);
  const subgraph = def.subgraphs[0];
  const quantizedTensor = subgraph.tensors.findIndex((t) => t.type === "int8" || t.type === "uint8" || t.type === "int16");
  const quantOp = subgraph.operators.findIndex((op) => ["QUANTIZE", "DEQUANTIZE"].includes(opName(def, op)));
  if (quantizedTensor >= 0 || quantOp >= 0) {
    const why = quantizedTensor >= 0
      ? `tensor ${quantizedTensor} ("${subgraph.tensors[quantizedTensor].name}") is ${subgraph.tensors[quantizedTensor].type}`
      : `operator ${quantOp} is ${opName(def, subgraph.operators[quantOp])}`;
    throw new ModelError(`the model is already quantized (${why}); quantize needs a float32 model (quantlite dequantize makes one from an int8 model)`);
  }
  const problems: string[] = [];
  subgraph.operators.forEach((op, index) => {
    const name = opName(def, op);
    if (!QUANTIZABLE_OPS.includes(name)) {
      problems.push(`operator ${index}: ${name} cannot be quantized (supported: ${QUANTIZABLE_OPS.join(", ")})`);
      return;
    }
    const activation = (op.options as { fusedActivation?: FusedActivation } | null)?.fusedActivation;
    if (activation === "TANH" || activation === "SIGN_BIT") problems.push(`operator ${index}: ${name} with fused ${activation} cannot be quantized`);
    if (name === "CONCATENATION" && activation !== undefined && activation !== "NONE") {
      problems.push(`operator ${index}: CONCATENATION with fused ${activation} cannot be quantized`);
    }
    for (const role of tensorRoles(name, op)) {
      if (role.index < 0) continue;
      const t = subgraph.tensors[role.index];
      if (t === undefined) { problems.push(`operator ${index}: ${name} refers to tensor ${role.index}, which does not exist`); continue; }
      const constant = isConstant(def, t);
      if (role.kind === "weights" || role.kind === "bias") {
        if (!constant || t.type !== "float32") problems.push(`operator ${index}: ${name} ${role.kind} "${t.name}" must be a float32 constant (is ${constant ? "" : "non-constant "}${t.type})`);
      } else if (role.kind === "int32") {
        if (t.type !== "int32" && t.type !== "int64") problems.push(`operator ${index}: ${name} input "${t.name}" is ${t.type}; expected int32`);
      } else if (t.type !== "float32") {
        problems.push(`operator ${index}: ${name} ${role.kind} "${t.name}" is ${t.type}; expected float32`);
      }
    }
  });
  for (const t of [...subgraph.inputs, ...subgraph.outputs]) {
    const tensor = subgraph.tensors[t];
    if (tensor === undefined) problems.push(`graph input/output refers to tensor ${t}, which does not exist`);
    else if (tensor.type !== "float32") problems.push(`graph input/output "${tensor.name}" is ${tensor.type}; expected float32`);
  }
  if (problems.length > 0) {
    const kinds = [...new Set(problems.map((p) => p.replace(/^operator \d+: /, "")))];
    throw new ModelError(`cannot quantize this model: ${kinds.slice(0, 5).join("; ")}${kinds.length > 5 ? `; and ${kinds.length - 5} more` : ""}`, {}, problems);
  }
}

interface Role {
  kind: "activation" | "weights" | "bias" | "int32" | "output";
  index: number;
  /** Input position in the op (outputs: position in outputs). */
  position: number;
}

/** What each tensor of an op is. */
function tensorRoles(name: string, op: OperatorDef): Role[] {
  const roles: Role[] = op.inputs.map((index, position) => {
    let kind: Role["kind"] = "activation";
    if (name === "CONV_2D" || name === "DEPTHWISE_CONV_2D" || name === "FULLY_CONNECTED") {
      kind = position === 0 ? "activation" : position === 1 ? "weights" : "bias";
    } else if ((name === "MEAN" || name === "PAD" || name === "RESHAPE") && position >= 1) {
      kind = "int32";
    }
    return { kind, index, position };
  });
  op.outputs.forEach((index, position) => roles.push({ kind: "output", index, position }));
  return roles;
}

// ---------------------------------------------------------------------------------------
// Parameters

/** TFLite's asymmetric int8 parameters for a real range (nudged to include 0). */
export function asymmetricParams(lo: number, hi: number): QuantParams {
  let min = Math.min(lo, 0);
  let max = Math.max(hi, 0);
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new ModelError(`cannot quantize the range [${lo}, ${hi}]`);
  if (max - min === 0) { min = 0; max = 1; } // a tensor that was always 0: any scale represents it
  const scale = Math.fround((max - min) / 255);
  if (!(scale > 0)) return { scale: Math.fround(1e-30), zeroPoint: Math.max(-128, Math.min(127, -128 - Math.round(min / 1e-30))) };
  const zeroPointFromMin = -128 - min / scale;
  const zeroPoint = zeroPointFromMin < -128 ? -128 : zeroPointFromMin > 127 ? 127 : roundHalfAwayFromZero(zeroPointFromMin);
  return { scale, zeroPoint };
}

function clipToActivation(range: [number, number], activation: FusedActivation | undefined): [number, number] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  switch (activation) {
    case "RELU": return [Math.max(range[0], 0), Math.max(range[1], 0)];
    case "RELU6": return [clamp(range[0], 0, 6), clamp(range[1], 0, 6)];
    case "RELU_N1_TO_1": return [clamp(range[0], -1, 1), clamp(range[1], -1, 1)];
    default: return range;
  }
}

function floatValues(def: ModelDef, t: TensorDef): Float32Array {
  const bytes = def.buffers[t.buffer];
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * 4) throw new ModelError(`"${t.name}": buffer holds ${bytes.length} bytes for ${count} float32 values`);
  return new Float32Array(bytes.slice().buffer, 0, count);
}

function dataRange(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return values.length === 0 ? [0, 0] : [lo, hi];
}

/**
 * Scale and zero point of every tensor that becomes an int8 activation (activations and float
 * constants used as activations), from the calibrated ranges by float tensor index.
 */
export function activationParams(
  def: ModelDef, ranges: ReadonlyMap<number, [number, number]>, inputRange?: [number, number],
): Map<number, QuantParams & { observed: [number, number] }> {
  const subgraph = def.subgraphs[0];
  const observed = new Map<number, [number, number]>();
  const fixed = new Map<number, QuantParams>();
  const need = (index: number): [number, number] => {
    const r = ranges.get(index);
    if (r === undefined) throw new ModelError(`no calibration range for tensor ${index} ("${subgraph.tensors[index].name}")`, { tensorIndex: index });
    return r;
  };
  for (const index of subgraph.inputs) observed.set(index, inputRange ?? need(index));
  // Union-find over tensors that must share parameters.
  const parent = new Map<number, number>();
  const find = (t: number): number => {
    let root = t;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(t, root);
    return root;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const op of subgraph.operators) {
    const name = opName(def, op);
    const activation = (op.options as { fusedActivation?: FusedActivation } | null)?.fusedActivation;
    for (const role of tensorRoles(name, op)) {
      if (role.index < 0) continue;
      const t = subgraph.tensors[role.index];
      if (role.kind === "activation" && isConstant(def, t) && !observed.has(role.index)) {
        observed.set(role.index, dataRange(floatValues(def, t)));
      }
      if (role.kind === "output") observed.set(role.index, clipToActivation(need(role.index), activation));
    }
    if (name === "SOFTMAX") fixed.set(op.outputs[0], SOFTMAX_OUTPUT);
    if (SAME_PARAMS_OPS.has(name)) {
      const members = name === "CONCATENATION" ? op.inputs : [op.inputs[0]];
      for (const t of members) if (t >= 0) union(op.outputs[0], t);
    }
  }
  // Each group: the union of its members' ranges, or the fixed parameters of a member.
  const groups = new Map<number, { range: [number, number]; fixed: QuantParams | null }>();
  for (const [index, range] of observed) {
    const root = find(index);
    const group = groups.get(root) ?? { range: [Infinity, -Infinity] as [number, number], fixed: null };
    group.range = [Math.min(group.range[0], range[0]), Math.max(group.range[1], range[1])];
    const f = fixed.get(index);
    if (f !== undefined) group.fixed = f;
    groups.set(root, group);
  }
  const params = new Map<number, QuantParams & { observed: [number, number] }>();
  for (const [index, range] of observed) {
    const group = groups.get(find(index))!;
    const p = group.fixed ?? asymmetricParams(group.range[0], group.range[1]);
    params.set(index, { ...p, observed: range });
  }
  return params;
}

// ---------------------------------------------------------------------------------------
// Weights and biases

const INT32_MAX = 2 ** 31 - 1;

/**
 * Symmetric int8 weights in [−127, 127]: one scale per index of dimension `dim` (or one for the
 * whole tensor), max|w| / 127, raised where a bias value would not fit int32 at
 * input_scale × weight_scale.
 */
export function quantizeWeights(
  values: Float32Array, shape: number[], dim: number, perTensor: boolean, inputScale: number, bias: Float32Array | null,
): { data: Int8Array; scales: number[] } {
  const channels = perTensor ? 1 : shape[dim];
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => (perTensor ? 0 : Math.floor(i / inner) % shape[dim]);
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    const c = channelOf(i);
    if (a > maxAbs[c]) maxAbs[c] = a;
  }
  const scales = Array.from(maxAbs, (m) => (m > 0 ? m / 127 : 1 / 127));
  if (bias !== null) {
    for (let k = 0; k < bias.length; k++) {
      const c = perTensor ? 0 : k;
      const needed = Math.abs(bias[k]) / (inputScale * INT32_MAX);
      if (needed > scales[c]) scales[c] = needed * (1 + 1e-6);
    }
  }
  const stored = scales.map((s) => Math.fround(s));
  const data = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = roundHalfAwayFromZero(values[i] / stored[channelOf(i)]);
    data[i] = Math.max(-127, Math.min(127, q));
  }
  return { data, scales: stored };
}

/** int32 bias at scale fround(input_scale × weight_scale[c]), zero point 0. */
export function quantizeBias(values: Float32Array, inputScale: number, weightScales: number[]): { data: Int32Array; scales: number[] } {
  const scales = weightScales.map((s) => Math.fround(Math.fround(inputScale) * s));
  const data = new Int32Array(values.length);
  for (let c = 0; c < values.length; c++) {
    const scale = scales.length === 1 ? scales[0] : scales[c];
    const q = roundHalfAwayFromZero(values[c] / scale);
    data[c] = Math.max(-INT32_MAX, Math.min(INT32_MAX, q));
  }
  return { data, scales };
}

// ---------------------------------------------------------------------------------------
// Rewriting

function int8Version(name: string, op: OperatorDef): number {
  switch (name) {
    case "CONV_2D": case "DEPTHWISE_CONV_2D": return 3;
    case "FULLY_CONNECTED": {
      if (op.inputs.length === 2) return 6;
      if ((op.options as { keepNumDims?: boolean } | null)?.keepNumDims) return 5;
      return 4;
    }
    case "RESHAPE": return 1;
    default: return 2; // ADD, MEAN, pools, PAD, CONCATENATION, SOFTMAX with int8 inputs
  }
}

function bytesOf(data: Int8Array | Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

function quantization(params: QuantParams | { scales: number[]; zeroPoint?: number }, dim = 0): QuantizationDef {
  if ("scales" in params) {
    return { scale: params.scales, zeroPoint: params.scales.map(() => 0), min: [], max: [], quantizedDimension: params.scales.length > 1 ? dim : 0 };
  }
  return { scale: [Math.fround(params.scale)], zeroPoint: [params.zeroPoint], min: [], max: [], quantizedDimension: 0 };
}

/**
 * The int8 model of a float model, given every activation tensor's calibrated range (by float
 * tensor index). Tensor names are kept; new tensors at the boundary get "_int8" names.
 */
export function quantizeModelDef(
  def: ModelDef, ranges: ReadonlyMap<number, [number, number]>, options: RewriteOptions = {},
): { def: ModelDef; tensors: QuantizedTensor[] } {
  checkFloatModel(def);
  const inputType = options.inputType ?? "uint8";
  const outputType = options.outputType ?? "uint8";
  for (const [what, type] of [["input", inputType], ["output", outputType]] as const) {
    if (!IO_TYPES.includes(type)) throw new ModelError(`${what} type must be uint8, int8 or float32, not ${String(type)}`);
  }
  const perTensor = options.perTensor ?? false;
  const subgraph = def.subgraphs[0];
  const params = activationParams(def, ranges, options.inputRange);

  const tensors: TensorDef[] = [];
  const buffers: Uint8Array[] = [new Uint8Array(0)];
  const addTensor = (t: Omit<TensorDef, "buffer" | "isVariable" | "shapeSignature"> & { data?: Uint8Array; shapeSignature?: number[] | null }): number => {
    let buffer = 0;
    if (t.data !== undefined) {
      buffer = buffers.length;
      buffers.push(t.data);
    }
    tensors.push({ name: t.name, type: t.type, shape: [...t.shape], buffer, quantization: t.quantization, isVariable: false, shapeSignature: t.shapeSignature ?? null });
    return tensors.length - 1;
  };
  // Activations (and float constants used as activations) → int8, by float index.
  const mapped = new Map<number, number>();
  const int8Of = (index: number): number => {
    const existing = mapped.get(index);
    if (existing !== undefined) return existing;
    const t = subgraph.tensors[index];
    const p = params.get(index);
    if (p === undefined) throw new ModelError(`tensor ${index} ("${t.name}") has no quantization parameters`, { tensorIndex: index });
    let data: Uint8Array | undefined;
    if (isConstant(def, t)) {
      const values = floatValues(def, t);
      const q = new Int8Array(values.length);
      for (let i = 0; i < values.length; i++) q[i] = Math.max(-128, Math.min(127, roundHalfAwayFromZero(values[i] / Math.fround(p.scale)) + p.zeroPoint));
      data = bytesOf(q);
    }
    const created = addTensor({ name: t.name, type: "int8", shape: t.shape, quantization: quantization(p), data, shapeSignature: t.shapeSignature });
    mapped.set(index, created);
    return created;
  };
  const constants = new Map<number, number>();
  const copyConstant = (index: number): number => {
    const existing = constants.get(index);
    if (existing !== undefined) return existing;
    const t = subgraph.tensors[index];
    const created = addTensor({ name: t.name, type: t.type, shape: t.shape, quantization: null, data: isConstant(def, t) ? def.buffers[t.buffer].slice() : undefined, shapeSignature: t.shapeSignature });
    constants.set(index, created);
    return created;
  };

  const operatorCodes: ModelDef["operatorCodes"] = [];
  const opcode = (builtinCode: number, version: number): number => {
    const found = operatorCodes.findIndex((c) => c.builtinCode === builtinCode && c.version === version);
    if (found >= 0) return found;
    operatorCodes.push({ builtinCode, deprecatedBuiltinCode: Math.min(builtinCode, 127), customCode: null, version });
    return operatorCodes.length - 1;
  };
  const operator = (builtinCode: number, version: number, inputs: number[], outputs: number[], opOptions: BuiltinOptions | null): OperatorDef => ({
    opcodeIndex: opcode(builtinCode, version), inputs, outputs, options: opOptions,
    optionsType: opOptions === null ? 0 : OPTIONS_LAYOUTS[opOptions.kind].typeId, customOptions: null,
  });

  // Graph inputs: the model input (float32 / uint8 / int8), then QUANTIZE into int8 if needed.
  const operators: OperatorDef[] = [];
  const graphInputs = subgraph.inputs.map((index) => {
    const t = subgraph.tensors[index];
    const p = params.get(index)!;
    if (inputType === "int8") return int8Of(index);
    const internal = addTensor({ name: `${t.name}_int8`, type: "int8", shape: t.shape, quantization: quantization(p), shapeSignature: t.shapeSignature });
    mapped.set(index, internal);
    const external = addTensor({
      name: t.name, type: inputType, shape: t.shape, shapeSignature: t.shapeSignature,
      quantization: inputType === "uint8" ? quantization({ scale: p.scale, zeroPoint: p.zeroPoint + 128 }) : null,
    });
    operators.push(operator(BuiltinOp.QUANTIZE, 1, [external], [internal], { kind: "QuantizeOptions" }));
    return external;
  });

  subgraph.operators.forEach((op, opIndex) => {
    const name = opName(def, op);
    const code = def.operatorCodes[op.opcodeIndex].builtinCode;
    const inputs = op.inputs.map((index, position): number => {
      if (index < 0) return -1;
      const role = tensorRoles(name, op)[position].kind;
      if (role === "activation") return int8Of(index);
      if (role === "int32") return copyConstant(index);
      if (role === "bias") return -2; // filled in with the weights
      return -3;
    });
    if (name === "CONV_2D" || name === "DEPTHWISE_CONV_2D" || name === "FULLY_CONNECTED") {
      const inputScale = params.get(op.inputs[0])!.scale;
      const w = subgraph.tensors[op.inputs[1]];
      const biasIndex = op.inputs[2] ?? -1;
      const b = biasIndex >= 0 ? subgraph.tensors[biasIndex] : null;
      const biasValues = b === null ? null : floatValues(def, b);
      const dim = name === "DEPTHWISE_CONV_2D" ? 3 : 0;
      const channels = w.shape[dim];
      if (biasValues !== null && biasValues.length !== channels) {
        throw new ModelError(`bias "${b!.name}" has ${biasValues.length} values for ${channels} output channels`, { opIndex, opType: name });
      }
      const weights = quantizeWeights(floatValues(def, w), w.shape, dim, perTensor, inputScale, biasValues);
      inputs[1] = addTensor({ name: w.name, type: "int8", shape: w.shape, quantization: quantization({ scales: weights.scales }, dim), data: bytesOf(weights.data), shapeSignature: w.shapeSignature });
      if (b !== null && biasValues !== null) {
        const bias = quantizeBias(biasValues, inputScale, weights.scales);
        inputs[2] = addTensor({ name: b.name, type: "int32", shape: b.shape, quantization: quantization({ scales: bias.scales }, 0), data: bytesOf(bias.data), shapeSignature: b.shapeSignature });
      }
    }
    const outputs = op.outputs.map((index) => int8Of(index));
    operators.push(operator(code, int8Version(name, op), inputs, outputs, op.options));
  });

  // Graph outputs: int8, or converted by DEQUANTIZE (float32) / QUANTIZE (uint8).
  const graphOutputs = subgraph.outputs.map((index) => {
    const internal = int8Of(index);
    if (outputType === "int8") return internal;
    const t = subgraph.tensors[index];
    const p = params.get(index)!;
    tensors[internal] = { ...tensors[internal], name: `${t.name}_int8` };
    const external = addTensor({
      name: t.name, type: outputType, shape: t.shape, shapeSignature: t.shapeSignature,
      quantization: outputType === "uint8" ? quantization({ scale: p.scale, zeroPoint: p.zeroPoint + 128 }) : null,
    });
    operators.push(outputType === "float32"
      ? operator(BuiltinOp.DEQUANTIZE, 2, [internal], [external], { kind: "DequantizeOptions" })
      : operator(BuiltinOp.QUANTIZE, 1, [internal], [external], { kind: "QuantizeOptions" }));
    return external;
  });

  // Metadata: TFLite metadata of the float model (kept), and how this model was made.
  const metadata: ModelDef["metadata"] = [];
  for (const entry of def.metadata) {
    if (entry.name !== "TFLITE_METADATA" || !(entry.buffer > 0 && entry.buffer < def.buffers.length)) continue;
    metadata.push({ name: entry.name, buffer: buffers.length });
    buffers.push(def.buffers[entry.buffer].slice());
  }
  if (options.metadata !== undefined) {
    metadata.push({ name: METADATA_NAME, buffer: buffers.length });
    buffers.push(new TextEncoder().encode(JSON.stringify(options.metadata)));
  }

  const newSubgraph: SubgraphDef = { name: subgraph.name, tensors, inputs: graphInputs, outputs: graphOutputs, operators };
  const report: QuantizedTensor[] = [...params].sort((a, b) => a[0] - b[0]).map(([index, p]) => ({
    index, name: subgraph.tensors[index].name, observed: p.observed, scale: Math.fround(p.scale), zeroPoint: p.zeroPoint,
  }));
  return {
    def: {
      version: 3,
      description: options.description ?? def.description,
      operatorCodes,
      subgraphs: [newSubgraph],
      buffers,
      metadata,
      signatureDefsCount: 0,
      associatedFiles: new Map(def.associatedFiles),
    },
    tensors: report,
  };
}

// ---------------------------------------------------------------------------------------
// The library call

export const DEFAULT_METHOD: MethodSpec = { method: "mse" };

/** Fewer usable samples than this gives a warning (the ranges will be noisy). */
export const RECOMMENDED_SAMPLES = 10;

export interface QuantizeOptions {
  /**
   * "mse" (default), "minmax", "percentile[:P]" or "entropy", or a parsed MethodSpec. mse had
   * the best output SQNR against the float model on the seed's calibration images.
   */
  method?: string | MethodSpec;
  /** Use at most this many samples. */
  count?: number;
  /** Weights per tensor instead of per channel. */
  perTensor?: boolean;
  /** Model input type (default uint8: feed image pixels as they are). */
  inputType?: IoType;
  /** Model output type (default uint8). */
  outputType?: IoType;
  /** Image samples: the float model's normalisation (pixel − mean) / std (default 127.5, 127.5), and crop. */
  mean?: number[];
  std?: number[];
  crop?: number;
  /**
   * Real range of the model input. Default for image samples: what pixels 0 and 255 become
   * ((0 − mean) / std, (255 − mean) / std), so a uint8 input takes the pixels unchanged; for
   * tensor samples, the calibrated range.
   */
  inputRange?: [number, number];
  /** Histogram bins per tensor (default 2048). */
  bins?: number;
  /** Date recorded in the model (default now). */
  date?: Date;
  onProgress?: (progress: CalibrationProgress) => void;
  onWarning?: (message: string) => void;
  /** Stops quantize (rejecting with the signal's reason, an AbortError by default) when aborted. */
  signal?: AbortSignal;
  /** A compiled quantlite.wasm for the calibration runs (default: the embedded one). */
  wasmModule?: WebAssembly.Module;
}

export interface QuantizeReport {
  method: string;
  samples: number;
  skipped: { name: string; reason: string }[];
  /** Calibration wall time and throughput (samples per second, preprocessing included). */
  seconds: number;
  samplesPerSecond: number;
  inputType: IoType;
  outputType: IoType;
  perTensor: boolean;
  tensors: QuantizedTensor[];
  warnings: string[];
}

export interface QuantizeResult {
  /** The int8 .tflite file. */
  model: Uint8Array;
  report: QuantizeReport;
}

function imageInputRange(mean: number[] = [127.5], std: number[] = [127.5]): [number, number] {
  const channels = Math.max(mean.length, std.length);
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < channels; c++) {
    const m = mean[mean.length === 1 ? 0 : c];
    const s = std[std.length === 1 ? 0 : c];
    for (const pixel of [0, 255]) {
      const v = (pixel - m) / s;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return [lo, hi];
}

/**
 * Post-training int8 quantization of a float32 .tflite model: runs it over the samples,
 * chooses every activation's range with the method, and writes the int8 model (TFLite's
 * quantization spec). Throws ModelError for a model it cannot quantize (already quantized,
 * unsupported ops) and InputError for an empty or unusable calibration set.
 */
export async function quantize(
  floatModelFile: Bytes,
  samples: Iterable<CalibrationSample> | AsyncIterable<CalibrationSample>,
  options: QuantizeOptions = {},
): Promise<QuantizeResult> {
  const floatModel = toBytes(floatModelFile, "quantize's float model file");
  if (samples === null || typeof samples !== "object" || !(Symbol.iterator in samples || Symbol.asyncIterator in samples)) {
    throw new InputError("quantize expects the calibration samples as an iterable (array, generator)");
  }
  const spec = typeof options.method === "string" ? parseMethod(options.method) : options.method ?? DEFAULT_METHOD;
  const inputType = options.inputType ?? "uint8";
  const outputType = options.outputType ?? "uint8";
  if (options.count !== undefined && !(Number.isInteger(options.count) && options.count >= 1)) {
    throw new InputError(`count must be a positive integer, got ${options.count}`);
  }
  const def = readModel(floatModel);
  checkFloatModel(def);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const model = await Model.load(floatModel, { preserveAllTensors: true, wasmModule: options.wasmModule });
  let sawImage = false;
  const watched = (async function* () {
    for await (const sample of samples as AsyncIterable<CalibrationSample>) {
      const data = sample instanceof Uint8Array || sample instanceof Float32Array || Array.isArray(sample) ? sample : sample.data;
      if (data instanceof Uint8Array) sawImage = true;
      yield sample;
    }
  })();
  let calibration;
  try {
    calibration = await calibrate(model, def, watched, {
      method: spec, bins: options.bins, count: options.count, mean: options.mean, std: options.std, crop: options.crop,
      onProgress: options.onProgress, onWarning: warn, signal: options.signal,
    });
  } finally {
    model.dispose();
  }
  if (calibration.samples === 0) {
    throw new InputError(calibration.skipped.length > 0
      ? `no usable calibration sample: all ${calibration.skipped.length} images failed to decode (first: ${calibration.skipped[0].name}: ${calibration.skipped[0].reason})`
      : "the calibration set is empty: quantize needs at least 1 representative sample");
  }
  if (calibration.samples < RECOMMENDED_SAMPLES) {
    warn(`only ${calibration.samples} calibration sample${calibration.samples === 1 ? "" : "s"}; ranges from fewer than ${RECOMMENDED_SAMPLES} are unreliable (100 or more is typical)`);
  }
  const ranges = new Map([...calibration.observers].map(([index, observer]) => [index, observer.range(spec)] as [number, [number, number]]));
  const inputRange = options.inputRange ?? (sawImage ? imageInputRange(options.mean, options.std) : undefined);
  const date = (options.date ?? new Date()).toISOString();
  const method = methodName(spec);
  const metadata = {
    producer: `quantlite ${VERSION}`,
    scheme: "int8 full-integer post-training quantization (TFLite quantization spec)",
    method, samples: calibration.samples, skipped: calibration.skipped.length, bins: options.bins ?? DEFAULT_BINS,
    weights: options.perTensor ? "per-tensor" : "per-channel", inputType, outputType, inputRange: inputRange ?? null, date,
  };
  const description = `quantlite ${VERSION} int8 quantization: ${method} calibration on ${calibration.samples} sample${calibration.samples === 1 ? "" : "s"}, ` +
    `${metadata.weights} weights, ${date}${def.description ? ` (float model: ${def.description})` : ""}`;
  const { def: int8, tensors } = quantizeModelDef(def, ranges, {
    perTensor: options.perTensor, inputType, outputType, inputRange, description, metadata,
  });
  const bytes = appendZip(writeModel(int8), int8.associatedFiles);
  try {
    (await Model.load(bytes, { wasmModule: options.wasmModule })).dispose();
  } catch (e) {
    if (e instanceof ModelError) throw new ModelError(`the quantized model does not load: ${e.message}`, {}, e.problems);
    throw e;
  }
  return {
    model: bytes,
    report: {
      method, samples: calibration.samples, skipped: calibration.skipped, seconds: calibration.seconds,
      samplesPerSecond: calibration.samplesPerSecond, inputType, outputType, perTensor: options.perTensor ?? false, tensors, warnings,
    },
  };
}
