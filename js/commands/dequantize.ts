// quantlite dequantize: the float32 model of a quantized model (js/quantize/dequantize.ts).
import { parseArgs } from "node:util";
import { dequantizeModel } from "../quantize/dequantize.js";
import { checkWritable, readBytes, UsageError, writeFileAtomic } from "./common.js";

export const DEQUANTIZE_USAGE = "quantlite dequantize --model INT8 --out FLOAT";

export function dequantizeCommand(args: string[]): void {
  const { values } = parseArgs({ args, options: { model: { type: "string" }, out: { type: "string" } } });
  if (!values.model) throw new UsageError("dequantize needs --model (a quantized .tflite)");
  if (!values.out) throw new UsageError("dequantize needs --out (the float32 .tflite to write)");
  checkWritable(values.out, "--out");
  const bytes = dequantizeModel(readBytes(values.model));
  writeFileAtomic(values.out, bytes);
  console.error(`${values.out}: float32 model, ${bytes.length} bytes`);
}
