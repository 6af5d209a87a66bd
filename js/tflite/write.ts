// Writes a ModelDef as a .tflite flatbuffer (identifier "TFL3"), using the schema layout
// shared with read.ts, so that readModel(writeModel(m)) gives m back. Buffer data is
// 16-byte aligned in the file. Not written, because a ModelDef does not hold them:
// associated files (the zip after the flatbuffer), signature defs (only their count is
// kept, and TFLite refuses empty SignatureDef tables), sparsity, quantization details,
// custom options and the deprecated metadata_buffer list.
import { Builder } from "flatbuffers";
import { ModelError } from "../errors.js";
import {
  ACTIVATIONS, BUFFER, DEFAULT_OPERATOR_VERSION, FILE_IDENTIFIER, METADATA, MODEL, OPERATOR,
  OPERATOR_CODE, OPTIONS_LAYOUTS, optionsTableLayout, PADDINGS, QUANTIZATION, SUBGRAPH, TENSOR, TENSOR_TYPES,
  type Layout, type OptionsLayout,
} from "./read.js";
import type {
  BuiltinOptions, MetadataDef, ModelDef, OperatorCodeDef, OperatorDef, QuantizationDef, SubgraphDef,
  TensorDef,
} from "./types.js";

type Offset = number;

/** Alignment of buffer data in the file (schema.fbs: `data:[ubyte] (force_align: 16)`). */
const BUFFER_ALIGNMENT = 16;
/** deprecated_builtin_code is a byte: codes from 127 on store this placeholder there. */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;
/** A flatbuffer cannot address more than 2 GB. */
const MAX_FLATBUFFER_SIZE = 0x7fffffff;

/** Encodes a model as .tflite bytes. Throws ModelError when a field cannot be encoded. */
export function writeModel(model: ModelDef): Uint8Array {
  const b = new Builder(estimateSize(model));
  // Buffers first: the builder fills back to front, so their data ends up last in the file.
  const buffers = tableVector(b, model.buffers.map((data) => writeBuffer(b, data)));
  const metadata = tableVector(b, model.metadata.map((entry) => writeMetadata(b, entry)));
  const subgraphs = tableVector(b, model.subgraphs.map((subgraph) => writeSubgraph(b, subgraph)));
  const operatorCodes = tableVector(b, model.operatorCodes.map((code) => writeOperatorCode(b, code)));
  const description = b.createString(model.description);

  b.startObject(fieldCount(MODEL));
  b.addFieldInt32(MODEL.version, model.version, 0);
  b.addFieldOffset(MODEL.operatorCodes, operatorCodes, 0);
  b.addFieldOffset(MODEL.subgraphs, subgraphs, 0);
  b.addFieldOffset(MODEL.description, description, 0);
  b.addFieldOffset(MODEL.buffers, buffers, 0);
  b.addFieldOffset(MODEL.metadata, metadata, 0);
  b.finish(b.endObject(), FILE_IDENTIFIER);
  // A copy of exactly the file's bytes, starting at offset 0 of its own ArrayBuffer, so the
  // 16-byte alignment of buffer data holds for typed-array views too.
  return b.asUint8Array().slice();
}

function estimateSize(model: ModelDef): number {
  let size = 4096;
  for (const data of model.buffers) size += data.length + 2 * BUFFER_ALIGNMENT;
  if (size > MAX_FLATBUFFER_SIZE) {
    throw new ModelError(`cannot write a model with ${size} bytes of buffers: a flatbuffer is limited to 2 GB`);
  }
  for (const subgraph of model.subgraphs) size += 256 * (subgraph.tensors.length + subgraph.operators.length);
  return Math.min(size, MAX_FLATBUFFER_SIZE);
}

/** Number of vtable slots a table with this layout needs. */
function fieldCount(layout: Layout): number {
  return Math.max(-1, ...Object.values(layout)) + 1;
}

function tableVector(b: Builder, tables: Offset[]): Offset {
  b.startVector(4, tables.length, 4);
  for (let i = tables.length - 1; i >= 0; i--) b.addOffset(tables[i]);
  return b.endVector();
}

