// Shared by the fixture groups of the one-input activations (logistic.ts, tanh.ts, relu.ts, …):
// a one-operator model and random shapes of ranks 1 to 4 with awkward sizes.
import { BUILTIN_OP_NAMES } from "../../js/tflite/builtin-ops.js";
import { singleOpModel, type Q, type TensorSpec } from "../model-builder.js";
import type { Rng } from "../random.js";
import type { BuiltinOptions, TensorType } from "../../js/tflite/types.js";

/** A shape of rank 1–4 with at most ~`maxElements` elements; sizes include 1, 3, 7, 15, 17, 33. */
export function randomShape(rng: Rng, maxElements = 700): number[] {
  const rank = rng.int(1, 4);
  const shape: number[] = [];
  let left = maxElements;
  for (let d = 0; d < rank; d++) {
    const size = Math.max(1, Math.min(rng.pick([1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 64]), Math.floor(left)));
    shape.push(size);
    left /= size;
  }
  return shape;
}

/** A tensor of the dtype (quantized with q when given). */
export function tensor(name: string, type: TensorType, shape: number[], q?: Q): TensorSpec {
  return q === undefined ? { name, type, shape } : { name, type, shape, scale: q.scale, zeroPoint: q.zeroPoint };
}

/** The BuiltinOperator code of an operator name. */
export function opCode(name: string): number {
  const code = BUILTIN_OP_NAMES.indexOf(name);
  if (code < 0) throw new Error(`unknown operator ${name}`);
  return code;
}

/** One operator from input to output. */
export function unaryModel(opName: string, x: TensorSpec, y: TensorSpec, options: BuiltinOptions | null = null, version = 1): Uint8Array {
  return singleOpModel({ builtinCode: opCode(opName), inputs: [x], outputs: [y], options, version });
}

/** The version of an activation op for the dtype: int8 ops are version 2. */
export const versionOf = (type: TensorType) => (type === "int8" ? 2 : 1);
