// Classify images with a .tflite model in Bun:
//   bun examples/bun/classify.ts MODEL.tflite IMAGE...
// Inside this repository `quantlite` resolves to the package itself (run `npm install` first, which
// builds dist/). In a project of your own: `bun add quantlite`.
import { classify, Model, QuantliteError } from "quantlite";

const [modelPath, ...images] = Bun.argv.slice(2);
if (!modelPath || images.length === 0) {
  console.error("usage: bun classify.ts MODEL.tflite IMAGE...");
  process.exit(2);
}
const bytes = async (path: string) => new Uint8Array(await Bun.file(path).arrayBuffer());
try {
  const loadStarted = performance.now();
  const model = await Model.load(await bytes(modelPath));
  console.log(`${modelPath}: loaded in ${(performance.now() - loadStarted).toFixed(1)} ms`);
  for (const image of images) {
    const started = performance.now();
    const top = classify(model, await bytes(image), { top: 5 });
    console.log(`${image} (${(performance.now() - started).toFixed(1)} ms)`);
    for (const [k, c] of top.entries()) console.log(`  ${k + 1}. ${(c.label ?? String(c.index)).padEnd(40)} ${c.score.toFixed(4)}  (${c.index})`);
  }
  model.dispose();
} catch (error) {
  if (!(error instanceof QuantliteError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
}
