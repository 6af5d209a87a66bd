// The graph IR: subgraph 0 of a ModelDef with every index resolved and checked, ready to plan.
// buildGraph validates everything that does not depend on one op's semantics (those checks
// live in each op's prepare): indices, buffer lengths, quantization parameters, op support
// and execution order.
import { ModelError } from "../errors.js";
import { builtinOpName } from "../tflite/builtin-ops.js";
import type { BuiltinOptions, ModelDef, OperatorCodeDef, QuantizationDef, TensorDef, TensorType } from "../tflite/types.js";

export interface GraphTensor {
  index: number;
  name: string;
  dtype: TensorType;
  shape: number[];
  elementCount: number;
  /** Bytes the tensor occupies in wasm memory. */
  byteSize: number;
  /** Per-tensor: one value; per-channel: one per index of quantizedDimension; empty if not quantized. */
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
  /** Constant contents, or null for activations. */
  data: Uint8Array | null;
}

export interface GraphOp {
  index: number;
  /** Builtin operator name, e.g. "CONV_2D". */
  type: string;
  builtinCode: number;
  version: number;
  inputs: (GraphTensor | null)[];
  outputs: GraphTensor[];
  options: BuiltinOptions | null;
  /** custom_options of a custom operator (a FlexBuffer for TFLite_Detection_PostProcess); null or absent when none. */
  customOptions?: Uint8Array | null;
}

export interface Graph {
  tensors: GraphTensor[];
  ops: GraphOp[];
  inputs: GraphTensor[];
  outputs: GraphTensor[];
}

const ELEMENT_SIZE: Partial<Record<TensorType, number>> = {
  float32: 4, int32: 4, uint8: 1, int8: 1, int16: 2, int64: 8, bool: 1, float16: 2, float64: 8,
  complex64: 8, complex128: 16, uint16: 2, uint32: 4, uint64: 8,
};

/** Which ops this build runs, with the highest operator version it accepts. */
export type OpSupport = (type: string, version: number) => "ok" | "unsupported" | "version";

const MAX_ELEMENTS = 2 ** 28;

/** An operator code's type name: the builtin name, or CUSTOM(name) for a custom operator. */
export function operatorType(code: OperatorCodeDef): string {
  return code.customCode !== null && code.builtinCode === 32 ? `CUSTOM(${code.customCode})` : builtinOpName(code.builtinCode);
}

/**
 * `support` refuses operators at once (one ModelError listing them); Model.load and inspect pass
 * none and ask js/graph/support.ts, which also says what each would need.
 */
export function buildGraph(model: ModelDef, support: OpSupport = () => "ok"): Graph {
  if (model.subgraphs.length === 0) throw new ModelError("the model has no subgraph");
  const subgraph = model.subgraphs[0];
  const tensors = subgraph.tensors.map((def, index) => buildTensor(model, def, index));
  const tensorAt = (index: number, what: string, site: { opIndex?: number; opType?: string }) => {
    if (!Number.isInteger(index) || index < 0 || index >= tensors.length) {
      throw new ModelError(`${what} refers to tensor ${index}, but the subgraph has ${tensors.length} tensors`, site);
    }
    return tensors[index];
  };

  const unsupported: string[] = [];
  const ops: GraphOp[] = subgraph.operators.map((def, index) => {
    if (def.opcodeIndex < 0 || def.opcodeIndex >= model.operatorCodes.length) {
      throw new ModelError(`opcode index ${def.opcodeIndex} is out of range (${model.operatorCodes.length} operator codes)`, { opIndex: index });
    }
    const code = model.operatorCodes[def.opcodeIndex];
    const type = operatorType(code);
    const site = { opIndex: index, opType: type };
    const verdict = support(type, code.version);
    if (verdict !== "ok") {
      unsupported.push(`operator ${index}: ${type}${verdict === "version" ? ` version ${code.version}` : ""} is not supported`);
    }
    return {
      index,
      type,
      builtinCode: code.builtinCode,
      version: code.version,
      inputs: def.inputs.map((t, k) => (t === -1 ? null : tensorAt(t, `input ${k}`, site))),
      outputs: def.outputs.map((t, k) => tensorAt(t, `output ${k}`, site)),
      options: def.options,
      customOptions: def.customOptions,
    };
  });
  if (unsupported.length > 0) {
    const types = [...new Set(unsupported.map((line) => line.replace(/^operator \d+: /, "")))];
    throw new ModelError(`unsupported operators: ${types.join("; ")}`, {}, unsupported);
  }

  const inputs = subgraph.inputs.map((t, k) => tensorAt(t, `subgraph input ${k}`, {}));
  const outputs = subgraph.outputs.map((t, k) => tensorAt(t, `subgraph output ${k}`, {}));
  if (inputs.length === 0 || outputs.length === 0) throw new ModelError("the subgraph declares no inputs or no outputs");
  // Variable tensors (an LSTM's state) hold a value before any operator writes them.
  const variables = tensors.filter((t) => subgraph.tensors[t.index].isVariable);
  checkExecutionOrder(ops, inputs, outputs, variables);
  return { tensors, ops, inputs, outputs };
}

