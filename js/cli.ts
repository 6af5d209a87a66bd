#!/usr/bin/env node
// The quantlite command line: classify images, detect objects, run raw tensors, inspect models.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { classify } from "./classify.js";
import { ModelError, QuantliteError } from "./errors.js";
import { inspectModel } from "./inspect.js";
import { Model, type TensorData } from "./model.js";
import { checkWritable, FileError, forEachImage, imageTitle, numberList, readBytes, UsageError, writeFileAtomic } from "./commands/common.js";
import { EVAL_USAGE, evalCommand } from "./commands/eval.js";
import { QUANTIZE_USAGE, quantizeCommand } from "./commands/quantize.js";
import { DEQUANTIZE_USAGE, dequantizeCommand } from "./commands/dequantize.js";
import { DECODE_USAGE, decodeCommand } from "./commands/decode.js";
import { DETECT_USAGE, detectCommand } from "./commands/detect.js";

const USAGE = `quantlite — run quantized TensorFlow Lite models with WebAssembly

Usage:
  quantlite classify --model M [--labels L] [--max-results K] [--score-threshold X] [--crop F]
                     [--mean M] [--std S] [--decoder quantlite|jpeg-js] [--orientation exif|ignore]
                     [--json] IMAGE...
  ${DETECT_USAGE}
  ${DECODE_USAGE}
  quantlite run --model M --input RAW --output RAW
  quantlite inspect --model M [--json]
  ${QUANTIZE_USAGE.replace(/\n/g, "\n  ")}
  ${EVAL_USAGE.replace(/\n/g, "\n  ")}
  ${DEQUANTIZE_USAGE}

classify  Top-K classes of JPEG, PNG or BMP images (EXIF orientation, central crop 87.5 %,
          bilinear resize; JPEGs decoded at the smallest DCT scale M/8 that covers the input).
          Labels default to those packed in the model. --max-results K (alias --top, default
          5): at most K classes; --score-threshold X: only classes scoring ≥ X. Classes
          scoring exactly 0 are never listed, so fewer than K may be. Any image input: [1,H,W,3],
          grayscale [1,H,W,1], channel-first [1,3,H,W]; uint8 and int8 inputs get the pixels (int8:
          p − 128), float32 ones (p − mean) / std: --mean/--std (one value or three, e.g.
          --mean 0 --std 255 for p/255), else the model's TFLite metadata, else 127.5 and 127.5.
detect    Objects in JPEG, PNG or BMP images through an SSD model (TFLite_Detection_PostProcess
          outputs): the whole upright image resized to the input; boxes in image pixels,
          best first. Labels default to those packed in the model.
decode    An image to binary PPM/PGM: for a JPEG, exactly what libjpeg-turbo's
          djpeg -dct int -scale M/8 writes (with --orientation ignore, or orientation 1).
run       RAW input: N samples, each the model's input tensors back to back (raw
          little-endian values of the input dtypes); writes the N samples' outputs likewise.
inspect   Operators, tensors, quantization, sizes and multiply-accumulates; the image input and
          its normalisation (and where it comes from); whether quantlite runs the model, and if
          not, every reason (operators not implemented, dynamic-range layers, int16, …).
quantize  Post-training int8 quantization of a float32 model, calibrated on images
          (preprocessed as classify does for float inputs: (pixel − mean) / std).
eval      Top-1/top-5 (labels from ImageNet WordNet-id file names and synsets.txt, or
          --labels), agreement, latency and size of models; --per-layer compares every
          tensor of a float and a quantized model; --html writes a self-contained report;
          --jobs N (default: the available cores) spreads the images over N worker threads,
          with the results of one (latency is then measured while they share the machine).
dequantize  The float32 model of a quantized one: weights and biases dequantized, float
            activations, QUANTIZE and DEQUANTIZE removed (input notes in its description).
Any file argument may be - for standard input; results go to stdout, diagnostics to stderr;
output files are checked before any work and written whole. Exit status: 0 done, 1 an
unreadable or bad input file, 2 a wrong command line.`;