function int32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function float32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
  return b.endVector();
}

function int64Vector(b: Builder, values: readonly number[], what: string): Offset {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) {
    if (!Number.isInteger(values[i])) throw new ModelError(`cannot write ${what} ${values[i]}: not an integer`);
    b.addInt64(BigInt(values[i]));
  }
  return b.endVector();
}

/** The index of an enum value in its schema list. */
function enumIndex(names: readonly string[], value: unknown, what: string): number {
  const index = names.indexOf(value as string);
  if (index < 0) throw new ModelError(`cannot write ${what} ${String(value)}: not a schema value`);
  return index;
}

function writeBuffer(b: Builder, data: Uint8Array): Offset {
  let vector = 0;
  if (data.length > 0) {
    // startVector reserves the room and aligns the start of the data; bytes go in back to front.
    b.startVector(1, data.length, BUFFER_ALIGNMENT);
    for (let i = data.length - 1; i >= 0; i--) b.writeInt8(data[i]);
    vector = b.endVector();
  }
  b.startObject(fieldCount(BUFFER));
  b.addFieldOffset(BUFFER.data, vector, 0);
  return b.endObject();
}

function writeMetadata(b: Builder, entry: MetadataDef): Offset {
  const name = b.createString(entry.name);
  b.startObject(fieldCount(METADATA));
  b.addFieldOffset(METADATA.name, name, 0);
  b.addFieldInt32(METADATA.buffer, entry.buffer, 0);
  return b.endObject();
}

function writeOperatorCode(b: Builder, code: OperatorCodeDef): Offset {
  const customCode = code.customCode === null ? 0 : b.createString(code.customCode);
  b.startObject(fieldCount(OPERATOR_CODE));
  b.addFieldInt8(
    OPERATOR_CODE.deprecatedBuiltinCode,
    Math.min(code.builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES),
    0,
  );
  b.addFieldOffset(OPERATOR_CODE.customCode, customCode, 0);
  b.addFieldInt32(OPERATOR_CODE.version, code.version, DEFAULT_OPERATOR_VERSION);
  b.addFieldInt32(OPERATOR_CODE.builtinCode, code.builtinCode, 0);
  return b.endObject();
}

function writeSubgraph(b: Builder, subgraph: SubgraphDef): Offset {
  const tensors = tableVector(b, subgraph.tensors.map((tensor) => writeTensor(b, tensor)));
  const operators = tableVector(b, subgraph.operators.map((operator) => writeOperator(b, operator)));
  const inputs = int32Vector(b, subgraph.inputs);
  const outputs = int32Vector(b, subgraph.outputs);
  const name = b.createString(subgraph.name);
  b.startObject(fieldCount(SUBGRAPH));
  b.addFieldOffset(SUBGRAPH.tensors, tensors, 0);
  b.addFieldOffset(SUBGRAPH.inputs, inputs, 0);
  b.addFieldOffset(SUBGRAPH.outputs, outputs, 0);
  b.addFieldOffset(SUBGRAPH.operators, operators, 0);
  b.addFieldOffset(SUBGRAPH.name, name, 0);
  return b.endObject();
}

function writeTensor(b: Builder, tensor: TensorDef): Offset {
  const shape = int32Vector(b, tensor.shape);
  const name = b.createString(tensor.name);
  const quantization = tensor.quantization === null ? 0 : writeQuantization(b, tensor.quantization);
  const shapeSignature = tensor.shapeSignature === null ? 0 : int32Vector(b, tensor.shapeSignature);
  b.startObject(fieldCount(TENSOR));
  b.addFieldOffset(TENSOR.shape, shape, 0);
  b.addFieldInt8(TENSOR.type, enumIndex(TENSOR_TYPES, tensor.type, "tensor type"), 0);
  b.addFieldInt32(TENSOR.buffer, tensor.buffer, 0);
  b.addFieldOffset(TENSOR.name, name, 0);
  b.addFieldOffset(TENSOR.quantization, quantization, 0);
  b.addFieldInt8(TENSOR.isVariable, Number(tensor.isVariable), 0);
  b.addFieldOffset(TENSOR.shapeSignature, shapeSignature, 0);
  return b.endObject();
}