function buildTensor(model: ModelDef, def: TensorDef, index: number): GraphTensor {
  const fail = (message: string): never => {
    throw new ModelError(`"${def.name}": ${message}`, { tensorIndex: index });
  };
  const elementSize = ELEMENT_SIZE[def.type];
  if (elementSize === undefined) fail(`tensor type ${def.type} is not supported`);
  let elementCount = 1;
  for (const dim of def.shape) {
    if (!Number.isInteger(dim) || dim < 0) fail(`shape [${def.shape}] has an invalid dimension`);
    elementCount *= dim;
    if (elementCount > MAX_ELEMENTS) fail(`shape [${def.shape}] is too large`);
  }
  if (def.buffer < 0 || def.buffer >= model.buffers.length) {
    fail(`buffer index ${def.buffer} is out of range (${model.buffers.length} buffers)`);
  }
  const bytes = model.buffers[def.buffer];
  const byteSize = elementCount * elementSize!;
  let data: Uint8Array | null = null;
  if (def.buffer !== 0 && bytes.length > 0) {
    if (bytes.length !== byteSize) {
      fail(`buffer ${def.buffer} holds ${bytes.length} bytes, but shape [${def.shape}] of ${def.type} needs ${byteSize}`);
    }
    data = bytes;
  }
  const { scale, zeroPoint, quantizedDimension } = checkQuantization(def, def.quantization, fail);
  return { index, name: def.name, dtype: def.type, shape: def.shape, elementCount, byteSize, scale, zeroPoint, quantizedDimension, data };
}

function checkQuantization(def: TensorDef, q: QuantizationDef | null, fail: (message: string) => never) {
  if (q === null || q.scale.length === 0) return { scale: [], zeroPoint: [], quantizedDimension: 0 };
  const { scale, quantizedDimension } = q;
  const zeroPoint = q.zeroPoint.length === 0 ? scale.map(() => 0) : q.zeroPoint;
  if (zeroPoint.length !== scale.length) {
    fail(`quantization has ${scale.length} scales but ${zeroPoint.length} zero points`);
  }
  if (scale.length > 1) {
    if (quantizedDimension < 0 || quantizedDimension >= def.shape.length) {
      fail(`quantized_dimension ${quantizedDimension} is outside shape [${def.shape}]`);
    }
    if (scale.length !== def.shape[quantizedDimension]) {
      fail(`${scale.length} per-channel scales for ${def.shape[quantizedDimension]} channels (dimension ${quantizedDimension})`);
    }
  }
  // Indexed loops: for-of would allocate an iterator result per value while this runs unoptimized.
  for (let i = 0; i < scale.length; i++) {
    const s = scale[i];
    if (!Number.isFinite(s) || s <= 0) fail(`quantization scale ${s} is not a finite positive number`);
  }
  const [zmin, zmax] = def.type === "uint8" ? [0, 255] : def.type === "int8" ? [-128, 127] : [-(2 ** 31), 2 ** 31 - 1];
  for (let i = 0; i < zeroPoint.length; i++) {
    const z = zeroPoint[i];
    if (!Number.isInteger(z) || z < zmin || z > zmax) fail(`zero point ${z} is out of range for ${def.type}`);
  }
  return { scale, zeroPoint, quantizedDimension };
}

/** Every tensor an op reads must be constant, a graph input, a variable or written by an earlier op. */
function checkExecutionOrder(ops: GraphOp[], inputs: GraphTensor[], outputs: GraphTensor[], variables: GraphTensor[]): void {
  const written = new Set<number>([...inputs, ...variables].map((t) => t.index));
  for (const t of inputs) {
    if (t.data !== null) throw new ModelError(`graph input "${t.name}" is a constant`, { tensorIndex: t.index });
  }
  for (const op of ops) {
    const site = { opIndex: op.index, opType: op.type };
    for (const t of op.inputs) {
      if (t !== null && t.data === null && !written.has(t.index)) {
        throw new ModelError(`reads tensor ${t.index} ("${t.name}") before any operator writes it`, site);
      }
    }
    for (const t of op.outputs) {
      if (t.data !== null) throw new ModelError(`writes constant tensor ${t.index} ("${t.name}")`, site);
      if (written.has(t.index)) throw new ModelError(`writes tensor ${t.index} ("${t.name}"), which is already written`, site);
      written.add(t.index);
    }
  }
  for (const t of outputs) {
    if (!written.has(t.index)) throw new ModelError(`graph output "${t.name}" is never written`, { tensorIndex: t.index });
  }
}
