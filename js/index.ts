// quantlite: run TensorFlow Lite models with WebAssembly SIMD kernels, in any runtime. The default
// entry: the whole API (core.ts) with every operator registered at import and jpeg-js available
// as `decoder: "jpeg-js"`. It has no Node built-ins; file-system helpers live in quantlite/node.
import "./ops/use-extra-ops.js";
import "./preprocess/use-jpeg-js.js";

export * from "./core.js";
