// Reads a .tflite flatbuffer (tensorflow/lite/schema/schema.fbs) into a plain ModelDef.
// Every offset, vtable, vector, string and union is bounds-checked before it is read, so
// truncated or corrupted bytes end in a ModelError, never another exception, a huge
// allocation or a hang. Only the structure is checked here; what the values mean (index
// ranges, shapes, quantization counts) is validated elsewhere. The schema layout (field ids,
// enums, option tables) is exported for write.ts so both sides share one description.
import { type Bytes, toBytes } from "../bytes.js";
import { ByteBuffer } from "flatbuffers";
import { ModelError } from "../errors.js";
import type {
  BuiltinOptions, FusedActivation, ModelDef, OperatorCodeDef, OperatorDef, Padding,
  QuantizationDef, SubgraphDef, TensorDef, TensorType,
} from "./types.js";
import { readZipStoredEntries } from "./zip.js";

// ---------------------------------------------------------------------------------------
// Schema layout: field ids (vtable slot = 4 + 2 * id) of the tables we use, by name.

export const FILE_IDENTIFIER = "TFL3";

/** Field ids of a table, by field name. A union takes two ids: `<name>Type`, then `<name>`. */
export type Layout = Readonly<Record<string, number>>;

export const MODEL = {
  version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4,
  metadataBuffer: 5, metadata: 6, signatureDefs: 7,
} as const;
export const OPERATOR_CODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
export const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const TENSOR = {
  shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7,
} as const;
export const QUANTIZATION = {
  min: 0, max: 1, scale: 2, zeroPoint: 3, detailsType: 4, details: 5, quantizedDimension: 6,
} as const;
export const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4, customOptions: 5 } as const;
export const BUFFER = { data: 0, offset: 1, size: 2 } as const;
export const METADATA = { name: 0, buffer: 1 } as const;

/** OperatorCode.version when the field is absent. */
export const DEFAULT_OPERATOR_VERSION = 1;

/** TensorType enum values, by index. */
export const TENSOR_TYPES: readonly TensorType[] = [
  "float32", "float16", "int32", "uint8", "int64", "string", "bool", "int16", "complex64", "int8",
  "float64", "complex128", "uint64", "resource", "variant", "uint32", "uint16", "int4",
];
/** Padding enum values, by index. */
export const PADDINGS: readonly Padding[] = ["SAME", "VALID"];
/** ActivationFunctionType enum values, by index. */
export const ACTIVATIONS: readonly FusedActivation[] = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"];

/** How an options field is stored: enums and bools as bytes, `int32[]` as a vector. */
export type OptionsFieldKind = "padding" | "activation" | "tensorType" | "int32" | "uint8" | "bool" | "float32" | "int32[]";

type OptionsOfKind<K extends BuiltinOptions["kind"]> = Extract<BuiltinOptions, { kind: K }>;
type OptionsFieldName<K extends BuiltinOptions["kind"]> = Exclude<keyof OptionsOfKind<K>, "kind"> & string;

export interface OptionsField<Name extends string = string> {
  name: Name;
  id: number;
  kind: OptionsFieldKind;
  /** The schema default, as stored (enum index, bool, number); absent means 0 / false / []. */
  default?: number | boolean;
}

export interface OptionsLayout<Name extends string = string> {
  /** The BuiltinOptions union type id. */
  typeId: number;
  fields: OptionsField<Name>[];
}

