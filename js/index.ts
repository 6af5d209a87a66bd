// quantlite: run int8/uint8 TensorFlow Lite models with WebAssembly SIMD kernels, in any runtime.
export { Model, type LoadOptions, type TensorData, type TensorInfo } from "./model.js";
export { ModelError, ImageError, InputError, QuantliteError } from "./errors.js";
