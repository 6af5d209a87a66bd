// The wasm instance an image decode runs in: quantlite.wasm's plain v128 build, compiled
// synchronously (the decoders are) from the embedded bytes, or the Module an entry that cannot
// compile bytes (workerd) hands over at import. One instance is kept between decodes while its
// memory is small, so that a run of photos does not allocate (and page in) a new memory each time;
// a decode that grew it past that leaves it to the garbage collector.
import { embeddedWasmBytes } from "./embedded-module.js";
import type { KernelExports } from "./kernels.js";

/** Memory an idle decoder instance may keep: a 24 MP baseline photo's needs (its file, some rows). */
const KEEP_BYTES = 32 * 1024 * 1024;

let decoderModule: WebAssembly.Module | undefined;
let idle: KernelExports | null = null;

/** For entries whose runtime refuses to compile bytes: the compiled quantlite.wasm to decode with. */
export function provideDecoderModule(module: WebAssembly.Module): void {
  decoderModule = module;
  idle = null;
}

/**
 * An instance for one decode, the kept one if there is one; its memory may hold an earlier
 * decode's bytes (DecoderMemory zeroes what it hands out). Give it back with releaseDecoderKernels.
 */
export function acquireDecoderKernels(): KernelExports {
  const kept = idle;
  idle = null;
  if (kept !== null) return kept;
  decoderModule ??= new WebAssembly.Module(embeddedWasmBytes());
  const table = new WebAssembly.Table({ element: "anyfunc", initial: 1 });
  const instance = new WebAssembly.Instance(decoderModule, { env: { table } });
  return { ...(instance.exports as unknown as KernelExports), programIndex: new Map() };
}

/** The decode is over: the instance is kept for the next one unless its memory grew large. */
export function releaseDecoderKernels(kernels: KernelExports): void {
  if (kernels.memory.buffer.byteLength <= KEEP_BYTES) idle = kernels;
}
