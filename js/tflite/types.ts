// The decoded content of a .tflite file: plain data, nothing lazy, no flatbuffers types.
// The reader (read.ts) produces it from bytes and the writer (write.ts) turns it back into
// bytes, so a ModelDef round-trips. Names follow tensorflow/lite/schema/schema.fbs.

/** TensorType enum of schema.fbs, by name. */
export type TensorType =
  | "float32" | "float16" | "int32" | "uint8" | "int64" | "string" | "bool" | "int16"
  | "complex64" | "int8" | "float64" | "complex128" | "uint64" | "resource" | "variant"
  | "uint32" | "uint16" | "int4";

export type Padding = "SAME" | "VALID";

/** ActivationFunctionType enum of schema.fbs, by name. */
export type FusedActivation = "NONE" | "RELU" | "RELU_N1_TO_1" | "RELU6" | "TANH" | "SIGN_BIT";

export interface QuantizationDef {
  /** One scale per channel of quantizedDimension, or one for the whole tensor. */
  scale: number[];
  zeroPoint: number[];
  min: number[];
  max: number[];
  quantizedDimension: number;
}

export interface TensorDef {
  name: string;
  type: TensorType;
  shape: number[];
  /** Index into ModelDef.buffers; 0 is the empty sentinel buffer (no constant data). */
  buffer: number;
  quantization: QuantizationDef | null;
  isVariable: boolean;
  shapeSignature: number[] | null;
}

export interface Conv2DOptions {
  kind: "Conv2DOptions";
  padding: Padding;
  strideW: number;
  strideH: number;
  dilationWFactor: number;
  dilationHFactor: number;
  fusedActivation: FusedActivation;
}

export interface DepthwiseConv2DOptions {
  kind: "DepthwiseConv2DOptions";
  padding: Padding;
  strideW: number;
  strideH: number;
  depthMultiplier: number;
  dilationWFactor: number;
  dilationHFactor: number;
  fusedActivation: FusedActivation;
}

export interface Pool2DOptions {
  kind: "Pool2DOptions";
  padding: Padding;
  strideW: number;
  strideH: number;
  filterWidth: number;
  filterHeight: number;
  fusedActivation: FusedActivation;
}

export interface FullyConnectedOptions {
  kind: "FullyConnectedOptions";
  fusedActivation: FusedActivation;
  /** 0 = DEFAULT, 1 = SHUFFLED4x16INT8. */
  weightsFormat: number;
  keepNumDims: boolean;
  asymmetricQuantizeInputs: boolean;
}

export interface AddOptions {
  kind: "AddOptions";
  fusedActivation: FusedActivation;
  potScaleInt16: boolean;
}

export interface ReducerOptions {
  kind: "ReducerOptions";
  keepDims: boolean;
}

export interface ReshapeOptions {
  kind: "ReshapeOptions";
  newShape: number[];
}

export interface SoftmaxOptions {
  kind: "SoftmaxOptions";
  beta: number;
}

export interface ConcatenationOptions {
  kind: "ConcatenationOptions";
  axis: number;
  fusedActivation: FusedActivation;
}

export interface ActivationOnlyOptions {
  kind: "MulOptions" | "DivOptions" | "L2NormOptions";
  fusedActivation: FusedActivation;
}

export interface SubOptions {
  kind: "SubOptions";
  fusedActivation: FusedActivation;
  potScaleInt16: boolean;
}

export interface LeakyReluOptions {
  kind: "LeakyReluOptions";
  alpha: number;
}

