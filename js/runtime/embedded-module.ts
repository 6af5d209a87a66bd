// How the default entry gets the wasm Module: from bytes embedded in the JavaScript at build time
// (no file system, fetch or bundler needed). Runtimes that refuse to compile bytes (workerd)
// pass a precompiled Module to Model.load instead.
import { WASM_BASE64 } from "./generated/wasm-bytes.js";

export function embeddedWasmBytes(): Uint8Array<ArrayBuffer> {
  const binary = atob(WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function compileEmbeddedModule(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(embeddedWasmBytes());
}
