// Tests of the .tflite reader and writer (js/tflite): the real models in ../shared, round
// trips, schema defaults read from hand-built flatbuffers, the zip of associated files, and
// robustness: truncated, mutated and foreign bytes must give a ModelDef or a ModelError.
import { Builder } from "flatbuffers";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ModelError } from "../js/errors.js";
import { BUILTIN_OP_NAMES, BuiltinOp, builtinOpName } from "../js/tflite/builtin-ops.js";
import { BUFFER, MODEL, OPERATOR, OPERATOR_CODE, OPTIONS_LAYOUTS, type OptionsLayout, SUBGRAPH, readModel } from "../js/tflite/read.js";
import type { BuiltinOptions, ModelDef, OperatorDef, QuantizationDef, TensorDef } from "../js/tflite/types.js";
import { writeModel } from "../js/tflite/write.js";
import { readZipStoredEntries } from "../js/tflite/zip.js";
import { readData } from "./data.js";

const REAL_MODELS = [
  "models/tf2_mobilenet_v2_1.0_224_ptq.tflite",
  "models/mobilenet_v2_1.0_224_quant.tflite",
  "models/mobilenet_v2_1.0_224_inat_bird_quant.tflite",
];

// ---------------------------------------------------------------------------------------
// Helpers

/** A deterministic pseudo-random generator (32-bit LCG): next() gives an integer in [0, n). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

function opCounts(model: ModelDef): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of model.subgraphs[0].operators) {
    const name = builtinOpName(model.operatorCodes[op.opcodeIndex].builtinCode);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** The model without what the writer does not keep, for round-trip comparisons. */
function comparable(model: ModelDef): ModelDef {
  return { ...model, associatedFiles: new Map() };
}

/** readModel's outcome: "ok", or the ModelError's message. Any other exception fails the test. */
function outcome(bytes: Uint8Array): string {
  try {
    readModel(bytes);
    return "ok";
  } catch (error) {
    if (!(error instanceof ModelError)) {
      throw new Error(`readModel threw ${String(error)} instead of a ModelError`);
    }
    return error.message;
  }
}

/** Runs outcome() and fails if it took longer than a parse should. */
function timedOutcome(bytes: Uint8Array, label: string): string {
  const start = performance.now();
  const result = outcome(bytes);
  const elapsed = performance.now() - start;
  assert.ok(elapsed < 500, `${label}: took ${elapsed.toFixed(0)} ms`);
  return result;
}

function quantization(scale: number[], zeroPoint: number[], quantizedDimension = 0): QuantizationDef {
  return { scale, zeroPoint, min: [], max: [], quantizedDimension };
}

function tensor(name: string, type: TensorDef["type"], shape: number[], buffer = 0,
  quant: QuantizationDef | null = null): TensorDef {
  return { name, type, shape, buffer, quantization: quant, isVariable: false, shapeSignature: null };
}

/**
 * A small model that uses every field and every options kind the reader decodes. Float
 * values are float32-exact, as the file stores them.
 */
/** An operator written without customOptions (null). */
type OperatorLiteral = Omit<OperatorDef, "customOptions"> & Partial<Pick<OperatorDef, "customOptions">>;

/** An operator for each options kind the round-trip list above does not spell out, with its fields set away from their defaults. */
function newerOptionKinds(): OperatorDef[] {
  const spelled = new Set(["Conv2DOptions", "DepthwiseConv2DOptions", "Pool2DOptions", "FullyConnectedOptions", "AddOptions",
    "ReducerOptions", "ReshapeOptions", "SoftmaxOptions", "ConcatenationOptions", "PadOptions", "QuantizeOptions", "DequantizeOptions"]);
  const sample = { padding: "VALID", activation: "RELU6", tensorType: "int64", int32: -3, uint8: 7, bool: true, float32: 0.25, "int32[]": [2, -1] };
  return (Object.keys(OPTIONS_LAYOUTS) as BuiltinOptions["kind"][]).filter((kind) => !spelled.has(kind)).map((kind) => {
    const options: Record<string, unknown> = { kind };
    const layout: OptionsLayout = OPTIONS_LAYOUTS[kind];
    for (const field of layout.fields) options[field.name] = field.kind === "bool" && field.default === true ? false : sample[field.kind];
    return { opcodeIndex: 12, inputs: [0], outputs: [3], optionsType: OPTIONS_LAYOUTS[kind].typeId, options: options as unknown as BuiltinOptions, customOptions: null };
  });
}