function writeQuantization(b: Builder, quantization: QuantizationDef): Offset {
  const min = float32Vector(b, quantization.min);
  const max = float32Vector(b, quantization.max);
  const scale = float32Vector(b, quantization.scale);
  const zeroPoint = int64Vector(b, quantization.zeroPoint, "zero point");
  b.startObject(fieldCount(QUANTIZATION));
  b.addFieldOffset(QUANTIZATION.min, min, 0);
  b.addFieldOffset(QUANTIZATION.max, max, 0);
  b.addFieldOffset(QUANTIZATION.scale, scale, 0);
  b.addFieldOffset(QUANTIZATION.zeroPoint, zeroPoint, 0);
  b.addFieldInt32(QUANTIZATION.quantizedDimension, quantization.quantizedDimension, 0);
  return b.endObject();
}

function writeOperator(b: Builder, operator: OperatorDef): Offset {
  const inputs = int32Vector(b, operator.inputs);
  const outputs = int32Vector(b, operator.outputs);
  const options = operator.options === null ? 0 : writeOptions(b, operator.options);
  const customOptions = operator.customOptions === null ? 0 : b.createByteVector(operator.customOptions);
  b.startObject(fieldCount(OPERATOR));
  b.addFieldInt32(OPERATOR.opcodeIndex, operator.opcodeIndex, 0);
  b.addFieldOffset(OPERATOR.inputs, inputs, 0);
  b.addFieldOffset(OPERATOR.outputs, outputs, 0);
  if (operator.options !== null) {
    b.addFieldInt8(OPERATOR.builtinOptionsType, OPTIONS_LAYOUTS[operator.options.kind].typeId, 0);
    b.addFieldOffset(OPERATOR.builtinOptions, options, 0);
  }
  if (customOptions !== 0) b.addFieldOffset(OPERATOR.customOptions, customOptions, 0);
  return b.endObject();
}

/** An options table, field by field as OPTIONS_LAYOUTS describes it; defaults are left out. */
function writeOptions(b: Builder, options: BuiltinOptions): Offset {
  const layout: OptionsLayout | undefined = OPTIONS_LAYOUTS[options.kind];
  if (layout === undefined) throw new ModelError(`cannot write options of kind ${String(options.kind)}`);
  const values = options as unknown as Record<string, unknown>;
  const vectors = new Map<string, Offset>();
  for (const field of layout.fields) {
    if (field.kind === "int32[]") vectors.set(field.name, int32Vector(b, values[field.name] as number[]));
  }
  b.startObject(fieldCount(optionsTableLayout(layout)));
  for (const field of layout.fields) {
    const value = values[field.name];
    const fallback = Number(field.default ?? 0);
    const what = `${options.kind}.${field.name}`;
    switch (field.kind) {
      case "padding":
        b.addFieldInt8(field.id, enumIndex(PADDINGS, value, what), fallback);
        break;
      case "activation":
        b.addFieldInt8(field.id, enumIndex(ACTIVATIONS, value, what), fallback);
        break;
      case "tensorType":
        b.addFieldInt8(field.id, enumIndex(TENSOR_TYPES, value, what), fallback);
        break;
      case "int32":
        b.addFieldInt32(field.id, value as number, fallback);
        break;
      case "uint8":
        b.addFieldInt8(field.id, value as number, fallback);
        break;
      case "bool":
        b.addFieldInt8(field.id, Number(value), fallback);
        break;
      case "float32":
        b.addFieldFloat32(field.id, value as number, fallback);
        break;
      case "int32[]":
        b.addFieldOffset(field.id, vectors.get(field.name) ?? 0, 0);
        break;
    }
  }
  return b.endObject();
}
