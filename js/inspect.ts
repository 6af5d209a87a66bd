// A description of a model without running it: operators, tensors, quantization, sizes, MACs.
import { type Bytes, toBytes } from "./bytes.js";
import { type GraphOp, type GraphTensor, buildGraph } from "./graph/graph.js";
import { embeddedLabels } from "./labels.js";
import { opSupport } from "./ops/registry.js";
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
  const graph = buildGraph(def, () => "ok");
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
  };
}
