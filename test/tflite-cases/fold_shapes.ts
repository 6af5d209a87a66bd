// Graphs whose shape arithmetic folds at load (js/graph/fold.ts): SHAPE → STRIDED_SLICE → PACK
// giving RESHAPE's shape input at run time in TFLite; SHAPE → UNPACK → PACK likewise; constants
// through TRANSPOSE, TILE, EXPAND_DIMS, SLICE, SQUEEZE into a CONCATENATION with an activation; a
// dilated convolution (SPACE_TO_BATCH_ND → CONV_2D → BATCH_TO_SPACE_ND) whose paddings come from
// SHAPE arithmetic and whose stored intermediate shapes are stale, as converters leave them.
import { BUILTIN_OP_NAMES } from "../../js/tflite/builtin-ops.js";
import type { BuiltinOptions } from "../../js/tflite/types.js";
import { type OpSpec, type TensorSpec, buildModel } from "../model-builder.js";
import { writeModel } from "../../js/tflite/write.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, int64, quantFor } from "./moves.js";
import { SAMPLES } from "./case.js";

const code = (name: string) => BUILTIN_OP_NAMES.indexOf(name);
const op = (name: string, inputs: number[], outputs: number[], options: BuiltinOptions | null): OpSpec => ({ builtinCode: code(name), inputs, outputs, options });
const scalar = (value: number): TensorSpec => ({ type: "int32", shape: [], data: Int32Array.of(value) });
const sliceOptions = { kind: "StridedSliceOptions", beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 1, offset: false } as const;

