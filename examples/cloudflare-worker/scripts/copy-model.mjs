// Copies the model the Worker ships with into model/model.tflite (git-ignored), from
// $QUANTLITE_DATA/models (default: ../shared beside the repository). QUANTLITE_MODEL picks
// another file of that folder, or any path. The default, the TF1 uint8 MobileNetV2, is
// 2.9 MB gzipped and so fits Workers' free plan (3 MB); the TF2 int8 one (3.4 MB gzipped)
// needs the paid plan's 10 MB.
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const data = resolve(process.env.QUANTLITE_DATA ?? join(repo, "../shared"));
const name = process.env.QUANTLITE_MODEL ?? "mobilenet_v2_1.0_224_quant.tflite";
const source = existsSync(name) ? resolve(name) : join(data, "models", name);
const target = join(here, "../model/model.tflite");
if (!existsSync(source)) {
  console.error(`copy-model: ${source} not found (set QUANTLITE_DATA to the shared data folder, or QUANTLITE_MODEL to a .tflite file)`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
console.log(`copy-model: ${source} -> model/model.tflite (${statSync(target).size} bytes)`);