function handMadeModel(): ModelDef {
  const codes = [
    BuiltinOp.CONV_2D, BuiltinOp.DEPTHWISE_CONV_2D, BuiltinOp.AVERAGE_POOL_2D, BuiltinOp.FULLY_CONNECTED,
    BuiltinOp.ADD, BuiltinOp.MEAN, BuiltinOp.RESHAPE, BuiltinOp.SOFTMAX, BuiltinOp.CONCATENATION,
    BuiltinOp.PAD, BuiltinOp.QUANTIZE, BuiltinOp.DEQUANTIZE, 150 /* GELU: above the byte range */, 32,
  ];
  return {
    version: 3,
    description: "hand made ✓",
    operatorCodes: codes.map((code) => ({
      builtinCode: code,
      deprecatedBuiltinCode: Math.min(code, 127),
      customCode: code === 32 ? "MyCustomOp" : null,
      version: code === BuiltinOp.CONV_2D ? 3 : 1,
    })),
    subgraphs: [
      {
        name: "main",
        tensors: [
          tensor("input", "int8", [1, 8, 8, 3], 0, quantization([0.5], [-3])),
          tensor("filter", "int8", [4, 3, 3, 3], 1, { ...quantization([0.125, 0.25, 0.375, 0.5], [0, 0, 0, 0]), min: [-1], max: [1] }),
          tensor("bias", "int32", [4], 2, quantization([1 / 1024, 2 / 1024, 3 / 1024, Math.fround(0.1)], [0, 0, 0, 0])),
          { ...tensor("state", "float32", [1, 4]), isVariable: true, shapeSignature: [-1, 4] },
          tensor("dw_filter", "int8", [1, 3, 3, 4], 0, quantization([1, 2, 3, 4], [0, 0, 0, 0], 3)),
          tensor("big_zero_point", "uint8", [2], 0, quantization([1], [2 ** 40])),
          tensor("scalar", "float32", []),
          tensor("no_name_quant", "int16", [3], 0, quantization([], [])),
        ],
        inputs: [0],
        outputs: [3, 6],
        operators: ([
          { opcodeIndex: 0, inputs: [0, 1, 2], outputs: [3], optionsType: 1, options: {
            kind: "Conv2DOptions", padding: "VALID", strideW: 2, strideH: 3, dilationWFactor: 1,
            dilationHFactor: 2, fusedActivation: "RELU6" } },
          { opcodeIndex: 1, inputs: [0, 4, -1], outputs: [3], optionsType: 2, options: {
            kind: "DepthwiseConv2DOptions", padding: "SAME", strideW: 1, strideH: 1, depthMultiplier: 4,
            dilationWFactor: 3, dilationHFactor: 1, fusedActivation: "RELU" } },
          { opcodeIndex: 2, inputs: [0], outputs: [3], optionsType: 5, options: {
            kind: "Pool2DOptions", padding: "VALID", strideW: 2, strideH: 2, filterWidth: 7,
            filterHeight: 5, fusedActivation: "RELU_N1_TO_1" } },
          { opcodeIndex: 3, inputs: [0, 1, -1], outputs: [3], optionsType: 8, options: {
            kind: "FullyConnectedOptions", fusedActivation: "TANH", weightsFormat: 1, keepNumDims: true,
            asymmetricQuantizeInputs: true } },
          { opcodeIndex: 4, inputs: [0, 0], outputs: [3], optionsType: 11, options: {
            kind: "AddOptions", fusedActivation: "SIGN_BIT", potScaleInt16: false } },
          { opcodeIndex: 5, inputs: [0, 2], outputs: [3], optionsType: 27, options: { kind: "ReducerOptions", keepDims: true } },
          { opcodeIndex: 6, inputs: [0, 2], outputs: [3], optionsType: 17, options: { kind: "ReshapeOptions", newShape: [1, -1] } },
          { opcodeIndex: 7, inputs: [3], outputs: [6], optionsType: 9, options: { kind: "SoftmaxOptions", beta: 0.25 } },
          { opcodeIndex: 8, inputs: [0, 0], outputs: [3], optionsType: 10, options: {
            kind: "ConcatenationOptions", axis: -1, fusedActivation: "NONE" } },
          { opcodeIndex: 9, inputs: [0, 2], outputs: [3], optionsType: 22, options: { kind: "PadOptions" } },
          { opcodeIndex: 10, inputs: [0], outputs: [3], optionsType: 89, options: { kind: "QuantizeOptions" } },
          { opcodeIndex: 11, inputs: [0], outputs: [3], optionsType: 38, options: { kind: "DequantizeOptions" } },
          { opcodeIndex: 12, inputs: [3], outputs: [6], optionsType: 0, options: null },
          { opcodeIndex: 13, inputs: [], outputs: [], optionsType: 0, options: null, customOptions: new Uint8Array([1, 2, 3]) },
          ...newerOptionKinds(),
        ] as OperatorLiteral[]).map((op) => ({ customOptions: null, ...op })),
      },
      { name: "", tensors: [], inputs: [], outputs: [], operators: [] },
    ],
    buffers: [
      new Uint8Array(0),
      Uint8Array.from({ length: 108 }, (_, i) => (i * 37) & 255),
      new Uint8Array(new Int32Array([1, -2, 3, -4]).buffer),
      new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00]),
    ],
    metadata: [{ name: "min_runtime_version", buffer: 3 }],
    signatureDefsCount: 0,
    associatedFiles: new Map(),
  };
}