function requireModel(model: string | undefined): string {
  if (!model) throw new UsageError("--model is required");
  return model;
}

async function classifyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      model: { type: "string" }, labels: { type: "string" }, top: { type: "string" }, "max-results": { type: "string" },
      "score-threshold": { type: "string" }, crop: { type: "string" }, json: { type: "boolean" }, decoder: { type: "string" }, orientation: { type: "string" },
      mean: { type: "string" }, std: { type: "string" },
    },
  });
  const mean = numberList(values.mean, "--mean");
  const std = numberList(values.std, "--std");
  if (positionals.length === 0) throw new UsageError("classify needs at least one image");
  if (values.top !== undefined && values["max-results"] !== undefined && Number(values.top) !== Number(values["max-results"])) {
    throw new UsageError(`--top is an alias of --max-results; got --max-results ${values["max-results"]} and --top ${values.top}`);
  }
  const maxResultsFlag = values["max-results"] !== undefined ? "--max-results" : "--top";
  const maxResultsText = values["max-results"] ?? values.top ?? "5";
  const maxResults = Number(maxResultsText);
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new UsageError(`${maxResultsFlag} must be a positive integer, got ${maxResultsText}`);
  const scoreThresholdText = values["score-threshold"];
  const scoreThreshold = scoreThresholdText === undefined ? undefined : Number(scoreThresholdText);
  if (scoreThreshold !== undefined && (scoreThresholdText!.trim() === "" || Number.isNaN(scoreThreshold))) {
    throw new UsageError(`--score-threshold must be a number, got "${scoreThresholdText}"`);
  }
  const crop = values.crop === undefined ? undefined : Number(values.crop);
  if (crop !== undefined && !(crop > 0 && crop <= 1)) throw new UsageError(`--crop must be in (0, 1], got ${values.crop}`);
  const decoder = values.decoder ?? "quantlite";
  if (decoder !== "quantlite" && decoder !== "jpeg-js") throw new UsageError(`--decoder takes quantlite or jpeg-js, got "${decoder}"`);
  const orientation = values.orientation ?? "exif";
  if (orientation !== "exif" && orientation !== "ignore") throw new UsageError(`--orientation takes exif or ignore, got "${orientation}"`);
  const model = await Model.load(readBytes(requireModel(values.model)));
  const labels = values.labels === undefined ? undefined : new TextDecoder().decode(readBytes(values.labels));
  const outcomes = forEachImage(positionals, (bytes) => classify(model, bytes, { maxResults, scoreThreshold, labels, crop, decoder, orientation, mean, std }));
  if (values.json) {
    console.log(JSON.stringify(outcomes.map((o) => ("value" in o ? { image: o.image, top: o.value } : o)), null, 2));
  } else {
    for (const o of outcomes) {
      if (!("value" in o)) continue;
      console.log(imageTitle(o.image));
      o.value.forEach((c, k) => console.log(`  ${k + 1}. ${(c.label ?? `class ${c.index}`).padEnd(40)} ${c.score.toFixed(4)}  (${c.index})`));
    }
  }
}

const ARRAYS = { uint8: Uint8Array, int8: Int8Array, float32: Float32Array, int32: Int32Array, int64: BigInt64Array } as const;

