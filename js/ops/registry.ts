// The ops quantlite runs, by TFLite builtin operator name: the ones image classifiers use, always
// here, and the others (extra-ops.ts), which the default entries import at once and the browser
// entry loads the first time a model needs one (Model.load: loadOperators), so that a web app
// classifying images ships none of their code.
import type { OpSupport } from "../graph/graph.js";
import type { OpDefinition } from "./context.js";
import { add } from "./add.js";
import { concatenation } from "./concatenation.js";
import { conv2d } from "./conv2d.js";
import { depthwiseConv2d } from "./depthwise_conv2d.js";
import { dequantize } from "./dequantize.js";
import { fullyConnected } from "./fully_connected.js";
import { mean } from "./mean.js";
import { pad } from "./pad.js";
import { averagePool2d, maxPool2d } from "./pool.js";
import { quantize } from "./quantize.js";
import { reshape } from "./reshape.js";
import { softmax } from "./softmax.js";

const OPERATORS = new Map<string, OpDefinition>([
  ["ADD", add],
  ["AVERAGE_POOL_2D", averagePool2d],
  ["CONCATENATION", concatenation],
  ["CONV_2D", conv2d],
  ["DEPTHWISE_CONV_2D", depthwiseConv2d],
  ["DEQUANTIZE", dequantize],
  ["FULLY_CONNECTED", fullyConnected],
  ["MAX_POOL_2D", maxPool2d],
  ["MEAN", mean],
  ["PAD", pad],
  ["QUANTIZE", quantize],
  ["RESHAPE", reshape],
  ["SOFTMAX", softmax],
]);

export const OPS: ReadonlyMap<string, OpDefinition> = OPERATORS;

/** Adds operator definitions (extra-ops.ts). */
export function registerOperators(more: ReadonlyMap<string, OpDefinition>): void {
  for (const [name, definition] of more) OPERATORS.set(name, definition);
}

let extraOperators: Promise<void> | undefined;

/** Makes every operator of `types` available that quantlite has, loading extra-ops.ts if needed. */
export async function loadOperators(types: Iterable<string>): Promise<void> {
  if ([...types].every((type) => OPERATORS.has(type))) return;
  extraOperators ??= import("./extra-ops.js").then(({ EXTRA_OPS }) => registerOperators(EXTRA_OPS));
  await extraOperators;
}

export const opSupport: OpSupport = (type, version) => {
  const def = OPERATORS.get(type);
  if (def === undefined) return "unsupported";
  return version >= 1 && version <= def.maxVersion ? "ok" : "version";
};