/** A zip archive of the given entries; `base` is added to every recorded offset. */
function makeZip(entries: { name: string; data: Uint8Array; method: number }[], base = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const record = (size: number, fill: (view: DataView) => void, tail: Uint8Array[]) => {
    const head = new Uint8Array(size);
    fill(new DataView(head.buffer));
    return [head, ...tail];
  };
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const local = record(30, (v) => {
      v.setUint32(0, 0x04034b50, true);
      v.setUint16(8, entry.method, true);
      v.setUint32(18, entry.data.length, true);
      v.setUint32(22, entry.data.length, true);
      v.setUint16(26, name.length, true);
    }, [name, entry.data]);
    central.push(...record(46, (v) => {
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(10, entry.method, true);
      v.setUint32(20, entry.data.length, true);
      v.setUint32(24, entry.data.length, true);
      v.setUint16(28, name.length, true);
      v.setUint32(42, base + offset, true);
    }, [name]));
    parts.push(...local);
    offset += local.reduce((n, part) => n + part.length, 0);
  }
  const centralSize = central.reduce((n, part) => n + part.length, 0);
  const end = record(22, (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, entries.length, true);
    v.setUint16(10, entries.length, true);
    v.setUint32(12, centralSize, true);
    v.setUint32(16, base + offset, true);
  }, []);
  return concat([...parts, ...central, ...end]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A minimal flatbuffer Model with one subgraph, built with the tables `build` makes. */
function rawModel(
  build: (b: Builder) => { operators?: number[]; operatorCodes?: number[]; buffers?: number[] },
  withIdentifier = true,
): Uint8Array {
  const b = new Builder(256);
  const parts = build(b);
  const vector = (offsets: number[] = []) => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
    return b.endVector();
  };
  const operators = vector(parts.operators);
  b.startObject(5);
  b.addFieldOffset(SUBGRAPH.operators, operators, 0);
  const subgraphs = vector([b.endObject()]);
  const operatorCodes = vector(parts.operatorCodes);
  const buffers = vector(parts.buffers);
  b.startObject(8);
  b.addFieldInt32(MODEL.version, 3, 0);
  b.addFieldOffset(MODEL.subgraphs, subgraphs, 0);
  b.addFieldOffset(MODEL.operatorCodes, operatorCodes, 0);
  b.addFieldOffset(MODEL.buffers, buffers, 0);
  b.finish(b.endObject(), withIdentifier ? "TFL3" : undefined);
  return b.asUint8Array().slice();
}

// ---------------------------------------------------------------------------------------
// Builtin operators

test("builtin op names follow schema.fbs", () => {
  assert.is(BUILTIN_OP_NAMES.length, 210);
  assert.is(new Set(BUILTIN_OP_NAMES).size, BUILTIN_OP_NAMES.length);
  for (const [name, code] of Object.entries(BuiltinOp)) assert.is(BUILTIN_OP_NAMES[code], name);
  assert.is(builtinOpName(5), "DEPTH_TO_SPACE");
  assert.is(builtinOpName(127), "PLACEHOLDER_FOR_GREATER_OP_CODES");
  assert.is(builtinOpName(160), "BITWISE_XOR");
  assert.is(builtinOpName(209), "STABLEHLO_CASE");
  assert.is(builtinOpName(999), "BUILTIN_999");
  assert.is(builtinOpName(-1), "BUILTIN_-1");
});