/** The option tables we decode: union type id, field ids and schema defaults. */
export const OPTIONS_LAYOUTS: { [K in BuiltinOptions["kind"]]: OptionsLayout<OptionsFieldName<K>> } = {
  Conv2DOptions: {
    typeId: 1,
    fields: [
      { name: "padding", id: 0, kind: "padding" },
      { name: "strideW", id: 1, kind: "int32" },
      { name: "strideH", id: 2, kind: "int32" },
      { name: "fusedActivation", id: 3, kind: "activation" },
      { name: "dilationWFactor", id: 4, kind: "int32", default: 1 },
      { name: "dilationHFactor", id: 5, kind: "int32", default: 1 },
    ],
  },
  DepthwiseConv2DOptions: {
    typeId: 2,
    fields: [
      { name: "padding", id: 0, kind: "padding" },
      { name: "strideW", id: 1, kind: "int32" },
      { name: "strideH", id: 2, kind: "int32" },
      { name: "depthMultiplier", id: 3, kind: "int32" },
      { name: "fusedActivation", id: 4, kind: "activation" },
      { name: "dilationWFactor", id: 5, kind: "int32", default: 1 },
      { name: "dilationHFactor", id: 6, kind: "int32", default: 1 },
    ],
  },
  Pool2DOptions: {
    typeId: 5,
    fields: [
      { name: "padding", id: 0, kind: "padding" },
      { name: "strideW", id: 1, kind: "int32" },
      { name: "strideH", id: 2, kind: "int32" },
      { name: "filterWidth", id: 3, kind: "int32" },
      { name: "filterHeight", id: 4, kind: "int32" },
      { name: "fusedActivation", id: 5, kind: "activation" },
    ],
  },
  FullyConnectedOptions: {
    typeId: 8,
    fields: [
      { name: "fusedActivation", id: 0, kind: "activation" },
      { name: "weightsFormat", id: 1, kind: "uint8" },
      { name: "keepNumDims", id: 2, kind: "bool" },
      { name: "asymmetricQuantizeInputs", id: 3, kind: "bool" },
    ],
  },
  SoftmaxOptions: { typeId: 9, fields: [{ name: "beta", id: 0, kind: "float32" }] },
  ConcatenationOptions: {
    typeId: 10,
    fields: [
      { name: "axis", id: 0, kind: "int32" },
      { name: "fusedActivation", id: 1, kind: "activation" },
    ],
  },
  AddOptions: {
    typeId: 11,
    fields: [
      { name: "fusedActivation", id: 0, kind: "activation" },
      { name: "potScaleInt16", id: 1, kind: "bool", default: true },
    ],
  },
  ReshapeOptions: { typeId: 17, fields: [{ name: "newShape", id: 0, kind: "int32[]" }] },
  PadOptions: { typeId: 22, fields: [] },
  ReducerOptions: { typeId: 27, fields: [{ name: "keepDims", id: 0, kind: "bool" }] },
  DequantizeOptions: { typeId: 38, fields: [] },
  QuantizeOptions: { typeId: 89, fields: [] },
  MulOptions: { typeId: 21, fields: [{ name: "fusedActivation", id: 0, kind: "activation" }] },
  DivOptions: { typeId: 29, fields: [{ name: "fusedActivation", id: 0, kind: "activation" }] },
  L2NormOptions: { typeId: 12, fields: [{ name: "fusedActivation", id: 0, kind: "activation" }] },
  SubOptions: {
    typeId: 28,
    fields: [
      { name: "fusedActivation", id: 0, kind: "activation" },
      { name: "potScaleInt16", id: 1, kind: "bool", default: true },
    ],
  },
  LeakyReluOptions: { typeId: 75, fields: [{ name: "alpha", id: 0, kind: "float32" }] },
  ResizeBilinearOptions: {
    typeId: 15,
    fields: [
      { name: "alignCorners", id: 2, kind: "bool" },
      { name: "halfPixelCenters", id: 3, kind: "bool" },
    ],
  },
  ResizeNearestNeighborOptions: {
    typeId: 74,
    fields: [
      { name: "alignCorners", id: 0, kind: "bool" },
      { name: "halfPixelCenters", id: 1, kind: "bool" },
    ],
  },
  StridedSliceOptions: {
    typeId: 32,
    fields: [
      { name: "beginMask", id: 0, kind: "int32" },
      { name: "endMask", id: 1, kind: "int32" },
      { name: "ellipsisMask", id: 2, kind: "int32" },
      { name: "newAxisMask", id: 3, kind: "int32" },
      { name: "shrinkAxisMask", id: 4, kind: "int32" },
      { name: "offset", id: 5, kind: "bool" },
    ],
  },
  PackOptions: {
    typeId: 59,
    fields: [
      { name: "valuesCount", id: 0, kind: "int32" },
      { name: "axis", id: 1, kind: "int32" },
    ],
  },
  UnpackOptions: {
    typeId: 64,
    fields: [
      { name: "num", id: 0, kind: "int32" },
      { name: "axis", id: 1, kind: "int32" },
    ],
  },
  ShapeOptions: { typeId: 55, fields: [{ name: "outputType", id: 0, kind: "tensorType" }] },
  ArgMaxOptions: { typeId: 40, fields: [{ name: "outputType", id: 0, kind: "tensorType" }] },
  ArgMinOptions: { typeId: 57, fields: [{ name: "outputType", id: 0, kind: "tensorType" }] },
  SqueezeOptions: { typeId: 30, fields: [{ name: "squeezeDims", id: 0, kind: "int32[]" }] },
  SplitOptions: { typeId: 35, fields: [{ name: "numSplits", id: 0, kind: "int32" }] },
  SplitVOptions: { typeId: 79, fields: [{ name: "numSplits", id: 0, kind: "int32" }] },
  GatherOptions: {
    typeId: 23,
    fields: [
      { name: "axis", id: 0, kind: "int32" },
      { name: "batchDims", id: 1, kind: "int32" },
    ],
  },
  CastOptions: {
    typeId: 37,
    fields: [
      { name: "inDataType", id: 0, kind: "tensorType" },
      { name: "outDataType", id: 1, kind: "tensorType" },
    ],
  },
  TransposeConvOptions: {
    typeId: 49,
    fields: [
      { name: "padding", id: 0, kind: "padding" },
      { name: "strideW", id: 1, kind: "int32" },
      { name: "strideH", id: 2, kind: "int32" },
      { name: "fusedActivation", id: 3, kind: "activation" },
    ],
  },
  DepthToSpaceOptions: { typeId: 94, fields: [{ name: "blockSize", id: 0, kind: "int32" }] },
  SpaceToDepthOptions: { typeId: 19, fields: [{ name: "blockSize", id: 0, kind: "int32" }] },
  SquaredDifferenceOptions: { typeId: 76, fields: [] },
  HardSwishOptions: { typeId: 91, fields: [] },
  MaximumMinimumOptions: { typeId: 39, fields: [] },
  TransposeOptions: { typeId: 26, fields: [] },
  SliceOptions: { typeId: 48, fields: [] },
  ExpandDimsOptions: { typeId: 52, fields: [] },
  TileOptions: { typeId: 51, fields: [] },
  GatherNdOptions: { typeId: 83, fields: [] },
  SpaceToBatchNDOptions: { typeId: 25, fields: [] },
  BatchToSpaceNDOptions: { typeId: 24, fields: [] },
  LogSoftmaxOptions: { typeId: 36, fields: [] },
  FloorDivOptions: { typeId: 65, fields: [] },
  FloorModOptions: { typeId: 72, fields: [] },
};