async function runCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { model: { type: "string" }, input: { type: "string" }, output: { type: "string" } } });
  if (!values.input || !values.output) throw new UsageError("run needs --input and --output");
  checkWritable(values.output, "--output");
  const model = await Model.load(readBytes(requireModel(values.model)));
  const raw = readBytes(values.input);
  const sizes = model.inputs.map((t) => t.shape.reduce((a, b) => a * b, 1) * ARRAYS[t.dtype as keyof typeof ARRAYS].BYTES_PER_ELEMENT);
  const sampleBytes = sizes.reduce((a, b) => a + b, 0);
  if (raw.length === 0 || raw.length % sampleBytes !== 0) {
    throw new UsageError(`${values.input} has ${raw.length} bytes, not a whole number of samples of ${sampleBytes} bytes (inputs ${model.inputs.map((t) => `${t.dtype}[${t.shape}]`).join(", ")})`);
  }
  const samples = raw.length / sampleBytes;
  const outputs: Uint8Array[] = [];
  for (let s = 0; s < samples; s++) {
    let offset = s * sampleBytes;
    const inputs: TensorData[] = model.inputs.map((t, k) => {
      const Type = ARRAYS[t.dtype as keyof typeof ARRAYS];
      const bytes = raw.slice(offset, offset + sizes[k]);
      offset += sizes[k];
      return new Type(bytes.buffer, 0, sizes[k] / Type.BYTES_PER_ELEMENT);
    });
    for (const out of model.runAll(inputs)) outputs.push(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
  }
  const total = outputs.reduce((a, o) => a + o.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const o of outputs) { joined.set(o, at); at += o.length; }
  writeFileAtomic(values.output, joined);
  console.error(`${samples} sample${samples === 1 ? "" : "s"} → ${values.output} (${total} bytes)`);
}

async function inspectCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { model: { type: "string" }, json: { type: "boolean" } } });
  const bytes = readBytes(requireModel(values.model));
  const summary = inspectModel(bytes);
  // What the file alone cannot tell (what operators refuse when prepared): a load says.
  let loads: { ok: boolean; error?: string; problems?: string[] } = { ok: true };
  try {
    (await Model.load(bytes)).dispose();
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    loads = { ok: false, error: e.message, problems: e.problems };
  }
  if (values.json) {
    console.log(JSON.stringify({ ...summary, loads }, null, 2));
    return;
  }
  const fmtTensor = (t: { name: string; dtype: string; shape: number[]; scale: number[]; zeroPoint: number[] }) =>
    `${t.name} ${t.dtype}[${t.shape.join(",")}]${t.scale.length ? ` scale ${t.scale[0]} zero point ${t.zeroPoint[0]}` : ""}`;
  console.log(`description: ${summary.description || "(none)"}`);
  console.log(`file: ${summary.fileBytes} bytes; constants ${summary.constantBytes} bytes; activations ${summary.activationBytes} bytes (unshared)`);
  console.log(`inputs: ${summary.inputs.map(fmtTensor).join("; ")}`);
  console.log(`outputs: ${summary.outputs.map(fmtTensor).join("; ")}`);
  console.log(`labels packed in the model: ${summary.labels || "none"}`);
  const image = summary.imageInput;
  if (image !== null) {
    const kind = `${image.width}×${image.height} ${image.channels === 3 ? "RGB" : "grayscale"} ${image.layout} ${image.dtype}`;
    const from = image.normalization === null ? "a quantized input takes the pixels as stored"
      : `${image.normalization.source === "TFLite metadata" ? "from the model's TFLite metadata" : "quantlite's default: the model's metadata gives none"}; --mean/--std override`;
    console.log(`image input (classify): ${kind}; pixel p → ${image.pixelMap} (${from})`);
  }
  if (summary.metadataProblem !== null) console.log(`TFLite metadata ignored: ${summary.metadataProblem}`);
  console.log(`operators: ${summary.ops.length} (${Object.entries(summary.opCounts).map(([k, v]) => `${k} ${v}`).join(", ")}); ${(summary.totalMacs / 1e6).toFixed(1)} M MACs`);
  console.log(loads.ok ? "runs in quantlite: yes" : `runs in quantlite: no — ${loads.error}`);
  for (const line of loads.problems ?? []) console.log(`  ${line}`);
  console.log("");
  console.log(`${"#".padStart(4)}  ${"operator".padEnd(20)} ${"v".padStart(2)}  ${"output".padEnd(18)} ${"MACs".padStart(12)}  quantization of output`);
  for (const op of summary.ops) {
    const out = summary.tensors[op.outputs[0]];
    const q = out && out.scale.length ? `scale ${out.scale[0].toPrecision(6)} zp ${out.zeroPoint[0]}` : "";
    const weights = op.inputs[1] !== undefined && op.inputs[1] >= 0 ? summary.tensors[op.inputs[1]] : undefined;
    const w = weights && weights.constant && weights.scale.length ? `; weights ${weights.dtype} ${weights.quantization}` : "";
    console.log(`${String(op.index).padStart(4)}  ${op.type.padEnd(20)} ${String(op.version).padStart(2)}  ${`[${op.outputShape.join(",")}]`.padEnd(18)} ${op.macs.toLocaleString("en-US").padStart(12)}  ${q}${w}${op.supported ? "" : "  (unsupported)"}`);
  }
}

