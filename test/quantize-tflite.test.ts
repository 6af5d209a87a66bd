// TensorFlow Lite itself accepts quantize()'s output: the int8 model loads in TFLite's
// WebAssembly build (npm @tensorflow/tfjs-tflite, via bench/tflite-wasm.ts) and its outputs
// agree with quantlite's run of the same file. TFLite-wasm runs int8 models through XNNPACK,
// which requantizes in float, so bytes may differ by a step or so; top-1 must agree on ≥ 99 %
// of held-out inputs (a tie for the top score in either output counts as agreement: both
// runtimes then pick a top class; strict agreement must still reach 98 %).
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model, type TensorData } from "../js/model.js";
import { quantize, type QuantizeOptions } from "../js/quantize/quantize.js";
import { writeModel } from "../js/tflite/write.js";
import { floatClassifierDef, floatInputs } from "./float-model.js";

function tfliteInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("@tensorflow/tfjs-tflite/package.json");
    return true;
  } catch {
    return false;
  }
}

const FLOAT = writeModel(floatClassifierDef({ seed: 21, classes: 12 }));
const CALIBRATION = floatInputs(100, 16, 3);
const HELD_OUT = floatInputs(300, 16, 4);

const CONFIGS: QuantizeOptions[] = [
  { inputType: "uint8", outputType: "uint8" },
  { inputType: "float32", outputType: "float32", method: "minmax" },
  { inputType: "int8", outputType: "int8", perTensor: true, method: "entropy" },
];

function feed(x: Float32Array, dtype: string): TensorData {
  if (dtype === "float32") return x;
  if (dtype === "uint8") return Uint8Array.from(x, (v) => Math.round(v * 127.5 + 127.5));
  return Int8Array.from(x, (v) => Math.round(v * 127.5 - 0.5));
}

const argmax = (a: ArrayLike<number | bigint>) => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};

if (!tfliteInstalled()) {
  test("TFLite-wasm acceptance (skipped: @tensorflow/tfjs-tflite is not installed; npm install adds it as a devDependency)", () => {
    console.warn("  skipped: @tensorflow/tfjs-tflite is not installed");
  });
} else {
  for (const options of CONFIGS) {
    const label = `${options.method ?? "mse"}, ${options.perTensor ? "per-tensor" : "per-channel"}, ${options.inputType} in, ${options.outputType} out`;
    test(`TFLite-wasm loads quantize()'s model (${label}); top-1 agrees with quantlite on ≥ 99 % of held-out inputs`, async () => {
      const { loadTflite } = await import("../bench/tflite-wasm.js");
      const { model: bytes } = await quantize(FLOAT, CALIBRATION, { inputRange: [-1, 1], ...options });
      const ours = await Model.load(bytes);
      const { engine } = await loadTflite(bytes);
      const [input] = engine.runner.getInputs();
      const [output] = engine.runner.getOutputs();
      assert.is(engine.inputDtype, options.inputType);
      assert.is(engine.outputDtype, options.outputType);
      let agree = 0;
      let agreeOrTied = 0;
      let maxDiff = 0;
      let identical = 0;
      for (const x of HELD_OUT) {
        const data = feed(x, ours.inputs[0].dtype);
        const a = ours.run(data);
        (input.data() as TensorData).set(data as never);
        assert.ok(engine.runner.infer(), "TFLite infer() failed");
        const b = (output.data() as TensorData).slice();
        const [ta, tb] = [argmax(a), argmax(b)];
        if (ta === tb) agree++;
        // A tie for the top score in either output (lowest index wins) is not a disagreement.
        if (ta === tb || a[tb] === a[ta] || b[ta] === b[tb]) agreeOrTied++;
        let same = true;
        for (let i = 0; i < a.length; i++) {
          const d = Math.abs(Number(a[i]) - Number(b[i]));
          if (d > maxDiff) maxDiff = d;
          if (d !== 0) same = false;
        }
        if (same) identical++;
      }
      engine.runner.cleanUp();
      console.log(`  TFLite-wasm vs quantlite (${label}): top-1 ${agree}/${HELD_OUT.length} (${agreeOrTied} counting ties), identical outputs ${identical}, max difference ${maxDiff}${options.outputType === "float32" ? "" : " steps"}`);
      assert.ok(agreeOrTied >= 0.99 * HELD_OUT.length, `top-1 agreement counting ties ${agreeOrTied}/${HELD_OUT.length}`);
      assert.ok(agree >= 0.98 * HELD_OUT.length, `top-1 agreement ${agree}/${HELD_OUT.length}`);
      assert.ok(maxDiff <= (options.outputType === "float32" ? 4 / 256 : 4), `max difference ${maxDiff}`);
    });
  }
}

test.run();
