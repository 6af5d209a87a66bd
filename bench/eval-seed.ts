// The seed's quantization report: `npm run eval:seed [-- --out DIR] [--methods a,b] [--per-layer-images N] [--no-tflite]`.
//
// 1. Dequantizes $QUANTLITE_DATA/models/tf2_mobilenet_v2_1.0_224_ptq.tflite (the TFLite
//    converter's int8 MobileNetV2) into a float32 model.
// 2. Quantizes that float model with quantlite, once per calibration method, on the first 100
//    images of imagenet-sample (by file name); reports calibration throughput.
// 3. Evaluates on the other 400 images: the float model, the converter's int8 model and each
//    quantlite int8 model — top-1 / top-5, agreement, file size, median latency under quantlite
//    and under TensorFlow Lite's WebAssembly build (which also checks that TFLite accepts the
//    quantized files: top-1 agreement and largest output difference with quantlite), and a
//    per-layer comparison of the float model with the converter's and quantlite's int8 models.
// 4. Writes DIR/report.html (self-contained), DIR/report.json and the .tflite files
//    (default DIR: build/eval-seed).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Progress } from "../js/commands/progress.js";
import { compareLayers, type EvalImage, type EvalResult, type ExternalEngine, evaluate } from "../js/eval/evaluate.js";
import { escapeHtml, renderHtml } from "../js/eval/html.js";
import { formatEval, formatTable } from "../js/eval/table.js";
import type { TensorData } from "../js/model.js";
import { preprocessImage, quantizeInput } from "../js/preprocess/index.js";
import { type QuantizeReport, quantize } from "../js/quantize/quantize.js";
import { dequantizeModel } from "../js/quantize/dequantize.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const DATA = path.resolve(process.env.QUANTLITE_DATA ?? path.join(ROOT, "../shared"));
const CALIBRATION_IMAGES = 100;
const ALL_METHODS = ["minmax", "percentile:99.99", "mse", "entropy"];

interface Options {
  out: string;
  methods: string[];
  perLayerImages: number;
  tflite: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { out: path.join(ROOT, "build/eval-seed"), methods: ALL_METHODS, perLayerImages: 100, tflite: true };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? fail(`${argv[i - 1]} needs a value`);
    switch (argv[i]) {
      case "--out": o.out = path.resolve(value()); break;
      case "--methods": o.methods = value().split(","); break;
      case "--per-layer-images": o.perLayerImages = Number(value()); break;
      case "--no-tflite": o.tflite = false; break;
      default: fail(`unknown option ${argv[i]}`);
    }
  }
  return o;
}

function fail(message: string): never {
  console.error(`eval-seed: ${message}`);
  process.exit(2);
}