// ---------------------------------------------------------------------------------------
// Real models

test("reads the TF2 per-channel int8 MobileNet v2", () => {
  const bytes = readData(REAL_MODELS[0]);
  if (!bytes) return;
  const model = readModel(bytes);
  assert.is(model.version, 3);
  assert.is(model.subgraphs.length, 1);
  const [graph] = model.subgraphs;
  assert.is(graph.tensors.length, 177);
  assert.is(graph.operators.length, 68);
  assert.equal(opCounts(model), {
    QUANTIZE: 2, CONV_2D: 36, DEPTHWISE_CONV_2D: 17, ADD: 10, MEAN: 1, RESHAPE: 1, SOFTMAX: 1,
  });
  const names = graph.operators.map((op) => builtinOpName(model.operatorCodes[op.opcodeIndex].builtinCode));
  assert.is(names[0], "QUANTIZE");
  assert.is(names[names.length - 1], "QUANTIZE");

  const input = graph.tensors[graph.inputs[0]];
  assert.is(input.type, "uint8");
  assert.equal(input.shape, [1, 224, 224, 3]);
  assert.is(input.quantization?.scale.length, 1);
  assert.ok(Math.abs(input.quantization!.scale[0] - 0.0078431377) < 1e-9);
  assert.equal(input.quantization?.zeroPoint, [127]);

  for (const op of graph.operators) {
    const code = model.operatorCodes[op.opcodeIndex].builtinCode;
    if (code !== BuiltinOp.CONV_2D && code !== BuiltinOp.DEPTHWISE_CONV_2D) continue;
    const filter = graph.tensors[op.inputs[1]];
    const channels = code === BuiltinOp.CONV_2D ? filter.shape[0] : filter.shape[3];
    assert.is(filter.type, "int8");
    assert.is(filter.quantization?.quantizedDimension, code === BuiltinOp.CONV_2D ? 0 : 3);
    assert.is(filter.quantization?.scale.length, channels);
    assert.ok(filter.quantization!.zeroPoint.every((z) => z === 0));
    assert.is(model.buffers[filter.buffer].length, filter.shape.reduce((a, b) => a * b));
    assert.is(op.options?.kind, code === BuiltinOp.CONV_2D ? "Conv2DOptions" : "DepthwiseConv2DOptions");
  }
  // Buffers are views into the file, not copies.
  assert.ok(model.buffers.every((buffer) => buffer.length === 0 || buffer.buffer === bytes.buffer));
  assert.equal(model.metadata.map((entry) => entry.name), ["min_runtime_version", "TFLITE_METADATA"]);
});

test("reads the uint8 per-tensor MobileNet v2", () => {
  const bytes = readData(REAL_MODELS[1]);
  if (!bytes) return;
  const model = readModel(bytes);
  const [graph] = model.subgraphs;
  assert.is(graph.tensors.length, 174);
  assert.is(graph.operators.length, 66);
  for (const t of graph.tensors) {
    assert.ok(t.type === "uint8" || t.type === "int32", `${t.name}: ${t.type}`);
    if (t.quantization && t.quantization.scale.length > 0) assert.is(t.quantization.scale.length, 1, t.name);
  }
  const pool = graph.operators.find((op) => op.options?.kind === "Pool2DOptions");
  assert.equal(pool?.options, {
    kind: "Pool2DOptions", padding: "VALID", strideW: 1, strideH: 1, filterWidth: 7, filterHeight: 7,
    fusedActivation: "NONE",
  });
});

test("labels come out of the associated files", () => {
  const bytes = readData(REAL_MODELS[0]);
  if (!bytes) return;
  const files = readModel(bytes).associatedFiles;
  assert.equal([...files.keys()], ["imagenet_labels.txt"]);
  const lines = new TextDecoder().decode(files.get("imagenet_labels.txt")).trimEnd().split("\n");
  assert.is(lines.length, 1001);
  assert.is(lines[0], "background");
});

