// quantlite against TensorFlow Lite's reference kernels on generated models: every
// test/fixtures/tflite/<group>/NAME.tflite is run on every sample of NAME.inputs.bin, with the
// v128 kernels and with their scalar references, and each output is compared with NAME.ref.bin,
// which TensorFlow 2.21's interpreter (OpResolverType.BUILTIN_REF) wrote
// (test/tflite-cases/make.ts and scripts/tflite-reference.py say how to regenerate them).
// Integer outputs must be identical; float32 outputs within 1e-5 of the largest |reference|.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model, type TensorData, type TensorInfo } from "../js/index.js";
import { sampleBytes, splitSample } from "./samples.js";

const FIXTURE_DIR = "test/fixtures/tflite";
const FLOAT_TOLERANCE = 1e-5;

/** Why `got` does not match `want`, or null. */
function mismatch(t: TensorInfo, got: TensorData, want: TensorData): string | null {
  if (t.dtype === "float32") {
    const g = got as Float32Array;
    const w = want as Float32Array;
    let scale = 0;
    for (let i = 0; i < w.length; i++) scale = Math.max(scale, Math.abs(w[i]));
    for (let i = 0; i < w.length; i++) {
      const bad = Number.isNaN(w[i]) ? !Number.isNaN(g[i]) : !(Math.abs(g[i] - w[i]) <= FLOAT_TOLERANCE * Math.max(scale, 1e-30));
      if (bad) return `element ${i}: ${g[i]}, TFLite ${w[i]} (tolerance ${FLOAT_TOLERANCE} × ${scale})`;
    }
    return null;
  }
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) return `element ${i}: ${got[i]}, TFLite ${want[i]}`;
  }
  return null;
}

const groups = existsSync(FIXTURE_DIR) ? readdirSync(FIXTURE_DIR).sort() : [];

for (const group of groups) {
  const dir = join(FIXTURE_DIR, group);
  const names = readdirSync(dir).filter((f) => f.endsWith(".tflite")).map((f) => f.slice(0, -7)).sort();
  test(`${group}: ${names.length} models equal TensorFlow Lite's reference kernels`, async () => {
    assert.ok(names.length > 0, `${dir} has no models`);
    let samplesChecked = 0;
    for (const name of names) {
      const file = new Uint8Array(readFileSync(join(dir, `${name}.tflite`)));
      const inputs = new Uint8Array(readFileSync(join(dir, `${name}.inputs.bin`)));
      const ref = new Uint8Array(readFileSync(join(dir, `${name}.ref.bin`)));
      for (const kernels of ["simd", "scalar"] as const) {
        let model: Model;
        try {
          model = await Model.load(file, { kernels });
        } catch (e) {
          throw new Error(`${group}/${name}: ${(e as Error).message}`);
        }
        const inBytes = sampleBytes(model.inputs);
        const outBytes = sampleBytes(model.outputs);
        const samples = inputs.length / inBytes;
        assert.ok(Number.isInteger(samples) && samples > 0, `${group}/${name}: ${inputs.length} input bytes for samples of ${inBytes}`);
        assert.is(ref.length, samples * outBytes, `${group}/${name}: ${ref.length} reference bytes for ${samples} samples of ${outBytes}`);
        for (let s = 0; s < samples; s++) {
          const outputs = model.runAll(splitSample(inputs.subarray(s * inBytes, (s + 1) * inBytes), model.inputs));
          const wanted = splitSample(ref.subarray(s * outBytes, (s + 1) * outBytes), model.outputs);
          model.outputs.forEach((t, k) => {
            const why = mismatch(t, outputs[k], wanted[k]);
            if (why !== null) assert.unreachable(`${group}/${name} (${kernels}) sample ${s} output ${k} "${t.name}": ${why}`);
          });
          samplesChecked++;
        }
        model.dispose();
      }
    }
    assert.ok(samplesChecked > 0);
  });
}

test.run();