const COMMANDS = ["classify", "detect", "decode", "run", "inspect", "quantize", "eval", "dequantize"];

/** USAGE's lines for one command: its synopsis (with continuation lines) and its description. */
function commandHelp(command: string): string {
  const lines = USAGE.split("\n");
  const picked: string[] = [];
  let inSynopsis = false;
  let inAbout = false;
  for (const line of lines) {
    if (line.startsWith(`  quantlite ${command} `)) inSynopsis = true;
    else if (inSynopsis && !/^ {4,}\S/.test(line)) inSynopsis = false;
    if (line.startsWith(`${command} `)) inAbout = true;
    else if (inAbout && !/^ {2,}\S/.test(line)) inAbout = false;
    if (inSynopsis || inAbout) picked.push(inSynopsis ? line.slice(2) : line);
  }
  return `Usage:\n  ${picked.join("\n  ")}`;
}

/** The closest of `names` to `given`, if it is close enough to be a likely typo. */
function closest(given: string, names: string[]): string | null {
  const distance = (a: string, b: string): number => {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
    return previous[b.length];
  };
  const best = names.map((name) => ({ name, d: distance(given, name) })).sort((a, b) => a.d - b.d)[0];
  return best !== undefined && best.d <= Math.max(1, Math.floor(given.length / 3)) ? best.name : null;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== undefined && COMMANDS.includes(command) && (rest.includes("--help") || rest.includes("-h"))) {
    console.log(commandHelp(command));
    return;
  }
  switch (command) {
    case "classify": return classifyCommand(rest);
    case "detect": return detectCommand(rest);
    case "run": return runCommand(rest);
    case "inspect": return inspectCommand(rest);
    case "decode": return decodeCommand(rest);
    case "quantize": return quantizeCommand(rest);
    case "eval": return evalCommand(rest);
    case "dequantize": return dequantizeCommand(rest);
    case "--version": case "-v": {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
      console.log(pkg.version);
      return;
    }
    case undefined: case "help": case "--help": case "-h":
      console.log(USAGE);
      return;
    default: {
      const guess = closest(command, COMMANDS);
      throw new UsageError(`unknown command "${command}"${guess ? `; did you mean "${guess}"?` : ""}`);
    }
  }
}

/** node:util parseArgs's error as one short line, with the closest option of the command when one is mistyped. */
function parseArgsMessage(e: Error, command: string | undefined): string {
  const option = /^Unknown option '([^']+)'/.exec(e.message)?.[1];
  if (option === undefined) return e.message.split(". ")[0];
  const known = command !== undefined && COMMANDS.includes(command) ? [...new Set(commandHelp(command).match(/--[a-z][a-z-]*/g) ?? [])] : [];
  const guess = closest(option, known);
  return `unknown option ${option} for ${command ?? "quantlite"}${guess ? `; did you mean ${guess}?` : ""}`;
}

const argv = process.argv.slice(2);
main(argv).catch((e: unknown) => {
  const parseError = e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  if (e instanceof UsageError || parseError) {
    const message = parseError ? parseArgsMessage(e, argv[0]) : (e as Error).message;
    const help = argv[0] !== undefined && COMMANDS.includes(argv[0]) ? `quantlite ${argv[0]} --help` : "quantlite --help";
    console.error(`quantlite: ${message}\nRun "${help}" for usage.`);
    process.exitCode = 2;
  } else if (e instanceof FileError) {
    console.error(`quantlite: ${e.message}`);
    process.exitCode = 1;
  } else if (e instanceof QuantliteError) {
    console.error(`quantlite: ${e.name}: ${e.message}`);
    process.exitCode = 1;
  } else {
    throw e;
  }
});