/** The field-id layout of an options table (its field names mapped to ids). */
export function optionsTableLayout(layout: OptionsLayout): Layout {
  return Object.fromEntries(layout.fields.map((field) => [field.name, field.id]));
}

/** Decodable option tables by union type id. */
const OPTIONS_BY_TYPE_ID = new Map(
  (Object.keys(OPTIONS_LAYOUTS) as BuiltinOptions["kind"][]).map((kind) => {
    const layout: OptionsLayout = OPTIONS_LAYOUTS[kind];
    return [layout.typeId, { kind, layout, tableLayout: optionsTableLayout(layout) }] as const;
  }),
);

// ---------------------------------------------------------------------------------------
// Bounds-checked access to flatbuffer bytes.

const utf8 = new TextDecoder();

/**
 * The bytes of one flatbuffer with checked reads. It also counts the work done (tables,
 * vector elements, string bytes): a file of n bytes holds at most about n of them unless
 * it references the same parts over and over, which is refused instead of decoded forever.
 */
export class CheckedBuffer {
  private readonly bb: ByteBuffer;
  readonly length: number;
  private work = 0;
  private readonly maxWork: number;

  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
    this.length = bytes.length;
    this.maxWork = 2 * bytes.length + 4096;
  }

  fail(path: string, problem: string): never {
    throw new ModelError(`corrupt TFLite model: ${path}: ${problem}`);
  }

  /** Checks that [pos, pos + size) lies inside the file. */
  need(pos: number, size: number, path: string): void {
    if (pos < 0 || size < 0 || pos + size > this.length) {
      this.fail(path, `${size} bytes at offset ${pos} lie outside the ${this.length}-byte file`);
    }
  }

  charge(units: number, path: string): void {
    this.work += units;
    if (this.work > this.maxWork) this.fail(path, "the file references the same data too many times");
  }

  int8(pos: number, path: string): number {
    this.need(pos, 1, path);
    return this.bb.readInt8(pos);
  }
  uint8(pos: number, path: string): number {
    this.need(pos, 1, path);
    return this.bb.readUint8(pos);
  }
  uint16(pos: number, path: string): number {
    this.need(pos, 2, path);
    return this.bb.readUint16(pos);
  }
  int32(pos: number, path: string): number {
    this.need(pos, 4, path);
    return this.bb.readInt32(pos);
  }
  uint32(pos: number, path: string): number {
    this.need(pos, 4, path);
    return this.bb.readUint32(pos);
  }
  float32(pos: number, path: string): number {
    this.need(pos, 4, path);
    return this.bb.readFloat32(pos);
  }
  uint64(pos: number, path: string): bigint {
    this.need(pos, 8, path);
    return this.bb.readUint64(pos);
  }

  /** Follows the unsigned offset stored at pos (always forward, so references cannot loop). */
  follow(pos: number, path: string): number {
    return pos + this.uint32(pos, path);
  }

  /** The table at pos, after checking its vtable and extent. */
  table<L extends Layout>(pos: number, layout: L, path: string): Table<L> {
    this.charge(1, path);
    const vtable = pos - this.int32(pos, path);
    const vtableSize = this.uint16(vtable, `${path} vtable`);
    const tableSize = this.uint16(vtable + 2, `${path} vtable`);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(path, `bad vtable size ${vtableSize}`);
    if (tableSize < 4) this.fail(path, `bad table size ${tableSize}`);
    this.need(vtable, vtableSize, `${path} vtable`);
    this.need(pos, tableSize, path);
    return new Table(this, pos, vtable, vtableSize, tableSize, layout, path);
  }

  /** Start and element count of the vector whose offset is stored at pos. */
  vector(pos: number, elementSize: number, path: string): { start: number; length: number } {
    const at = this.follow(pos, path);
    const length = this.uint32(at, path);
    const start = at + 4;
    if (length * elementSize > this.length - start) {
      this.fail(path, `vector of ${length} elements at offset ${at} runs past the end of the file`);
    }
    return { start, length };
  }

  string(pos: number, path: string): string {
    const { start, length } = this.vector(pos, 1, path);
    this.charge(length, path);
    return utf8.decode(this.bytes.subarray(start, start + length));
  }
}

