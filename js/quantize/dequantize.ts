// The float32 model of a quantized TFLite model: the inverse of quantize(), up to rounding.
// - quantized constants become float32 values real = scale[c] · (q − zeroPoint[c]) along the
//   quantized dimension (per-channel weights stay per channel); the int32 bias of CONV_2D,
//   DEPTHWISE_CONV_2D and FULLY_CONNECTED becomes q · input_scale · weight_scale[c], the scale
//   its int8 kernel applies to it (not the bias tensor's own stored, rounded scale);
// - quantized activations become float32 tensors without quantization;
// - QUANTIZE and DEQUANTIZE ops (model input and output conversions, requantizations) are
//   removed: in float they are identities. A graph output keeps its name.
// Everything else — operators, options (fused activations keep their meaning), versions,
// metadata, packed associated files (labels) — is kept, so the float model computes in float
// what the int8 model approximates. The description records how each former quantized input
// maps to the float one.
import type { Bytes } from "../bytes.js";
import { InputError, ModelError } from "../errors.js";
import { builtinOpName } from "../tflite/builtin-ops.js";
import { readModel } from "../tflite/read.js";
import type { ModelDef, OperatorDef, QuantizationDef, SubgraphDef, TensorDef, TensorType } from "../tflite/types.js";
import { writeModel } from "../tflite/write.js";
import { appendZip } from "../tflite/zip-write.js";

/** Ops whose input 2 is a bias with scale input_scale × weight_scale[c]. */
const BIASED_OPS = new Set(["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"]);
/** Ops that only convert between representations: identities in float. */
const CONVERSION_OPS = new Set(["QUANTIZE", "DEQUANTIZE"]);
/** Integer types whose quantized tensors are turned into float32. */
const READERS: Partial<Record<TensorType, (bytes: Uint8Array, n: number) => ArrayLike<number | bigint>>> = {
  int8: (b, n) => new Int8Array(b.buffer, b.byteOffset, n),
  uint8: (b, n) => new Uint8Array(b.buffer, b.byteOffset, n),
  int16: (b, n) => new Int16Array(b.slice().buffer, 0, n),
  int32: (b, n) => new Int32Array(b.slice().buffer, 0, n),
  int64: (b, n) => new BigInt64Array(b.slice().buffer, 0, n),
};
const ELEMENT_BYTES: Partial<Record<TensorType, number>> = { int8: 1, uint8: 1, int16: 2, int32: 4, int64: 8 };

/** A float32 .tflite file of a quantized model (bytes or a ModelDef); see the notes above. */
export function dequantizeModel(model: Bytes | ModelDef): Uint8Array {
  const def = dequantizeModelDef(ArrayBuffer.isView(model) || !("subgraphs" in model) ? readModel(model as Bytes) : model);
  return appendZip(writeModel(def), def.associatedFiles);
}