test("real models round-trip through writeModel", () => {
  for (const path of REAL_MODELS) {
    const bytes = readData(path);
    if (!bytes) continue;
    const model = readModel(bytes);
    const written = writeModel(model);
    assert.is(String.fromCharCode(...written.subarray(4, 8)), "TFL3");
    const again = readModel(written);
    assert.equal(comparable(again), comparable(model), path);
    assert.ok(again.buffers.every((buffer) => buffer.byteOffset % 16 === 0), `${path}: buffers aligned`);
    assert.equal(writeModel(again), written, `${path}: writing is stable`);
  }
});

// ---------------------------------------------------------------------------------------
// Hand-made models and schema details

test("a hand-made model round-trips with every field and options kind", () => {
  const model = handMadeModel();
  const kinds = new Set(model.subgraphs[0].operators.map((op) => op.options?.kind));
  for (const kind of Object.keys(OPTIONS_LAYOUTS)) assert.ok(kinds.has(kind as never), kind);
  const written = writeModel(model);
  assert.equal(readModel(written), model);
  assert.is(written.length % 16, 0);
});

test("writes deprecated_builtin_code as min(code, 127) next to builtin_code", () => {
  const model = handMadeModel();
  model.operatorCodes[0].deprecatedBuiltinCode = 99; // inconsistent input is normalized
  const codes = readModel(writeModel(model)).operatorCodes;
  assert.is(codes[0].deprecatedBuiltinCode, BuiltinOp.CONV_2D);
  assert.equal(codes[12], { builtinCode: 150, deprecatedBuiltinCode: 127, customCode: null, version: 1 });
});

test("options are written only with a table; signature defs are not written", () => {
  const model = handMadeModel();
  model.subgraphs[0].operators[12].optionsType = 7; // a type the reader does not decode
  model.signatureDefsCount = 2;
  const again = readModel(writeModel(model));
  assert.is(again.subgraphs[0].operators[12].optionsType, 0);
  assert.is(again.signatureDefsCount, 0);
});

test("the writer refuses values it cannot encode, with ModelError", () => {
  const badType = handMadeModel();
  (badType.subgraphs[0].tensors[0] as { type: string }).type = "float8";
  assert.throws(() => writeModel(badType), (e: unknown) => e instanceof ModelError && /tensor type float8/.test(e.message));
  const badZeroPoint = handMadeModel();
  badZeroPoint.subgraphs[0].tensors[0].quantization!.zeroPoint = [0.5];
  assert.throws(() => writeModel(badZeroPoint), (e: unknown) => e instanceof ModelError);
  const badPadding = handMadeModel();
  (badPadding.subgraphs[0].operators[0].options as { padding: string }).padding = "FULL";
  assert.throws(() => writeModel(badPadding), (e: unknown) => e instanceof ModelError && /padding FULL/.test(e.message));
});

