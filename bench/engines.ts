// The three engines the benchmark compares, behind one small interface. Each is imported
// dynamically, so that a cold start in a fresh process counts module import and wasm compilation.
export type EngineName = "simd" | "scalar" | "tflite";

export const ENGINE_LABELS: Record<EngineName, string> = {
  simd: "quantlite SIMD",
  scalar: "quantlite scalar",
  tflite: "TFLite-wasm",
};

export type IoArray = Uint8Array | Int8Array | Float32Array;

export interface Engine {
  inputDtype: string;
  /** Elements of input 0. */
  inputLength: number;
  /**
   * Runs one inference on models with one 8-bit input; returns output 0 copied into an
   * array the engine reuses (valid until the next run), so that the loop itself allocates nothing.
   */
  run(input: IoArray): IoArray;
  /** Activation arena bytes, where the engine tells. */
  arenaBytes: number | null;
  /** quantlite: wasm memory in use (arena, packed weights, parameters); TFLite: its wasm memory size. */
  memoryBytes: number;
  dispose(): void;
}

export interface LoadedEngine {
  engine: Engine;
  importMs: number;
  loadMs: number;
}

export async function loadEngine(name: EngineName, modelBytes: Uint8Array): Promise<LoadedEngine> {
  const t0 = performance.now();
  if (name === "tflite") {
    const { loadTflite } = await import("./tflite-wasm.js");
    const { engine: tfl, importMs } = await loadTflite(modelBytes);
    const loadMs = performance.now() - t0 - importMs;
    const { runner } = tfl;
    const [input] = runner.getInputs();
    const [output] = runner.getOutputs();
    const result = (output.data() as IoArray).slice();
    return {
      importMs,
      loadMs,
      engine: {
        inputDtype: tfl.inputDtype,
        inputLength: input.shape.split(",").reduce((a, d) => a * Number(d), 1),
        run(data) {
          (input.data() as IoArray).set(data);
          if (!runner.infer()) throw new Error("TFLite infer() failed");
          result.set(output.data() as IoArray);
          return result;
        },
        arenaBytes: null,
        get memoryBytes() {
          return runner.module.HEAPU8.byteLength;
        },
        dispose: () => runner.cleanUp(),
      },
    };
  }
  // By package name, as a user imports it (the bundled default entry); a string variable keeps
  // TypeScript from resolving the package's own types before they are built.
  const entry: string = "quantlite";
  const { Model } = (await import(entry)) as typeof import("../js/index.js");
  const importMs = performance.now() - t0;
  const model = await Model.load(modelBytes, { kernels: name });
  const loadMs = performance.now() - t0 - importMs;
  const [output] = model.outputs;
  const result = new (output.dtype === "int8" ? Int8Array : output.dtype === "float32" ? Float32Array : Uint8Array)(output.shape.reduce((a, d) => a * d, 1));
  return {
    importMs,
    loadMs,
    engine: {
      inputDtype: model.inputs[0].dtype,
      inputLength: model.inputs[0].shape.reduce((a, d) => a * d, 1),
      run: (data) => model.run(data, result) as IoArray,
      arenaBytes: model.arenaBytes,
      memoryBytes: model.memoryBytes,
      dispose: () => model.dispose(),
    },
  };
}

/**
 * Row k of samples.u8.bin (uint8 pixels) as the model's input dtype: uint8 as is, int8 = u8 - 128;
 * or, with `raw` (the rows of a thirdparty NAME.inputs.bin), the row's bytes as they are.
 */
export function sampleInput(samples: Uint8Array, k: number, length: number, dtype: string, raw = false): IoArray {
  const row = samples.subarray(k * length, (k + 1) * length);
  if (row.length !== length) throw new Error(`samples file has no row ${k} of ${length} bytes`);
  if (dtype === "uint8") return row.slice();
  if (dtype === "int8") return raw ? new Int8Array(row.slice().buffer) : Int8Array.from(row, (v) => v - 128);
  throw new Error(`benchmark inputs are 8-bit images; the model's input is ${dtype}`);
}
