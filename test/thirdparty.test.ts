// The real models of ../shared/thirdparty (public repositories, README there) against TensorFlow
// Lite's reference-kernel outputs: every model this SDK should serve must load, and each must give
// NAME.ref.bin on every sample of NAME.inputs.bin — integer outputs byte for byte, float32 outputs
// within 1e-5 of the largest |reference| value. Prints how many load and how many are identical.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model, type TensorData, type TensorInfo } from "../js/index.js";
import { dataPath } from "./data.js";
import { sampleBytes, splitSample } from "./samples.js";

const FLOAT_TOLERANCE = 1e-5;

/** Models outside this SDK's scope, with the reason; every other model must load. */
const OUT_OF_SCOPE: Record<string, string> = {
  "coral-test_data/keras_lstm_mnist_ptq": "UNIDIRECTIONAL_SEQUENCE_LSTM (sequence ops are out of scope)",
  "tflite-micro/dtln_noise_suppression": "UNIDIRECTIONAL_SEQUENCE_LSTM",
  "tflite-micro/micro_speech_lstm": "UNIDIRECTIONAL_SEQUENCE_LSTM",
  "tflite-micro/trained_lstm": "UNIDIRECTIONAL_SEQUENCE_LSTM",
  "tflite-micro/trained_lstm_int8": "UNIDIRECTIONAL_SEQUENCE_LSTM",
  "tflite-micro/keyword_scrambled": "SVDF and int16 inputs",
  "tflite-micro/seanet_add0": "int16 activations",
  "tflite-micro/seanet_conv0": "int16 activations",
  "tflite-micro/seanet_transpose_conv4": "int16 activations",
  "tflite-support/yamnet_audio_classifier_with_metadata": "RFFT2D and complex64 tensors (FFT is out of scope)",
};

/** The largest difference in quantized steps (integers) or relative to max |ref| (float32). */
function difference(t: TensorInfo, got: TensorData, want: TensorData): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(Number(want[i])));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(Number(got[i]) - Number(want[i])));
  return t.dtype === "float32" ? worst / Math.max(scale, 1e-30) : worst;
}

test("../shared/thirdparty: every model in scope loads and equals TensorFlow Lite's reference outputs", async () => {
  const root = dataPath("thirdparty");
  if (root === null) return;
  const names = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "invalid")
    .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.endsWith(".json")).map((f) => `${d.name}/${f.slice(0, -5)}`))
    .sort();
  const problems: string[] = [];
  let loaded = 0;
  let identical = 0;
  for (const name of names) {
    const file = new Uint8Array(readFileSync(join(root, `${name}.tflite`)));
    let model: Model;
    try {
      model = await Model.load(file);
    } catch (e) {
      if (!(name in OUT_OF_SCOPE)) problems.push(`${name} does not load: ${(e as Error).message.slice(0, 300)}`);
      continue;
    }
    loaded++;
    if (name in OUT_OF_SCOPE) problems.push(`${name} loads although listed as out of scope; update OUT_OF_SCOPE`);
    const inputs = new Uint8Array(readFileSync(join(root, `${name}.inputs.bin`)));
    const ref = new Uint8Array(readFileSync(join(root, `${name}.ref.bin`)));
    const inBytes = sampleBytes(model.inputs);
    const outBytes = sampleBytes(model.outputs);
    const samples = inputs.length / inBytes;
    assert.is(ref.length, samples * outBytes, `${name}: reference size`);
    let worst = 0;
    let float = false;
    for (let s = 0; s < samples; s++) {
      const outputs = model.runAll(splitSample(inputs.subarray(s * inBytes, (s + 1) * inBytes), model.inputs));
      const wanted = splitSample(ref.subarray(s * outBytes, (s + 1) * outBytes), model.outputs);
      model.outputs.forEach((t, k) => {
        float ||= t.dtype === "float32";
        worst = Math.max(worst, difference(t, outputs[k], wanted[k]));
      });
    }
    model.dispose();
    if (float ? worst <= FLOAT_TOLERANCE : worst === 0) identical++;
    else problems.push(`${name}: differs from TensorFlow Lite by up to ${float ? `${worst.toExponential(2)} of max |ref|` : `${worst} steps`}`);
  }
  const outOfScope = names.filter((n) => n in OUT_OF_SCOPE).length;
  console.log(`  thirdparty: ${names.length} models (${outOfScope} out of scope), ${loaded} load, ${identical} equal TensorFlow Lite's reference on every sample`);
  assert.ok(names.length > 0, "no models found");
  if (problems.length > 0) assert.unreachable(`${problems.length} problems:\n${problems.join("\n")}`);
});

test.run();