test("absent option fields take the schema defaults", () => {
  const kinds = Object.values(OPTIONS_LAYOUTS);
  const bytes = rawModel((b) => ({
    operators: kinds.map((layout) => {
      b.startObject(0);
      const options = b.endObject();
      b.startObject(5);
      b.addFieldInt8(OPERATOR.builtinOptionsType, layout.typeId, 0);
      b.addFieldOffset(OPERATOR.builtinOptions, options, 0);
      return b.endObject();
    }),
  }));
  const options = readModel(bytes).subgraphs[0].operators.map((op) => op.options);
  assert.equal(options, [
    { kind: "Conv2DOptions", padding: "SAME", strideW: 0, strideH: 0, fusedActivation: "NONE",
      dilationWFactor: 1, dilationHFactor: 1 },
    { kind: "DepthwiseConv2DOptions", padding: "SAME", strideW: 0, strideH: 0, depthMultiplier: 0,
      fusedActivation: "NONE", dilationWFactor: 1, dilationHFactor: 1 },
    { kind: "Pool2DOptions", padding: "SAME", strideW: 0, strideH: 0, filterWidth: 0, filterHeight: 0,
      fusedActivation: "NONE" },
    { kind: "FullyConnectedOptions", fusedActivation: "NONE", weightsFormat: 0, keepNumDims: false,
      asymmetricQuantizeInputs: false },
    { kind: "SoftmaxOptions", beta: 0 },
    { kind: "ConcatenationOptions", axis: 0, fusedActivation: "NONE" },
    { kind: "AddOptions", fusedActivation: "NONE", potScaleInt16: true },
    { kind: "ReshapeOptions", newShape: [] },
    { kind: "PadOptions" },
    { kind: "ReducerOptions", keepDims: false },
    { kind: "DequantizeOptions" },
    { kind: "QuantizeOptions" },
    { kind: "MulOptions", fusedActivation: "NONE" },
    { kind: "DivOptions", fusedActivation: "NONE" },
    { kind: "L2NormOptions", fusedActivation: "NONE" },
    { kind: "SubOptions", fusedActivation: "NONE", potScaleInt16: true },
    { kind: "LeakyReluOptions", alpha: 0 },
    { kind: "ResizeBilinearOptions", alignCorners: false, halfPixelCenters: false },
    { kind: "ResizeNearestNeighborOptions", alignCorners: false, halfPixelCenters: false },
    { kind: "StridedSliceOptions", beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false },
    { kind: "PackOptions", valuesCount: 0, axis: 0 },
    { kind: "UnpackOptions", num: 0, axis: 0 },
    { kind: "ShapeOptions", outputType: "float32" },
    { kind: "ArgMaxOptions", outputType: "float32" },
    { kind: "ArgMinOptions", outputType: "float32" },
    { kind: "SqueezeOptions", squeezeDims: [] },
    { kind: "SplitOptions", numSplits: 0 },
    { kind: "SplitVOptions", numSplits: 0 },
    { kind: "GatherOptions", axis: 0, batchDims: 0 },
    { kind: "CastOptions", inDataType: "float32", outDataType: "float32" },
    { kind: "TransposeConvOptions", padding: "SAME", strideW: 0, strideH: 0, fusedActivation: "NONE" },
    { kind: "DepthToSpaceOptions", blockSize: 0 },
    { kind: "SpaceToDepthOptions", blockSize: 0 },
    { kind: "SquaredDifferenceOptions" },
    { kind: "HardSwishOptions" },
    { kind: "MaximumMinimumOptions" },
    { kind: "TransposeOptions" },
    { kind: "SliceOptions" },
    { kind: "ExpandDimsOptions" },
    { kind: "TileOptions" },
    { kind: "GatherNdOptions" },
    { kind: "SpaceToBatchNDOptions" },
    { kind: "BatchToSpaceNDOptions" },
    { kind: "LogSoftmaxOptions" },
    { kind: "FloorDivOptions" },
    { kind: "FloorModOptions" },
  ]);
});

test("operator codes: old files with only deprecated_builtin_code, and codes above 127", () => {
  const bytes = rawModel((b) => ({
    operatorCodes: [[BuiltinOp.SOFTMAX, undefined], [127, 150], [0, BuiltinOp.QUANTIZE]].map(([old, code]) => {
      b.startObject(4);
      b.addFieldInt8(OPERATOR_CODE.deprecatedBuiltinCode, old!, 0);
      if (code !== undefined) b.addFieldInt32(OPERATOR_CODE.builtinCode, code, 0);
      return b.endObject();
    }),
  }));
  assert.equal(readModel(bytes).operatorCodes, [
    { builtinCode: BuiltinOp.SOFTMAX, deprecatedBuiltinCode: BuiltinOp.SOFTMAX, customCode: null, version: 1 },
    { builtinCode: 150, deprecatedBuiltinCode: 127, customCode: null, version: 1 },
    { builtinCode: BuiltinOp.QUANTIZE, deprecatedBuiltinCode: 0, customCode: null, version: 1 },
  ]);
});

test("buffers stored outside the flatbuffer (offset/size) are read, bounds-checked", () => {
  const external = (offset: bigint, size: bigint) => rawModel((b) => {
    b.startObject(3);
    const empty = b.endObject();
    b.startObject(3);
    b.addFieldInt64(BUFFER.offset, offset, 0n);
    b.addFieldInt64(BUFFER.size, size, 0n);
    return { buffers: [empty, b.endObject()] };
  });
  const head = external(2n, 2n).length; // the same for any non-zero numbers
  const payload = Uint8Array.from({ length: 40 }, (_, i) => i + 1);
  const file = concat([external(BigInt(head + 8), 40n), new Uint8Array(8), payload]);
  const buffers = readModel(file).buffers;
  assert.is(buffers[0].length, 0);
  assert.equal(buffers[1], payload);
  assert.ok(buffers[1].buffer === file.buffer, "a view, not a copy");

  const tooFar = concat([external(BigInt(head + 8), 41n), new Uint8Array(8), payload]);
  assert.throws(() => readModel(tooFar), (e: unknown) => e instanceof ModelError && /external data/.test(e.message));
  const huge = concat([external(2n ** 63n, 2n ** 63n), new Uint8Array(48)]);
  assert.throws(() => readModel(huge), (e: unknown) => e instanceof ModelError);
});

