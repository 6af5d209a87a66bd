// A description of a model without running it: operators, tensors, quantization, sizes, MACs.
import { type Bytes, toBytes } from "./bytes.js";
import { imageInputSize, inputNormalization } from "./classify.js";
import { InputError } from "./errors.js";
import { type GraphOp, type GraphTensor, buildGraph } from "./graph/graph.js";
import { problemLines, staticProblems } from "./graph/support.js";
import { embeddedLabels } from "./labels.js";
import { OPS, opSupport } from "./ops/registry.js";
import { metadataNormalization } from "./tflite/metadata.js";
import { readModel } from "./tflite/read.js";

export interface TensorSummary {
  index: number;
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
  constant: boolean;
  /** "none", "per-tensor" or "per-channel (dimension d)". */
  quantization: string;
  scale: number[];
  zeroPoint: number[];
}

export interface OpSummary {
  index: number;
  type: string;
  version: number;
  supported: boolean;
  inputs: number[];
  outputs: number[];
  outputShape: number[];
  macs: number;
}

/** How classify feeds the model's image input. */
export interface ImageInputSummary {
  layout: "NHWC" | "NCHW";
  channels: 1 | 3;
  width: number;
  height: number;
  dtype: "uint8" | "int8" | "float32";
  /** How a pixel p (0–255; gray for 1 channel) becomes an input value. */
  pixelMap: string;
  /** float32 inputs: the default normalisation and where it comes from ("TFLite metadata" or "default"); null for integer inputs. */
  normalization: { mean: number[]; std: number[]; source: string } | null;
}

export interface ModelSummary {
  description: string;
  fileBytes: number;
  /** Bytes of constant tensors (weights, biases, shapes). */
  constantBytes: number;
  /** Bytes of all activation tensors if none shared memory. */
  activationBytes: number;
  totalMacs: number;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  ops: OpSummary[];
  tensors: TensorSummary[];
  opCounts: Record<string, number>;
  labels: number;
  /** The image input classify would feed, or null when input 0 is not one. */
  imageInput: ImageInputSummary | null;
  /** Why the model's TFLite metadata could not be used, or null. */
  metadataProblem: string | null;
  /**
   * What the file alone shows quantlite cannot run ("operator 3: UNIDIRECTIONAL_SEQUENCE_LSTM:
   * sequence ops are not supported", …); Model.load also finds what operators refuse when prepared.
   */
  problems: string[];
}

/** Multiply-accumulates an operator performs per inference (0 for ops without products). */
export function opMacs(op: GraphOp): number {
  const out = op.outputs[0];
  const filter = op.inputs[1];
  if (!out || !filter) return 0;
  switch (op.type) {
    case "CONV_2D":
      return out.elementCount * filter.shape.slice(1).reduce((a, b) => a * b, 1);
    case "DEPTHWISE_CONV_2D":
      return out.elementCount * filter.shape[1] * filter.shape[2];
    case "FULLY_CONNECTED":
      return out.elementCount * (filter.shape[1] ?? 0);
    default:
      return 0;
  }
}

function tensorSummary(t: GraphTensor): TensorSummary {
  const quantization = t.scale.length === 0 ? "none" : t.scale.length === 1 ? "per-tensor" : `per-channel (dimension ${t.quantizedDimension})`;
  return {
    index: t.index, name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.byteSize, constant: t.data !== null,
    quantization, scale: t.scale, zeroPoint: t.zeroPoint,
  };
}

export function inspectModel(file: Bytes): ModelSummary {
  const bytes = toBytes(file, "the model file");
  const def = readModel(bytes);
  const found = staticProblems(def, opSupport, (type) => OPS.get(type)?.maxVersion);
  const metadata = metadataNormalization(def);
  const graph = buildGraph(def);
  const ops = graph.ops.map((op) => ({
    index: op.index, type: op.type, version: op.version, supported: opSupport(op.type, op.version) === "ok",
    inputs: op.inputs.map((t) => (t === null ? -1 : t.index)), outputs: op.outputs.map((t) => t.index),
    outputShape: op.outputs[0]?.shape ?? [], macs: opMacs(op),
  }));
  const opCounts: Record<string, number> = {};
  for (const op of ops) opCounts[op.type] = (opCounts[op.type] ?? 0) + 1;
  return {
    description: def.description,
    fileBytes: bytes.length,
    constantBytes: graph.tensors.filter((t) => t.data !== null).reduce((a, t) => a + t.byteSize, 0),
    activationBytes: graph.tensors.filter((t) => t.data === null).reduce((a, t) => a + t.byteSize, 0),
    totalMacs: ops.reduce((a, op) => a + op.macs, 0),
    inputs: graph.inputs.map(tensorSummary),
    outputs: graph.outputs.map(tensorSummary),
    ops,
    tensors: graph.tensors.map(tensorSummary),
    opCounts,
    labels: embeddedLabels(def)?.length ?? 0,
    imageInput: imageInputSummary(graph.inputs, metadata.normalization),
    metadataProblem: metadata.problem,
    problems: problemLines([...found.ops, ...found.types].sort((a, b) => (a.opIndex ?? 0) - (b.opIndex ?? 0))),
  };
}

function imageInputSummary(inputs: GraphTensor[], metadata: { mean: number[]; std: number[] } | null): ImageInputSummary | null {
  let layout;
  try {
    layout = imageInputSize({ inputs: inputs.map((t) => ({ index: t.index, name: t.name, dtype: t.dtype, shape: t.shape, scale: t.scale[0] ?? 0, zeroPoint: t.zeroPoint[0] ?? 0 })) });
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
  const { width, height, channels, dtype } = layout;
  if (dtype !== "float32") return { ...layout, pixelMap: dtype === "uint8" ? "p" : "p − 128", normalization: null };
  const { mean, std, meanSource } = inputNormalization(metadata);
  const each = (values: number[]) => (values.length === 1 ? String(values[0]) : `[${values.join(", ")}]`);
  return {
    layout: layout.layout, channels, width, height, dtype,
    pixelMap: `(p − ${each(mean)}) / ${each(std)}`,
    normalization: { mean, std, source: meanSource === "metadata" ? "TFLite metadata" : "default" },
  };
}
