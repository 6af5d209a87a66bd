// Independent reference of TensorFlow Lite's quantized integer arithmetic (see ops.ts).
export * from "./fixedpoint.js";
export * from "./params.js";
export * from "./kernels.js";