test("a file without the TFL3 identifier is read when its root table is sound", () => {
  const bytes = rawModel(() => ({}), false);
  assert.is.not(String.fromCharCode(...bytes.subarray(4, 8)), "TFL3");
  assert.is(readModel(bytes).subgraphs.length, 1);
});

// ---------------------------------------------------------------------------------------
// Associated files (zip)

test("zip: stored entries are returned, deflated ones skipped, no zip gives an empty map", () => {
  const labels = new TextEncoder().encode("background\ncat\n");
  const zip = makeZip([
    { name: "labels.txt", data: labels, method: 0 },
    { name: "vocab.bin", data: new Uint8Array([1, 2, 3]), method: 8 },
    { name: "empty.txt", data: new Uint8Array(0), method: 0 },
  ]);
  const entries = readZipStoredEntries(zip);
  assert.equal([...entries.keys()], ["labels.txt", "empty.txt"]);
  assert.equal(entries.get("labels.txt"), labels);
  assert.is(readZipStoredEntries(new Uint8Array(0)).size, 0);
  assert.is(readZipStoredEntries(writeModel(handMadeModel())).size, 0);
});

test("zip after a model: absolute or archive-relative offsets", () => {
  const model = writeModel(handMadeModel());
  const data = new TextEncoder().encode("a\nb\n");
  for (const base of [model.length, 0]) {
    const file = concat([model, makeZip([{ name: "labels.txt", data, method: 0 }], base)]);
    assert.equal(readModel(file).associatedFiles.get("labels.txt"), data, `base ${base}`);
  }
});

test("zip: a broken archive is a ModelError, never another exception", () => {
  const zip = makeZip([{ name: "labels.txt", data: new Uint8Array(100), method: 0 }]);
  const next = lcg(7);
  for (let i = 0; i < 300; i++) {
    const mutated = zip.slice();
    mutated[next(mutated.length)] ^= 1 + next(255);
    try {
      readZipStoredEntries(mutated);
    } catch (error) {
      assert.ok(error instanceof ModelError, String(error));
    }
  }
  const badOffset = zip.slice();
  new DataView(badOffset.buffer).setUint32(badOffset.length - 6, 0xfffffff0, true);
  assert.throws(() => readZipStoredEntries(badOffset), (e: unknown) => e instanceof ModelError);
});

// ---------------------------------------------------------------------------------------
// Robustness

test("bytes that are not a TFLite model are refused as such", () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]);
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const text = new TextEncoder().encode("this is not a model, just some words in a file\n");
  for (const bytes of [new Uint8Array(0), new Uint8Array(3), new Uint8Array(64), jpeg, png, text]) {
    assert.match(outcome(bytes), /^not a TFLite model/);
  }
  const next = lcg(1234);
  for (const length of [1, 7, 8, 9, 16, 100, 1000, 65536]) {
    for (let seed = 0; seed < 10; seed++) {
      const random = Uint8Array.from({ length }, () => next(256));
      assert.is.not(timedOutcome(random, `random ${length}`), "ok");
    }
  }
});

test("truncation at any length never crashes", () => {
  const small = writeModel(handMadeModel());
  for (let length = 0; length < small.length; length++) {
    assert.is.not(outcome(small.subarray(0, length)), "ok", `hand-made model cut at ${length}`);
  }
  const bytes = readData(REAL_MODELS[0]);
  if (!bytes) return;
  const next = lcg(99);
  const lengths = [...Array.from({ length: 200 }, (_, i) => i), bytes.length - 1];
  for (let i = 0; i < 300; i++) lengths.push(next(bytes.length));
  for (const length of lengths) timedOutcome(bytes.subarray(0, length), `real model cut at ${length}`);
});

