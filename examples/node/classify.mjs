// Classify images with a .tflite model in Node:
//   node examples/node/classify.mjs MODEL.tflite IMAGE...
import { readFile } from "node:fs/promises";
import { Model, classify } from "quantlite";

const [modelPath, ...images] = process.argv.slice(2);
if (!modelPath || images.length === 0) {
  console.error("usage: node examples/node/classify.mjs MODEL.tflite IMAGE...");
  process.exit(2);
}
const model = await Model.load(new Uint8Array(await readFile(modelPath)));
for (const image of images) {
  const started = performance.now();
  const top = classify(model, new Uint8Array(await readFile(image)), { top: 3 });
  const ms = (performance.now() - started).toFixed(1);
  console.log(`${image} (${ms} ms): ${top.map((c) => `${c.label ?? c.index} ${(c.score * 100).toFixed(1)}%`).join(", ")}`);
}
model.dispose();