/** The float32 ModelDef of a quantized ModelDef (which is not modified). */
export function dequantizeModelDef(model: ModelDef): ModelDef {
  if (model.subgraphs.length !== 1) throw new ModelError(`dequantize handles models with one subgraph; this one has ${model.subgraphs.length}`);
  const subgraph = model.subgraphs[0];
  if (!subgraph.tensors.some((t) => t.type === "int8" || t.type === "uint8")) {
    throw new InputError("the model has no int8 or uint8 tensors: it is already a float model, there is nothing to dequantize");
  }
  const buffers = [...model.buffers];
  const tensorAt = (index: number, site: string): TensorDef => {
    const t = subgraph.tensors[index];
    if (t === undefined) throw new ModelError(`${site} refers to tensor ${index}, but the subgraph has ${subgraph.tensors.length} tensors`);
    return t;
  };
  const opType = (op: OperatorDef, k: number): string => {
    const code = model.operatorCodes[op.opcodeIndex];
    if (code === undefined) throw new ModelError(`opcode index ${op.opcodeIndex} is out of range`, { opIndex: k });
    return builtinOpName(code.builtinCode);
  };

  // Scale per channel of each bias as its op's int8 arithmetic applies it.
  const biasScales = new Map<number, number[]>();
  subgraph.operators.forEach((op, k) => {
    if (!BIASED_OPS.has(opType(op, k)) || op.inputs.length < 3 || op.inputs[2] < 0) return;
    const [x, filter] = [tensorAt(op.inputs[0], `operator ${k}`), tensorAt(op.inputs[1], `operator ${k}`)];
    const sIn = x.quantization?.scale[0];
    const sW = filter.quantization?.scale ?? [];
    if (sIn === undefined || sW.length === 0) return;
    biasScales.set(op.inputs[2], sW.map((s) => sIn * s));
  });

  const inputNotes: string[] = [];
  const tensors = subgraph.tensors.map((t, index) => {
    const q = t.quantization;
    if (t.type === "float32" || q === null || q.scale.length === 0) {
      if (t.type === "int8" || t.type === "uint8" || t.type === "int16") {
        if (!isConstant(model, t)) throw new ModelError(`"${t.name}": ${t.type} activation without quantization parameters`, { tensorIndex: index });
      }
      return t;
    }
    const read = READERS[t.type];
    if (read === undefined) throw new ModelError(`"${t.name}": quantized ${t.type} tensors are not supported`, { tensorIndex: index });
    const converted: TensorDef = { ...t, type: "float32", quantization: null };
    if (!isConstant(model, t)) {
      if (subgraph.inputs.includes(index)) inputNotes.push(inputNote(t, q));
      return converted;
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    const bytes = model.buffers[t.buffer];
    if (bytes.length !== count * ELEMENT_BYTES[t.type]!) {
      throw new ModelError(`"${t.name}": buffer ${t.buffer} holds ${bytes.length} bytes for shape [${t.shape}] of ${t.type}`, { tensorIndex: index });
    }
    converted.buffer = buffers.push(dequantizeValues(t, q, read(bytes, count), biasScales.get(index), index)) - 1;
    return converted;
  });

  // QUANTIZE / DEQUANTIZE: the output becomes another name for the input.
  const alias = new Map<number, number>();
  const resolve = (t: number): number => (t < 0 ? t : alias.has(t) ? resolve(alias.get(t)!) : t);
  const operators: OperatorDef[] = [];
  subgraph.operators.forEach((op, k) => {
    if (CONVERSION_OPS.has(opType(op, k)) && op.inputs.length === 1 && op.outputs.length === 1) {
      const from = tensors[resolve(op.inputs[0])];
      if (from === undefined || from.type !== "float32") {
        throw new ModelError(`${opType(op, k)} of a ${from?.type ?? "missing"} tensor cannot be removed`, { opIndex: k, opType: opType(op, k) });
      }
      alias.set(op.outputs[0], resolve(op.inputs[0]));
      return;
    }
    operators.push({ ...op, inputs: op.inputs.map(resolve), outputs: [...op.outputs] });
  });
  const outputs = subgraph.outputs.map((t) => {
    const kept = resolve(t);
    // The graph output keeps its name unless the tensor it now is was already a graph input or output.
    if (kept !== t && !subgraph.inputs.includes(kept) && !subgraph.outputs.includes(kept)) {
      tensors[kept] = { ...tensors[kept], name: tensors[t].name };
    }
    return kept;
  });

  return compact(model, {
    ...subgraph, tensors, operators, inputs: [...subgraph.inputs], outputs,
  }, buffers, describe(model.description, inputNotes));
}

function isConstant(model: ModelDef, t: TensorDef): boolean {
  return t.buffer > 0 && (model.buffers[t.buffer]?.length ?? 0) > 0;
}

/** scale[c] · (q − zeroPoint[c]) as float32, c along the quantized dimension (or a bias's op scales). */
function dequantizeValues(t: TensorDef, q: QuantizationDef, values: ArrayLike<number | bigint>, opScales: number[] | undefined, index: number): Uint8Array {
  const scales = opScales ?? q.scale;
  const zeroPoints = opScales !== undefined || q.zeroPoint.length === 0 ? scales.map(() => 0) : q.zeroPoint;
  if (zeroPoints.length !== scales.length) throw new ModelError(`"${t.name}": ${scales.length} scales but ${zeroPoints.length} zero points`, { tensorIndex: index });
  const out = new Float32Array(values.length);
  if (scales.length === 1) {
    for (let i = 0; i < out.length; i++) out[i] = scales[0] * (Number(values[i]) - zeroPoints[0]);
  } else {
    const dim = opScales !== undefined ? t.shape.length - 1 : q.quantizedDimension;
    if (t.shape[dim] !== scales.length) {
      throw new ModelError(`"${t.name}": ${scales.length} per-channel scales for dimension ${dim} of shape [${t.shape}]`, { tensorIndex: index });
    }
    const inner = t.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < out.length; i++) {
      const c = Math.floor(i / inner) % scales.length;
      out[i] = scales[c] * (Number(values[i]) - zeroPoints[c]);
    }
  }
  return new Uint8Array(out.buffer);
}