/** TensorFlow Lite's WebAssembly build (bench/tflite-wasm.ts) as an evaluation engine. */
async function tfliteEngine(): Promise<ExternalEngine> {
  const { loadTflite, tfliteVersion } = await import("./tflite-wasm.js");
  return {
    name: `TFLite-wasm ${tfliteVersion()}`,
    async load(bytes) {
      const { engine } = await loadTflite(bytes);
      const { runner } = engine;
      const [input] = runner.getInputs();
      const [output] = runner.getOutputs();
      return {
        run(data: TensorData): TensorData {
          (input.data() as TensorData).set(data as never);
          if (!runner.infer()) throw new Error("TFLite infer() failed");
          return (output.data() as TensorData).slice();
        },
        dispose: () => runner.cleanUp(),
      };
    },
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  mkdirSync(options.out, { recursive: true });
  const converterPath = path.join(DATA, "models/tf2_mobilenet_v2_1.0_224_ptq.tflite");
  const imageDir = path.join(DATA, "imagenet-sample");
  const converterBytes = new Uint8Array(readFileSync(converterPath));

  const floatBytes = dequantizeModel(converterBytes);
  const floatPath = path.join(options.out, "mobilenet_v2_float.tflite");
  writeFileSync(floatPath, floatBytes);
  console.error(`float model (dequantized ${path.basename(converterPath)}): ${floatPath}, ${floatBytes.length} bytes`);

  const synsets = readFileSync(path.join(imageDir, "synsets.txt"), "utf8").split(/\r?\n/).filter(Boolean);
  const files = readdirSync(imageDir).filter((f) => /\.(jpe?g|png|bmp)$/i.test(f)).sort();
  const calibration = files.slice(0, CALIBRATION_IMAGES);
  const evaluation = files.slice(CALIBRATION_IMAGES);
  const read = (f: string) => new Uint8Array(readFileSync(path.join(imageDir, f)));

  const quantized: { method: string; file: string; bytes: Uint8Array; report: QuantizeReport }[] = [];
  for (const method of options.methods) {
    const progress = new Progress(`calibrating (${method})`, calibration.length);
    const result = await quantize(floatBytes, calibration.map((f) => ({ name: f, data: read(f) })), {
      method, date: new Date(),
      onProgress: (p) => progress.update(p.done + p.skipped),
      onWarning: (m) => progress.note(`warning: ${m}`),
    });
    progress.finish();
    const file = `mobilenet_v2_int8_${method.replace(/[^a-z0-9.]+/gi, "_")}.tflite`;
    writeFileSync(path.join(options.out, file), result.model);
    writeFileSync(path.join(options.out, file.replace(/\.tflite$/, ".json")), `${JSON.stringify(result.report, null, 2)}\n`);
    console.error(`  ${method}: ${result.report.samples} images in ${result.report.seconds.toFixed(1)} s = ${result.report.samplesPerSecond.toFixed(2)} images/s → ${file}`);
    quantized.push({ method, file, bytes: result.model, report: result.report });
  }

  // Label-free comparison of the methods on the calibration images themselves (what a user
  // without a labelled test set can measure): SQNR of the logits and mean SQNR over all layers,
  // against the float model. This, not test accuracy, is why mse is quantize()'s default.
  const calibrationPairs = calibration.map((f) => {
    const rgb = preprocessImage(read(f), { width: 224, height: 224 });
    return [quantizeInput(rgb, { dtype: "float32", scale: 0, zeroPoint: 0 }), rgb] as [TensorData, TensorData];
  });
  const selection: { method: string; logitsDb: number; meanDb: number }[] = [];
  for (const q of [{ method: "TFLite converter", bytes: converterBytes }, ...quantized]) {
    const r = await compareLayers({ name: "float", bytes: floatBytes }, { name: q.method, bytes: q.bytes }, calibrationPairs);
    const logits = r.layers.filter((l) => l.opType !== "SOFTMAX").at(-1)!;
    selection.push({ method: q.method, logitsDb: logits.sqnrDb, meanDb: r.layers.reduce((a, l) => a + l.sqnrDb, 0) / r.layers.length });
  }
  console.error(`method selection on the calibration images: ${selection.map((x) => `${x.method} ${x.logitsDb.toFixed(1)} dB`).join(", ")}`);

  const models = [
    { name: "float32 (dequantized converter model)", bytes: floatBytes },
    { name: "int8 TFLite converter", bytes: converterBytes },
    ...quantized.map((q) => ({ name: `int8 quantlite ${q.method}`, bytes: q.bytes })),
  ];
  const images: EvalImage[] = evaluation.map((f) => {
    const m = /^(n\d{8})/.exec(f);
    const label = m ? synsets.indexOf(m[1]) : -1;
    return { name: f, bytes: () => read(f), label: label >= 0 ? label : null };
  });
  const engines: ExternalEngine[] = [];
  if (options.tflite) {
    try {
      engines.push(await tfliteEngine());
    } catch (e) {
      console.error(`TFLite-wasm not available (${(e as Error).message}); continuing without it`);
    }
  }
  const progress = new Progress("evaluating", images.length);
  const result = await evaluate(models, images, {
    engines,
    perLayer: { reference: 0, targets: [1, ...quantized.map((_, k) => 2 + k)] },
    perLayerImages: options.perLayerImages,
    onProgress: (done) => progress.update(done),
    onWarning: (m) => progress.note(`warning: ${m}`),
  });
  progress.finish();

  const summary = checks(result);
  const selectionRows = selection.map((x) => [x.method, x.logitsDb.toFixed(2), x.meanDb.toFixed(2)]);
  const calibrationRows = quantized.map((q) => [q.method, String(q.report.samples), `${q.report.seconds.toFixed(1)} s`, `${q.report.samplesPerSecond.toFixed(2)}`]);
  const text = [
    formatEval(result, { perLayerRows: 8 }),
    "",
    "calibration (first 100 images)",
    formatTable(["method", "images", "time", "images/s"], calibrationRows),
    "",
    "label-free comparison on the calibration images (SQNR vs the float model, dB)",
    formatTable(["model", "logits", "mean over layers"], selectionRows),
    "",
    ...summary.map((s) => `${s.ok ? "PASS" : "FAIL"}  ${s.text}`),
  ].join("\n");
  console.log(text);

  const html = renderHtml(result, {
    title: "quantlite: MobileNetV2 int8 post-training quantization (seed report)",
    notes: [
      `Float model: ${path.basename(converterPath)} dequantized to float32 (its weights are the int8 model's dequantized values). ` +
      `quantlite quantized it once per calibration method on the first ${CALIBRATION_IMAGES} images of imagenet-sample (by file name); ` +
      `everything below is measured on the other ${evaluation.length} images, which calibration never saw. ` +
      "The TFLite converter's int8 model was calibrated by the converter on its own representative data.",
      `Latency: median per inference on this machine (${process.version}), one thread, models interleaved image by image.`,
    ],
    sections: [
      {
        title: "Targets",
        html: `<ul>${summary.map((s) => `<li><b style="color:${s.ok ? "#109618" : "#dc3912"}">${s.ok ? "PASS" : "FAIL"}</b> ${escapeHtml(s.text)}</li>`).join("")}</ul>`,
      },
      {
        title: "Method selection without labels (on the calibration images)",
        html: `<p>SQNR against the float model on the ${CALIBRATION_IMAGES} calibration images: the logits (last layer before SOFTMAX) and the mean over all layers. quantize() defaults to mse because it scores best here; the accuracy below comes from images calibration never saw.</p><table><thead><tr><th>model</th><th>logits SQNR dB</th><th>mean layer SQNR dB</th></tr></thead><tbody>${
          selection.map((x) => `<tr><td>${escapeHtml(x.method)}</td><td class="num">${x.logitsDb.toFixed(2)}</td><td class="num">${x.meanDb.toFixed(2)}</td></tr>`).join("")
        }</tbody></table>`,
      },
      {
        title: "Calibration",
        html: `<table><thead><tr><th>method</th><th>images</th><th>time</th><th>images/s</th><th>file</th><th>bytes</th></tr></thead><tbody>${
          quantized.map((q) => `<tr><td>${escapeHtml(q.method)}</td><td class="num">${q.report.samples}</td><td class="num">${q.report.seconds.toFixed(1)} s</td><td class="num">${q.report.samplesPerSecond.toFixed(2)}</td><td>${escapeHtml(q.file)}</td><td class="num">${q.bytes.length.toLocaleString("en-US")}</td></tr>`).join("")
        }</tbody></table>`,
      },
    ],
  });
  writeFileSync(path.join(options.out, "report.html"), html);
  writeFileSync(path.join(options.out, "report.json"), `${JSON.stringify({ result, selection, calibration: quantized.map((q) => ({ method: q.method, file: q.file, bytes: q.bytes.length, report: { ...q.report, tensors: undefined } })), summary }, (_, v) => (v === Infinity ? "Infinity" : v), 2)}\n`);
  console.log(`\nreport: ${path.join(options.out, "report.html")}`);
}

function checks(result: EvalResult): { ok: boolean; text: string }[] {
  const [float, converter, ...ours] = result.models;
  const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(2)} %`;
  const out: { ok: boolean; text: string }[] = [];
  for (const m of ours) {
    out.push({ ok: m.top1 >= converter.top1, text: `${m.name}: top-1 ${pct(m.top1, m.labelled)} ≥ converter's ${pct(converter.top1, converter.labelled)}` });
    out.push({ ok: (100 * m.top1) / m.labelled >= (100 * float.top1) / float.labelled - 1, text: `${m.name}: top-1 ${pct(m.top1, m.labelled)} ≥ float's ${pct(float.top1, float.labelled)} − 1.0 point` });
    for (const e of m.engines) {
      const baseline = converter.engines.find((x) => x.engine === e.engine);
      out.push({
        ok: e.top1AgreementCountingTies >= 0.99 * result.images,
        text: `${m.name} runs in ${e.engine}: top-1 agrees with quantlite on ${pct(e.top1AgreementCountingTies, result.images)} counting ties (≥ 99 %), ` +
          `${pct(e.top1AgreementWithQuantlite, result.images)} strictly, largest output difference ${e.maxOutputDifference} steps` +
          (baseline ? ` (the converter's own model: ${pct(baseline.top1AgreementCountingTies, result.images)} counting ties, ${pct(baseline.top1AgreementWithQuantlite, result.images)} strictly, ${baseline.maxOutputDifference} steps)` : ""),
      });
    }
  }
  return out;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
