// The API every entry exports (index.ts, browser.ts, workerd.ts, node.ts): no Node built-ins, no
// import-time side effects.
export { Model, type LoadOptions, type NamedTensors, type TensorData, type TensorInfo } from "./model.js";
export { expectDtype, type TensorArrayOf, type TensorDtype } from "./tensor-data.js";
export type { ModelSource } from "./model-source.js";
export { classify, imageToInput, outputScores, topK, type Classification, type ClassifyOptions } from "./classify.js";
export { imageInputSize, inputNormalization, pixelsToInput, type ImageInputLayout, type InputNormalization } from "./classify.js";
export { labelResolver, splitLabels } from "./labels.js";
export { dequantizeModel } from "./quantize/dequantize.js";
export { quantize, quantizeModelDef, type QuantizeOptions, type QuantizeResult, type QuantizeReport, type CalibrationSample, type IoType } from "./quantize/quantize.js";
export { evaluate, compareLayers, type EvalOptions, type EvalResult, type EvalImage, type ModelResult, type PerLayerResult } from "./eval/evaluate.js";
export { renderHtml } from "./eval/html.js";
export { inspectModel, type ModelSummary, type OpSummary, type TensorSummary, type ImageInputSummary } from "./inspect.js";
export { decodeImage, decodeImageToPnm, centralCrop, resizeBilinear, preprocessImage, quantizeInput } from "./preprocess/index.js";
export type { DecodeLimits, DecodeOptions, JpegDecoderName, OrientationOption, RgbImage, PreprocessOptions, InputTarget, PixelLayout } from "./preprocess/index.js";
export { ModelError, ImageError, InputError, QuantliteError } from "./errors.js";
export type { TensorType } from "./tflite/types.js";
export { classifyAsync, imageToInputAsync, preprocessImageAsync } from "./classify-async.js";
export { detect, type Detection, type DetectOptions } from "./detect.js";
export { detectAsync } from "./detect-async.js";
export { toBytes, type ImageSource, type ImageBytes, type BlobLike, type ImageDataLike, type PlatformImage } from "./preprocess/sources.js";