export interface ResizeBilinearOptions {
  kind: "ResizeBilinearOptions";
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

export interface ResizeNearestNeighborOptions {
  kind: "ResizeNearestNeighborOptions";
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

export interface StridedSliceOptions {
  kind: "StridedSliceOptions";
  beginMask: number;
  endMask: number;
  ellipsisMask: number;
  newAxisMask: number;
  shrinkAxisMask: number;
  offset: boolean;
}

export interface PackOptions {
  kind: "PackOptions";
  valuesCount: number;
  axis: number;
}

export interface UnpackOptions {
  kind: "UnpackOptions";
  num: number;
  axis: number;
}

/** SHAPE's out_type, ARG_MAX's / ARG_MIN's output_type. */
export interface OutputTypeOptions {
  kind: "ShapeOptions" | "ArgMaxOptions" | "ArgMinOptions";
  outputType: TensorType;
}

export interface SqueezeOptions {
  kind: "SqueezeOptions";
  squeezeDims: number[];
}

export interface SplitOptions {
  kind: "SplitOptions" | "SplitVOptions";
  numSplits: number;
}

export interface GatherOptions {
  kind: "GatherOptions";
  axis: number;
  batchDims: number;
}

export interface CastOptions {
  kind: "CastOptions";
  inDataType: TensorType;
  outDataType: TensorType;
}

export interface TransposeConvOptions {
  kind: "TransposeConvOptions";
  padding: Padding;
  strideW: number;
  strideH: number;
  fusedActivation: FusedActivation;
}

export interface BlockSizeOptions {
  kind: "DepthToSpaceOptions" | "SpaceToDepthOptions";
  blockSize: number;
}

/** Tables with no fields that the ops we support use (QuantizeOptions, PadOptions, …). */
export interface EmptyOptions {
  kind:
    | "QuantizeOptions" | "DequantizeOptions" | "PadOptions" | "SquaredDifferenceOptions" | "HardSwishOptions"
    | "MaximumMinimumOptions" | "TransposeOptions" | "SliceOptions" | "ExpandDimsOptions" | "TileOptions"
    | "GatherNdOptions" | "SpaceToBatchNDOptions" | "BatchToSpaceNDOptions" | "LogSoftmaxOptions"
    | "FloorDivOptions" | "FloorModOptions";
}

export type BuiltinOptions =
  | Conv2DOptions | DepthwiseConv2DOptions | Pool2DOptions | FullyConnectedOptions | AddOptions
  | ReducerOptions | ReshapeOptions | SoftmaxOptions | ConcatenationOptions | EmptyOptions
  | ActivationOnlyOptions | SubOptions | LeakyReluOptions | ResizeBilinearOptions | ResizeNearestNeighborOptions
  | StridedSliceOptions | PackOptions | UnpackOptions | OutputTypeOptions | SqueezeOptions | SplitOptions
  | GatherOptions | CastOptions | TransposeConvOptions | BlockSizeOptions;

export interface OperatorCodeDef {
  /** max(deprecated_builtin_code, builtin_code), as TFLite's GetBuiltinCode does. */
  builtinCode: number;
  deprecatedBuiltinCode: number;
  customCode: string | null;
  version: number;
}

export interface OperatorDef {
  opcodeIndex: number;
  /** Tensor indices; -1 is an omitted optional input. */
  inputs: number[];
  outputs: number[];
  /** null when the operator has no options table, or an options type the reader does not decode. */
  options: BuiltinOptions | null;
  /** The BuiltinOptions union type id found in the file (0 = NONE). */
  optionsType: number;
  /** custom_options of a custom operator (a FlexBuffer for TFLite_Detection_PostProcess), or null. */
  customOptions: Uint8Array | null;
}

export interface SubgraphDef {
  name: string;
  tensors: TensorDef[];
  inputs: number[];
  outputs: number[];
  operators: OperatorDef[];
}

export interface MetadataDef {
  name: string;
  buffer: number;
}

export interface ModelDef {
  version: number;
  description: string;
  operatorCodes: OperatorCodeDef[];
  subgraphs: SubgraphDef[];
  /** Buffer contents (views into the file where possible); buffers[0] is empty. */
  buffers: Uint8Array[];
  metadata: MetadataDef[];
  signatureDefsCount: number;
  /** Files packed after the flatbuffer as a zip archive (TFLite metadata associated files), by name. */
  associatedFiles: Map<string, Uint8Array>;
}