/** One table of a checked flatbuffer; fields are named by its layout. */
export class Table<L extends Layout> {
  constructor(
    private readonly buf: CheckedBuffer,
    private readonly pos: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly tableSize: number,
    private readonly layout: L,
    readonly path: string,
  ) {}

  fail(problem: string): never {
    return this.buf.fail(this.path, problem);
  }

  /** Absolute position of a field of `size` bytes, or 0 when it is absent. */
  private field(name: keyof L & string, size: number): number {
    const slot = 4 + 2 * this.layout[name];
    if (slot + 2 > this.vtableSize) return 0;
    const offset = this.buf.uint16(this.vtable + slot, this.path);
    if (offset === 0) return 0;
    if (offset < 4 || offset + size > this.tableSize) this.fail(`field ${name} lies outside its table`);
    return this.pos + offset;
  }

  has(name: keyof L & string): boolean {
    return this.field(name, 0) !== 0;
  }

  int8(name: keyof L & string, fallback: number): number {
    const at = this.field(name, 1);
    return at ? this.buf.int8(at, this.path) : fallback;
  }
  uint8(name: keyof L & string, fallback: number): number {
    const at = this.field(name, 1);
    return at ? this.buf.uint8(at, this.path) : fallback;
  }
  bool(name: keyof L & string, fallback: boolean): boolean {
    const at = this.field(name, 1);
    return at ? this.buf.uint8(at, this.path) !== 0 : fallback;
  }
  int32(name: keyof L & string, fallback: number): number {
    const at = this.field(name, 4);
    return at ? this.buf.int32(at, this.path) : fallback;
  }
  uint32(name: keyof L & string, fallback: number): number {
    const at = this.field(name, 4);
    return at ? this.buf.uint32(at, this.path) : fallback;
  }
  float32(name: keyof L & string, fallback: number): number {
    const at = this.field(name, 4);
    return at ? this.buf.float32(at, this.path) : fallback;
  }
  uint64(name: keyof L & string): bigint {
    const at = this.field(name, 8);
    return at ? this.buf.uint64(at, this.path) : 0n;
  }

