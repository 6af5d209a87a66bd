// The wasm instance an image decode runs in: a fresh instance of quantlite.wasm (its plain v128
// build) per decode, so that its memory goes with it when the decode ends. Compiling is
// synchronous (the decoders are), from the embedded bytes; an entry that cannot compile bytes
// (workerd) hands over its imported Module once, at import.
import { embeddedWasmBytes } from "./embedded-module.js";
import type { KernelExports } from "./kernels.js";

let decoderModule: WebAssembly.Module | undefined;

/** For entries whose runtime refuses to compile bytes: the compiled quantlite.wasm to decode with. */
export function provideDecoderModule(module: WebAssembly.Module): void {
  decoderModule = module;
}

/** A new instance for one decode. */
export function decoderKernels(): KernelExports {
  decoderModule ??= new WebAssembly.Module(embeddedWasmBytes());
  const table = new WebAssembly.Table({ element: "anyfunc", initial: 1 });
  const instance = new WebAssembly.Instance(decoderModule, { env: { table } });
  return { ...(instance.exports as unknown as KernelExports), programIndex: new Map() };
}
