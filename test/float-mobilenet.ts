// The float32 MobileNetV2 that dequantizeModel makes of TF2's int8 model: top-1 on the 500
// golden ImageNet inputs (labels: inputs.json label1001; the int8 model scores 438/500) and
// latency with the v128 and the scalar float kernels.
// node dist/test/float-mobilenet.js [--runs N] [--scalar-runs N]
import { parseArgs } from "node:util";
import { Model, quantizeInput, topK } from "../js/index.js";
import { dequantizeModel } from "../js/quantize/dequantize.js";
import { readData } from "./data.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "30" }, "scalar-runs": { type: "string", default: "5" } } });
const int8Bytes = readData("models/tf2_mobilenet_v2_1.0_224_ptq.tflite");
const pixels = readData("golden/inputs.u8.bin");
const index = readData("golden/inputs.json");
if (!int8Bytes || !pixels || !index) process.exit(0);

const size = 224 * 224 * 3;
const labels = (JSON.parse(new TextDecoder().decode(index)).images as { label1001: number }[]).map((i) => i.label1001);
const inputOf = (k: number) => quantizeInput(pixels.subarray(k * size, (k + 1) * size), { dtype: "float32", scale: 0, zeroPoint: 0 });

let start = performance.now();
const floatBytes = dequantizeModel(int8Bytes);
console.log(`dequantizeModel: ${(performance.now() - start).toFixed(0)} ms, ${floatBytes.length} bytes (int8 model ${int8Bytes.length})`);

const model = await Model.load(floatBytes);
console.log(`arena ${(model.arenaBytes / 2 ** 20).toFixed(1)} MiB, wasm memory ${(model.memoryBytes / 2 ** 20).toFixed(1)} MiB`);
start = performance.now();
let correct = 0;
for (let k = 0; k < labels.length; k++) if (topK(model.run(inputOf(k)) as Float32Array, 1)[0] === labels[k]) correct++;
console.log(`top-1 on ${labels.length} golden inputs: ${correct}/${labels.length} (int8 model: 438/500), ${((performance.now() - start) / 1000).toFixed(1)} s`);
model.dispose();

for (const [kernels, runs] of [["simd", Number(values.runs)], ["scalar", Number(values["scalar-runs"])]] as const) {
  const m = await Model.load(floatBytes, { kernels });
  const x = inputOf(0);
  m.run(x);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    m.run(x);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${kernels}: min ${times[0].toFixed(1)} ms, median ${times[times.length >> 1].toFixed(1)} ms (${runs} runs)`);
  m.dispose();
}
