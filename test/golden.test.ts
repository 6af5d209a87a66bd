// Both MobileNetV2 models against the golden outputs of TFLite's reference kernels
// (../shared/golden): every intermediate tensor, 11 samples and all 500 ImageNet rows,
// byte for byte.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model } from "../js/index.js";
import { dataPath, readData } from "./data.js";

interface LayerEntry {
  op_index: number;
  op_type: string;
  tensor_index: number;
  name: string;
  offset: number;
  length: number;
}

const MODELS = [
  { golden: "tf2_ptq", file: "models/tf2_mobilenet_v2_1.0_224_ptq.tflite", layers: ["cat", "grace_hopper"] },
  { golden: "tf1_quant", file: "models/mobilenet_v2_1.0_224_quant.tflite", layers: ["cat"] },
];

/** Index and values of the first difference, or null when equal. */
function firstDifference(got: Uint8Array, want: Uint8Array): string | null {
  if (got.length !== want.length) return `length ${got.length} ≠ ${want.length}`;
  let count = 0;
  let first = -1;
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) {
      if (first < 0) first = i;
      count++;
    }
  }
  return first < 0 ? null : `${count} bytes differ; first at ${first}: got ${got[first]}, want ${want[first]}`;
}

const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

for (const { golden, file, layers } of MODELS) {
  for (const image of layers) {
    test(`${golden}: every layer for ${image} equals the reference kernels`, async () => {
      const modelBytes = readData(file);
      const indexPath = dataPath(`golden/${golden}.layers.${image}.json`);
      const bin = readData(`golden/${golden}.layers.${image}.bin`);
      if (!modelBytes || !indexPath || !bin) return;
      const { entries } = JSON.parse(readFileSync(indexPath, "utf8")) as { entries: LayerEntry[] };
      const model = await Model.load(modelBytes, { preserveAllTensors: true });
      const [input, ...outputs] = entries;
      model.run(bin.slice(input.offset, input.offset + input.length));
      assert.is(outputs.length, model.ops.length, "one golden entry per operator");
      for (const e of outputs) {
        const diff = firstDifference(asBytes(model.tensor(e.tensor_index)), bin.subarray(e.offset, e.offset + e.length));
        assert.is(diff, null, `first differing op: ${e.op_index} ${e.op_type} (tensor ${e.tensor_index} "${e.name}"): ${diff}`);
      }
    });
  }

  for (const [set, inputs] of [["samples", "samples.u8.bin"], ["outputs", "inputs.u8.bin"]] as const) {
    test(`${golden}: all ${set} rows byte-identical`, async () => {
      const modelBytes = readData(file);
      const pixels = readData(`golden/${inputs}`);
      const want = readData(`golden/${golden}.${set}.bin`);
      if (!modelBytes || !pixels || !want) return;
      const model = await Model.load(modelBytes);
      const inputBytes = model.inputs[0].shape.reduce((a, b) => a * b, 1);
      const outputBytes = model.outputs[0].shape.reduce((a, b) => a * b, 1);
      const rows = pixels.length / inputBytes;
      assert.is(want.length, rows * outputBytes);
      const mismatched: string[] = [];
      for (let r = 0; r < rows; r++) {
        const got = asBytes(model.run(pixels.subarray(r * inputBytes, (r + 1) * inputBytes)));
        const diff = firstDifference(got, want.subarray(r * outputBytes, (r + 1) * outputBytes));
        if (diff !== null) mismatched.push(`row ${r}: ${diff}`);
      }
      assert.equal(mismatched, [], `${mismatched.length}/${rows} rows differ:\n${mismatched.slice(0, 5).join("\n")}`);
      console.log(`  ${golden} ${set}: ${rows}/${rows} rows identical`);
    });
  }
}

test.run();