test("2000 random byte flips give a ModelDef or a ModelError", () => {
  const next = lcg(20240611);
  const mutateAndRead = (bytes: Uint8Array, positions: () => number, label: string) => {
    const messages = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const flips = Array.from({ length: 1 + next(3) }, positions);
      const saved = flips.map((pos) => bytes[pos]);
      for (const pos of flips) bytes[pos] ^= 1 + next(255);
      messages.add(timedOutcome(bytes, `${label} flip ${i} at ${flips}`).replace(/\d+/g, "#"));
      flips.forEach((pos, k) => (bytes[pos] = saved[k]));
    }
    return messages;
  };
  const small = writeModel(handMadeModel());
  const original = small.slice();
  const smallMessages = mutateAndRead(small, () => next(small.length), "hand-made");
  assert.equal(small, original, "mutations are undone");
  assert.ok(smallMessages.size > 3, [...smallMessages].join("\n"));

  const bytes = readData(REAL_MODELS[0]);
  if (!bytes) return;
  // Flip the structure, not the weights: bytes outside every buffer's data.
  const model = readModel(bytes);
  const data = model.buffers
    .filter((buffer) => buffer.length > 0)
    .map((buffer) => [buffer.byteOffset - bytes.byteOffset, buffer.byteOffset - bytes.byteOffset + buffer.length])
    .sort((a, b) => a[0] - b[0]);
  const structure: number[] = [];
  let from = 0;
  for (const [start, end] of [...data, [bytes.length, bytes.length]]) {
    for (let pos = from; pos < start; pos++) structure.push(pos);
    from = Math.max(from, end);
  }
  const copy = bytes.slice();
  mutateAndRead(copy, () => structure[next(structure.length)], "real model");
});

test("bogus vtables, offsets and lengths are reported, not followed", () => {
  const good = writeModel(handMadeModel());
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root = view(good).getUint32(0, true);
  const vtable = root - view(good).getInt32(root, true);
  const cases: [string, (v: DataView) => void, RegExp][] = [
    ["root offset past the end", (v) => v.setUint32(0, 0x7ffffff0, true), /outside the \d+-byte file/],
    ["vtable before the file", (v) => v.setInt32(root, 0x7fffffff, true), /at offset -\d+ lie outside/],
    ["odd vtable size", (v) => v.setUint16(vtable, 7, true), /bad vtable size/],
    ["vtable larger than the file", (v) => v.setUint16(vtable, 0xfffe, true), /model vtable: 65534 bytes/],
    ["field outside its table", (v) => v.setUint16(vtable + 4 + 2 * MODEL.subgraphs, 0xfff0, true), /outside its table/],
  ];
  for (const [label, corrupt, message] of cases) {
    const bytes = good.slice();
    corrupt(view(bytes));
    assert.match(outcome(bytes), message, label);
  }
  // A vector claiming 4 billion elements is refused before anything is allocated.
  const model = readModel(good);
  const shapeOwner = model.subgraphs[0].tensors[0];
  const bytes = good.slice();
  const shapeBytes = new Uint8Array(new Int32Array(shapeOwner.shape).buffer);
  const at = indexOf(bytes, shapeBytes) - 4;
  assert.ok(at > 0);
  view(bytes).setUint32(at, 0xffffffff, true);
  assert.match(timedOutcome(bytes, "huge vector"), /vector of 4294967295 elements/);
});

test("shared references that would multiply the work are refused", () => {
  const bytes = rawModel((b) => {
    b.startObject(0);
    const options = b.endObject();
    b.startObject(5);
    b.addFieldInt8(OPERATOR.builtinOptionsType, OPTIONS_LAYOUTS.AddOptions.typeId, 0);
    b.addFieldOffset(OPERATOR.builtinOptions, options, 0);
    const operator = b.endObject();
    return { operators: new Array<number>(5000).fill(operator) };
  });
  // 5000 operators sharing one table is fine (within the file's size budget) …
  assert.is(readModel(bytes).subgraphs[0].operators.length, 5000);
  // … but 5000 subgraphs sharing one subgraph of 5000 shared operators is not.
  const b = new Builder(1024);
  b.startObject(0);
  const emptyOperator = b.endObject();
  b.startVector(4, 5000, 4);
  for (let i = 0; i < 5000; i++) b.addOffset(emptyOperator);
  const operators = b.endVector();
  b.startObject(5);
  b.addFieldOffset(SUBGRAPH.operators, operators, 0);
  const subgraph = b.endObject();
  b.startVector(4, 5000, 4);
  for (let i = 0; i < 5000; i++) b.addOffset(subgraph);
  const subgraphs = b.endVector();
  b.startObject(8);
  b.addFieldOffset(MODEL.subgraphs, subgraphs, 0);
  b.finish(b.endObject(), "TFL3");
  assert.match(timedOutcome(b.asUint8Array(), "shared subgraphs"), /too many times/);
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

test.run();
