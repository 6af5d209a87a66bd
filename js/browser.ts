// quantlite for browsers through a bundler (the `browser` condition of the package's exports):
// quantlite.wasm is not embedded in the JavaScript as base64 but fetched once, as a separate
// asset, from `new URL("../../build/quantlite.wasm", import.meta.url)` — the form Vite, webpack 5,
// Parcel and esbuild (with a `file` loader for .wasm) recognise and copy next to the app — and
// compiled while it streams in. A page without a bundler imports quantlite/browser instead: one
// self-contained file with the builds embedded. Everything else is the default entry's, but for
// `decoder: "jpeg-js"` (left out: 13 KB).
import { InputError } from "./errors.js";
import { Model as BaseModel } from "./model.js";
import { provideDecoderModule } from "./runtime/decoder-module.js";

export * from "./core.js";

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * quantlite.wasm, fetched from `url` (default: the package's own, beside this file) and compiled,
 * once; the image decoders get it too. Model.load calls it; call it yourself to start early or
 * to serve the file from elsewhere.
 */
export function loadWasmModule(url: string | URL = new URL("../../build/quantlite.wasm", import.meta.url)): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const response = await fetch(url);
    if (!response.ok) throw new InputError(`could not fetch quantlite.wasm from ${String(url)}: ${response.status} ${response.statusText}`);
    // Streaming compilation needs the application/wasm type; other servers' bytes compile whole.
    const module = response.headers.get("content-type")?.startsWith("application/wasm") && typeof WebAssembly.compileStreaming === "function"
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
    provideDecoderModule(module);
    return module;
  })();
  compiled.catch(() => { compiled = undefined; });
  return compiled;
}

export class Model extends BaseModel {
  protected static override defaultWasmModule(): Promise<WebAssembly.Module> {
    return loadWasmModule();
  }
}
