// quantlite for Cloudflare Workers (workerd): the `workerd` condition of the package's exports.
// Workers refuse to compile wasm bytes at run time (WebAssembly.compile/instantiate of bytes
// throws), so this entry imports quantlite.wasm as a module, which Wrangler (or any bundler that
// follows workerd's module rules) ships next to the Worker and hands over precompiled. The path
// is relative to dist/js/, where this file is compiled to: the package root's build/quantlite.wasm.
// Everything else is the default entry's, unchanged; only Model.load's default Module differs, and
// LoadOptions.threads > 1 throws InputError here.
import wasmModule from "../../build/quantlite.wasm";
import { Model as BaseModel } from "./model.js";
import { provideDecoderModule } from "./runtime/decoder-module.js";

export * from "./index.js";

// The image decoders compile nothing here either: they instantiate the imported module.
provideDecoderModule(wasmModule);

export class Model extends BaseModel {
  protected static override defaultWasmModule(): Promise<WebAssembly.Module> {
    return Promise.resolve(wasmModule);
  }

  /** Workers have no threads (no Worker, no shared memory between isolates). */
  protected static override threadsUnavailable(): string | null {
    return "workerd has no threads";
  }
}