  /** A byte-sized enum field, by name; a value outside the enum is an error. */
  enumName<T extends string>(name: keyof L & string, names: readonly T[], fallback: number): T {
    const value = this.int8(name, fallback);
    const result = names[value];
    if (result === undefined) this.fail(`unknown ${name} value ${value}`);
    return result;
  }

  string(name: keyof L & string): string | null {
    const at = this.field(name, 4);
    return at ? this.buf.string(at, `${this.path}.${name}`) : null;
  }

  table<C extends Layout>(name: keyof L & string, layout: C): Table<C> | null {
    const at = this.field(name, 4);
    return at ? this.buf.table(this.buf.follow(at, this.path), layout, `${this.path}.${name}`) : null;
  }

  /** The tables of a vector field; [] when it is absent. */
  tables<C extends Layout>(name: keyof L & string, layout: C): Table<C>[] {
    const at = this.field(name, 4);
    if (!at) return [];
    const path = `${this.path}.${name}`;
    const { start, length } = this.buf.vector(at, 4, path);
    const tables: Table<C>[] = [];
    for (let i = 0; i < length; i++) {
      const element = start + 4 * i;
      tables.push(this.buf.table(this.buf.follow(element, path), layout, `${path}[${i}]`));
    }
    return tables;
  }

  vectorLength(name: keyof L & string): number {
    const at = this.field(name, 4);
    return at ? this.buf.vector(at, 4, `${this.path}.${name}`).length : 0;
  }

  /**
   * A 4- or 8-byte scalar vector field as an aligned copy of its bytes (its extent checked once;
   * little-endian, like every typed array on the platforms JavaScript runs on); null when absent.
   */
  private scalars(name: keyof L & string, elementSize: number): { buffer: ArrayBuffer; length: number } | null {
    const at = this.field(name, 4);
    if (!at) return null;
    const path = `${this.path}.${name}`;
    const { start, length } = this.buf.vector(at, elementSize, path);
    this.buf.charge(length, path);
    return { buffer: this.buf.bytes.slice(start, start + elementSize * length).buffer, length };
  }

