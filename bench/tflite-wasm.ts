// TensorFlow Lite's own WebAssembly build (npm @tensorflow/tfjs-tflite) run in Node, for comparison.
//
// The package is written for browsers and web workers. With these shims it runs in Node unchanged:
// - no `window`, so its loader takes the web-worker path: `self` (= globalThis), `self.location`
//   (where the .js/.wasm files live) and `importScripts(url)`, which we evaluate from
//   node_modules/@tensorflow/tfjs-tflite/wasm/ in global scope;
// - the loader picks `tflite_web_api_cc_simd_threaded.js` because Node has SharedArrayBuffer; we
//   always load `tflite_web_api_cc_simd.js` instead: SIMD, single thread, no Worker needed;
// - the Emscripten glue fetches its .wasm with `fetch` + `instantiateStreaming`; our `fetch`
//   answers URLs under the fake origin from that folder and passes anything else on.
// We do not call setWasmPath: importing the package already starts loading the module from the
// default path (location's folder), and a new path would load and compile a second copy.
// Timing goes through the model runner (input buffer → infer → output buffer), TFLite's own API
// underneath TFLiteModel.predict, so no tfjs-core tensors or int32 conversions are timed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const ORIGIN = "http://tfjs-tflite.invalid";
const BASE = `${ORIGIN}/wasm/`;
/** The variant we load whatever the loader asks for: v128 SIMD, no threads. */
export const TFLITE_VARIANT = "tflite_web_api_cc_simd";

const require = createRequire(import.meta.url);

/** node_modules/@tensorflow/tfjs-tflite/wasm */
export function tfliteWasmDir(): string {
  return path.join(path.dirname(require.resolve("@tensorflow/tfjs-tflite/package.json")), "wasm");
}

export function tfliteVersion(): string {
  return (require("@tensorflow/tfjs-tflite/package.json") as { version: string }).version;
}

interface TfliteTensorInfo {
  name: string;
  dataType: string;
  shape: string;
  data(): Uint8Array | Int8Array | Float32Array | Int32Array;
}

interface TfliteRunner {
  getInputs(): TfliteTensorInfo[];
  getOutputs(): TfliteTensorInfo[];
  infer(): boolean;
  cleanUp(): void;
  module: { HEAPU8: Uint8Array };
}

interface TfliteModule {
  loadTFLiteModel(model: ArrayBuffer, options?: { numThreads?: number }): Promise<{ modelRunner: TfliteRunner }>;
}

let shimmed = false;

function installShims(): void {
  if (shimmed) return;
  shimmed = true;
  const dir = tfliteWasmDir();
  const g = globalThis as Record<string, unknown>;
  const fileOf = (url: string): string | null => {
    if (!url.startsWith(BASE)) return null;
    return path.join(dir, path.basename(new URL(url).pathname));
  };
  g.self = globalThis;
  g.location = { href: BASE, origin: ORIGIN, protocol: "http:", host: "tfjs-tflite.invalid" };
  g.importScripts = (...urls: string[]) => {
    for (const url of urls) {
      const file = fileOf(url);
      if (file === null || !/tflite_web_api_cc\w*\.js$/.test(file)) throw new Error(`importScripts: unexpected ${url}`);
      // indirect eval: global scope, so the script's `var tflite_web_api_ModuleFactory` becomes self's
      (0, eval)(readFileSync(path.join(dir, `${TFLITE_VARIANT}.js`), "utf8"));
    }
  };
  const realFetch = globalThis.fetch;
  g.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const file = fileOf(url);
    if (file === null) return realFetch(input, init);
    return new Response(readFileSync(file), { headers: { "content-type": file.endsWith(".wasm") ? "application/wasm" : "text/javascript" } });
  };
}

export interface TfliteEngine {
  runner: TfliteRunner;
  inputDtype: string;
  outputDtype: string;
}

/** Imports tfjs-tflite (with the shims) and loads a model; `importMs` is the import alone. */
export async function loadTflite(modelBytes: Uint8Array): Promise<{ engine: TfliteEngine; importMs: number }> {
  const t0 = performance.now();
  installShims();
  const imported = (await import("@tensorflow/tfjs-tflite")) as unknown as TfliteModule & { default?: TfliteModule };
  const tflite = typeof imported.loadTFLiteModel === "function" ? imported : imported.default!;
  const importMs = performance.now() - t0;
  const buffer = modelBytes.buffer.slice(modelBytes.byteOffset, modelBytes.byteOffset + modelBytes.byteLength) as ArrayBuffer;
  const model = await tflite.loadTFLiteModel(buffer, { numThreads: 1 });
  const runner = model.modelRunner;
  const [input] = runner.getInputs();
  const [output] = runner.getOutputs();
  return { engine: { runner, inputDtype: input.dataType, outputDtype: output.dataType }, importMs };
}
