// quantlite quantize: calibrate a float32 model on images and write its int8 model.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { type CalibrationSample, type IoType, quantize } from "../quantize/quantize.js";
import { parseMethod } from "../quantize/observers.js";
import { checkWritable, numberList, positiveInteger, readBytes, FileError, UsageError, writeFileAtomic } from "./common.js";
import { listImages } from "./images.js";
import { Progress } from "./progress.js";

export const QUANTIZE_USAGE =
  "quantlite quantize --model FLOAT --calibration DIR|LIST --out INT8 [--count N] [--method mse|minmax|percentile[:P]|entropy]\n" +
  "                   [--per-tensor] [--input-type uint8|int8|float32] [--output-type uint8|int8|float32]\n" +
  "                   [--mean M] [--std S] [--crop F] [--report FILE.json]";

const IO_TYPES = ["uint8", "int8", "float32"];

function ioType(text: string | undefined, flag: string): IoType | undefined {
  if (text === undefined) return undefined;
  if (!IO_TYPES.includes(text)) throw new UsageError(`${flag} must be uint8, int8 or float32, got "${text}"`);
  return text as IoType;
}

/** Reads the images one at a time (bounded memory); unreadable files are usage errors. */
async function* readImages(files: string[]): AsyncGenerator<CalibrationSample> {
  for (const file of files) {
    let data: Uint8Array;
    try {
      data = new Uint8Array(readFileSync(file));
    } catch (e) {
      throw new FileError(`cannot read calibration image ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    yield { name: basename(file), data };
  }
}

export async function quantizeCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string" }, calibration: { type: "string" }, out: { type: "string" }, count: { type: "string" },
      method: { type: "string" }, "per-tensor": { type: "boolean" }, "input-type": { type: "string" }, "output-type": { type: "string" },
      mean: { type: "string" }, std: { type: "string" }, crop: { type: "string" }, report: { type: "string" },
    },
  });
  if (!values.model) throw new UsageError("quantize needs --model (a float32 .tflite)");
  if (!values.calibration) throw new UsageError("quantize needs --calibration (a folder of images or a file listing them)");
  if (!values.out) throw new UsageError("quantize needs --out (the int8 .tflite to write)");
  const count = positiveInteger(values.count, "--count");
  let method;
  try {
    method = parseMethod(values.method ?? "mse");
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const crop = values.crop === undefined ? undefined : Number(values.crop);
  if (crop !== undefined && !(crop > 0 && crop <= 1)) throw new UsageError(`--crop must be in (0, 1], got ${values.crop}`);
  checkWritable(values.out, "--out");
  if (values.report) checkWritable(values.report, "--report");
  const files = listImages(values.calibration);
  const used = count === undefined ? files : files.slice(0, count);
  const floatModel = readBytes(values.model);
  const progress = new Progress("calibrating", used.length);
  let warnings = 0;
  const result = await quantize(floatModel, readImages(used), {
    method, count, perTensor: values["per-tensor"] ?? false,
    inputType: ioType(values["input-type"], "--input-type"), outputType: ioType(values["output-type"], "--output-type"),
    mean: numberList(values.mean, "--mean"), std: numberList(values.std, "--std"), crop,
    onProgress: (p) => progress.update(p.done + p.skipped, p.skipped ? `${p.skipped} skipped` : ""),
    onWarning: (message) => {
      warnings++;
      progress.note(`quantlite: warning: ${message}`);
    },
  });
  progress.finish();
  writeFileAtomic(values.out, result.model);
  const r = result.report;
  if (values.report) writeFileAtomic(values.report, `${JSON.stringify(r, null, 2)}\n`);
  console.log(`calibrated ${basename(values.model)} on ${r.samples} image${r.samples === 1 ? "" : "s"}` +
    `${r.skipped.length ? ` (${r.skipped.length} skipped: undecodable)` : ""} in ${r.seconds.toFixed(1)} s (${r.samplesPerSecond.toFixed(2)} images/s), method ${r.method}`);
  console.log(`wrote ${values.out}: ${result.model.length.toLocaleString("en-US")} bytes, int8 with ${r.perTensor ? "per-tensor" : "per-channel"} weights, input ${r.inputType}, output ${r.outputType}` +
    `${warnings ? `; ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`);
}