  int32s(name: keyof L & string): number[] | null {
    const v = this.scalars(name, 4);
    return v && Array.from(new Int32Array(v.buffer));
  }
  float32s(name: keyof L & string): number[] | null {
    const v = this.scalars(name, 4);
    return v && floatNumbers(new Float32Array(v.buffer));
  }
  /** An int64 vector as numbers (exact up to 2^53, rounded to nearest beyond). */
  int64s(name: keyof L & string): number[] | null {
    const v = this.scalars(name, 8);
    if (v === null) return null;
    const words = new Int32Array(v.buffer);
    const values: number[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const low = words[2 * i], high = words[2 * i + 1];
      // Values that fit int32 (every zero point) without a double intermediate: no garbage per value.
      values[i] = high === low >> 31 ? low : high * 2 ** 32 + (low >>> 0);
    }
    return values;
  }

  /** A ubyte vector as a view into the file; null when it is absent. */
  bytes(name: keyof L & string): Uint8Array | null {
    const at = this.field(name, 4);
    if (!at) return null;
    const { start, length } = this.buf.vector(at, 1, `${this.path}.${name}`);
    return this.buf.bytes.subarray(start, start + length);
  }
}

// ---------------------------------------------------------------------------------------
// Decoding.

/** Decodes a .tflite file. Throws ModelError when the bytes are not a well-formed TFLite model. */
export function readModel(file: Bytes): ModelDef {
  const bytes = toBytes(file, "the model file");
  const buf = new CheckedBuffer(bytes);
  const model = rootTable(buf);
  return {
    version: model.uint32("version", 0),
    description: model.string("description") ?? "",
    operatorCodes: model.tables("operatorCodes", OPERATOR_CODE).map(readOperatorCode),
    subgraphs: model.tables("subgraphs", SUBGRAPH).map(readSubgraph),
    buffers: model.tables("buffers", BUFFER).map((buffer) => readBuffer(buffer, bytes)),
    metadata: model.tables("metadata", METADATA).map((metadata) => ({
      name: metadata.string("name") ?? "",
      buffer: metadata.uint32("buffer", 0),
    })),
    signatureDefsCount: model.vectorLength("signatureDefs"),
    associatedFiles: readZipStoredEntries(bytes),
  };
}

/**
 * The Model table. Without the "TFL3" identifier the bytes are accepted only if they still
 * start with a sound table that has subgraphs; anything else is not a TFLite model.
 */
function rootTable(buf: CheckedBuffer): Table<typeof MODEL> {
  const notTflite = (why: string) => new ModelError(`not a TFLite model: ${why}`);
  if (buf.length < 8) throw notTflite(`only ${buf.length} bytes`);
  const identifier = String.fromCharCode(...buf.bytes.subarray(4, 8));
  if (identifier === FILE_IDENTIFIER) return buf.table(buf.follow(0, "root"), MODEL, "model");
  try {
    const model = buf.table(buf.follow(0, "root"), MODEL, "model");
    if (model.has("subgraphs")) return model;
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
  }
  throw notTflite(`no "${FILE_IDENTIFIER}" file identifier and no model table at the start`);
}

function readOperatorCode(code: Table<typeof OPERATOR_CODE>): OperatorCodeDef {
  const deprecatedBuiltinCode = code.int8("deprecatedBuiltinCode", 0);
  return {
    builtinCode: Math.max(deprecatedBuiltinCode, code.int32("builtinCode", 0)),
    deprecatedBuiltinCode,
    customCode: code.string("customCode"),
    version: code.int32("version", DEFAULT_OPERATOR_VERSION),
  };
}

function readSubgraph(subgraph: Table<typeof SUBGRAPH>): SubgraphDef {
  return {
    name: subgraph.string("name") ?? "",
    tensors: subgraph.tables("tensors", TENSOR).map(readTensor),
    inputs: subgraph.int32s("inputs") ?? [],
    outputs: subgraph.int32s("outputs") ?? [],
    operators: subgraph.tables("operators", OPERATOR).map(readOperator),
  };
}

