// quantlite: run TensorFlow Lite models with WebAssembly SIMD kernels, in any runtime. The default
// entry: the whole API (core.ts) with jpeg-js available as `decoder: "jpeg-js"`. It has no Node
// built-ins; file-system helpers live in quantlite/node.
import "./preprocess/use-jpeg-js.js";

export * from "./core.js";