/** How a former quantized graph input maps to the float one. */
function inputNote(t: TensorDef, q: QuantizationDef): string {
  const [scale, zp] = [q.scale[0], q.zeroPoint[0] ?? 0];
  const short = (x: number) => String(Number(x.toPrecision(7)));
  let note = `input "${t.name}" was ${t.type} with scale ${short(scale)} and zero point ${zp}: feed real = (q − ${zp}) × ${short(scale)}`;
  if (t.type === "uint8" || t.type === "int8") {
    const pixelZero = t.type === "uint8" ? zp : zp + 128;
    note += ` (for images, pixels as the quantized model took them: (pixel − ${pixelZero}) / ${short(1 / scale)})`;
    if (Math.abs(pixelZero - 127.5) <= 0.5 && Math.abs(1 / scale - 127.5) <= 0.5) {
      note += "; quantizeInput's float32 default (pixel − 127.5) / 127.5, the float model's usual normalisation, is the float equivalent";
    }
  }
  return note;
}

function describe(original: string, inputNotes: string[]): string {
  const note = `float32 model dequantized by quantlite${inputNotes.length ? `; ${inputNotes.join("; ")}` : ""}.`;
  return original ? `${original} | ${note}` : note;
}

/** Drops the tensors, buffers and operator codes nothing refers to any more; renumbers the rest. */
function compact(model: ModelDef, subgraph: SubgraphDef, buffers: Uint8Array[], description: string): ModelDef {
  const used = new Set<number>([...subgraph.inputs, ...subgraph.outputs]);
  for (const op of subgraph.operators) for (const t of [...op.inputs, ...op.outputs]) if (t >= 0) used.add(t);
  const tensorIndex = new Map<number, number>();
  const tensors: TensorDef[] = [];
  subgraph.tensors.forEach((t, i) => {
    if (used.has(i)) tensorIndex.set(i, tensors.push(t) - 1);
  });

  const keptBuffers = new Set<number>([0, ...tensors.map((t) => t.buffer), ...model.metadata.map((m) => m.buffer)]);
  const bufferIndex = new Map<number, number>();
  const newBuffers: Uint8Array[] = [];
  buffers.forEach((b, i) => {
    if (keptBuffers.has(i)) bufferIndex.set(i, newBuffers.push(b) - 1);
  });

  const codeIndex = new Map<number, number>();
  const operatorCodes = model.operatorCodes.filter((_, i) => subgraph.operators.some((op) => op.opcodeIndex === i));
  model.operatorCodes.forEach((code, i) => {
    const at = operatorCodes.indexOf(code);
    if (at >= 0) codeIndex.set(i, at);
  });

  const t = (i: number) => (i < 0 ? i : tensorIndex.get(i)!);
  return {
    ...model,
    description,
    operatorCodes,
    buffers: newBuffers,
    metadata: model.metadata.map((m) => ({ ...m, buffer: bufferIndex.get(m.buffer) ?? m.buffer })),
    subgraphs: [{
      ...subgraph,
      tensors: tensors.map((x) => ({ ...x, buffer: bufferIndex.get(x.buffer) ?? 0 })),
      inputs: subgraph.inputs.map(t),
      outputs: subgraph.outputs.map(t),
      operators: subgraph.operators.map((op) => ({ ...op, opcodeIndex: codeIndex.get(op.opcodeIndex)!, inputs: op.inputs.map(t), outputs: op.outputs.map(t) })),
    }],
  };
}