function readTensor(tensor: Table<typeof TENSOR>): TensorDef {
  const quantization = tensor.table("quantization", QUANTIZATION);
  return {
    name: tensor.string("name") ?? "",
    type: tensor.enumName("type", TENSOR_TYPES, 0),
    shape: tensor.int32s("shape") ?? [],
    buffer: tensor.uint32("buffer", 0),
    quantization: quantization && readQuantization(quantization),
    isVariable: tensor.bool("isVariable", false),
    shapeSignature: tensor.int32s("shapeSignature"),
  };
}

/** QuantizationParameters; the `details` union (custom/blockwise schemes) is not decoded. */
function readQuantization(quantization: Table<typeof QUANTIZATION>): QuantizationDef {
  return {
    scale: quantization.float32s("scale") ?? [],
    zeroPoint: quantization.int64s("zeroPoint") ?? [],
    min: quantization.float32s("min") ?? [],
    max: quantization.float32s("max") ?? [],
    quantizedDimension: quantization.int32("quantizedDimension", 0),
  };
}

function readOperator(operator: Table<typeof OPERATOR>): OperatorDef {
  const optionsType = operator.uint8("builtinOptionsType", 0);
  const decodable = OPTIONS_BY_TYPE_ID.get(optionsType);
  const table = decodable ? operator.table("builtinOptions", decodable.tableLayout) : null;
  return {
    opcodeIndex: operator.uint32("opcodeIndex", 0),
    inputs: operator.int32s("inputs") ?? [],
    outputs: operator.int32s("outputs") ?? [],
    options: decodable && table ? readOptions(decodable.kind, decodable.layout, table) : null,
    optionsType,
    customOptions: operator.bytes("customOptions"),
  };
}

/** An options table, field by field, with the schema default for each absent field. */
function readOptions(kind: BuiltinOptions["kind"], layout: OptionsLayout, table: Table<Layout>): BuiltinOptions {
  const options: Record<string, unknown> = { kind };
  for (const field of layout.fields) {
    const fallback = Number(field.default ?? 0);
    switch (field.kind) {
      case "padding":
        options[field.name] = table.enumName(field.name, PADDINGS, fallback);
        break;
      case "activation":
        options[field.name] = table.enumName(field.name, ACTIVATIONS, fallback);
        break;
      case "tensorType":
        options[field.name] = table.enumName(field.name, TENSOR_TYPES, fallback);
        break;
      case "int32":
        options[field.name] = table.int32(field.name, fallback);
        break;
      case "uint8":
        options[field.name] = table.uint8(field.name, fallback);
        break;
      case "bool":
        options[field.name] = table.bool(field.name, fallback !== 0);
        break;
      case "float32":
        options[field.name] = table.float32(field.name, fallback);
        break;
      case "int32[]":
        options[field.name] = table.int32s(field.name) ?? [];
        break;
    }
  }
  return options as unknown as BuiltinOptions;
}

/**
 * A buffer's bytes: its inline `data` vector or, in models over 2 GB, the `offset`/`size`
 * range of the file (used when offset > 1, as TFLite does) outside the flatbuffer.
 */
function readBuffer(buffer: Table<typeof BUFFER>, bytes: Uint8Array): Uint8Array {
  const data = buffer.bytes("data");
  if (data !== null && data.length > 0) return data;
  const offset = buffer.uint64("offset");
  const size = buffer.uint64("size");
  if (offset <= 1n) return data ?? new Uint8Array(0);
  if (offset + size > BigInt(bytes.length)) {
    buffer.fail(`external data (${size} bytes at offset ${offset}) runs past the end of the file`);
  }
  return bytes.subarray(Number(offset), Number(offset + size));
}

/**
 * A float32 vector's values as a plain array, by index: Array.from would go through the iterator
 * protocol, whose result objects a model's tens of thousands of per-channel scales turn into
 * megabytes of garbage while the code still runs unoptimized. Float32 only: fed int32 vectors
 * too, its optimized code stored shapes as doubles, and every tensor's element count became a
 * boxed double that each run() read (≈90 bytes of garbage per inference).
 */
function floatNumbers(values: Float32Array): number[] {
  const out: number[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}