function randomFloats(rng: { float(): number }, n: number): Uint8Array {
  return new Uint8Array(Float32Array.from({ length: n }, () => rng.float() * 8 - 4).buffer);
}

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES.filter((t) => t !== "int32")) {
    const q = quantFor(rng, type);
    const bytes = (n: number) => (type === "float32" ? randomFloats(rng, n) : Uint8Array.from({ length: n }, () => rng.int(0, 255)));
    // x [2,3,4] reshaped to [shape(x)[0], 12] (SHAPE → STRIDED_SLICE → PACK), then to shape(x) reversed (SHAPE → UNPACK → PACK).
    const reshape = buildModel({
      tensors: [
        data(type, [2, 3, 4], q), { type: "int32", shape: [3] }, int32([0]), int32([1]), int32([1]), { type: "int32", shape: [] },
        scalar(12), { type: "int32", shape: [2] }, data(type, [2, 12], q),
        { type: "int32", shape: [3] }, { type: "int32", shape: [] }, { type: "int32", shape: [] }, { type: "int32", shape: [] },
        { type: "int32", shape: [3] }, data(type, [4, 3, 2], q),
      ],
      ops: [
        op("SHAPE", [0], [1], { kind: "ShapeOptions", outputType: "int32" }),
        op("STRIDED_SLICE", [1, 2, 3, 4], [5], sliceOptions),
        op("PACK", [5, 6], [7], { kind: "PackOptions", valuesCount: 2, axis: 0 }),
        op("RESHAPE", [0, 7], [8], { kind: "ReshapeOptions", newShape: [] }),
        op("SHAPE", [0], [9], { kind: "ShapeOptions", outputType: "int32" }),
        op("UNPACK", [9], [10, 11, 12], { kind: "UnpackOptions", num: 3, axis: 0 }),
        op("PACK", [12, 11, 10], [13], { kind: "PackOptions", valuesCount: 3, axis: 0 }),
        op("RESHAPE", [8, 13], [14], { kind: "ReshapeOptions", newShape: [] }),
      ],
      inputs: [0],
      outputs: [14],
    });
    cases.push({ name: `${type}_reshape`, model: writeModel(reshape), inputs: Array.from({ length: SAMPLES }, () => [bytes(24)]) });
    // CONCATENATION of x [1,3,2] with constants [1,2,2] (TRANSPOSE → TILE → EXPAND_DIMS) and [1,1,2] (SLICE → SQUEEZE).
    const constant = (shape: number[]): TensorSpec => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = type === "float32" ? new Float32Array(bytes(n).buffer) : type === "int8" ? new Int8Array(bytes(n).buffer) : bytes(n);
      return { ...data(type, shape, q), data: values };
    };
    const concat = buildModel({
      tensors: [
        data(type, [1, 3, 2], q), constant([2, 1]), int32([1, 0]), data(type, [1, 2], q), int32([2, 1]), data(type, [2, 2], q),
        int32([0]), data(type, [1, 2, 2], q), constant([1, 3, 4]), int32([0, 1, 2]), int32([1, 1, 2]), data(type, [1, 1, 2], q),
        data(type, [1, 2], q), data(type, [1, 1, 2], q), int32([1]), data(type, [1, 6, 2], q),
      ],
      ops: [
        op("TRANSPOSE", [1, 2], [3], { kind: "TransposeOptions" }),
        op("TILE", [3, 4], [5], { kind: "TileOptions" }),
        op("EXPAND_DIMS", [5, 6], [7], { kind: "ExpandDimsOptions" }),
        op("SLICE", [8, 9, 10], [11], { kind: "SliceOptions" }),
        op("SQUEEZE", [11], [12], { kind: "SqueezeOptions", squeezeDims: [0] }),
        op("EXPAND_DIMS", [12, 14], [13], { kind: "ExpandDimsOptions" }),
        op("CONCATENATION", [0, 7, 13], [15], { kind: "ConcatenationOptions", axis: 1, fusedActivation: "NONE" }),
      ],
      inputs: [0],
      outputs: [15],
    });
    cases.push({ name: `${type}_concat`, model: writeModel(concat), inputs: Array.from({ length: SAMPLES }, () => [bytes(6)]) });
  }
  // Dilated 3×3 convolution (rate 2, SAME) of x [1,5,5,2]: paddings from a RESHAPE of constants;
  // the stored shapes of the SPACE_TO_BATCH_ND and CONV_2D outputs are stale ([1,1,1,·]).
  const filter = Float32Array.from({ length: 3 * 3 * 3 * 2 }, () => rng.float() * 2 - 1);
  const dilated = buildModel({
    tensors: [
      { type: "float32", shape: [1, 5, 5, 2] }, int32([2, 2]), int32([2, 3, 2, 3]), int32([2, 2]), { type: "int32", shape: [2, 2] },
      { type: "float32", shape: [1, 1, 1, 2] }, { type: "float32", shape: [3, 3, 3, 2], data: filter },
      { type: "float32", shape: [3], data: Float32Array.of(0.5, -0.25, 0) }, { type: "float32", shape: [1, 1, 1, 3] },
      { ...int32([0, 1, 0, 1]), shape: [2, 2] }, { type: "float32", shape: [1, 5, 5, 3] },
    ],
    ops: [
      op("RESHAPE", [2, 3], [4], { kind: "ReshapeOptions", newShape: [2, 2] }),
      op("SPACE_TO_BATCH_ND", [0, 1, 4], [5], { kind: "SpaceToBatchNDOptions" }),
      op("CONV_2D", [5, 6, 7], [8], { kind: "Conv2DOptions", padding: "VALID", strideW: 1, strideH: 1, dilationWFactor: 1, dilationHFactor: 1, fusedActivation: "NONE" }),
      op("BATCH_TO_SPACE_ND", [8, 1, 9], [10], { kind: "BatchToSpaceNDOptions" }),
    ],
    inputs: [0],
    outputs: [10],
  });
  // int64 shapes: SLICE(x, [0, 0], STRIDED_SLICE(SHAPE(x) as int64)), the size computed on int64 data.
  const slice = buildModel({
    tensors: [
      data("int8", [3, 5], { scale: 0.5, zeroPoint: -3 }), { type: "int64", shape: [2] }, int32([0]), int32([2]), int32([1]),
      { type: "int64", shape: [2] }, int64([0, 0]), data("int8", [3, 5], { scale: 0.5, zeroPoint: -3 }),
    ],
    ops: [
      op("SHAPE", [0], [1], { kind: "ShapeOptions", outputType: "int64" }),
      op("STRIDED_SLICE", [1, 2, 3, 4], [5], { ...sliceOptions, shrinkAxisMask: 0 }),
      op("SLICE", [0, 6, 5], [7], { kind: "SliceOptions" }),
    ],
    inputs: [0],
    outputs: [7],
  });
  cases.push({ name: "int8_int64_shape", model: writeModel(slice), inputs: Array.from({ length: SAMPLES }, () => [Uint8Array.from({ length: 15 }, () => rng.int(0, 255))]) });
  cases.push({ name: "float32_dilated_conv", model: writeModel(dilated), inputs: Array.from({ length: SAMPLES }, () => [randomFloats(rng, 50)]) });
  return cases;
};
