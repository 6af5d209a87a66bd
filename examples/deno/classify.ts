// Classify images with a .tflite model in Deno:
//   deno run --allow-read examples/deno/classify.ts MODEL.tflite IMAGE...
// Inside this repository `quantlite` resolves to the package itself (run `npm install` first, which
// builds dist/). In a project of your own: `deno add npm:quantlite`, or import "npm:quantlite".
import { classify, Model, QuantliteError } from "quantlite";

const [modelPath, ...images] = Deno.args;
if (!modelPath || images.length === 0) {
  console.error("usage: deno run --allow-read classify.ts MODEL.tflite IMAGE...");
  Deno.exit(2);
}
try {
  const loadStarted = performance.now();
  const model = await Model.load(await Deno.readFile(modelPath));
  console.log(`${modelPath}: loaded in ${(performance.now() - loadStarted).toFixed(1)} ms`);
  for (const image of images) {
    const started = performance.now();
    const top = classify(model, await Deno.readFile(image), { top: 5 });
    console.log(`${image} (${(performance.now() - started).toFixed(1)} ms)`);
    for (const [k, c] of top.entries()) console.log(`  ${k + 1}. ${(c.label ?? String(c.index)).padEnd(40)} ${c.score.toFixed(4)}  (${c.index})`);
  }
  model.dispose();
} catch (error) {
  if (!(error instanceof QuantliteError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  Deno.exit(1);
}
